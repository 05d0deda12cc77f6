package daemonset

import "time"

// status is section 4: the seven counters over the node list, each node represented by its first
// pod in pod order; pods of vanished nodes are not counted. In immediate mode the view includes
// the pods created and excludes the pods deleted in this sync; in ObserveNone it excludes only the
// orphans adopted and deleted at once in this sync (dropAdoptedGone).
func (p *Planner) status(pc *plan) {
	pods := pc.in.Pods
	var desired, current, misscheduled, ready, updated, available int32
	for ni := range p.nodes {
		n := &p.nodes[ni]
		var first *Pod
		var f podFlags
		for _, pi := range p.group(int32(ni)) {
			if !p.removed[pi] {
				first = &pods[pi]
				f = p.flags[pi]
				break
			}
		}
		scheduled := first != nil || n.created
		if !n.run {
			if scheduled {
				misscheduled++
			}
			continue
		}
		desired++
		if !scheduled {
			continue
		}
		current++
		if first == nil || (n.created && pc.createdBefore(first)) {
			// The pod created in this sync comes first: it is not ready yet.
			if pc.newUpdate {
				updated++
			}
			continue
		}
		if f&podIsReady != 0 {
			ready++
			if f&podIsAvailable != 0 {
				available++
			}
		}
		if f&podIsUpdated != 0 {
			updated++
		}
	}
	old := pc.ds.Status
	s := Status{
		DesiredNumberScheduled: desired,
		CurrentNumberScheduled: current,
		NumberMisscheduled:     misscheduled,
		NumberReady:            ready,
		UpdatedNumberScheduled: updated,
		NumberAvailable:        available,
		NumberUnavailable:      desired - available,
		ObservedGeneration:     old.ObservedGeneration,
		CollisionCount:         old.CollisionCount,
	}
	if s.NeedsWrite(old, pc.ds.Generation) {
		pc.res.StatusWrite = true
		s.ObservedGeneration = pc.ds.Generation
	}
	pc.res.Status = s
	if pc.ds.MinReadySeconds > 0 && ready != available {
		pc.requeueAfter(time.Duration(pc.ds.MinReadySeconds) * time.Second)
	}
}

// createdBefore reports whether a pod created now from the template sorts before first in pod
// order. On a tie of boundness and time the created pod is taken to sort after: its name is not
// known until the API server generates it.
func (pc *plan) createdBefore(first *Pod) bool {
	fb := first.NodeName != ""
	if pc.newBound != fb {
		return pc.newBound
	}
	return pc.in.Now.Before(first.CreationTimestamp)
}

// dropAdoptedGone takes out of the ObserveNone status the orphans this sync adopts and deletes
// when the API server removes them at once (gonePod). Upstream writes the status after claiming the
// pods again from its informer cache, which has not seen this sync's writes: such a pod still looks
// like an orphan there, the second adoption patch finds no pod, and the claim leaves it out. A pod
// the API server deletes gracefully still exists, so that patch succeeds and the pod is counted, as
// is any pod that was already owned (the claim patches it no more). In ObserveImmediate every
// deleted pod is out of the view already.
func (p *Planner) dropAdoptedGone(pc *plan, deletes []Delete) {
	pods := pc.in.Pods
	for _, d := range deletes {
		if pi := p.findPod(pc, d.Node, d.Pod); pi >= 0 && pods[pi].Controller == nil && gonePod(&pods[pi]) {
			p.removed[pi] = true
		}
	}
}

// gonePod reports whether the API server removes the pod at once when it is deleted: it is unbound
// or has terminated, and has no finalizers. A bound pod that still runs, or any pod with finalizers,
// is deleted gracefully: it stays, with a deletionTimestamp.
func gonePod(pod *Pod) bool {
	return (pod.NodeName == "" || isTerminal(pod)) && len(pod.Finalizers) == 0
}

// NeedsWrite is the controller's status write rule (section 4): s is written unless its seven
// counters equal old's and old.ObservedGeneration is already at least generation.
func (s Status) NeedsWrite(old Status, generation int64) bool {
	return s.counters() != old.counters() || old.ObservedGeneration < generation
}

type counters [7]int32

func (s *Status) counters() counters {
	return counters{s.DesiredNumberScheduled, s.CurrentNumberScheduled, s.NumberMisscheduled, s.NumberReady,
		s.UpdatedNumberScheduled, s.NumberAvailable, s.NumberUnavailable}
}
