package simulate

import (
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/daemonkit/daemonkit/daemonset"
)

// OutcomeClass is how a run's rollout ended, in one word a program can match on.
type OutcomeClass string

// The outcome classes. A run falls in exactly one; a run with an invariant violation is reported
// by its Violation and its class says nothing.
const (
	// OutcomeCompleted: every desired node ran one available pod of the new revision (the
	// rollout converged; Metrics.Completed).
	OutcomeCompleted OutcomeClass = "Completed"
	// OutcomeUpdatedUnavailable: every desired node runs the new revision, but some have no
	// available pod and nothing in flight will change that (new pods crash-looping, nodes down).
	// The controller has replaced every old pod; the cluster stays degraded.
	OutcomeUpdatedUnavailable OutcomeClass = "UpdatedUnavailable"
	// OutcomeStalled: some desired nodes still run the old revision and the rollout cannot go
	// on: the controller has nothing left to do (Outcome.Blocked says why, typically a budget
	// used up by pods that never become available) and nothing in flight will change that.
	OutcomeStalled OutcomeClass = "Stalled"
	// OutcomeUnfinished: the run reached the scenario's Duration with the rollout still under
	// way: pods starting, calls or events in flight. More time may finish it.
	OutcomeUnfinished OutcomeClass = "Unfinished"
	// OutcomeNoRollout: the scenario updates no template, there was no rollout to classify.
	OutcomeNoRollout OutcomeClass = "NoRollout"
)

// OutcomeClasses returns the classes of a rollout in the order reports list them, best first
// (OutcomeNoRollout is not among them).
func OutcomeClasses() []OutcomeClass {
	return []OutcomeClass{OutcomeCompleted, OutcomeUpdatedUnavailable, OutcomeStalled, OutcomeUnfinished}
}

// Why a desired node has no available pod (Outcome.Causes, and the start of Stall.Cause). A node
// gets the first that applies, in this order.
const (
	CauseNodeDown       = "node is NotReady, its pod is not ready"
	CauseNewCrashLoop   = "new pod not available, crash-looping"
	CauseNewFlapping    = "new pod not available, readiness flapping"
	CauseNewUnscheduled = "new pod not scheduled"
	CauseNewStarting    = "new pod not available yet"
	CauseOldCrashLoop   = "old pod not available, crash-looping"
	CauseOldFlapping    = "old pod not available, readiness flapping"
	CauseOldUnavailable = "old pod not available"
	CauseTerminating    = "pod terminating, no replacement yet"
	CauseNoPod          = "no pod yet"
)

// What keeps a stalled rollout from going on (Outcome.Blocked).
const (
	BlockedBudget = "budget used up by pods that never become available"
	// BlockedSurgeWaiting: surge mode with budget left, but every node still on the old
	// revision has a new pod beside the old one that never becomes available.
	BlockedSurgeWaiting = "old pods wait beside new pods that never become available"
	BlockedPaused       = "rollout paused"
	BlockedOnDelete     = "OnDelete: old pods wait for someone to delete them"
	BlockedPlanError    = "the controller's plan fails"
	BlockedNoAction     = "the controller sees nothing to do"
)

// Outcome is how a run's rollout ended, and the cluster it left behind.
type Outcome struct {
	Class OutcomeClass
	// Desired counts the nodes that should run a daemon pod at the end of the run; Updated
	// those of them whose live pods are all of the new revision (available or not); Unavailable
	// those without an available pod.
	Desired, Updated, Unavailable int
	// Causes says why the Unavailable nodes have no available pod, one entry per cause (Cause*
	// constants), most nodes first, then by cause; the counts add up to Unavailable.
	Causes []CauseCount
	// Blocked says, for a Stalled run, what keeps the rollout from going on (Blocked* constants);
	// "" for the other classes.
	Blocked string
}

// CauseCount is how many nodes are unavailable for one cause.
type CauseCount struct {
	Cause string
	Nodes int
}

// String words the outcome for people: "completed", "all 5000 nodes updated, 98 unavailable
// (98 new pod not available, crash-looping)", "stalled with 1 of 5000 nodes updated (budget used
// up by pods that never become available; 1 unavailable: ...)".
func (o Outcome) String() string {
	var b strings.Builder
	switch o.Class {
	case OutcomeCompleted:
		b.WriteString("completed")
	case OutcomeUpdatedUnavailable:
		fmt.Fprintf(&b, "all %d nodes updated, %d unavailable", o.Desired, o.Unavailable)
	case OutcomeStalled:
		fmt.Fprintf(&b, "stalled with %d of %d nodes updated (%s)", o.Updated, o.Desired, o.Blocked)
	case OutcomeUnfinished:
		fmt.Fprintf(&b, "did not finish within the scenario's duration, %d of %d nodes updated", o.Updated, o.Desired)
	case OutcomeNoRollout:
		b.WriteString("no rollout")
	default:
		b.WriteString(string(o.Class))
	}
	if o.Class != OutcomeUpdatedUnavailable && o.Unavailable > 0 {
		fmt.Fprintf(&b, ", %d unavailable", o.Unavailable)
	}
	if len(o.Causes) > 0 {
		b.WriteString(": ")
		for i, c := range o.Causes {
			if i > 0 {
				b.WriteString("; ")
			}
			b.WriteString(strconv.Itoa(c.Nodes) + " " + c.Cause)
		}
	}
	return b.String()
}

