package simulate

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"reflect"
	"testing"

	"github.com/daemonkit/daemonkit/rollout"
)

// The incremental reconcile decides exactly as daemonset.Plan on the whole view: the same random
// scenarios (faults, churn, every strategy) give the same trace and the same syncs either way,
// and every sync it decides is the Result Plan returns for the same view, reasons included.
func TestFastMatchesPlan(t *testing.T) {
	seeds := uint64(150)
	if testing.Short() {
		seeds = 40
	}
	fastSyncs := 0
	for seed := uint64(1); seed <= seeds; seed++ {
		sc := randomScenario(randPicker{rand.New(rand.NewPCG(seed, 0xfa57))})
		sc.RecordTrace, sc.RecordSyncs = true, true
		compareFast(t, fmt.Sprint("seed ", seed), sc, seed, &fastSyncs)
	}
	// The upstream-rollouts model at scale, both modes.
	for _, mu := range []rollout.IntOrPercent{rollout.FromInt(3), rollout.FromString("25%")} {
		sc := benchRollout(300, mu)
		sc.RecordTrace, sc.RecordSyncs = true, true
		compareFast(t, "rollout "+mu.String(), sc, 1, &fastSyncs)
	}
	surge := benchRollout(200, rollout.FromInt(0))
	s2 := rollout.FromInt(7)
	surge.DaemonSet.UpdateStrategy.RollingUpdate.MaxSurge = &s2
	surge.RecordTrace, surge.RecordSyncs = true, true
	compareFast(t, "surge", surge, 1, &fastSyncs)
	if fastSyncs == 0 {
		t.Fatal("the incremental reconcile never ran: the comparison tested nothing")
	}
	t.Logf("%d syncs decided incrementally", fastSyncs)
}

func compareFast(t *testing.T, name string, sc Scenario, seed uint64, fastSyncs *int) {
	t.Helper()
	full := sc
	full.Controller.FullPlan = true
	// The fast run has every incremental sync decided again by Plan: the Results must be equal,
	// reasons included, not only the traces they lead to.
	checked := sc
	checked.crossCheck = true
	a, err := Run(checked, seed)
	if err != nil {
		t.Fatal(err)
	}
	if v := a.Violation; v != nil && v.Invariant == InvBookkeeping {
		t.Fatalf("%s: %v", name, v)
	}
	b, err := Run(full, seed)
	if err != nil {
		t.Fatal(err)
	}
	if b.Metrics.FastPlans != 0 {
		t.Fatalf("%s: FullPlan still used the incremental path", name)
	}
	*fastSyncs += a.Metrics.FastPlans
	if !bytes.Equal(JSONL(a.Trace), JSONL(b.Trace)) {
		ta, tb := a.Trace, b.Trace
		for i := 0; i < min(len(ta), len(tb)); i++ {
			if ta[i] != tb[i] {
				t.Fatalf("%s: traces differ at event %d:\n fast %+v\n full %+v", name, i, ta[i], tb[i])
			}
		}
		t.Fatalf("%s: traces differ in length: %d vs %d", name, len(ta), len(tb))
	}
	if !reflect.DeepEqual(a.Syncs, b.Syncs) {
		for i := 0; i < min(len(a.Syncs), len(b.Syncs)); i++ {
			if !reflect.DeepEqual(a.Syncs[i], b.Syncs[i]) {
				t.Fatalf("%s: sync %d differs:\n fast %+v\n full %+v", name, i, a.Syncs[i], b.Syncs[i])
			}
		}
		t.Fatalf("%s: sync records differ", name)
	}
	if (a.Violation == nil) != (b.Violation == nil) {
		t.Fatalf("%s: violation %v vs %v", name, a.Violation, b.Violation)
	}
}
