package simulate_test

import (
	"fmt"
	"os"
	"time"

	"github.com/daemonkit/daemonkit/daemonset"
	"github.com/daemonkit/daemonkit/rollout"
	"github.com/daemonkit/daemonkit/selector"
	"github.com/daemonkit/daemonkit/simulate"
)

func nodeExporter(maxUnavailable int32) daemonset.DaemonSet {
	mu, ms := rollout.FromInt(maxUnavailable), rollout.FromInt(0)
	return daemonset.DaemonSet{
		Name:      "node-exporter",
		Namespace: "monitoring",
		Selector:  &selector.LabelSelector{MatchLabels: map[string]string{"app": "node-exporter"}},
		Template:  daemonset.PodTemplate{Labels: map[string]string{"app": "node-exporter"}},
		UpdateStrategy: daemonset.UpdateStrategy{Type: daemonset.RollingUpdateStrategy,
			RollingUpdate: &daemonset.RollingUpdate{MaxUnavailable: &mu, MaxSurge: &ms}},
	}
}

// A rollout of a new image over five nodes, two at a time, in the model of the upstream-rollouts
// recordings: each wave costs a sync to delete, a sync to create and ten seconds to get ready.
func ExampleRun() {
	sc := simulate.NewScenario("rollout", nodeExporter(2), simulate.Revision{Name: "v1.8.1"},
		simulate.Nodes("node", 5, nil)...)
	sc = sc.UpstreamRollouts(time.Second, 10*time.Second, 0)
	sc = sc.At(0, simulate.UpdateTo("v1.8.2"))
	res, err := simulate.Run(sc, 1)
	if err != nil {
		fmt.Println(err)
		return
	}
	m := res.Metrics
	fmt.Println("duration:", m.Duration, "waves:", m.Waves, "max unavailable:", m.MaxUnavailable, "of", m.Budget)
	// Output:
	// duration: 33s waves: 6 max unavailable: 2 of 2
}

// A bad image stalls the rollout; the result says where and why.
func ExampleRun_stall() {
	sc := simulate.NewScenario("bad image", nodeExporter(1), simulate.Revision{Name: "v1"},
		simulate.Nodes("node", 3, nil)...).RealCluster()
	sc = sc.At(time.Minute, simulate.Event{Kind: simulate.EventUpdate,
		Revision: &simulate.Revision{Name: "v2-broken", CrashProbability: 1}})
	sc.Duration = 2 * time.Hour
	res, _ := simulate.Run(sc, 1)
	fmt.Println("completed:", res.Metrics.Completed)
	fmt.Println(res.Stalls[0])
	// Output:
	// completed: false
	// waiting on node-0: new pod not available, crash-looping
}

// The trace of a run, one JSON object per line.
func ExampleWriteJSONL() {
	sc := simulate.NewScenario("one node", nodeExporter(1), simulate.Revision{Name: "v1"},
		simulate.Nodes("node", 1, nil)...)
	sc = sc.UpstreamRollouts(time.Second, 10*time.Second, 0)
	sc = sc.At(0, simulate.UpdateTo("v2"))
	sc.RecordTrace = true
	res, _ := simulate.Run(sc, 1)
	_ = simulate.WriteJSONL(os.Stdout, res.Trace)
	// Output:
	// {"step":1,"at":0,"kind":"Update","detail":"revision v2 q8mf7sjbbb"}
	// {"step":2,"at":0,"kind":"Sync","detail":"creates=0 deletes=1"}
	// {"step":3,"at":0,"kind":"PodDeleted","node":"node-0","pod":"node-exporter-000001"}
	// {"step":4,"at":1000000000,"kind":"Sync","detail":"creates=1 deletes=0"}
	// {"step":5,"at":1000000000,"kind":"PodCreated","node":"node-0","pod":"node-exporter-000002"}
	// {"step":15,"at":11000000000,"kind":"PodReady","node":"node-0","pod":"node-exporter-000002"}
}

// A forecast: one scenario over many seeds, aggregated in seed order whatever the parallelism.
func ExampleRunForecast() {
	sc := simulate.NewScenario("forecast", nodeExporter(1), simulate.Revision{Name: "v1"},
		simulate.Nodes("node", 20, nil)...).RealCluster()
	sc = sc.At(time.Minute, simulate.UpdateTo("v2"))
	f, err := simulate.RunForecast(sc, simulate.ForecastOptions{Runs: 20, Parallel: 2})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, o := range f.Outcomes {
		fmt.Printf("%-18s %2d runs\n", o.Class, o.Runs)
	}
	d := f.TimeToComplete
	fmt.Println("p50 <= p90 <= p99:", d.P50 <= d.P90 && d.P90 <= d.P99, "p50 > 20s:", d.P50 > 20*time.Second)
	fmt.Println("every node updated no later than complete:", f.TimeToUpdate.P50 <= d.P50)
	// Output:
	// Completed          20 runs
	// UpdatedUnavailable  0 runs
	// Stalled             0 runs
	// Unfinished          0 runs
	// p50 <= p90 <= p99: true p50 > 20s: true
	// every node updated no later than complete: true
}

// A bad image that crash-loops on 10% of the nodes: with a budget of 25% the controller replaces
// every old pod anyway, and the crash-looping nodes stay without an available pod; with a budget
// of one node the first crash-looping pod stalls the rollout.
func ExampleOutcome() {
	for _, budget := range []rollout.IntOrPercent{rollout.FromString("25%"), rollout.FromInt(1)} {
		ds := nodeExporter(1)
		ds.UpdateStrategy.RollingUpdate.MaxUnavailable = &budget
		sc := simulate.NewScenario("bad image", ds, simulate.Revision{Name: "v1"},
			simulate.Nodes("node", 40, nil)...).RealCluster()
		sc = sc.At(time.Minute, simulate.Event{Kind: simulate.EventUpdate,
			Revision: &simulate.Revision{Name: "v2", CrashProbability: 0.1}})
		res, _ := simulate.Run(sc, 3)
		fmt.Printf("maxUnavailable %s: %s\n", budget, res.Outcome.Class)
	}
	// Output:
	// maxUnavailable 25%: UpdatedUnavailable
	// maxUnavailable 1: Stalled
}