// outcome classifies the run as it ends.
func (s *sim) outcome() Outcome {
	c := &s.counters
	o := Outcome{Desired: c.desired, Updated: c.updated, Unavailable: c.unavail, Causes: s.unavailableCauses()}
	m := &s.metrics
	switch {
	case !m.Rollout:
		o.Class = OutcomeNoRollout
	case m.Completed:
		o.Class = OutcomeCompleted
	case !s.settled():
		o.Class = OutcomeUnfinished
	case c.updated == c.desired:
		o.Class = OutcomeUpdatedUnavailable
	default:
		o.Class = OutcomeStalled
		o.Blocked = s.blocked()
	}
	return o
}

// unavailableCauses counts the desired nodes without an available pod by cause.
func (s *sim) unavailableCauses() []CauseCount {
	if s.counters.unavail == 0 {
		return nil
	}
	byCause := map[string]int{}
	for _, n := range s.allNodes {
		if n.desired && !n.avail {
			byCause[s.unavailableCause(n)]++
		}
	}
	out := make([]CauseCount, 0, len(byCause))
	for cause, k := range byCause {
		out = append(out, CauseCount{Cause: cause, Nodes: k})
	}
	sort.Slice(out, func(i, j int) bool {
		return out[i].Nodes > out[j].Nodes || (out[i].Nodes == out[j].Nodes && out[i].Cause < out[j].Cause)
	})
	return out
}

// unavailableCause says why desired node n has no available pod (a Cause* constant).
func (s *sim) unavailableCause(n *simNode) string {
	if n.down {
		return CauseNodeDown
	}
	var newP, oldP *simPod
	terminating := false
	for _, p := range n.pods {
		switch {
		case p.gone:
		case !p.isLive():
			terminating = terminating || p.deleting()
		case p.hash == s.hash:
			newP = p
		default:
			oldP = p
		}
	}
	switch {
	case newP != nil && newP.crash:
		return CauseNewCrashLoop
	case newP != nil && newP.flap:
		return CauseNewFlapping
	case newP != nil && newP.p.NodeName == "":
		return CauseNewUnscheduled
	case newP != nil:
		return CauseNewStarting
	case oldP != nil && oldP.crash:
		return CauseOldCrashLoop
	case oldP != nil && oldP.flap:
		return CauseOldFlapping
	case oldP != nil:
		return CauseOldUnavailable
	case terminating:
		return CauseTerminating
	}
	return CauseNoPod
}

// settled reports whether nothing more can happen to the rollout: the controller is idle, its
// last plan (on everything there is to see) asked for no create or delete and nothing is due (or
// its planner fails), and no event that changes the cluster is in flight. Only controller resyncs and the end of the run may be
// left in the queue; a crash-looping pod has no event left once it has crashed.
func (s *sim) settled() bool {
	c := &s.ctl
	idle := c.planned && !c.lastActed && s.inf.version == c.lastVersion && c.requeueAt.IsZero()
	// A planner that fails keeps failing on the same view: its retries change nothing.
	if c.busy || !(idle || s.planErr) {
		return false
	}
	for _, e := range s.queue {
		switch e.kind {
		case evSync, evEnd, evBatchDone:
			continue
		case evPodScheduled, evPodPulled, evPodReady, evPodCrash, evPodFlapDown, evPodFlapUp, evPodGone, evAvailable:
			if e.pod.gen != e.gen || e.pod.gone {
				continue // stale: the pod has moved on
			}
		}
		return false
	}
	return true
}

// blocked says what keeps a settled rollout from going on.
func (s *sim) blocked() string {
	b := &s.budget
	c := &s.counters
	switch {
	case s.paused:
		return BlockedPaused
	case s.ds.UpdateStrategy.Type == daemonset.OnDeleteStrategy:
		return BlockedOnDelete
	case s.planErr:
		return BlockedPlanError
	case !b.surgeMode && c.unavail >= b.maxUnavailable:
		return BlockedBudget
	case b.surgeMode:
		switch w := s.surgeWaiting(); {
		case w >= b.maxSurge:
			return BlockedBudget
		case w > 0:
			return BlockedSurgeWaiting
		}
	}
	return BlockedNoAction
}

// surgeWaiting counts the desired nodes where a new pod that is not available runs beside an
// old one: what uses up the surge budget in the controller's tally (whether or not the invariants
// exempt the node).
func (s *sim) surgeWaiting() int {
	k := 0
	for _, n := range s.allNodes {
		if !n.desired || n.live < 2 {
			continue
		}
		hasOld, newWaiting := false, false
		for _, p := range n.pods {
			if !p.isLive() {
				continue
			}
			if p.hash != s.hash {
				hasOld = true
			} else if !s.available(p) {
				newWaiting = true
			}
		}
		if hasOld && newWaiting {
			k++
		}
	}
	return k
}
