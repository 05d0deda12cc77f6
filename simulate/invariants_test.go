package simulate

import (
	"bytes"
	"flag"
	"math/rand/v2"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/daemonkit/daemonkit/daemonset"
	"github.com/daemonkit/daemonkit/rollout"
	"pgregory.net/rapid"
)

var soak = flag.Bool("soak", false, "run the 10,000-seed soak of random scenarios with faults")

// rolloutScenario is a 10-node rollout with faults on, the base of the determinism tests.
func rolloutScenario() Scenario {
	sc := NewScenario("rollout", testDS("agent", 2, 0), Revision{Name: "v1"}, Nodes("node", 10, nil)...).RealCluster()
	sc = sc.At(10*time.Second, UpdateTo("v2"))
	sc = sc.At(40*time.Second, Event{Kind: EventNotReady, Node: "node-3", For: time.Minute})
	sc.API.CreateErrorRate = 0.1
	sc.PodModel.FlapRate = 30
	sc.PodModel.FlapDuration = Uniform(time.Second, 10*time.Second)
	sc.Controller.InformerLag = Uniform(0, 200*time.Millisecond)
	sc.RecordTrace = true
	sc.RecordSyncs = true
	return sc
}

func TestSameSeedSameTrace(t *testing.T) {
	sc := rolloutScenario()
	a := mustRun(t, sc, 42)
	b := mustRun(t, sc, 42)
	ja, jb := JSONL(a.Trace), JSONL(b.Trace)
	if len(a.Trace) < 20 {
		t.Fatalf("trace too short to mean anything: %d events", len(a.Trace))
	}
	if !bytes.Equal(ja, jb) {
		t.Fatal("same scenario and seed gave different traces")
	}
	if a.Metrics.Duration != b.Metrics.Duration || a.Steps != b.Steps {
		t.Fatalf("metrics differ: %+v vs %+v", a.Metrics, b.Metrics)
	}
}

func TestDifferentSeedsDifferentTraces(t *testing.T) {
	sc := rolloutScenario()
	seen := map[string]uint64{}
	for seed := uint64(1); seed <= 5; seed++ {
		r := mustRun(t, sc, seed)
		k := string(JSONL(r.Trace))
		if prev, dup := seen[k]; dup {
			t.Fatalf("seeds %d and %d gave the same trace", prev, seed)
		}
		seen[k] = seed
	}
}

// A fault stream of its own: turning API errors on does not move the pods' latencies.
func TestStreamsAreSeparate(t *testing.T) {
	base := NewScenario("streams", testDS("agent", 1, 0), Revision{Name: "v1"}, Nodes("node", 1, nil)...).RealCluster()
	base.InitialPods = PodsNone
	base.RecordTrace = true
	a := mustRun(t, base, 9)
	withFaults := base
	withFaults.PodModel.FlapRate = 1 // draws from the fault stream only
	withFaults.PodModel.FlapDuration = Fixed(time.Second)
	b := mustRun(t, withFaults, 9)
	firstCreate := func(r *Result) time.Duration {
		for _, e := range r.Trace {
			if e.Kind == "PodCreated" {
				return e.At
			}
		}
		return -1
	}
	if firstCreate(a) != firstCreate(b) || firstCreate(a) < 0 {
		t.Fatalf("pod created at %s without faults, %s with", firstCreate(a), firstCreate(b))
	}
}

func TestViolationReplaysFromSeed(t *testing.T) {
	sc := brokenBudgetScenario()
	a, _ := Run(sc, 5)
	b, _ := Run(sc, 5)
	if a.Violation == nil || b.Violation == nil {
		t.Fatal("want a violation")
	}
	if a.Violation.Error() != b.Violation.Error() || len(a.Violation.History) == 0 {
		t.Fatalf("replay differs: %v vs %v", a.Violation, b.Violation)
	}
	if a.Violation.Seed != 5 {
		t.Fatalf("seed %d", a.Violation.Seed)
	}
}

