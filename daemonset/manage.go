package daemonset

import (
	"slices"
	"strings"
	"time"
)

// The reasons manage gives for its creates and deletes.
const (
	reasonNoPod        = "no daemon pod on the node"
	reasonSurgeNoPod   = "surge: no running daemon pod on the node"
	reasonDuplicate    = "more than one running daemon pod on the node; the first in pod order stays"
	reasonSurgeExcess  = "surge: only the oldest pod of the current revision and the oldest other pod may stay"
	reasonOldNotReady  = "surge: old pod beside a pod of the current revision is not ready"
	reasonNewAvailable = "surge: pod of the current revision is available, old pod replaced"
	reasonFailed       = "pod failed"
	reasonSucceeded    = "pod succeeded; a daemon pod should keep running"
	reasonVanished     = "unbound pod whose node is not in the node list"
)

// manage is section 2.3: for every node in name order, cases A, B and C, then the unbound pods of
// vanished nodes. It fills p.mCreates and p.mDeletes in the order the burst cap reads them.
func (p *Planner) manage(pc *plan) {
	p.mCreates = p.mCreates[:0]
	p.mDeletes = p.mDeletes[:0]
	nodes, pods := pc.in.Nodes, pc.in.Pods
	pc.settled = len(p.vanished) == 0
	for _, ni := range p.order {
		n := &p.nodes[ni]
		node := &nodes[ni]
		group := p.group(ni)
		if pc.settled && !p.settledNode(pods, n, group) {
			pc.settled = false
		}
		switch {
		case n.run && len(group) == 0:
			p.mCreates = append(p.mCreates, ni)
		case n.keep:
			p.manageKept(pc, ni, node, group)
		case len(group) > 0:
			// The reason is worded in issueManage, for the deletes the burst lets through only.
			for _, pi := range group {
				if pods[pi].DeletionTimestamp == nil {
					p.mDeletes = append(p.mDeletes, pendingDelete{pod: pi, node: node.Name, kind: DeleteMisscheduled})
				}
			}
		}
	}
	for _, v := range p.vanished {
		if pods[v.pod].NodeName == "" {
			p.mDeletes = append(p.mDeletes, pendingDelete{pod: v.pod, node: v.target, kind: DeleteVanishedNode, reason: reasonVanished})
		}
	}
}

// settledNode reports whether a node leaves the rolling update nothing to do: it should run a pod
// and has exactly one, running, updated and available; or it should not run one and has none.
func (p *Planner) settledNode(pods []Pod, n *nodeState, group []int32) bool {
	if !n.run {
		return len(group) == 0
	}
	return len(group) == 1 && p.flags[group[0]]&settledPod == settledPod && isRunning(&pods[group[0]])
}

// misscheduledReason words why a node may not keep its daemon pod.
func misscheduledReason(pc *plan, node *Node) string {
	rs := pc.elig.explain(node)
	msgs := make([]string, 0, len(rs))
	for _, r := range rs {
		msgs = append(msgs, r.String())
	}
	return "node may not keep a daemon pod: " + strings.Join(msgs, "; ")
}

// manageKept is case B: a node that may keep its pods (whether or not it should get a new one).
// Failed pods go (one per backoff step), succeeded pods go, and the running ones are pruned to
// what the strategy allows on one node; a surge node with none running gets a new one.
func (p *Planner) manageKept(pc *plan, ni int32, node *Node, group []int32) {
	pods := pc.in.Pods
	n := &p.nodes[ni]
	running := 0
	p.terminal = p.terminal[:0]
	for _, pi := range group {
		pod := &pods[pi]
		switch {
		case pod.DeletionTimestamp != nil:
		case isTerminal(pod):
			p.terminal = append(p.terminal, pi)
		default:
			running++
		}
	}
	if len(p.terminal) > 0 {
		p.removeTerminal(pc, node)
	}
	switch {
	case !pc.surge:
		if running > 1 {
			p.pruneDuplicates(pods, node, group)
		}
	case running == 0:
		if n.run {
			p.mCreates = append(p.mCreates, ni)
		}
	case running > 1:
		p.pruneSurge(pc, node, group)
	}
}

// removeTerminal deletes the failed and succeeded pods of a kept node (p.terminal). The failed-pod
// backoff lets at most one failed pod go per node and sync, so which one goes depends on the order
// upstream walks the node's pods, its claim order rather than the pod order: the pods the
// DaemonSet already owns first, then the orphans it adopts in this sync (the pod indexer lists
// owned pods before orphans), each group in the indexer's order, which is unspecified and which
// Plan takes to be by name. The events and deletes follow that walk.
func (p *Planner) removeTerminal(pc *plan, node *Node) {
	pods := pc.in.Pods
	if len(p.terminal) > 1 {
		slices.SortFunc(p.terminal, func(a, b int32) int { return compareClaimOrder(&pods[a], &pods[b]) })
	}
	var key string
	for _, pi := range p.terminal {
		pod := &pods[pi]
		if pod.Phase == PodSucceeded {
			pc.events = append(pc.events, Event{Type: EventNormal, Reason: ReasonSucceededDaemonPod, Object: pc.dsKey,
				Message: "Found succeeded daemon pod " + podKey(pod) + " on node " + node.Name + ", will try to delete it"})
			p.mDeletes = append(p.mDeletes, pendingDelete{pod: pi, node: node.Name, kind: DeleteSucceeded, reason: reasonSucceeded})
			continue
		}
		if key == "" {
			key = pc.backoffPrefix + node.Name
		}
		if delay, wait := p.backoff.inBackoff(key, pc.in.Now); wait {
			pc.requeueAfter(delay)
			continue
		}
		p.backoff.next(key, pc.in.Now)
		pc.events = append(pc.events, Event{Type: EventWarning, Reason: ReasonFailedDaemonPod, Object: pc.dsKey,
			Message: "Found failed daemon pod " + podKey(pod) + " on node " + node.Name + ", will try to kill it"})
		p.mDeletes = append(p.mDeletes, pendingDelete{pod: pi, node: node.Name, kind: DeleteFailed, reason: reasonFailed})
	}
}

