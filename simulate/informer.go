package simulate

import (
	"time"

	"github.com/daemonkit/daemonkit/daemonset"
)

// snapshot is one change as the informer delivers it: a copy of the object, or its removal.
type snapshot struct {
	pod     *daemonset.Pod
	node    *daemonset.Node
	name    string
	removed bool
	ds      *daemonset.DaemonSet
	hash    string
}

// informer is the controller's cache: what the controller sees of the cluster, InformerLag behind
// it. Watch events are delivered in order (a later change never overtakes an earlier one).
type informer struct {
	s    *sim
	lag  bool
	last time.Time

	nodes   []daemonset.Node
	nodeIdx map[string]int
	pods    []daemonset.Pod
	podIdx  map[string]int
	// onNode lists, per target node, the names of the cached pods aimed at it.
	onNode map[string][]string
	ds     daemonset.DaemonSet
	hash   string

	// fast is the incremental reconcile's view, fed by every delivery.
	fast fastView

	// version counts deliveries; the controller compares it to skip syncs that would see nothing new.
	version uint64
}

func (in *informer) init(s *sim) {
	in.s = s
	in.lag = s.sc.Controller.InformerLag.Kind != "" && !(s.sc.Controller.InformerLag.Kind == DistFixed && s.sc.Controller.InformerLag.Value == 0)
	in.nodeIdx = make(map[string]int, len(s.allNodes))
	in.podIdx = make(map[string]int, len(s.pods))
	in.onNode = make(map[string][]string, len(s.allNodes))
	for _, n := range s.allNodes {
		if n.exists {
			in.putNode(n.n)
		}
	}
	// Pods in creation order: the scenario's order for listed pods, node order for converged ones.
	for _, n := range s.allNodes {
		for _, p := range n.pods {
			in.putPod(p.p)
		}
	}
	in.ds = s.ds
	in.hash = s.hash
	in.fast.init(s)
}

func (in *informer) ready() bool { return in.s != nil }

// send delivers snap now (no lag) or after the lag, in order.
func (in *informer) send(snap *snapshot) {
	if !in.lag {
		in.apply(snap)
		return
	}
	s := in.s
	at := s.now.Add(s.sc.Controller.InformerLag.Sample(s.rLat))
	if at.Before(in.last) {
		at = in.last
	}
	in.last = at
	s.schedule(at, &event{kind: evObserve, snap: snap})
}

func (in *informer) podChanged(p *simPod) {
	if !in.ready() {
		return
	}
	cp := p.p
	in.send(&snapshot{pod: &cp})
}

func (in *informer) podRemoved(p *simPod) {
	if !in.ready() {
		return
	}
	in.send(&snapshot{name: p.p.Name, removed: true})
}

func (in *informer) nodeChanged(n *simNode) {
	if !in.ready() {
		return
	}
	cp := n.n
	in.send(&snapshot{node: &cp})
}

func (in *informer) nodeRemoved(n *simNode) {
	if !in.ready() {
		return
	}
	in.send(&snapshot{node: &daemonset.Node{Name: n.name}, removed: true})
}

func (in *informer) dsChanged() {
	if !in.ready() {
		return
	}
	ds := in.s.ds
	in.send(&snapshot{ds: &ds, hash: in.s.hash})
}

func (in *informer) deliver(e *event) { in.apply(e.snap) }

