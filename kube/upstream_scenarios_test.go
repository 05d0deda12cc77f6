package kube

import (
	"encoding/json"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/daemonkit/daemonkit/daemonset"
)

// replayNow is the instant the oracle ran every folder at.
var replayNow = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)

// replayExpected is one expected*.json of testdata/upstream-scenarios: what the upstream
// controller (k8s.io/kubernetes v1.37.2) did in one sync.
type replayExpected struct {
	Creates            []string         `json:"creates"`
	Deletes            []string         `json:"deletes"`
	Status             map[string]int32 `json:"status"`
	Hash               string           `json:"hash"`
	StatusWritten      *bool            `json:"statusWritten"`
	ObservedGeneration *int64           `json:"observedGeneration"`
	Error              string           `json:"error"`
	CreatesUnion       []string         `json:"createsUnion"`
	DeletesUnion       []string         `json:"deletesUnion"`
}

// replayKnownFailures lists "folder/mode" subtests where daemonset.Plan disagrees with upstream,
// each with the reason. A listed subtest that starts to agree fails, so that the list only
// shrinks. Empty means Plan agrees with upstream on every folder and mode.
var replayKnownFailures = map[string]string{}

// TestUpstreamScenarios replays every folder of testdata/upstream-scenarios through the
// conversions of this package and daemonset.Plan, in both observe modes, and compares with what
// the upstream controller did: the hash; creates (node names) and deletes (pod names) as sets, or,
// where upstream picked among candidates in Go map order (createsUnion/deletesUnion), the same
// number of picks, each inside the union; the seven status counters; whether the status is
// written and its observedGeneration; whether the sync reported an error.
func TestUpstreamScenarios(t *testing.T) {
	seen := map[string]bool{}
	for _, dir := range upstreamFolders(t) {
		for _, mode := range []daemonset.ObserveMode{daemonset.ObserveNone, daemonset.ObserveImmediate} {
			key := dir + "/" + mode.String()
			t.Run(key, func(t *testing.T) {
				problems := replayFolder(t, filepath.Join(upstreamScenarios, dir), mode)
				reason, known := replayKnownFailures[key]
				seen[key] = true
				switch {
				case known && len(problems) == 0:
					t.Errorf("listed in replayKnownFailures (%s) but now agrees with upstream: remove it from the list", reason)
				case known:
					t.Logf("known disagreement (%s):\n%s", reason, strings.Join(problems, "\n"))
				case len(problems) > 0:
					t.Errorf("disagrees with upstream:\n%s", strings.Join(problems, "\n"))
				}
			})
		}
	}
	for key := range replayKnownFailures {
		if !seen[key] {
			t.Errorf("replayKnownFailures lists %q, which is no folder/mode of %s", key, upstreamScenarios)
		}
	}
}

