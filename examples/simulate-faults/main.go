// Command simulate-faults simulates a rollout of a bad image: every pod of the new revision
// crash-loops. The maxUnavailable budget is spent on the first replacements, which never become
// available, so the rollout stalls by itself and the rest of the fleet keeps its working pods.
// The simulator says which nodes it waits on, and why.
package main

import (
	"fmt"
	"io"
	"os"
	"time"

	"github.com/daemonkit/daemonkit/daemonset"
	"github.com/daemonkit/daemonkit/rollout"
	"github.com/daemonkit/daemonkit/selector"
	"github.com/daemonkit/daemonkit/simulate"
)

func main() {
	if err := run(os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "simulate-faults:", err)
		os.Exit(1)
	}
}

func scenario() simulate.Scenario {
	two := rollout.FromInt(2)
	ds := daemonset.DaemonSet{
		Name:           "node-exporter",
		Selector:       &selector.LabelSelector{MatchLabels: map[string]string{"app": "node-exporter"}},
		Template:       daemonset.PodTemplate{Labels: map[string]string{"app": "node-exporter"}},
		UpdateStrategy: daemonset.UpdateStrategy{Type: daemonset.RollingUpdateStrategy, RollingUpdate: &daemonset.RollingUpdate{MaxUnavailable: &two}},
	}
	daemonset.Default(&ds)
	sc := simulate.NewScenario("bad image", ds, simulate.Revision{Name: "prom/node-exporter:v1.8.2"},
		simulate.Nodes("node", 10, map[string]string{"kubernetes.io/os": "linux"})...).RealCluster()
	sc.Duration = 30 * time.Minute
	// At one minute the template moves to an image whose pods all crash-loop.
	sc = sc.At(time.Minute, simulate.Event{Kind: simulate.EventUpdate,
		Revision: &simulate.Revision{Name: "prom/node-exporter:v9-broken", CrashProbability: 1}})
	return sc
}

func run(w io.Writer) error {
	res, err := simulate.Run(scenario(), 42)
	if err != nil {
		return err
	}
	m := res.Metrics
	fmt.Fprintf(w, "Scenario %q, seed %d, %s of virtual time\n", res.Scenario, res.Seed, res.End)
	fmt.Fprintf(w, "rollout finished: %v; waves: %d; pods created %d, deleted %d\n", m.Completed, m.Waves, m.PodsCreated, m.PodsDeleted)
	fmt.Fprintf(w, "nodes the controller took down at once: %d (budget %d)\n", m.MaxControllerUnavailable, m.Budget)
	st := res.FinalStatus
	fmt.Fprintf(w, "status: desired %d, up-to-date %d, available %d, unavailable %d\n",
		st.DesiredNumberScheduled, st.UpdatedNumberScheduled, st.NumberAvailable, st.NumberUnavailable)
	if res.Violation != nil {
		return fmt.Errorf("invariant violated: %w", res.Violation)
	}
	fmt.Fprintln(w, "the rollout stalled:")
	for _, s := range res.Stalls {
		fmt.Fprintf(w, "  %s\n", s)
	}
	return nil
}
