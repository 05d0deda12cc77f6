package main

import (
	"encoding/json"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestExplainGolden(t *testing.T) {
	cl := func(f string) string { return filepath.Join("testdata", "cluster", f) }
	base := []string{"explain", "--nodes", cl("nodes.yaml"), "--daemonset", cl("ds.yaml")}
	for _, tc := range []struct {
		golden string
		args   []string
	}{
		{"explain-cluster.txt", base},
		{"explain-cluster.json", append(append([]string{}, base...), "-o", "json")},
		{"explain-node-d.txt", append(append([]string{}, base...), "--node", "node-d")},
		{"explain-seed.txt", []string{"explain", "--nodes", "../../testdata/upstream-scenarios/01-fresh-one-tainted/nodes.yaml",
			"--daemonset", "../../testdata/upstream-scenarios/01-fresh-one-tainted/ds.yaml"}},
	} {
		t.Run(tc.golden, func(t *testing.T) {
			r := runCLI(t, tc.args...)
			require.Equal(t, 0, r.code, r.stderr)
			golden(t, tc.golden, r.stdout)
		})
	}
}

func TestExplainListsEveryFailingRule(t *testing.T) {
	r := runCLI(t, "explain", "--nodes", "testdata/cluster/nodes.yaml", "--daemonset", "testdata/cluster/ds.yaml", "--node", "node-d")
	require.Equal(t, 0, r.code, r.stderr)
	// node-d fails three rules at once: the nodeSelector, the zone affinity and a NoExecute taint.
	require.Contains(t, r.stdout, "Should run:  no")
	require.Contains(t, r.stdout, "May keep:    no")
	require.Contains(t, r.stdout, "disktype")
	require.Contains(t, r.stdout, "zone-c")
	require.Contains(t, r.stdout, "taint maintenance:NoExecute is not tolerated")
}

func TestBadInputs(t *testing.T) {
	cl := func(f string) string { return filepath.Join("testdata", "cluster", f) }
	bad := func(f string) string { return filepath.Join("testdata", "bad", f) }
	requireFailures(t, []failure{
		{"missing nodes file", []string{"plan", "--nodes", "nope.yaml", "--daemonset", cl("ds.yaml")}, 1,
			[]string{"nope.yaml", "no such file"}},
		{"typo in a field", []string{"explain", "--nodes", cl("nodes.yaml"), "--daemonset", bad("typo.yaml")}, 1,
			[]string{"typo.yaml", "nodeSelecter"}},
		{"invalid DaemonSet", []string{"plan", "--nodes", cl("nodes.yaml"), "--daemonset", bad("invalid.yaml")}, 1,
			[]string{"invalid.yaml", "\n  spec.updateStrategy.rollingUpdate.maxUnavailable", "\n  spec.template.metadata.labels", "--validate=false"}},
		{"broken YAML", []string{"plan", "--nodes", bad("broken.yaml"), "--daemonset", cl("ds.yaml")}, 1,
			[]string{"broken.yaml"}},
		{"wrong kind", []string{"explain", "--nodes", bad("pod-as-nodes.yaml"), "--daemonset", cl("ds.yaml")}, 1,
			[]string{"pod-as-nodes.yaml", "expected kind Node, got Pod"}},
		{"unknown node", []string{"explain", "--nodes", cl("nodes.yaml"), "--daemonset", cl("ds.yaml"), "--node", "node-z"}, 1,
			[]string{"nodes.yaml", `no node named "node-z"`}},
		{"missing --nodes", []string{"plan", "--daemonset", cl("ds.yaml")}, 2,
			[]string{"required flag --nodes not set"}},
		{"missing --daemonset", []string{"explain", "--nodes", cl("nodes.yaml")}, 2,
			[]string{"required flag --daemonset not set"}},
		{"bad --now", []string{"plan", "--nodes", cl("nodes.yaml"), "--daemonset", cl("ds.yaml"), "--now", "yesterday"}, 2,
			[]string{"--now", "RFC 3339"}},
		{"bad --observe", []string{"plan", "--nodes", cl("nodes.yaml"), "--daemonset", cl("ds.yaml"), "--observe", "sometimes"}, 2,
			[]string{`unknown observe mode "sometimes"`}},
		{"positional argument", []string{"plan", "extra", "--nodes", cl("nodes.yaml"), "--daemonset", cl("ds.yaml")}, 2,
			[]string{`unknown command "extra"`}},
		{"node twice", []string{"explain", "--nodes", bad("dup-nodes.yaml"), "--daemonset", cl("ds.yaml")}, 1,
			[]string{"dup-nodes.yaml", `node "node-a"`, "metadata.name: Duplicate value"}},
		{"node without a name", []string{"plan", "--nodes", bad("nameless-node.yaml"), "--daemonset", cl("ds.yaml")}, 1,
			[]string{"nameless-node.yaml", "node 1 of 1", "metadata.name: Required value"}},
		{"pod twice", []string{"plan", "--nodes", cl("nodes.yaml"), "--daemonset", cl("ds.yaml"), "--pods", bad("dup-pods.yaml")}, 1,
			[]string{"dup-pods.yaml", `pod "default/agent-x"`, "metadata.name: Duplicate value"}},
		{"invalid selector", []string{"plan", "--nodes", cl("nodes.yaml"), "--daemonset", bad("bad-selector.yaml")}, 1,
			[]string{"bad-selector.yaml", "spec.selector.matchExpressions[0].operator", "Bogus"}},
		// Plan refuses the selector itself: no report, an error naming the file and the field.
		{"invalid selector not validated", []string{"plan", "--nodes", cl("nodes.yaml"), "--daemonset", bad("bad-selector.yaml"), "--validate=false"}, 1,
			[]string{"bad-selector.yaml", "spec.selector", "Bogus"}},
	})
}

// A rolling update that fails beside manage's decisions: the report shows the decisions and the
// error, and the command fails, as the controller's sync does.
func TestRollingUpdateErrorIsReportedAndFails(t *testing.T) {
	args := []string{"plan", "--nodes", "testdata/cluster/nodes.yaml", "--daemonset", "testdata/bad/bad-maxunavailable.yaml",
		"--pods", "testdata/cluster/pods.yaml", "--validate=false", "--observe", "immediate", "--now", fixedNow}
	r := runCLI(t, args...)
	require.Equal(t, 1, r.code, r.stderr)
	require.Contains(t, r.stdout, "create   node-e")
	require.Contains(t, r.stdout, "error: plan: rolling update")
	require.Contains(t, r.stderr, `maxUnavailable: invalid value "abc"`)

	r = runCLI(t, append(args, "-o", "json")...)
	require.Equal(t, 1, r.code, r.stderr)
	var rep planReport
	require.NoError(t, json.Unmarshal([]byte(r.stdout), &rep))
	require.Len(t, rep.Creates, 1)
	require.Contains(t, rep.Error, `maxUnavailable: invalid value "abc"`)
}

func TestInvalidDaemonSetCanBePlannedOnRequest(t *testing.T) {
	// --validate=false shows what the controller would do with an object that bypassed the API
	// server's validation (here: maxUnavailable and maxSurge both 0).
	r := runCLI(t, "plan", "--nodes", "testdata/cluster/nodes.yaml", "--daemonset", "testdata/bad/invalid.yaml",
		"--validate=false", "--now", fixedNow, "-o", "json")
	require.Equal(t, 0, r.code, r.stderr)
	require.Contains(t, r.stdout, `"hash"`)
}
