package simulate

import (
	"github.com/daemonkit/daemonkit/rollout"
	"testing"
	"time"
)

// The controller's client is rate limited: creating the DaemonSet on 1,000 nodes at 20 qps takes
// four bursts of 250 creates, about 50 s (measured on a real control plane with KWOK nodes, whose
// pods are Ready at once: 50 s).
func TestRateLimitDominatesAtScale(t *testing.T) {
	sc := NewScenario("create 1000", testDS("node-exporter", 1, 0), Revision{Name: "v1"}, Nodes("node", 1000, nil)...).RealCluster()
	sc.InitialPods = PodsNone
	sc.PodModel = PodModel{} // KWOK: pods bound, running and Ready at once
	sc.RecordSyncs = true
	r := mustRun(t, sc, 1)
	if !r.Converged || r.Metrics.PodsCreated != 1000 {
		t.Fatalf("converged %v, created %d", r.Converged, r.Metrics.PodsCreated)
	}
	var bursts int
	for _, s := range r.Syncs {
		if s.Creates > 0 {
			bursts++
			if s.Creates > 250 {
				t.Fatalf("a sync created %d pods, over the cap of 250", s.Creates)
			}
		}
	}
	if bursts != 4 {
		t.Fatalf("%d syncs created pods, want 4 bursts of 250", bursts)
	}
	if r.End < 45*time.Second || r.End > 56*time.Second {
		t.Fatalf("took %s, want about 50 s at 20 qps", r.End)
	}
	// Without the limit, the same takes seconds.
	sc.API.QPS = 0
	fast := mustRun(t, sc, 1)
	if fast.End > 10*time.Second {
		t.Fatalf("took %s without a rate limit", fast.End)
	}
}

// Slow start: a failed batch stops the sync's creates, so an API that refuses every create sees
// one call per sync, not 250.
func TestSlowStartStopsAfterFailedBatch(t *testing.T) {
	sc := NewScenario("refused", testDS("agent", 1, 0), Revision{Name: "v1"}, Nodes("node", 100, nil)...).RealCluster()
	sc.InitialPods = PodsNone
	sc.API.CreateErrorRate = 1
	sc.Duration = 10 * time.Second
	sc.RecordTrace, sc.RecordSyncs = true, true
	r, err := Run(sc, 1)
	if err != nil {
		t.Fatal(err)
	}
	failed := 0
	for _, e := range r.Trace {
		if e.Kind == "CreateFailed" {
			failed++
		}
	}
	planned := 0
	for _, s := range r.Syncs {
		if s.Creates > 0 {
			planned++
		}
	}
	if planned < 2 || failed != planned {
		t.Fatalf("%d syncs wanted creates, %d create calls failed: want one call per sync", planned, failed)
	}
	sc.Controller.NoSlowStart = true
	r, _ = Run(sc, 1)
	failed = 0
	for _, e := range r.Trace {
		if e.Kind == "CreateFailed" {
			failed++
		}
	}
	if failed < 100 {
		t.Fatalf("without slow start %d calls failed, want every create of a sync sent", failed)
	}
}

// Pause (a daemonkit opt-in) stops the rolling update; resume lets it finish.
func TestPauseAndResume(t *testing.T) {
	sc := NewScenario("pause", testDS("agent", 1, 0), Revision{Name: "v1"}, Nodes("node", 5, nil)...).RealCluster()
	sc = sc.At(time.Second, UpdateTo("v2")).At(2*time.Second, Event{Kind: EventPause})
	sc.Duration = 3 * time.Hour
	r := mustRun(t, sc, 1)
	if r.Metrics.Completed || len(r.Stalls) == 0 {
		t.Fatalf("paused rollout completed: %+v", r.Metrics)
	}
	paused := 0
	for _, s := range r.Stalls {
		if s.Cause == "rollout paused" {
			paused++
		}
	}
	if paused == 0 {
		t.Fatalf("stalls %v: want a node waiting because of the pause", r.Stalls)
	}
	sc = sc.At(time.Hour, Event{Kind: EventResume})
	r = mustRun(t, sc, 1)
	if !r.Metrics.Completed || r.Metrics.End < time.Hour {
		t.Fatalf("resumed rollout: %+v", r.Metrics)
	}
}

