package simulate

import (
	"maps"
	"slices"
	"strconv"
	"time"

	"github.com/daemonkit/daemonkit/daemonset"
	"github.com/daemonkit/daemonkit/selector"
)

// Well-known taints the node lifecycle controller and kubectl put on nodes.
const (
	TaintNotReady      = "node.kubernetes.io/not-ready"
	TaintUnreachable   = "node.kubernetes.io/unreachable"
	TaintUnschedulable = "node.kubernetes.io/unschedulable"
)

func nameAffinity(node string) *selector.NodeSelector {
	return &selector.NodeSelector{Terms: []selector.NodeSelectorTerm{{
		MatchFields: []selector.Requirement{{Key: "metadata.name", Operator: selector.OpIn, Values: []string{node}}},
	}}}
}

// addNode adds n to the cluster (a fresh copy, so the scenario is never modified).
func (s *sim) addNode(n daemonset.Node) *simNode {
	n.Labels = maps.Clone(n.Labels)
	n.Taints = slices.Clone(n.Taints)
	n.Conditions = slices.Clone(n.Conditions)
	sn := &simNode{name: n.Name, idx: len(s.allNodes), n: n, exists: true}
	s.allNodes = append(s.allNodes, sn)
	s.nodes[n.Name] = sn
	s.evalNode(sn)
	if s.timeline != nil {
		sn.tl = s.timeline.addNode(n.Name)
	}
	s.inf.nodeChanged(sn)
	return sn
}

// evalNode recomputes the DaemonSet's eligibility for n.
func (s *sim) evalNode(n *simNode) {
	if !n.exists {
		n.run, n.keep = false, false
		return
	}
	n.run, n.keep = s.eligibility().ShouldRun(n.n)
}

// eligibility is the DaemonSet's node rules, compiled on first use after each change of s.ds
// (dsChanged drops the old ones), so that evaluating a node costs no compile.
func (s *sim) eligibility() *daemonset.EligibilityChecker {
	if s.elig == nil {
		// The only error is a nil DaemonSet, and &s.ds is never nil.
		s.elig, _ = daemonset.NewEligibilityChecker(&s.ds)
	}
	return s.elig
}

// nodeChanged is called after a change to n's labels, taints or existence.
func (s *sim) nodeChanged(n *simNode) {
	s.evalNode(n)
	s.refresh(n)
	s.inf.nodeChanged(n)
}

// setTaint adds t to n (or replaces the taint with the same key and effect).
func setTaint(n *daemonset.Node, t selector.Taint) {
	ts := make([]selector.Taint, 0, len(n.Taints)+1)
	for _, x := range n.Taints {
		if x.Key == t.Key && x.Effect == t.Effect {
			continue
		}
		ts = append(ts, x)
	}
	n.Taints = append(ts, t)
}

// dropTaint removes taints with key (and effect, when not empty) from n.
func dropTaint(n *daemonset.Node, key string, effect selector.TaintEffect) {
	ts := make([]selector.Taint, 0, len(n.Taints))
	for _, x := range n.Taints {
		if x.Key == key && (effect == "" || x.Effect == effect) {
			continue
		}
		ts = append(ts, x)
	}
	n.Taints = ts
}

func setCondition(n *daemonset.Node, typ, status string) {
	cs := slices.Clone(n.Conditions)
	for i := range cs {
		if cs[i].Type == typ {
			cs[i].Status = status
			n.Conditions = cs
			return
		}
	}
	n.Conditions = append(cs, daemonset.NodeCondition{Type: typ, Status: status})
}