// compareClaimOrder is the order in which upstream's manage walks one node's claimed pods: owned
// before adopted (an adopted pod has no controller reference in the input), then by name.
func compareClaimOrder(a, b *Pod) int {
	if ao, bo := a.Controller != nil, b.Controller != nil; ao != bo {
		if ao {
			return -1
		}
		return 1
	}
	return strings.Compare(a.Name, b.Name)
}

// pruneDuplicates deletes every running pod of the node but the first in pod order.
func (p *Planner) pruneDuplicates(pods []Pod, node *Node, group []int32) {
	first := true
	for _, pi := range group {
		if !isRunning(&pods[pi]) {
			continue
		}
		if first {
			first = false
			continue
		}
		p.mDeletes = append(p.mDeletes, pendingDelete{pod: pi, node: node.Name, kind: DeleteDuplicate, reason: reasonDuplicate})
	}
}

// pruneSurge is surge mode's pruning of a node with several running pods: the first pod of the
// current revision and the first other pod may stay, any further one goes; the old one of that
// pair goes too once it is not ready or the new one is available.
func (p *Planner) pruneSurge(pc *plan, node *Node, group []int32) {
	pods := pc.in.Pods
	oldestNew, oldestOld := int32(-1), int32(-1)
	for _, pi := range group {
		pod := &pods[pi]
		if !isRunning(pod) {
			continue
		}
		// Only the hash label tells new from old here (a missing label reads as "").
		if pod.Labels[RevisionHashLabel] == pc.in.Hash {
			if oldestNew < 0 {
				oldestNew = pi
				continue
			}
		} else if oldestOld < 0 {
			oldestOld = pi
			continue
		}
		p.mDeletes = append(p.mDeletes, pendingDelete{pod: pi, node: node.Name, kind: DeleteDuplicate, reason: reasonSurgeExcess})
	}
	if oldestNew < 0 || oldestOld < 0 {
		return
	}
	switch {
	case !IsPodReady(&pods[oldestOld]):
		p.mDeletes = append(p.mDeletes, pendingDelete{pod: oldestOld, node: node.Name, kind: DeleteSurgeHandover, reason: reasonOldNotReady})
	case IsPodAvailable(&pods[oldestNew], pc.ds.MinReadySeconds, pc.in.Now):
		p.mDeletes = append(p.mDeletes, pendingDelete{pod: oldestOld, node: node.Name, kind: DeleteSurgeHandover, reason: reasonNewAvailable})
	}
}

// isRunning is manage's "running": not being deleted, not Failed, not Succeeded.
func isRunning(p *Pod) bool {
	return p.DeletionTimestamp == nil && p.Phase != PodFailed && p.Phase != PodSucceeded
}

func (pc *plan) requeueAfter(d time.Duration) {
	if d > 0 && (pc.requeue == 0 || d < pc.requeue) {
		pc.requeue = d
	}
}

// issueManage applies the burst cap to manage's lists and, in immediate mode, records the issued
// actions in the view the rolling update and status read.
func (p *Planner) issueManage(pc *plan, immediate bool) ([]Create, []Delete) {
	var creates []Create
	var deletes []Delete
	nc := min(len(p.mCreates), pc.burst)
	nd := min(len(p.mDeletes), pc.burst)
	pc.res.Deferred.Creates += len(p.mCreates) - nc
	pc.res.Deferred.Deletes += len(p.mDeletes) - nd
	if nc > 0 {
		creates = make([]Create, 0, nc)
	}
	nodes := pc.in.Nodes
	for _, ni := range p.mCreates[:nc] {
		reason := reasonNoPod
		if len(p.group(ni)) > 0 {
			reason = reasonSurgeNoPod
		}
		creates = append(creates, Create{Node: nodes[ni].Name, Reason: reason})
		if immediate {
			p.nodes[ni].created = true
		}
	}
	if nd > 0 {
		deletes = make([]Delete, 0, nd)
	}
	// Explaining a node allocates, so misscheduled reasons are worded here, once per node, for
	// the deletes issued rather than for every misscheduled node.
	var lastNode, lastReason string
	for _, d := range p.mDeletes[:nd] {
		if d.kind == DeleteMisscheduled {
			if d.node != lastNode || lastReason == "" {
				lastNode, lastReason = d.node, misscheduledReason(pc, &nodes[p.index[d.node]])
			}
			d.reason = lastReason
		}
		deletes = append(deletes, Delete{Pod: pc.in.Pods[d.pod].Name, Node: d.node, Kind: d.kind, Reason: d.reason})
		if immediate {
			p.removed[d.pod] = true
		}
	}
	return creates, deletes
}
