package simulate

import (
	"testing"
	"time"

	"github.com/daemonkit/daemonkit/rollout"
)

// benchRollout is a rollout of n nodes at maxUnavailable mu with the upstream-rollouts model
// (1 s syncs, pods ready 10 s after creation, no rate limit).
func benchRollout(n int, mu rollout.IntOrPercent) Scenario {
	ds := testDS("agent", 1, 0)
	ds.UpdateStrategy.RollingUpdate.MaxUnavailable = &mu
	sc := NewScenario("bench", ds, Revision{Name: "v1"}, Nodes("node", n, nil)...)
	sc = sc.UpstreamRollouts(time.Second, 10*time.Second, 0)
	sc = sc.At(0, UpdateTo("v2"))
	sc.Duration = 30 * 24 * time.Hour
	return sc
}

func runBench(b *testing.B, sc Scenario) {
	b.ReportAllocs()
	var r *Result
	for b.Loop() {
		var err error
		r, err = Run(sc, 1)
		if err != nil {
			b.Fatal(err)
		}
	}
	if !r.Metrics.Completed || r.Violation != nil {
		b.Fatalf("rollout did not complete: %v %v", r.Violation, r.Stalls)
	}
	b.ReportMetric(float64(r.Metrics.Waves), "waves")
	b.ReportMetric(float64(r.Metrics.Plans), "plans")
	b.ReportMetric(r.Metrics.Duration.Seconds(), "virtual-s")
}

// A full rollout of 5,000 nodes at maxUnavailable 1: 5,000 nodes replaced one at a time.
func BenchmarkRollout5000MaxUnavailable1(b *testing.B) {
	runBench(b, benchRollout(5000, rollout.FromInt(1)))
}

// A full rollout of 100,000 nodes at maxUnavailable 10%.
func BenchmarkRollout100000MaxUnavailable10pct(b *testing.B) {
	runBench(b, benchRollout(100000, rollout.FromString("10%")))
}

// A real-cluster rollout of 1,000 nodes (event-driven syncs, 20 qps client).
func BenchmarkRollout1000RealCluster(b *testing.B) {
	sc := benchRollout(1000, rollout.FromString("10%")).RealCluster()
	runBench(b, sc)
}