func TestScenarioValidationNamesTheField(t *testing.T) {
	sc := NewScenario("bad", testDS("agent", 1, 0), Revision{Name: "v1"}, Nodes("node", 2, nil)...)
	sc.API.CreateErrorRate = 2
	sc.PodModel.StartLatency = Dist{Kind: "gaussian"}
	sc.Events = []Event{{Kind: EventTaint, Node: "node-0", Taint: TaintNode("node-0", TaintOf("a", "Never")).Taint}}
	_, err := Run(sc, 1)
	if err == nil {
		t.Fatal("want an error")
	}
	for _, want := range []string{"api.createErrorRate", "podModel.startLatency.kind", "events[0].taint.effect"} {
		if !containsStr(err.Error(), want) {
			t.Errorf("error %q does not name %s", err, want)
		}
	}
}

// The real-cluster model reproduces the durations measured on a real control plane with KWOK
// nodes (simulation-notes: 20 qps / burst 30 client, pods Ready at once), within 10%.
func TestRealClusterMatchesMeasuredDurations(t *testing.T) {
	for _, tc := range []struct {
		name     string
		nodes    int
		mu       rollout.IntOrPercent
		create   bool
		measured time.Duration
	}{
		{"create the DaemonSet on 1,000 nodes", 1000, rollout.FromInt(1), true, 50 * time.Second},
		{"1,000 nodes at maxUnavailable 10%", 1000, rollout.FromString("10%"), false, 100 * time.Second},
		{"1,000 nodes at maxUnavailable 1", 1000, rollout.FromInt(1), false, 198 * time.Second},
		{"100 nodes at maxUnavailable 1", 100, rollout.FromInt(1), false, 20 * time.Second},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ds := testDS("node-exporter", 1, 0)
			ds.UpdateStrategy.RollingUpdate.MaxUnavailable = &tc.mu
			sc := NewScenario(tc.name, ds, Revision{Name: "v1"}, Nodes("node", tc.nodes, nil)...).RealCluster()
			sc.PodModel = PodModel{}
			if tc.create {
				sc.InitialPods = PodsNone
			} else {
				sc = sc.At(0, UpdateTo("v2"))
			}
			r := mustRun(t, sc, 1)
			got := r.End
			if diff := got - tc.measured; diff > tc.measured/10 || -diff > tc.measured/10 {
				t.Fatalf("simulated %s, measured %s", got, tc.measured)
			}
		})
	}
}

// A sync still waiting for its API calls when the run ends is counted among the syncs, so the
// syncs that decided something never outnumber the syncs (the CLI prints their difference as the
// syncs that had nothing new).
func TestSyncInFlightAtTheEndIsCounted(t *testing.T) {
	sc := NewScenario("slow API", testDS("node-exporter", 1, 0), Revision{Name: "v1"}, Nodes("node", 3, nil)...).RealCluster()
	sc.InitialPods = PodsNone
	sc.API.CreateLatency = Fixed(time.Hour)
	sc.Duration = time.Minute
	r := mustRun(t, sc, 1)
	m := r.Metrics
	if m.PodsCreated != 0 {
		t.Fatalf("%d pods created; the test wants the first sync's creates still in flight at the end", m.PodsCreated)
	}
	decided := m.Plans + m.FastPlans
	if decided == 0 || m.Syncs < decided {
		t.Fatalf("syncs %d, decided %d (plans %d, fast %d): want at least one decided sync, and no more than the syncs",
			m.Syncs, decided, m.Plans, m.FastPlans)
	}
}

// A run without scripted events settles from its start: one that has not converged a minute in
// is not yet a convergence violation (Settle is an hour), and an hour and more later it is.
func TestRunWithoutEventsSettlesFromItsStart(t *testing.T) {
	sc := NewScenario("never ready", testDS("node-exporter", 1, 0), Revision{Name: "v1"}, Nodes("node", 3, nil)...).RealCluster()
	sc.InitialPods = PodsNone
	sc.API.CreateLatency = Fixed(10 * time.Hour)
	sc.Duration = time.Minute
	if r := mustRun(t, sc, 1); r.Converged {
		t.Fatal("converged with creates that take 10 h")
	}
	sc.Duration = 2 * Settle
	r, err := Run(sc, 1)
	if err != nil {
		t.Fatal(err)
	}
	if r.Violation == nil || r.Violation.Invariant != InvConvergence {
		t.Fatalf("violation %v, want %s after %s", r.Violation, InvConvergence, sc.Duration)
	}
	if r.Violation.At < Settle {
		t.Fatalf("convergence violated at %s, before Settle (%s) has passed since the start", r.Violation.At, Settle)
	}
}