// replayFolder runs one folder in one mode and returns every disagreement with upstream.
// Harness failures (unreadable files) stop the test at once.
func replayFolder(t *testing.T, dir string, mode daemonset.ObserveMode) []string {
	t.Helper()
	file := "expected.json"
	if mode == daemonset.ObserveImmediate {
		file = "expected-immediate.json"
	}
	var want replayExpected
	raw, err := os.ReadFile(filepath.Join(dir, file))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(raw, &want); err != nil {
		t.Fatalf("%s: %v", file, err)
	}
	flags, err := os.ReadFile(filepath.Join(dir, "flags"))
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		t.Fatal(err)
	}
	quota := strings.Contains(string(flags), "--create-quota")
	if len(flags) > 0 && !quota {
		t.Fatalf("flags %q: this test does not know how to compare them", strings.TrimSpace(string(flags)))
	}

	// The oracle defaulted the objects in process and never stored them: read them AsWritten.
	opts := DecodeOptions{AsWritten: true}
	kds, err := LoadDaemonSet(filepath.Join(dir, "ds.yaml"), opts)
	if err != nil {
		t.Fatal(err)
	}
	knodes, err := LoadNodes(filepath.Join(dir, "nodes.yaml"), opts)
	if err != nil {
		t.Fatal(err)
	}
	var in daemonset.Input
	if _, err := os.Stat(filepath.Join(dir, "pods.yaml")); err == nil {
		kpods, err := LoadPods(filepath.Join(dir, "pods.yaml"), opts)
		if err != nil {
			t.Fatal(err)
		}
		if in.Pods, err = PodsFromKube(kpods); err != nil {
			t.Fatal(err)
		}
	}
	// The oracle created the DaemonSet, and a created object has generation 1 (section 5.6); the
	// files leave it out unless they need another value.
	if kds.Generation == 0 {
		kds.Generation = 1
	}
	if in.DaemonSet, err = DaemonSetFromKube(kds); err != nil {
		t.Fatal(err)
	}
	if in.Nodes, err = NodesFromKube(knodes); err != nil {
		t.Fatal(err)
	}
	in.Hash = ComputeHash(&kds.Spec.Template, kds.Status.CollisionCount)
	in.Now = replayNow

	var problems []string
	if in.Hash != want.Hash {
		problems = append(problems, "hash "+in.Hash+", upstream "+want.Hash)
	}
	res, planErr := daemonset.Plan(in, daemonset.Options{Observe: mode})

	creates := make([]string, len(res.Creates))
	for i, c := range res.Creates {
		creates[i] = c.Node
	}
	deletes := make([]string, len(res.Deletes))
	for i, d := range res.Deletes {
		deletes[i] = d.Pod
	}
	if quota {
		// --create-quota makes the API server reject creates after the quota: upstream then stops
		// its slow-start batches and reports an error. A pure Plan makes the decisions that come
		// before the API answers, so compared here: the creates are exactly the nodes upstream could
		// pick from (createsUnion, every node that needs a pod), the deletes, and, in the none mode,
		// the status (it counts the input pods, not the creates). Not compared: the number of creates
		// (upstream's 5 are the quota, not a decision), the error (the API's), and the status in
		// the immediate mode (it counts the pods the API accepted).
		problems = append(problems, compareSet("creates", creates, want.CreatesUnion)...)
		problems = append(problems, compareSet("deletes", deletes, want.Deletes)...)
		if mode == daemonset.ObserveNone {
			problems = append(problems, compareStatus(res.Status, want.Status)...)
		}
		return problems
	}

	problems = append(problems, comparePicks("creates", creates, want.Creates, want.CreatesUnion)...)
	problems = append(problems, comparePicks("deletes", deletes, want.Deletes, want.DeletesUnion)...)
	problems = append(problems, compareStatus(res.Status, want.Status)...)
	if want.StatusWritten != nil && res.StatusWrite != *want.StatusWritten {
		problems = append(problems, "statusWritten "+boolString(res.StatusWrite)+", upstream "+boolString(*want.StatusWritten))
	}
	if want.StatusWritten != nil && *want.StatusWritten && want.ObservedGeneration != nil && res.Status.ObservedGeneration != *want.ObservedGeneration {
		problems = append(problems, "observedGeneration "+itoa(int(res.Status.ObservedGeneration))+", upstream "+itoa(int(*want.ObservedGeneration)))
	}
	if (planErr != nil) != (want.Error != "") {
		problems = append(problems, "error "+errString(planErr)+", upstream "+quoteOrNone(want.Error))
	}
	return problems
}

// comparePicks compares a list of names with upstream's: as sets when upstream's choice was
// deterministic (union empty), else by count with every name inside the union.
func comparePicks(what string, got, want, union []string) []string {
	if len(union) == 0 {
		return compareSet(what, got, want)
	}
	var problems []string
	if len(got) != len(want) {
		problems = append(problems, what+": "+itoa(len(got))+" "+strings.Join(sorted(got), ",")+"; upstream picks "+itoa(len(want))+" among "+strings.Join(union, ","))
	}
	for _, g := range got {
		if !slices.Contains(union, g) {
			problems = append(problems, what+": "+g+" is not among upstream's choices "+strings.Join(union, ","))
		}
	}
	return problems
}

func compareSet(what string, got, want []string) []string {
	g, w := sorted(got), sorted(want)
	if slices.Equal(g, w) {
		return nil
	}
	return []string{what + ": [" + strings.Join(g, ",") + "], upstream [" + strings.Join(w, ",") + "]"}
}

func compareStatus(got daemonset.Status, want map[string]int32) []string {
	counters := []struct {
		name string
		v    int32
	}{
		{"desiredNumberScheduled", got.DesiredNumberScheduled},
		{"currentNumberScheduled", got.CurrentNumberScheduled},
		{"numberMisscheduled", got.NumberMisscheduled},
		{"numberReady", got.NumberReady},
		{"updatedNumberScheduled", got.UpdatedNumberScheduled},
		{"numberAvailable", got.NumberAvailable},
		{"numberUnavailable", got.NumberUnavailable},
	}
	var problems []string
	for _, c := range counters {
		w, ok := want[c.name]
		if !ok {
			problems = append(problems, "status."+c.name+" missing from the expected file")
			continue
		}
		if c.v != w {
			problems = append(problems, "status."+c.name+" "+itoa(int(c.v))+", upstream "+itoa(int(w)))
		}
	}
	return problems
}

func sorted(s []string) []string {
	c := slices.Clone(s)
	slices.Sort(c)
	return c
}

func itoa(n int) string { return strings.TrimSpace(strings.Repeat(" ", 0) + formatInt(n)) }

func formatInt(n int) string {
	b, _ := json.Marshal(n)
	return string(b)
}

func boolString(b bool) string {
	if b {
		return "true"
	}
	return "false"
}

func errString(err error) string {
	if err == nil {
		return "none"
	}
	return "\"" + err.Error() + "\""
}

func quoteOrNone(s string) string {
	if s == "" {
		return "none"
	}
	return "\"" + s + "\""
}
