package daemonset

import (
	"github.com/daemonkit/daemonkit/rollout"
)

// rollingUpdate hands the view after manage (section 2.1 step 8b) to rollout.Decide: every known
// node that should run a pod or has one, and every vanished node with pods, in ascending node name.
// Its creates and deletes are capped by the burst like manage's and appended to the issued lists;
// on an error none of them is issued.
func (p *Planner) rollingUpdate(pc *plan, creates []Create, deletes []Delete, immediate bool) ([]Create, []Delete, error) {
	p.buildViews(pc)
	d, err := rollout.Decide(pc.strategy, pc.desired, p.views)
	if err != nil {
		return creates, deletes, err
	}
	nc := min(len(d.Creates), pc.burst)
	nd := min(len(d.Deletes), pc.burst)
	pc.res.Deferred.Creates += len(d.Creates) - nc
	pc.res.Deferred.Deletes += len(d.Deletes) - nd
	for _, c := range d.Creates[:nc] {
		creates = append(creates, Create{Node: c.Node, Reason: c.Reason})
		if immediate {
			if ni, ok := p.index[c.Node]; ok {
				p.nodes[ni].created = true
			}
		}
	}
	for _, del := range d.Deletes[:nd] {
		if del.Pod == "" {
			continue // a pod created in this sync; Decide never picks one, but never name it
		}
		deletes = append(deletes, Delete{Pod: del.Pod, Node: del.Node, Kind: DeleteRollingUpdate, Reason: del.Reason})
		if immediate {
			if pi := p.findPod(pc, del.Node, del.Pod); pi >= 0 {
				p.removed[pi] = true
			}
		}
	}
	return creates, deletes, nil
}

// buildViews fills p.views with the per-node view rollout.Decide reads, in ascending node name.
// The pod views of all nodes share one array (p.podViews), so that a reconcile allocates nothing
// per node once the Planner has grown to the cluster's size.
func (p *Planner) buildViews(pc *plan) {
	pods := pc.in.Pods
	nodes := pc.in.Nodes
	p.views = p.views[:0]
	if need := len(pods) + len(nodes); cap(p.podViews) < need {
		p.podViews = make([]rollout.PodView, 0, need)
	}
	p.podViews = p.podViews[:0]
	addPod := func(pi int32) {
		pod := &pods[pi]
		f := p.flags[pi]
		p.podViews = append(p.podViews, rollout.PodView{
			Name:      pod.Name,
			Updated:   f&podIsUpdated != 0,
			Available: f&podIsAvailable != 0,
			Deleting:  pod.DeletionTimestamp != nil,
		})
	}
	vi := 0
	emitVanished := func() {
		target := p.vanished[vi].target
		start := len(p.podViews)
		for ; vi < len(p.vanished) && p.vanished[vi].target == target; vi++ {
			if pi := p.vanished[vi].pod; !p.removed[pi] {
				addPod(pi)
			}
		}
		if len(p.podViews) > start {
			p.views = append(p.views, rollout.NodeView{Node: target, Pods: p.podViews[start:len(p.podViews):len(p.podViews)]})
		}
	}
	for _, ni := range p.order {
		name := nodes[ni].Name
		for vi < len(p.vanished) && p.vanished[vi].target < name {
			emitVanished()
		}
		n := &p.nodes[ni]
		start := len(p.podViews)
		for _, pi := range p.group(ni) {
			if !p.removed[pi] {
				addPod(pi)
			}
		}
		if n.created {
			p.podViews = append(p.podViews, rollout.PodView{Updated: pc.newUpdate})
		}
		if len(p.podViews) == start && !n.run {
			continue
		}
		p.views = append(p.views, rollout.NodeView{Node: name, Known: true, ShouldRun: n.run,
			Pods: p.podViews[start:len(p.podViews):len(p.podViews)]})
	}
	for vi < len(p.vanished) {
		emitVanished()
	}
}

// findPod returns the index of the claimed pod name on the known node node, or -1. A pod of a
// vanished node is not looked for: what the callers mark (p.removed) is read after them only by
// status, which counts no pod of a vanished node.
func (p *Planner) findPod(pc *plan, node, name string) int32 {
	ni, ok := p.index[node]
	if !ok {
		return -1
	}
	pods := pc.in.Pods
	for _, pi := range p.group(ni) {
		if pods[pi].Name == name {
			return pi
		}
	}
	return -1
}
