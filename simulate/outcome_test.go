package simulate

import (
	"strings"
	"testing"
	"time"

	"github.com/daemonkit/daemonkit/rollout"
)

// outcomeScenario rolls a new revision that crash-loops with probability crash over n nodes, at
// maxUnavailable mu, on a real cluster's timings.
func outcomeScenario(n int, mu rollout.IntOrPercent, crash float64) Scenario {
	ds := testDS("agent", 1, 0)
	ds.UpdateStrategy.RollingUpdate.MaxUnavailable = &mu
	sc := NewScenario("outcome", ds, Revision{Name: "v1"}, Nodes("node", n, nil)...).RealCluster()
	sc = sc.At(time.Minute, Event{Kind: EventUpdate, Revision: &Revision{Name: "v2", CrashProbability: crash}})
	sc.Duration = 2 * time.Hour
	return sc
}

// checkOutcome holds what every run's outcome promises, whatever the scenario.
func checkOutcome(t interface {
	Fatalf(string, ...any)
}, r *Result) {
	o, m := r.Outcome, r.Metrics
	sum := 0
	for i, c := range o.Causes {
		sum += c.Nodes
		if c.Nodes <= 0 || (i > 0 && (o.Causes[i-1].Nodes < c.Nodes || o.Causes[i-1].Nodes == c.Nodes && o.Causes[i-1].Cause >= c.Cause)) {
			t.Fatalf("seed %d: causes not counted or not in order: %+v", r.Seed, o.Causes)
		}
	}
	if sum != o.Unavailable || o.Unavailable > o.Desired || o.Updated > o.Desired {
		t.Fatalf("seed %d: counts do not add up: %+v (final status %+v)", r.Seed, o, r.FinalStatus)
	}
	if (o.Class == OutcomeStalled) != (o.Blocked != "") {
		t.Fatalf("seed %d: a stalled run, and only a stalled run, says what blocks it: %+v", r.Seed, o)
	}
	if m.AllUpdated && (m.UpdatedDuration < 0 || m.Completed && m.UpdatedDuration > m.Duration) {
		t.Fatalf("seed %d: all updated after %s, completed after %s", r.Seed, m.UpdatedDuration, m.Duration)
	}
	switch o.Class {
	case OutcomeNoRollout:
		if m.Rollout {
			t.Fatalf("seed %d: a rollout classed %s", r.Seed, o.Class)
		}
	case OutcomeCompleted:
		if !m.Completed || !m.AllUpdated {
			t.Fatalf("seed %d: completed without Metrics.Completed and AllUpdated: %+v", r.Seed, m)
		}
	case OutcomeUpdatedUnavailable:
		if m.Completed || o.Updated != o.Desired || o.Unavailable == 0 || !m.AllUpdated {
			t.Fatalf("seed %d: %+v with metrics completed=%v allUpdated=%v", r.Seed, o, m.Completed, m.AllUpdated)
		}
	case OutcomeStalled:
		if m.Completed || o.Updated >= o.Desired {
			t.Fatalf("seed %d: stalled with every node updated or a completed rollout: %+v", r.Seed, o)
		}
	case OutcomeUnfinished:
		if m.Completed {
			t.Fatalf("seed %d: unfinished but completed", r.Seed)
		}
	default:
		t.Fatalf("seed %d: unknown class %q", r.Seed, o.Class)
	}
}

// A healthy image completes every run: every node updated, then every node available.
func TestOutcomeHealthyImageCompletes(t *testing.T) {
	sc := outcomeScenario(200, rollout.FromString("10%"), 0)
	for seed := uint64(1); seed <= 5; seed++ {
		r := mustRun(t, sc, seed)
		checkOutcome(t, r)
		o, m := r.Outcome, r.Metrics
		if o.Class != OutcomeCompleted || o.Unavailable != 0 || o.Updated != 200 || len(o.Causes) != 0 {
			t.Fatalf("seed %d: %s", seed, o)
		}
		if !m.AllUpdated || m.UpdatedDuration <= 0 || m.UpdatedDuration > m.Duration {
			t.Fatalf("seed %d: all updated after %s, complete after %s", seed, m.UpdatedDuration, m.Duration)
		}
		if o.String() != "completed" {
			t.Fatalf("seed %d: %q", seed, o)
		}
	}
}