// apply plays one cluster event now. It reports false when the event does not apply (its node
// does not exist), which the trace records.
func (s *sim) apply(e *Event) bool {
	switch e.Kind {
	case EventNodeJoin:
		var n daemonset.Node
		if e.NewNode != nil {
			n = *e.NewNode
		}
		if n.Name == "" {
			n.Name = e.Node
		}
		if old := s.nodes[n.Name]; old != nil {
			return false
		}
		if n.Labels == nil {
			n.Labels = map[string]string{}
		} else {
			n.Labels = maps.Clone(n.Labels)
		}
		if _, ok := n.Labels["kubernetes.io/hostname"]; !ok {
			n.Labels["kubernetes.io/hostname"] = n.Name
		}
		if len(n.Conditions) == 0 {
			n.Conditions = []daemonset.NodeCondition{{Type: "Ready", Status: "True"}}
		}
		wait := s.sc.NodeModel.JoinNotReady.Sample(s.rLat)
		if wait > 0 {
			setTaint(&n, selector.Taint{Key: TaintNotReady, Effect: selector.NoSchedule})
		}
		sn := s.addNode(n)
		s.refresh(sn)
		if wait > 0 {
			s.schedule(s.now.Add(wait), &event{kind: evNodeJoinReady, node: sn})
			s.extend(s.now.Add(wait))
		}
		return true
	case EventUpdate:
		s.updateRevision(*e.Revision)
		return true
	case EventStrategy:
		s.setStrategy(*e.Strategy)
		return true
	case EventMinReadySecs:
		s.ds.MinReadySeconds = e.MinReadySeconds
		s.ds.Generation++
		s.dsChanged()
		return true
	case EventPause:
		s.paused = true
		return true
	case EventResume:
		s.paused = false
		s.ctl.poke()
		return true
	}
	n := s.nodes[e.Node]
	if n == nil {
		return false
	}
	switch e.Kind {
	case EventNodeRemove:
		s.removeNode(n)
		return true
	case EventLabel:
		l := maps.Clone(n.n.Labels)
		if l == nil {
			l = map[string]string{}
		}
		maps.Copy(l, e.Labels)
		n.n.Labels = l
	case EventUnlabel:
		l := maps.Clone(n.n.Labels)
		for k := range e.Labels {
			delete(l, k)
		}
		n.n.Labels = l
	case EventTaint:
		setTaint(&n.n, e.Taint)
	case EventUntaint:
		dropTaint(&n.n, e.Taint.Key, e.Taint.Effect)
	case EventCordon:
		n.n.Unschedulable = true
		setTaint(&n.n, selector.Taint{Key: TaintUnschedulable, Effect: selector.NoSchedule})
	case EventUncordon:
		n.n.Unschedulable = false
		dropTaint(&n.n, TaintUnschedulable, selector.NoSchedule)
	case EventNotReady, EventUnreachable:
		key, status := TaintNotReady, "False"
		if e.Kind == EventUnreachable {
			key, status = TaintUnreachable, "Unknown"
		}
		setCondition(&n.n, "Ready", status)
		setTaint(&n.n, selector.Taint{Key: key, Effect: selector.NoExecute})
		s.setNodeDown(n, true)
	case EventReady:
		setCondition(&n.n, "Ready", "True")
		dropTaint(&n.n, TaintNotReady, selector.NoExecute)
		dropTaint(&n.n, TaintUnreachable, selector.NoExecute)
		s.setNodeDown(n, false)
	case EventDeletePod:
		for _, p := range slices.Clone(n.pods) {
			if p.isLive() {
				s.startDelete(p, false)
			}
		}
		return true
	}
	s.nodeChanged(n)
	return true
}

// undoOf returns the event that undoes e, for faults with a duration.
func undoOf(e *Event) (Event, bool) {
	u := Event{Node: e.Node, Labels: e.Labels, Taint: e.Taint}
	switch e.Kind {
	case EventNotReady, EventUnreachable:
		u.Kind = EventReady
	case EventTaint:
		u.Kind = EventUntaint
	case EventCordon:
		u.Kind = EventUncordon
	case EventLabel:
		u.Kind = EventUnlabel
	case EventPause:
		u.Kind = EventResume
	default:
		return Event{}, false
	}
	return u, true
}

func (s *sim) playScript(i int) {
	e := &s.sc.Events[i]
	ok := s.apply(e)
	s.record(traceEvent(e, ok))
	if ok && e.For > 0 {
		if u, can := undoOf(e); can {
			s.schedule(s.now.Add(e.For), &event{kind: evUndo, ev: &u})
		}
	}
}

