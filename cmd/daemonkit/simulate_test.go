package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/daemonkit/daemonkit/daemonset"
	"github.com/daemonkit/daemonkit/kube"
	"github.com/daemonkit/daemonkit/simulate"
)

func TestSimulateGolden(t *testing.T) {
	for _, tc := range []struct{ scenario, golden string }{
		{"seed-rollout.yaml", "simulate-seed-rollout.txt"},
		{"bad-image.yaml", "simulate-bad-image.txt"},
	} {
		t.Run(tc.scenario, func(t *testing.T) {
			r := runCLI(t, "simulate", filepath.Join("testdata", "scenarios", tc.scenario))
			require.Equal(t, 0, r.code, r.stderr)
			require.Empty(t, r.stderr)
			golden(t, tc.golden, r.stdout)
		})
	}
}

func TestSimulateBadImageStalls(t *testing.T) {
	r := runCLI(t, "simulate", "testdata/scenarios/bad-image.yaml", "-o", "json")
	require.Equal(t, 0, r.code, r.stderr)
	var rep simulateReport
	require.NoError(t, json.Unmarshal([]byte(r.stdout), &rep))
	require.False(t, rep.Converged)
	require.False(t, rep.Metrics.Completed)
	require.Nil(t, rep.Violation, "a stall is not a violation: the budget held")
	require.Equal(t, 1, rep.Metrics.MaxControllerUnavailable)
	require.NotEmpty(t, rep.Stalls)
	require.Contains(t, rep.Stalls[0].Cause, "crash-looping")
	// The outcome tells a stall (old pods left, the budget held by a pod that never becomes
	// available) from a rollout that replaced every pod.
	require.Equal(t, simulate.OutcomeStalled, rep.Outcome.Class)
	require.Equal(t, simulate.BlockedBudget, rep.Outcome.Blocked)
	require.Equal(t, 3, rep.Outcome.Desired)
	require.Equal(t, int(rep.Status.UpdatedNumberScheduled), rep.Outcome.Updated)
	require.Equal(t, []causeCount{{Cause: simulate.CauseNewCrashLoop, Nodes: 1}}, rep.Outcome.Causes)
	require.False(t, rep.Metrics.AllUpdated)
	// The shape: camelCase keys, durations as Go duration strings, as plan and forecast print.
	var raw struct {
		Metrics map[string]any `json:"metrics"`
		Outcome map[string]any `json:"outcome"`
	}
	require.NoError(t, json.Unmarshal([]byte(r.stdout), &raw))
	require.Equal(t, "30s", raw.Metrics["start"], "the update is at 30s")
	require.Contains(t, raw.Metrics, "maxControllerUnavailable")
	require.Contains(t, raw.Outcome, "class")
	require.NotContains(t, r.stdout, `"Start"`)
	down := raw.Metrics["downtime"].([]any)[0].(map[string]any)
	require.Equal(t, "node-1", down["node"])
	_, err := time.ParseDuration(down["downtime"].(string))
	require.NoError(t, err)
}

func TestSimulateTraceAndChart(t *testing.T) {
	dir := t.TempDir()
	trace, svg := filepath.Join(dir, "run.jsonl"), filepath.Join(dir, "run.svg")
	r := runCLI(t, "simulate", "testdata/scenarios/seed-rollout.yaml", "--seed", "7", "--trace", trace, "--chart", svg)
	require.Equal(t, 0, r.code, r.stderr)
	f, err := os.Open(trace)
	require.NoError(t, err)
	defer f.Close()
	lines := 0
	kinds := map[string]bool{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		var ev simulate.TraceEvent
		require.NoError(t, json.Unmarshal(sc.Bytes(), &ev), "line %d", lines+1)
		kinds[ev.Kind] = true
		lines++
	}
	require.Greater(t, lines, 10)
	require.True(t, kinds["Update"], "the template update is in the trace: %v", kinds)
	b, err := os.ReadFile(svg)
	require.NoError(t, err)
	require.Contains(t, string(b), "seed-rollout (seed 7)")

	// The same seed gives the same trace, byte for byte.
	trace2 := filepath.Join(dir, "run2.jsonl")
	r = runCLI(t, "simulate", "testdata/scenarios/seed-rollout.yaml", "--seed", "7", "--trace", trace2)
	require.Equal(t, 0, r.code, r.stderr)
	b1, _ := os.ReadFile(trace)
	b2, _ := os.ReadFile(trace2)
	require.Equal(t, string(b1), string(b2))
}

func TestSimulateErrors(t *testing.T) {
	requireFailures(t, []failure{
		{"no scenario", []string{"simulate"}, 2, []string{"accepts 1 arg(s), received 0"}},
		{"missing file", []string{"simulate", "nope.yaml"}, 1, []string{"nope.yaml"}},
		{"unknown event kind", []string{"simulate", "testdata/scenarios/bad-event.yaml"}, 1, []string{`bad-event.yaml: events[0].kind: unsupported value "Upgrade"`}},
		{"bad seed", []string{"simulate", "testdata/scenarios/seed-rollout.yaml", "--seed", "-1"}, 2, []string{"--seed"}},
	})
}

// budgetBreaker is a controller that deletes every old pod at once during a rolling update: the
// max-unavailable invariant must catch it.
func budgetBreaker(in daemonset.Input, opts daemonset.Options) (daemonset.Result, error) {
	res, err := daemonset.Plan(in, opts)
	if err != nil || len(res.Creates) > 0 {
		return res, err
	}
	for _, p := range in.Pods {
		if p.Labels[daemonset.RevisionHashLabel] != in.Hash && p.DeletionTimestamp == nil {
			res.Deletes = append(res.Deletes, daemonset.Delete{Pod: p.Name, Node: p.NodeName, Kind: daemonset.DeleteRollingUpdate, Reason: "impatient"})
		}
	}
	return res, nil
}

func TestSimulateViolationPrintsReplay(t *testing.T) {
	sc, err := kube.LoadScenario("testdata/scenarios/seed-rollout.yaml")
	require.NoError(t, err)
	sc.Planner = simulate.PlanFunc(budgetBreaker)
	res, err := simulate.Run(sc, 3)
	require.NoError(t, err)
	require.NotNil(t, res.Violation, "deleting every old pod at once must break max-unavailable")

	var out bytes.Buffer
	err = reportSimulation(&out, outputTable, res, "testdata/scenarios/seed-rollout.yaml")
	var s *silentError
	require.True(t, errors.As(err, &s), "a violation exits non-zero: %v", err)
	require.Equal(t, exitFailure, exitCode(err))
	text := out.String()
	require.Contains(t, text, "INVARIANT VIOLATED: invariant "+simulate.InvUnavailable)
	require.Contains(t, text, "daemonkit simulate testdata/scenarios/seed-rollout.yaml --seed 3")
	require.Contains(t, text, "The last events before it:")

	// The same in JSON carries the replay command too.
	out.Reset()
	_ = reportSimulation(&out, outputJSON, res, "x.yaml")
	var rep simulateReport
	require.NoError(t, json.Unmarshal(out.Bytes(), &rep))
	require.Equal(t, "daemonkit simulate x.yaml --seed 3", rep.Replay)
	require.Equal(t, simulate.InvUnavailable, rep.Violation.Invariant)
	at, err := time.ParseDuration(rep.Violation.At)
	require.NoError(t, err)
	require.Greater(t, at, 30*time.Second, "it breaks during the rollout, which starts at 30s")
	require.Equal(t, res.Violation.At, at)
	require.NotEmpty(t, rep.Violation.History)
}
