package main

import (
	"fmt"
	"time"

	"pgregory.net/rapid"

	"github.com/daemonkit/daemonkit/daemonset"
	"github.com/daemonkit/daemonkit/rollout"
	"github.com/daemonkit/daemonkit/selector"
	"github.com/daemonkit/daemonkit/simulate"
)

// keepsTheInvariants is the property: on any cluster rapid draws (node count, tainted and
// labelled nodes, the budget, pod start-up times, a node joining mid-rollout), a rollout driven by
// plan keeps every invariant daemonkit's simulator checks after every event (one pod per node,
// maxUnavailable, maxSurge, no orphans) and converges: every eligible node ends with exactly one
// available pod of the new revision. A failure is shrunk by rapid to a smallest cluster.
func keepsTheInvariants(plan simulate.PlanFunc) func(*rapid.T) {
	return func(t *rapid.T) {
		n := rapid.IntRange(1, 8).Draw(t, "nodes")
		maxUnavailable := rollout.FromInt(int32(rapid.IntRange(1, 3).Draw(t, "maxUnavailable")))
		ds := daemonset.DaemonSet{
			Name:     "agent",
			Selector: &selector.LabelSelector{MatchLabels: map[string]string{"app": "agent"}},
			Template: daemonset.PodTemplate{Labels: map[string]string{"app": "agent"}},
			UpdateStrategy: daemonset.UpdateStrategy{Type: daemonset.RollingUpdateStrategy,
				RollingUpdate: &daemonset.RollingUpdate{MaxUnavailable: &maxUnavailable}},
		}
		if rapid.Bool().Draw(t, "ssdOnly") {
			ds.Template.NodeSelector = map[string]string{"disktype": "ssd"}
		}
		daemonset.Default(&ds)
		nodes := simulate.Nodes("node", n, nil)
		for i := range nodes {
			if rapid.Bool().Draw(t, fmt.Sprintf("ssd[%d]", i)) {
				nodes[i].Labels["disktype"] = "ssd"
			}
			if rapid.IntRange(0, 3).Draw(t, fmt.Sprintf("tainted[%d]", i)) == 0 {
				nodes[i].Taints = []selector.Taint{{Key: "dedicated", Value: "db", Effect: selector.NoSchedule}}
			}
		}
		sc := simulate.NewScenario("property", ds, simulate.Revision{Name: "v1"}, nodes...).RealCluster()
		sc.PodModel.StartLatency = simulate.Uniform(time.Second, time.Duration(rapid.IntRange(1, 30).Draw(t, "maxStartSeconds"))*time.Second)
		sc.Planner = plan
		sc.Duration = 3 * time.Hour
		sc = sc.At(time.Minute, simulate.UpdateTo("v2"))
		if rapid.Bool().Draw(t, "joinDuringRollout") {
			sc = sc.At(time.Minute+5*time.Second, simulate.Join("late-node", map[string]string{"disktype": "ssd"}))
		}
		res, err := simulate.Run(sc, rapid.Uint64().Draw(t, "seed"))
		if err != nil {
			t.Fatalf("scenario: %v", err)
		}
		if res.Violation != nil {
			t.Fatalf("%v", res.Violation)
		}
		if !res.Converged {
			t.Fatalf("did not converge: %v", res.Stalls)
		}
	}
}
