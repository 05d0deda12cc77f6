package simulate

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/daemonkit/daemonkit/daemonset"
	"github.com/daemonkit/daemonkit/rollout"
)

// The invariants the simulator checks after every event. Each is a pure function of the cluster
// state (kept as incremental counters so that a check costs O(1), plus the few removed nodes).
const (
	// InvOnePod: a node runs at most one live daemon pod, except a surge node which may run two.
	InvOnePod = "one-pod-per-node"
	// InvSurge: no more surge nodes (two live pods, the first available) than maxSurge.
	InvSurge = "max-surge"
	// InvUnavailable: no more desired nodes that the controller took down (it deleted their only
	// available pod, as it saw it) than maxUnavailable. Nodes down for other causes (faults,
	// pods that were never available) are accounted separately, in Metrics.MaxUnavailable.
	InvUnavailable = "max-unavailable"
	// InvOrphan: no pod on a node that does not exist for longer than pod GC takes (bound pods) or
	// UnboundGrace (unbound pods, which the controller must delete).
	InvOrphan = "no-orphan-pods"
	// InvConvergence: at quiescence (an hour after the last scripted event, with no fault left to
	// explain it) exactly one current, available pod runs on every eligible node.
	InvConvergence = "convergence"
	// InvBookkeeping: the simulator's incremental counters agree with a full recount (a
	// cross-check of the simulator itself, run at the end of every run).
	InvBookkeeping = "bookkeeping"
)

// Settle is how long after the last scripted or drawn event (or the start, in a run without
// events) a run that has not converged, with no fault to explain it, counts as a convergence
// violation.
const Settle = time.Hour

// Violation is an invariant that broke: what, when, and how to replay it.
type Violation struct {
	Invariant string
	Detail    string
	Seed      uint64
	// At is the virtual time offset, Step the index of the event after which it broke.
	At   time.Duration
	Step int
	// History is the last events before it (Scenario.HistoryLength of them).
	History []TraceEvent
}

// Error words the violation with the seed that replays it.
func (v *Violation) Error() string {
	return fmt.Sprintf("invariant %s violated at %s (event %d, seed %d): %s", v.Invariant, v.At, v.Step, v.Seed, v.Detail)
}

// budget is what the invariants derive from the DaemonSet's strategy: maxUnavailable and
// maxSurge scaled on the desired node count.
type budget struct {
	dirty          bool
	desired        int
	maxUnavailable int
	maxSurge       int
	surgeMode      bool
	// high is the largest maxUnavailable in force since the controller last had no node down:
	// a budget that shrinks (strategy change, nodes leaving) does not make earlier deletes wrong.
	high int
}

func (b *budget) dirtyIfChanged(desired int) {
	if desired != b.desired {
		b.dirty = true
	}
}

func (s *sim) updateBudget() {
	b := &s.budget
	if !b.dirty && s.seq > 0 {
		return
	}
	b.dirty = false
	b.desired = s.counters.desired
	b.maxUnavailable, b.maxSurge, b.surgeMode = scaleBudget(&s.ds, b.desired)
}

// scaleBudget is upstream's budget (rollout.Strategy.Budget) for a RollingUpdate strategy, and 0, 0
// for any other; surge mode when maxSurge scaled on 1 is positive. An unscalable value counts as 0.
func scaleBudget(ds *daemonset.DaemonSet, desired int) (maxUnav, maxSurge int, surgeMode bool) {
	st := ds.UpdateStrategy.Rollout()
	if st.Type != rollout.RollingUpdate || !st.HasRollingUpdate {
		return 0, 0, false
	}
	maxSurge, _ = st.SurgeCount(desired)
	maxUnav, _ = st.UnavailableCount(desired)
	if desired > 0 && maxUnav == 0 && maxSurge == 0 {
		maxUnav = 1
	}
	return maxUnav, maxSurge, st.AllowsSurge()
}

func (s *sim) violate(inv, detail string) {
	if s.violation != nil {
		return
	}
	s.violation = &Violation{
		Invariant: inv, Detail: detail, Seed: s.seed,
		At: s.now.Sub(s.sc.Start), Step: s.steps, History: s.hist.list(),
	}
}

// checkInvariants runs every invariant on the current state.
func (s *sim) checkInvariants() {
	s.updateBudget()
	s.observe()
	b := &s.budget
	c := &s.counters
	if c.ctlDown == 0 && !s.ctl.busy {
		b.high = b.maxUnavailable
		s.ctl.viewBudget = 0
	} else {
		b.high = max(b.high, b.maxUnavailable, s.ctl.viewBudget)
	}
	if c.surge > 0 || c.triple > 0 {
		if !b.surgeMode || c.triple > 0 {
			s.violate(InvOnePod, s.describeMulti())
			return
		}
		if c.surge > b.maxSurge {
			s.violate(InvSurge, fmt.Sprintf("%d surge nodes (%s), maxSurge is %d (%d desired nodes)", c.surge, s.surgeNodes(), b.maxSurge, c.desired))
			return
		}
	}
	if c.ctlDown > b.high {
		s.violate(InvUnavailable, fmt.Sprintf("%d desired nodes taken down by the controller (%s), maxUnavailable is %d (%d desired nodes)", c.ctlDown, s.ctlDownNodes(), b.high, c.desired))
		return
	}
	s.checkOrphans()
}