func (s *sim) undo(e *event) {
	ok := s.apply(e.ev)
	s.record(traceEvent(e.ev, ok))
}

// scheduleRate queues the next event of rate i after from.
func (s *sim) scheduleRate(i int, from time.Time) {
	r := s.sc.Rates[i]
	at := from.Add(expDelay(s.rChurn, r.PerHour/3600))
	if !at.Before(s.rateEnd(r)) {
		return
	}
	s.schedule(at, &event{kind: evRate, idx: i})
}

func (s *sim) playRate(i int) {
	r := s.sc.Rates[i]
	e := r.Template
	e.Kind = r.Kind
	if r.Kind == EventNodeJoin {
		s.joinSeq++
		prefix := e.Node
		if prefix == "" {
			prefix = "join"
		}
		n := daemonset.Node{Name: prefix + "-" + strconv.Itoa(s.joinSeq)}
		if e.NewNode != nil {
			n.Labels = e.NewNode.Labels
			n.Taints = e.NewNode.Taints
		}
		e.NewNode = &n
		e.Node = n.Name
	} else if r.Kind != EventUpdate && r.Kind != EventStrategy && r.Kind != EventPause && r.Kind != EventResume && r.Kind != EventMinReadySecs {
		// Draw among the nodes that exist, in creation order.
		var live []*simNode
		for _, n := range s.allNodes {
			if n.exists {
				live = append(live, n)
			}
		}
		if len(live) == 0 {
			s.scheduleRate(i, s.now)
			return
		}
		e.Node = live[s.rChurn.IntN(len(live))].name
	}
	d := r.For.Sample(s.rChurn)
	ok := s.apply(&e)
	s.record(traceEvent(&e, ok))
	if ok && d > 0 {
		if u, can := undoOf(&e); can {
			s.schedule(s.now.Add(d), &event{kind: evUndo, ev: &u})
			s.extend(s.now.Add(d))
		}
	}
	s.scheduleRate(i, s.now)
}

// extend keeps the run going at least until at (a change is still to come).
func (s *sim) extend(at time.Time) {
	if at.After(s.lastScripted) {
		s.lastScripted = at
	}
}

func (s *sim) joinReady(n *simNode) {
	if !n.exists {
		return
	}
	dropTaint(&n.n, TaintNotReady, selector.NoSchedule)
	s.nodeChanged(n)
	s.record(TraceEvent{Kind: "NodeJoinReady", Node: n.name})
}

// removeNode deletes n from the cluster; pods bound to it are left for pod GC.
func (s *sim) removeNode(n *simNode) {
	n.exists = false
	n.removedAt = s.now
	delete(s.nodes, n.name)
	s.evalNode(n)
	s.refresh(n)
	s.inf.nodeRemoved(n)
	if len(n.pods) > 0 {
		s.removed = append(s.removed, n)
	}
	s.schedule(s.now.Add(s.sc.NodeModel.PodGCDelay), &event{kind: evPodGC, node: n})
}

// podGC force-deletes the pods bound to a removed node, as the pod garbage collector does.
func (s *sim) podGC(n *simNode) {
	if n.exists {
		return
	}
	for _, p := range slices.Clone(n.pods) {
		if p.p.NodeName != "" {
			s.removePod(p)
			s.record(TraceEvent{Kind: "PodGC", Node: n.name, Pod: p.p.Name})
		}
	}
}

// setNodeDown marks n down or up; its pods lose or regain readiness.
func (s *sim) setNodeDown(n *simNode, down bool) {
	if n.down == down {
		return
	}
	n.down = down
	if down {
		s.faultHit(n)
	}
	for _, p := range n.pods {
		s.syncReady(p)
	}
}

