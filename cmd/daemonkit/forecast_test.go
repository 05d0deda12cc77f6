package main

import (
	"encoding/json"
	"encoding/xml"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

const seedRollout = "../../testdata/upstream-rollouts/05-seed-node-exporter-3-nodes"

func forecastArgs(extra ...string) []string {
	return append([]string{"forecast", "--nodes", filepath.Join(seedRollout, "nodes.yaml"),
		"--daemonset", filepath.Join(seedRollout, "old.yaml"), "--new-daemonset", filepath.Join(seedRollout, "new.yaml")}, extra...)
}

func TestForecastGolden(t *testing.T) {
	r := runCLI(t, forecastArgs("--seeds", "40")...)
	require.Equal(t, 0, r.code, r.stderr)
	require.Empty(t, r.stderr, "no progress bar when stderr is not a terminal")
	golden(t, "forecast-seed.txt", r.stdout)
}

func TestForecastFacts(t *testing.T) {
	r := runCLI(t, forecastArgs("--seeds", "40", "-o", "json")...)
	require.Equal(t, 0, r.code, r.stderr)
	var rep forecastReport
	require.NoError(t, json.Unmarshal([]byte(r.stdout), &rep))
	require.Equal(t, 40, rep.Runs)
	require.Equal(t, 40, rep.Completed, "a healthy image always finishes")
	require.Equal(t, 1, rep.Budget)
	require.LessOrEqual(t, rep.MaxUnavailable, 1, "never more than maxUnavailable nodes down")
	// Three nodes one at a time: the rolling update deletes, a later sync creates; three of each.
	require.GreaterOrEqual(t, rep.Waves.P50, 6)

	require.Equal(t, 40, rep.AllUpdated.Runs, "every completed run updated every node first")
	require.Zero(t, rep.Unavailable.P99)
	require.Empty(t, rep.UnavailableCauses)
	requireOutcomes(t, rep, map[string]int{"Completed": 40})

	// A crash-looping image at maxUnavailable 1 on three nodes: a run completes when no pod
	// crash-loops, is all updated with nodes down when only the last ones do, and stalls
	// otherwise; forecast says which, and why.
	r = runCLI(t, forecastArgs("--seeds", "40", "--crash-rate", "0.5", "-o", "json")...)
	require.Equal(t, 0, r.code, r.stderr)
	rep = forecastReport{}
	require.NoError(t, json.Unmarshal([]byte(r.stdout), &rep))
	byClass := map[string]int{}
	for _, o := range rep.Outcomes {
		byClass[o.Class] = o.Runs
	}
	require.Positive(t, byClass["Stalled"], "%+v", rep.Outcomes)
	require.Equal(t, float64(byClass["Stalled"])/40, rep.StallProbability)
	require.Equal(t, byClass["Completed"], rep.Completed)
	require.NotEmpty(t, rep.UnavailableCauses)
	require.Contains(t, rep.UnavailableCauses[0].Cause, "crash-looping")
	require.Equal(t, []reasonShare{{Reason: "budget used up by pods that never become available", Runs: byClass["Stalled"]}}, rep.Blocked)
	require.Equal(t, byClass["Stalled"], rep.UpdatedWhenStalled.Runs)
	require.Less(t, rep.UpdatedWhenStalled.P99, 3, "a stalled run left nodes on the old revision")
	// Runs that got every node updated: the completed ones and the updated-but-unavailable ones.
	require.Equal(t, byClass["Completed"]+byClass["UpdatedUnavailable"], rep.AllUpdated.Runs)
	requireOutcomes(t, rep, byClass)
}

// A timeout shorter than the rollout leaves every run under way, which is not a stall: the
// nodes down at the end are still starting or terminating, not crash-looping.
func TestForecastTimeoutLeavesRunsUnfinished(t *testing.T) {
	r := runCLI(t, forecastArgs("--seeds", "10", "--timeout", "10s", "-o", "json")...)
	require.Equal(t, 0, r.code, r.stderr)
	var rep forecastReport
	require.NoError(t, json.Unmarshal([]byte(r.stdout), &rep))
	requireOutcomes(t, rep, map[string]int{"Unfinished": 10})
	require.Zero(t, rep.StallProbability)
	require.Zero(t, rep.Duration.Runs)
	require.Contains(t, rep.Outcomes[3].Description, "--timeout 10s")
	require.LessOrEqual(t, rep.Unavailable.P99, rep.Budget, "mid-rollout, within the budget")
	for _, c := range rep.UnavailableCauses {
		require.NotContains(t, c.Cause, "crash-looping")
	}
}

// requireOutcomes checks that every class is listed once, in order, with its share of the runs,
// and that the counts are want's.
func requireOutcomes(t *testing.T, rep forecastReport, want map[string]int) {
	t.Helper()
	var classes []string
	sum := 0
	for _, o := range rep.Outcomes {
		classes = append(classes, o.Class)
		require.Equal(t, want[o.Class], o.Runs, o.Class)
		require.InDelta(t, float64(o.Runs)/float64(rep.Runs), o.Probability, 1e-12)
		require.NotEmpty(t, o.Description)
		sum += o.Runs
	}
	require.Equal(t, []string{"Completed", "UpdatedUnavailable", "Stalled", "Unfinished"}, classes)
	require.Equal(t, rep.Runs, sum, "every run in one class")
}

func TestForecastChart(t *testing.T) {
	path := filepath.Join(t.TempDir(), "rollout.svg")
	r := runCLI(t, forecastArgs("--seeds", "10", "--chart", path)...)
	require.Equal(t, 0, r.code, r.stderr)
	b, err := os.ReadFile(path)
	require.NoError(t, err)
	dec := xml.NewDecoder(strings.NewReader(string(b)))
	for {
		_, err := dec.Token()
		if err == io.EOF {
			break
		}
		require.NoError(t, err)
	}
	for _, want := range []string{"node-a", "node-c", "budget: maxUnavailable = 1", "median run"} {
		require.Contains(t, string(b), want)
	}
}

func TestForecastErrors(t *testing.T) {
	requireFailures(t, []failure{
		{"same template", []string{"forecast", "--nodes", filepath.Join(seedRollout, "nodes.yaml"), "--daemonset",
			filepath.Join(seedRollout, "old.yaml"), "--new-daemonset", filepath.Join(seedRollout, "old.yaml")}, 1, []string{"nothing to roll out"}},
		{"another DaemonSet", []string{"forecast", "--nodes", filepath.Join(seedRollout, "nodes.yaml"), "--daemonset",
			filepath.Join(seedRollout, "old.yaml"), "--new-daemonset", "testdata/cluster/ds.yaml"}, 1,
			[]string{"cluster/ds.yaml: as an update of", "metadata.name", "not the DaemonSet being updated"}},
		{"new selector", []string{"forecast", "--nodes", "testdata/cluster/nodes.yaml", "--daemonset", "testdata/cluster/ds.yaml",
			"--new-daemonset", "testdata/bad/new-selector.yaml"}, 1,
			[]string{"new-selector.yaml", `spec.selector: Invalid value: "app=agent-v3": field is immutable (it is app=agent)`}},
		{"new selector not validated", []string{"forecast", "--nodes", "testdata/cluster/nodes.yaml", "--daemonset", "testdata/cluster/ds.yaml",
			"--new-daemonset", "testdata/bad/new-selector.yaml", "--validate=false"}, 1,
			[]string{"new-selector.yaml", "spec.selector", "field is immutable"}},
		{"crash rate above 1", forecastArgs("--crash-rate", "2"), 2, []string{"--crash-rate"}},
		{"bad pod start", forecastArgs("--pod-start", "soon"), 2, []string{`"soon"`}},
		{"no seeds", forecastArgs("--seeds", "0"), 2, []string{"--seeds"}},
		{"missing new", []string{"forecast", "--nodes", "x", "--daemonset", "y"}, 2, []string{"required flag --new-daemonset not set"}},
	})
}