func (in *informer) apply(sn *snapshot) {
	in.version++
	switch {
	case sn.ds != nil:
		// Keep the status the controller wrote; the spec is what changed.
		st := in.ds.Status
		in.ds = *sn.ds
		in.ds.Status = st
		in.hash = sn.hash
		in.fast.dsChanged()
	case sn.node != nil && sn.removed:
		in.delNode(sn.node.Name)
		in.fast.nodeRemoved()
	case sn.node != nil:
		_, known := in.nodeIdx[sn.node.Name]
		in.putNode(*sn.node)
		in.fast.nodeChanged(sn.node.Name, !known)
	case sn.removed:
		if p, ok := in.pod(sn.name); ok {
			in.fast.podChanged(p, true)
		}
		in.delPod(sn.name)
	case sn.pod != nil:
		_, known := in.podIdx[sn.pod.Name]
		in.putPod(*sn.pod)
		in.fast.podChanged(sn.pod, false)
		if !known && sn.pod.Controller != nil && sn.pod.Controller.UID == in.ds.UID && in.s.ctl.s != nil {
			in.s.ctl.createdObserved()
		}
	}
	if in.s.ctl.s != nil {
		in.s.ctl.observed(sn)
	}
}

func (in *informer) putNode(n daemonset.Node) {
	if i, ok := in.nodeIdx[n.Name]; ok {
		in.nodes[i] = n
		return
	}
	in.nodeIdx[n.Name] = len(in.nodes)
	in.nodes = append(in.nodes, n)
}

func (in *informer) delNode(name string) {
	i, ok := in.nodeIdx[name]
	if !ok {
		return
	}
	last := len(in.nodes) - 1
	if i != last {
		in.nodes[i] = in.nodes[last]
		in.nodeIdx[in.nodes[i].Name] = i
	}
	in.nodes[last] = daemonset.Node{}
	in.nodes = in.nodes[:last]
	delete(in.nodeIdx, name)
}

func (in *informer) putPod(p daemonset.Pod) {
	if i, ok := in.podIdx[p.Name]; ok {
		in.pods[i] = p
		return
	}
	in.podIdx[p.Name] = len(in.pods)
	in.pods = append(in.pods, p)
	if n, ok := daemonset.TargetNode(&p); ok {
		in.onNode[n] = append(in.onNode[n], p.Name)
	}
}

// noneAvailable reports whether node has a live cached pod and none of its live cached pods is
// available: the controller may then put a new pod beside the old one outside the surge budget.
func (in *informer) noneAvailable(node string, now time.Time) bool {
	live := false
	for _, name := range in.onNode[node] {
		p, ok := in.pod(name)
		if !ok || p.DeletionTimestamp != nil || p.Phase == daemonset.PodFailed || p.Phase == daemonset.PodSucceeded {
			continue
		}
		live = true
		if daemonset.IsPodAvailable(p, in.ds.MinReadySeconds, now) {
			return false
		}
	}
	return live
}

// otherAvailable reports whether a cached pod on node other than name is live and available.
func (in *informer) otherAvailable(node, name string, now time.Time) bool {
	for _, other := range in.onNode[node] {
		if other == name {
			continue
		}
		if p, ok := in.pod(other); ok && p.DeletionTimestamp == nil && daemonset.IsPodAvailable(p, in.ds.MinReadySeconds, now) {
			return true
		}
	}
	return false
}

func (in *informer) delPod(name string) {
	i, ok := in.podIdx[name]
	if !ok {
		return
	}
	target, hasTarget := daemonset.TargetNode(&in.pods[i])
	last := len(in.pods) - 1
	if i != last {
		in.pods[i] = in.pods[last]
		in.podIdx[in.pods[i].Name] = i
	}
	if n, ok := target, hasTarget; ok {
		names := in.onNode[n]
		for j, x := range names {
			if x == name {
				names[j] = names[len(names)-1]
				names = names[:len(names)-1]
				break
			}
		}
		if len(names) == 0 {
			delete(in.onNode, n)
		} else {
			in.onNode[n] = names
		}
	}
	in.pods[last] = daemonset.Pod{}
	in.pods = in.pods[:last]
	delete(in.podIdx, name)
}

// pod returns the cached pod named name.
func (in *informer) pod(name string) (*daemonset.Pod, bool) {
	i, ok := in.podIdx[name]
	if !ok {
		return nil, false
	}
	return &in.pods[i], true
}