// updateRevision moves the DaemonSet to revision r (a template change).
func (s *sim) updateRevision(r Revision) {
	h := r.hash()
	s.revs[h] = r
	s.hash = h
	if r.Template != nil {
		s.ds.Template = *r.Template
	}
	s.ds.Generation++
	if _, ok := daemonset.TemplateGeneration(&s.ds); ok {
		a := maps.Clone(s.ds.Annotations)
		a[daemonset.TemplateGenerationAnnotation] = strconv.FormatInt(s.ds.Generation, 10)
		s.ds.Annotations = a
	}
	s.metrics.startRollout(s.now)
	s.dsChanged()
}

func (s *sim) setStrategy(st daemonset.UpdateStrategy) {
	s.ds.UpdateStrategy = st
	s.ds.Generation++
	// Nodes that run two pods already keep them under the new strategy: not the controller's doing.
	for _, n := range s.allNodes {
		if n.live >= 2 {
			n.surgeExempt = true
		}
	}
	s.dsChanged()
}

// dsChanged re-evaluates every node after a change of the DaemonSet (O(nodes), rare).
func (s *sim) dsChanged() {
	s.budget.dirty = true
	s.elig = nil
	for _, n := range s.allNodes {
		s.evalNode(n)
		s.refresh(n)
	}
	s.inf.dsChanged()
}

// availableAt reports whether p counts as available now, in truth.
func (s *sim) available(p *simPod) bool {
	return daemonset.IsPodAvailable(&p.p, s.ds.MinReadySeconds, s.now)
}

// refresh recomputes n's classification from its pods and moves the cluster counters by the
// difference. It touches only n and its pods: O(pods on n).
func (s *sim) refresh(n *simNode) {
	c := &s.counters
	// Take n's old contribution out.
	if n.desired {
		c.desired--
		if !n.avail {
			c.unavail--
		}
	}
	if n.good {
		c.good--
	}
	if n.updated {
		c.updated--
	}
	if n.ctlDown {
		c.ctlDown--
	}
	if n.surge {
		c.surge--
	}
	if n.live >= 3 {
		c.triple--
	}
	if n.live >= 2 {
		c.multi--
	}
	if n.extra {
		c.extra--
	}
	wasDown := n.desired && !n.avail

	live, avail, current, allCurrent := 0, false, false, true
	for _, p := range n.pods {
		if !p.isLive() {
			continue
		}
		live++
		allCurrent = allCurrent && p.hash == s.hash
		if s.available(p) {
			avail = true
			current = p.hash == s.hash
		}
	}
	n.live = live
	n.avail = avail
	n.desired = n.exists && n.run
	n.good = n.desired && live == 1 && avail && current
	n.updated = n.desired && live > 0 && allCurrent
	if live <= 1 {
		n.surgeExempt = false
	}
	n.surge = live >= 2 && !n.surgeExempt && n.exists
	n.extra = live > 0 && (!n.exists || !n.keep)
	if avail || !n.desired {
		n.ctlDown = false
	}
	isDown := n.desired && !n.avail
	if isDown && !wasDown {
		n.downSince = s.now
	} else if !isDown && wasDown && s.metrics.rolling {
		n.downtime += s.now.Sub(n.downSince)
	}

	if n.desired {
		c.desired++
		if !n.avail {
			c.unavail++
		}
	}
	if n.good {
		c.good++
	}
	if n.updated {
		c.updated++
	}
	if n.ctlDown {
		c.ctlDown++
	}
	if n.surge {
		c.surge++
	}
	if n.live >= 3 {
		c.triple++
	}
	if n.live >= 2 {
		c.multi++
	}
	if n.extra {
		c.extra++
	}
	if n.tl != nil {
		s.timeline.mark(n, s.now, s.hashOf(n))
	}
	s.budget.dirtyIfChanged(c.desired)
}

// hashOf is the revision the node runs for the timeline: the hash of its first live pod in the
// controller's order (daemonset.PodLess), "" when it has none.
func (s *sim) hashOf(n *simNode) string {
	var best *simPod
	for _, p := range n.pods {
		if !p.isLive() {
			continue
		}
		if best == nil || daemonset.PodLess(&p.p, &best.p) {
			best = p
		}
	}
	if best == nil {
		return ""
	}
	return best.hash
}