// With a percentage budget the controller goes on past crash-looping pods (they only use up part
// of the budget): every old pod is replaced, and about the crash rate of the nodes stay without an
// available pod for good.
func TestOutcomeCrashLoopsWithinBudgetLeaveNodesUnavailable(t *testing.T) {
	const nodes, crash = 400, 0.02
	sc := outcomeScenario(nodes, rollout.FromString("10%"), crash)
	total := 0
	const seeds = 8
	for seed := uint64(1); seed <= seeds; seed++ {
		r := mustRun(t, sc, seed)
		checkOutcome(t, r)
		o, m := r.Outcome, r.Metrics
		if o.Class != OutcomeUpdatedUnavailable {
			t.Fatalf("seed %d: %s, want every node updated and some unavailable", seed, o)
		}
		// Every pod that crash-looped is a new pod that stays: one unavailable node each.
		if len(o.Causes) != 1 || o.Causes[0].Cause != CauseNewCrashLoop || o.Unavailable != m.PodsFailed {
			t.Fatalf("seed %d: %s, with %d pods crash-looping", seed, o, m.PodsFailed)
		}
		if m.Completed || !m.AllUpdated || m.UpdatedDuration <= 0 || m.UpdatedDuration > r.End {
			t.Fatalf("seed %d: completed %v, all updated %v after %s", seed, m.Completed, m.AllUpdated, m.UpdatedDuration)
		}
		if !strings.HasPrefix(o.String(), "all 400 nodes updated, ") {
			t.Fatalf("seed %d: %q", seed, o)
		}
		total += o.Unavailable
	}
	// 2% of 3,200 pods is 64; the binomial's standard deviation is 8.
	if mean := float64(total) / (seeds * nodes); mean < 0.01 || mean > 0.03 {
		t.Fatalf("%.3f of the nodes unavailable on average, want about %.2f", mean, crash)
	}
}

// With maxUnavailable 1 the first crash-looping pod holds the whole budget: the rollout stalls
// for good with most nodes still on the old revision.
func TestOutcomeCrashLoopStallsSmallBudget(t *testing.T) {
	const nodes = 200
	sc := outcomeScenario(nodes, rollout.FromInt(1), 0.5)
	for seed := uint64(1); seed <= 8; seed++ {
		r := mustRun(t, sc, seed)
		checkOutcome(t, r)
		o, m := r.Outcome, r.Metrics
		if o.Class != OutcomeStalled || o.Blocked != BlockedBudget {
			t.Fatalf("seed %d: %s, want a stall on the budget", seed, o)
		}
		// The controller replaced pods one at a time until one crash-looped: that node is the
		// only one down, every node before it is updated and available.
		if o.Unavailable != 1 || o.Causes[0].Cause != CauseNewCrashLoop || m.PodsFailed != 1 {
			t.Fatalf("seed %d: %s, %d pods crash-looping", seed, o, m.PodsFailed)
		}
		if o.Updated < 1 || o.Updated > nodes/4 || m.AllUpdated {
			t.Fatalf("seed %d: %d of %d nodes updated, want few", seed, o.Updated, o.Desired)
		}
		if want := "stalled with "; !strings.HasPrefix(o.String(), want) || !strings.Contains(o.String(), BlockedBudget) {
			t.Fatalf("seed %d: %q", seed, o)
		}
	}
}

// A run cut short while pods are still being replaced did not finish; it is not a stall.
func TestOutcomeUnfinishedWithinHorizon(t *testing.T) {
	sc := outcomeScenario(200, rollout.FromInt(1), 0)
	sc.Duration = time.Minute + 30*time.Second
	r := mustRun(t, sc, 1)
	checkOutcome(t, r)
	if o := r.Outcome; o.Class != OutcomeUnfinished || o.Updated == 0 || o.Updated >= o.Desired {
		t.Fatalf("%s, want a rollout under way", o)
	}
}

// A scenario without a template update has no rollout to classify.
func TestOutcomeNoRollout(t *testing.T) {
	sc := NewScenario("steady", testDS("agent", 1, 0), Revision{Name: "v1"}, Nodes("node", 5, nil)...).RealCluster()
	sc.Duration = time.Minute
	r := mustRun(t, sc, 1)
	checkOutcome(t, r)
	if r.Outcome.Class != OutcomeNoRollout || r.Outcome.Desired != 5 || r.Outcome.Updated != 5 {
		t.Fatalf("%+v", r.Outcome)
	}
}

func TestOutcomeString(t *testing.T) {
	for _, tc := range []struct {
		o    Outcome
		want string
	}{
		{Outcome{Class: OutcomeCompleted, Desired: 3, Updated: 3}, "completed"},
		{Outcome{Class: OutcomeUpdatedUnavailable, Desired: 50, Updated: 50, Unavailable: 3,
			Causes: []CauseCount{{CauseNewCrashLoop, 2}, {CauseNodeDown, 1}}},
			"all 50 nodes updated, 3 unavailable: 2 new pod not available, crash-looping; 1 node is NotReady, its pod is not ready"},
		{Outcome{Class: OutcomeStalled, Desired: 50, Updated: 4, Unavailable: 1, Causes: []CauseCount{{CauseNewCrashLoop, 1}}, Blocked: BlockedBudget},
			"stalled with 4 of 50 nodes updated (budget used up by pods that never become available), 1 unavailable: 1 new pod not available, crash-looping"},
		{Outcome{Class: OutcomeUnfinished, Desired: 50, Updated: 20, Unavailable: 1, Causes: []CauseCount{{CauseNewStarting, 1}}},
			"did not finish within the scenario's duration, 20 of 50 nodes updated, 1 unavailable: 1 new pod not available yet"},
		{Outcome{Class: OutcomeNoRollout, Desired: 2, Updated: 2}, "no rollout"},
	} {
		if got := tc.o.String(); got != tc.want {
			t.Errorf("%+v:\n got %q\nwant %q", tc.o, got, tc.want)
		}
	}
}
