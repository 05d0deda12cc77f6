package simulate

import (
	"time"

	"github.com/daemonkit/daemonkit/daemonset"
)

// createPod is the API server accepting a create: the pod exists from now on, Pending, and its
// life is scheduled from the latency stream (and, for crashes, the fault stream).
func (s *sim) createPod(node string, exempt bool) *simPod {
	n := s.nodes[node]
	if n == nil {
		// The node went away after the controller decided: the pod is created all the same,
		// aimed at a node that does not exist (the controller must delete it).
		n = s.ghost(node)
	}
	p := s.newPod(n, s.now)
	if exempt || n.liveAndUnavailable(s) {
		n.surgeExempt = true
	}
	rev := s.revs[p.hash]
	crashP := rev.CrashProbability + s.sc.PodModel.CrashProbability
	if crashP > 0 {
		p.crash = s.rFault.Float64() < crashP
	}
	s.attachPod(p)
	pm := &s.sc.PodModel
	switch {
	case !n.exists:
		// Never scheduled.
	case pm.ReadyFromCreation != nil:
		p.p.NodeName = n.name
		s.schedulePod(p, evPodPulled, *pm.ReadyFromCreation)
	default:
		s.schedulePod(p, evPodScheduled, pm.ScheduleLatency.Sample(s.rLat))
	}
	s.metrics.PodsCreated++
	s.refresh(n)
	return p
}

// liveAndUnavailable reports whether n has a live pod and none of its live pods is available.
func (n *simNode) liveAndUnavailable(s *sim) bool {
	live := false
	for _, p := range n.pods {
		if p.isLive() {
			live = true
			if s.available(p) {
				return false
			}
		}
	}
	return live
}

// ghost returns a removed placeholder node for a name that is not in the cluster.
func (s *sim) ghost(name string) *simNode {
	for _, n := range s.removed {
		if n.name == name {
			return n
		}
	}
	for i := len(s.allNodes) - 1; i >= 0; i-- {
		if n := s.allNodes[i]; n.name == name && !n.exists {
			s.removed = append(s.removed, n)
			return n
		}
	}
	n := &simNode{name: name, idx: len(s.allNodes), removedAt: s.now}
	s.allNodes = append(s.allNodes, n)
	s.removed = append(s.removed, n)
	s.schedule(s.now.Add(s.sc.NodeModel.PodGCDelay), &event{kind: evPodGC, node: n})
	return n
}

func (s *sim) schedulePod(p *simPod, k eventKind, after time.Duration) {
	s.schedule(s.now.Add(after), &event{kind: k, pod: p, gen: p.gen})
}

// startDelete is the API server accepting a delete: the pod terminates for the graceful period
// (or goes at once).
func (s *sim) startDelete(p *simPod, byController bool) {
	if p.gone || p.deleting() {
		return
	}
	grace := s.sc.PodModel.Termination.Sample(s.rLat)
	if grace <= 0 || p.p.NodeName == "" {
		s.removePod(p)
		return
	}
	t := s.now
	p.p.DeletionTimestamp = &t
	s.counters.deleting++
	s.inf.podChanged(p)
	s.refresh(p.node)
	s.schedulePod(p, evPodGone, grace)
}

// podEvent moves a pod along its life.
func (s *sim) podEvent(e *event) {
	p := e.pod
	pm := &s.sc.PodModel
	switch e.kind {
	case evPodScheduled:
		if !p.node.exists {
			return
		}
		p.p.NodeName = p.node.name
		s.inf.podChanged(p)
		s.refresh(p.node)
		s.schedulePod(p, evPodPulled, pm.StartLatency.Sample(s.rLat))
	case evPodPulled:
		p.p.Phase = daemonset.PodRunning
		if pm.ReadyFromCreation != nil {
			p.ready = !p.crash
			s.syncReady(p)
			if p.crash {
				s.metrics.PodsFailed++
				s.record(TraceEvent{Kind: "PodCrashLoop", Node: p.node.name, Pod: p.p.Name})
			}
			s.inf.podChanged(p)
			return
		}
		s.inf.podChanged(p)
		if p.crash {
			s.schedulePod(p, evPodCrash, pm.CrashAfter.Sample(s.rLat))
			return
		}
		s.schedulePod(p, evPodReady, pm.ReadyLatency.Sample(s.rLat))
	case evPodCrash:
		s.metrics.PodsFailed++
		s.record(TraceEvent{Kind: "PodCrashLoop", Node: p.node.name, Pod: p.p.Name})
	case evPodReady:
		p.ready = true
		s.syncReady(p)
	case evPodFlapDown:
		p.flapArmed = false
		p.flap = true
		s.faultHit(p.node)
		s.syncReady(p)
		s.record(TraceEvent{Kind: "PodFlapDown", Node: p.node.name, Pod: p.p.Name})
		s.schedulePod(p, evPodFlapUp, pm.FlapDuration.Sample(s.rFault))
	case evPodFlapUp:
		p.flap = false
		s.syncReady(p)
	case evPodGone:
		s.removePod(p)
		s.record(TraceEvent{Kind: "PodGone", Node: p.node.name, Pod: p.p.Name})
	case evAvailable:
		s.refresh(p.node)
	}
}

// faultHit hands a node the controller took down over to the faults: once a fault also keeps it
// down, the controller cannot be held to the budget for it (it may not have seen the fault yet).
func (s *sim) faultHit(n *simNode) {
	if n.ctlDown {
		n.ctlDown = false
		s.counters.ctlDown--
	}
}

// syncReady sets the pod's Ready condition from its probe, its node and its faults, and tells
// the informer when it changed.
func (s *sim) syncReady(p *simPod) {
	want := p.ready && !p.flap && !p.node.down
	if p.listed {
		return
	}
	cur := p.p.Ready == daemonset.ConditionTrue
	if want == cur {
		return
	}
	if want {
		p.p.Ready = daemonset.ConditionTrue
		p.p.ReadySince = s.now
		if m := s.ds.MinReadySeconds; m > 0 {
			s.schedulePod(p, evAvailable, time.Duration(m)*time.Second)
		}
		if r := s.sc.PodModel.FlapRate; r > 0 && !p.flapArmed {
			p.flapArmed = true
			s.schedulePod(p, evPodFlapDown, expDelay(s.rFault, r/3600))
		}
		s.record(TraceEvent{Kind: "PodReady", Node: p.node.name, Pod: p.p.Name})
	} else {
		p.p.Ready = daemonset.ConditionFalse
		p.p.ReadySince = s.now
		s.record(TraceEvent{Kind: "PodNotReady", Node: p.node.name, Pod: p.p.Name})
	}
	s.inf.podChanged(p)
	s.refresh(p.node)
}
