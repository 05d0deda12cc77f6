package daemonset

import (
	"fmt"
	"slices"
	"strings"
)

// claim is section 2.2: which pods are the DaemonSet's, and on which node each one is. It records
// adoptions and releases in the result, and lays out the claimed pods for the rest of the call:
// per known node a group in pod order (p.flat), and the pods of vanished nodes (p.vanished)
// sorted by target node, then pod order.
func (p *Planner) claim(pc *plan) error {
	pods := pc.in.Pods
	p.podNode = resize(p.podNode, len(pods))
	p.removed = resize(p.removed, len(pods))
	clear(p.removed)
	p.flags = resize(p.flags, len(pods))
	if len(p.hint) != len(pods) {
		p.hint = resize(p.hint, len(pods))
		for i := range p.hint {
			p.hint[i] = noNode
		}
	}
	p.vanished = p.vanished[:0]
	claimed := 0
	for i := range pods {
		p.podNode[i] = noNode
		pod := &pods[i]
		if !pc.claimPod(pod) {
			continue
		}
		// A terminal pod being deleted is out of the controller's sight, as in upstream's
		// node-to-pods map: it neither runs nor needs deleting again.
		if pod.DeletionTimestamp != nil && isTerminal(pod) {
			continue
		}
		target, ok := TargetNode(pod)
		if !ok {
			continue
		}
		p.flags[i] = pc.flagsOf(pod)
		if ni := p.nodeOf(pc.in.Nodes, i, target); ni >= 0 {
			p.podNode[i] = ni
			p.nodes[ni].count++
			claimed++
		} else {
			p.podNode[i] = onVanished
			p.vanished = append(p.vanished, vanishedPod{target: target, pod: int32(i)})
		}
	}
	p.groupByNode(claimed)
	for i := range p.nodes {
		if n := &p.nodes[i]; n.count > 1 {
			if err := sortPods(p.flat[n.start:n.start+n.count], pods); err != nil {
				return err
			}
		}
	}
	return p.sortVanished(pods)
}

// claimPod is the ownership claim for one pod: a pod of another namespace or another controller
// is not the DaemonSet's; an owned pod that no longer matches the selector is released; a matching
// orphan that is not being deleted is adopted. It records adoptions and releases and reports
// whether the pod is the DaemonSet's.
func (pc *plan) claimPod(pod *Pod) bool {
	if pod.Namespace != pc.ds.Namespace {
		return false
	}
	// Upstream lists the DaemonSet's pods through an index keyed by the controller reference's
	// kind, name and UID, so a reference that names another kind or name is someone else's even
	// with this UID. A DaemonSet without a UID (read from a file rather than a cluster) owns the
	// pods whose reference has none either; upstream refuses to sync such a DaemonSet.
	if c := pod.Controller; c != nil {
		if c.UID != pc.ds.UID || c.Kind != "DaemonSet" || c.Name != pc.ds.Name {
			return false
		}
		if !pc.sel.Matches(pod.Labels) {
			pc.res.Released = append(pc.res.Released, pod.Name)
			return false
		}
		return true
	}
	if pod.DeletionTimestamp != nil || !pc.sel.Matches(pod.Labels) {
		return false
	}
	pc.res.Adopted = append(pc.res.Adopted, pod.Name)
	return true
}

// flagsOf reads a claimed pod's revision, readiness and availability once for the whole call.
func (pc *plan) flagsOf(pod *Pod) podFlags {
	var f podFlags
	if podUpdated(pod, pc.in.Hash, pc.gen) {
		f |= podIsUpdated
	}
	if IsPodReady(pod) {
		f |= podIsReady
		if IsPodAvailable(pod, pc.ds.MinReadySeconds, pc.in.Now) {
			f |= podIsAvailable
		}
	}
	return f
}

// nodeOf returns the index of node target for input pod i, or noNode when no such node was given.
// A controller hands in the same pods sync after sync, so the answer is remembered per pod and
// checked with one string comparison before the map is asked.
func (p *Planner) nodeOf(nodes []Node, i int, target string) int32 {
	if ni := p.hint[i]; ni >= 0 && int(ni) < len(nodes) && nodes[ni].Name == target {
		return ni
	}
	ni, ok := p.index[target]
	if !ok {
		ni = noNode
	}
	p.hint[i] = ni
	return ni
}

// groupByNode lays out the claimed pods of known nodes node after node in p.flat (a counting sort
// on p.podNode): one slice for all the groups, so that a steady cluster allocates nothing per node.
func (p *Planner) groupByNode(claimed int) {
	p.flat = resize(p.flat, claimed)
	p.fill = resize(p.fill, len(p.nodes))
	var at int32
	for i := range p.nodes {
		p.nodes[i].start = at
		p.fill[i] = at
		at += p.nodes[i].count
	}
	for i, ni := range p.podNode {
		if ni >= 0 {
			p.flat[p.fill[ni]] = int32(i)
			p.fill[ni]++
		}
	}
}

// group returns the claimed pods of node ni, in pod order.
func (p *Planner) group(ni int32) []int32 {
	n := &p.nodes[ni]
	return p.flat[n.start : n.start+n.count]
}

// sortPods puts one node's pods in the controller's pod order (section 2.4). Two pods of one name
// would make the order depend on the input, so they are an error.
func sortPods(idx []int32, pods []Pod) error {
	if len(idx) <= 16 {
		// A node nearly always has one or two pods: insertion sort is the cheapest there.
		for i := 1; i < len(idx); i++ {
			for j := i; j > 0 && PodLess(&pods[idx[j]], &pods[idx[j-1]]); j-- {
				idx[j], idx[j-1] = idx[j-1], idx[j]
			}
		}
	} else {
		slices.SortFunc(idx, func(a, b int32) int { return comparePods(&pods[a], &pods[b]) })
	}
	for i := 1; i < len(idx); i++ {
		if pods[idx[i]].Name == pods[idx[i-1]].Name {
			return fmt.Errorf("pod %q appears more than once", pods[idx[i]].Name)
		}
	}
	return nil
}

// sortVanished orders the pods of vanished nodes by target node, then pod order, the order in
// which manage deletes them and the rolling update sees them; two pods of one name on one target
// are an error, as in sortPods.
func (p *Planner) sortVanished(pods []Pod) error {
	if len(p.vanished) == 0 {
		return nil
	}
	slices.SortFunc(p.vanished, func(a, b vanishedPod) int {
		if c := strings.Compare(a.target, b.target); c != 0 {
			return c
		}
		return comparePods(&pods[a.pod], &pods[b.pod])
	})
	for i := 1; i < len(p.vanished); i++ {
		a, b := p.vanished[i-1], p.vanished[i]
		if a.target == b.target && pods[a.pod].Name == pods[b.pod].Name {
			return fmt.Errorf("pod %q appears more than once", pods[b.pod].Name)
		}
	}
	return nil
}

// comparePods is PodLess as a three-way comparison, for slices.SortFunc.
func comparePods(a, b *Pod) int {
	switch {
	case PodLess(a, b):
		return -1
	case PodLess(b, a):
		return 1
	}
	return 0
}
