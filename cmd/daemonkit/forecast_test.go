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

	// A crash-looping image stalls some runs, and forecast says why.
	r = runCLI(t, forecastArgs("--seeds", "40", "--crash-rate", "0.5", "-o", "json")...)
	require.Equal(t, 0, r.code, r.stderr)
	require.NoError(t, json.Unmarshal([]byte(r.stdout), &rep))
	require.Greater(t, rep.StallProbability, 0.0)
	require.NotEmpty(t, rep.StallCauses)
	require.Contains(t, rep.StallCauses[0].Cause, "crash-looping")
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
			filepath.Join(seedRollout, "old.yaml"), "--new-daemonset", "testdata/cluster/ds.yaml"}, 1, []string{"is not the one in"}},
		{"crash rate above 1", forecastArgs("--crash-rate", "2"), 2, []string{"--crash-rate"}},
		{"bad pod start", forecastArgs("--pod-start", "soon"), 2, []string{`"soon"`}},
		{"no seeds", forecastArgs("--seeds", "0"), 2, []string{"--seeds"}},
		{"missing new", []string{"forecast", "--nodes", "x", "--daemonset", "y"}, 2, []string{"required flag --new-daemonset not set"}},
	})
}