// ignoreMaxUnavailable is a broken controller: it plans as if maxUnavailable were 100%.
func ignoreMaxUnavailable() Planner {
	var p daemonset.Planner
	return PlanFunc(func(in daemonset.Input, opts daemonset.Options) (daemonset.Result, error) {
		ds := *in.DaemonSet
		all := rollout.FromString("100%")
		ds.UpdateStrategy = daemonset.UpdateStrategy{Type: daemonset.RollingUpdateStrategy, RollingUpdate: &daemonset.RollingUpdate{MaxUnavailable: &all}}
		in.DaemonSet = &ds
		return p.Plan(in, opts)
	})
}

// neverDeleteDuplicates is a broken controller: it never deletes a pod on a node that runs two.
func neverDeleteDuplicates() Planner {
	var p daemonset.Planner
	return PlanFunc(func(in daemonset.Input, opts daemonset.Options) (daemonset.Result, error) {
		res, err := p.Plan(in, opts)
		count := map[string]int{}
		for i := range in.Pods {
			if n, ok := daemonset.TargetNode(&in.Pods[i]); ok && in.Pods[i].DeletionTimestamp == nil {
				count[n]++
			}
		}
		kept := res.Deletes[:0:0]
		for _, d := range res.Deletes {
			if count[d.Node] < 2 {
				kept = append(kept, d)
			}
		}
		res.Deletes = kept
		return res, err
	})
}

func brokenBudgetScenario() Scenario {
	sc := NewScenario("broken budget", testDS("agent", 1, 0), Revision{Name: "v1"}, Nodes("node", 10, nil)...).RealCluster()
	sc = sc.At(time.Second, UpdateTo("v2"))
	sc.Planner = ignoreMaxUnavailable()
	return sc
}

func TestInvariantsCatchControllerIgnoringMaxUnavailable(t *testing.T) {
	r, err := Run(brokenBudgetScenario(), 5)
	if err != nil {
		t.Fatal(err)
	}
	if r.Violation == nil || r.Violation.Invariant != InvUnavailable {
		t.Fatalf("want %s violation, got %v", InvUnavailable, r.Violation)
	}
	// The same scenario with the real planner holds.
	sc := brokenBudgetScenario()
	sc.Planner = nil
	mustRun(t, sc, 5)
}

func TestInvariantsCatchControllerKeepingDuplicates(t *testing.T) {
	sc := NewScenario("broken surge", testDS("agent", 0, 2), Revision{Name: "v1"}, Nodes("node", 10, nil)...).RealCluster()
	sc = sc.At(time.Second, UpdateTo("v2"))
	sc.Planner = neverDeleteDuplicates()
	r, err := Run(sc, 5)
	if err != nil {
		t.Fatal(err)
	}
	if r.Violation == nil || (r.Violation.Invariant != InvSurge && r.Violation.Invariant != InvConvergence) {
		t.Fatalf("want a surge or convergence violation, got %v", r.Violation)
	}
	sc.Planner = nil
	mustRun(t, sc, 5)
}