// ctlDownNodes names the nodes the controller took down, in node order.
func (s *sim) ctlDownNodes() string {
	var names []string
	for _, n := range s.allNodes {
		if n.ctlDown {
			names = append(names, n.name)
		}
	}
	return strings.Join(names, ", ")
}

// surgeNodes names the counted surge nodes, in node order.
func (s *sim) surgeNodes() string {
	var names []string
	for _, n := range s.allNodes {
		if n.surge {
			names = append(names, n.name)
		}
	}
	return strings.Join(names, ", ")
}

func (s *sim) describeMulti() string {
	for _, n := range s.allNodes {
		if (n.surge && !s.budget.surgeMode) || n.live >= 3 {
			return fmt.Sprintf("node %s runs %d live daemon pods (surge allowed: %v)", n.name, n.live, s.budget.surgeMode)
		}
	}
	return "a node runs too many pods"
}

func (s *sim) checkOrphans() {
	if len(s.removed) == 0 {
		return
	}
	keep := s.removed[:0]
	for _, n := range s.removed {
		if n.exists || len(n.pods) == 0 {
			continue
		}
		keep = append(keep, n)
		for _, p := range n.pods {
			since := n.removedAt
			if p.p.CreationTimestamp.After(since) {
				since = p.p.CreationTimestamp
			}
			limit := s.sc.NodeModel.UnboundGrace
			if p.p.NodeName != "" {
				limit = s.sc.NodeModel.PodGCDelay
			}
			if s.now.Sub(since) > limit {
				s.violate(InvOrphan, fmt.Sprintf("pod %s is on node %s, which does not exist, for %s (limit %s)", p.p.Name, n.name, s.now.Sub(since), limit))
			}
		}
	}
	s.removed = keep
}

// finalChecks runs at the end of a run: the bookkeeping cross-check and convergence.
func (s *sim) finalChecks() {
	if s.violation != nil {
		return
	}
	// Recount from scratch, with the node rules compiled afresh: a cached checker that a change
	// of the DaemonSet failed to drop shows up here.
	elig, _ := daemonset.NewEligibilityChecker(&s.ds) // the only error is a nil DaemonSet
	var desired, good, updated, extra int
	for _, n := range s.allNodes {
		live, avail, current, allCurrent := 0, false, false, true
		for _, p := range n.pods {
			if p.isLive() {
				live++
				allCurrent = allCurrent && p.hash == s.hash
				if s.available(p) {
					avail, current = true, p.hash == s.hash
				}
			}
		}
		if n.exists {
			if run, keep := elig.ShouldRun(n.n); run != n.run || keep != n.keep {
				s.violate(InvBookkeeping, "node "+n.name+": cached eligibility is stale")
				return
			}
		}
		d := n.exists && n.run
		if d {
			desired++
			if live == 1 && avail && current {
				good++
			}
			if live > 0 && allCurrent {
				updated++
			}
		}
		if live > 0 && (!n.exists || !n.keep) {
			extra++
		}
	}
	c := &s.counters
	if desired != c.desired || good != c.good || updated != c.updated || extra != c.extra {
		s.violate(InvBookkeeping, fmt.Sprintf("recount desired/good/updated/extra %d/%d/%d/%d, counters %d/%d/%d/%d",
			desired, good, updated, extra, c.desired, c.good, c.updated, c.extra))
		return
	}
	if s.converged() || s.now.Sub(s.lastScripted) < Settle {
		return
	}
	if s.faultExplains() {
		return
	}
	st := s.stalls(3)
	detail := "not converged " + s.now.Sub(s.lastScripted).String() + " after the last event, with no fault to explain it"
	for _, x := range st {
		detail += "; " + x.String()
	}
	s.violate(InvConvergence, detail)
}

// faultExplains reports whether something other than the controller keeps the cluster from
// converging: a crash-looping or flapping pod, a node down, a pause, OnDelete, a planner error.
func (s *sim) faultExplains() bool {
	if s.paused || s.ds.UpdateStrategy.Type == daemonset.OnDeleteStrategy {
		return true
	}
	for _, n := range s.allNodes {
		if n.exists && n.down {
			return true
		}
		for _, p := range n.pods {
			if p.isLive() && (p.crash || p.flap || (p.listed && !s.available(p))) {
				return true
			}
		}
	}
	return s.planErr
}

// history is a ring of the last trace events, for violation reports.
type history struct {
	buf  []TraceEvent
	next int
	full bool
}

func (h *history) init(n int) { h.buf = make([]TraceEvent, n) }

func (h *history) add(e TraceEvent) {
	if len(h.buf) == 0 {
		return
	}
	h.buf[h.next] = e
	h.next++
	if h.next == len(h.buf) {
		h.next, h.full = 0, true
	}
}

func (h *history) list() []TraceEvent {
	if !h.full {
		return append([]TraceEvent(nil), h.buf[:h.next]...)
	}
	out := append([]TraceEvent(nil), h.buf[h.next:]...)
	return append(out, h.buf[:h.next]...)
}

func syncDetail(creates, deletes int) string {
	return "creates=" + strconv.Itoa(creates) + " deletes=" + strconv.Itoa(deletes)
}