func TestInvariantsCatchControllerLeavingOrphans(t *testing.T) {
	// A controller that never deletes unbound pods aimed at vanished nodes: the node goes while
	// its new pod waits for the scheduler.
	var p daemonset.Planner
	drop := PlanFunc(func(in daemonset.Input, opts daemonset.Options) (daemonset.Result, error) {
		res, err := p.Plan(in, opts)
		kept := res.Deletes[:0:0]
		for _, d := range res.Deletes {
			if d.Kind != daemonset.DeleteVanishedNode {
				kept = append(kept, d)
			}
		}
		res.Deletes = kept
		return res, err
	})
	sc := NewScenario("orphans", testDS("agent", 1, 0), Revision{Name: "v1"}, Nodes("node", 3, nil)...).RealCluster()
	sc.InitialPods = PodsNone
	sc.PodModel.ScheduleLatency = Fixed(time.Hour) // pods stay unbound
	sc = sc.At(10*time.Second, Event{Kind: EventNodeRemove, Node: "node-1"})
	sc.Planner = drop
	r, err := Run(sc, 1)
	if err != nil {
		t.Fatal(err)
	}
	if r.Violation == nil || r.Violation.Invariant != InvOrphan {
		t.Fatalf("want %s violation, got %v", InvOrphan, r.Violation)
	}
	// The real controller deletes the unbound pod of node-1 and converges once the scheduler
	// binds the others, an hour in.
	sc.Planner = nil
	r = mustRun(t, sc, 1)
	if !r.Converged || r.Metrics.PodsDeleted != 1 || r.End < time.Hour {
		t.Fatalf("converged %v, deleted %d, end %s", r.Converged, r.Metrics.PodsDeleted, r.End)
	}
}

func checkRandom(t interface {
	Fatalf(string, ...any)
}, sc Scenario, seed uint64) *Result {
	r, err := Run(sc, seed)
	if err != nil {
		t.Fatalf("scenario error: %v", err)
	}
	if r.Violation != nil {
		t.Fatalf("%v\nhistory:\n%s", r.Violation, JSONL(r.Violation.History))
	}
	checkOutcome(t, r)
	return r
}

// Random scenarios with faults hold every invariant, and converge unless a fault explains it
// (rapid: 100 checks by default, -rapid.checks to change).
func TestRandomScenariosHoldInvariants(t *testing.T) {
	var converged atomic.Int64
	rapid.Check(t, func(rt *rapid.T) {
		sc := randomScenario(rapidPicker{rt})
		seed := rapid.Uint64().Draw(rt, "seed")
		if r := checkRandom(rt, sc, seed); r.Converged {
			converged.Add(1)
		}
	})
	if converged.Load() == 0 {
		t.Fatal("no random scenario converged: the generator is too harsh to test anything")
	}
}

// The soak's first seeds, in every run: the fast version of TestSoak.
func TestRandomSeedsHoldInvariants(t *testing.T) {
	seeds := uint64(200)
	if testing.Short() {
		seeds = 50
	}
	converged, steps, rollouts := 0, 0, 0
	for seed := uint64(1); seed <= seeds; seed++ {
		sc := randomScenario(randPicker{rand.New(rand.NewPCG(seed, 0x50a6))})
		r := checkRandom(t, sc, seed)
		if r.Converged {
			converged++
		}
		if r.Metrics.Completed {
			rollouts++
		}
		steps += r.Steps
	}
	t.Logf("%d seeds: %d converged, %d rollouts completed, %d events", seeds, converged, rollouts, steps)
	if converged == 0 {
		t.Fatal("no random scenario converged")
	}
}

// TestSoak runs 10,000 random scenarios (behind -soak).
func TestSoak(t *testing.T) {
	if !*soak {
		t.Skip("the 10,000-seed soak runs with -soak; TestRandomScenariosHoldInvariants runs its fast version")
	}
	const seeds = 10000
	var mu sync.Mutex
	var converged, steps int
	var wg sync.WaitGroup
	next := make(chan uint64)
	for range 2 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for seed := range next {
				sc := randomScenario(randPicker{rand.New(rand.NewPCG(seed, 0x50a6))})
				r, err := Run(sc, seed)
				if err != nil {
					t.Errorf("seed %d: %v", seed, err)
					continue
				}
				if r.Violation != nil {
					t.Errorf("seed %d: %v", seed, r.Violation)
					continue
				}
				mu.Lock()
				steps += r.Steps
				if r.Converged {
					converged++
				}
				mu.Unlock()
			}
		}()
	}
	for s := uint64(1); s <= seeds; s++ {
		next <- s
	}
	close(next)
	wg.Wait()
	t.Logf("soak: %d seeds, %d converged, %d events", seeds, converged, steps)
}
