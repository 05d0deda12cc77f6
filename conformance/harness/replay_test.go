package harness_test

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	utilerrors "k8s.io/apimachinery/pkg/util/errors"

	"github.com/daemonkit/daemonkit/conformance/harness"
	"github.com/daemonkit/daemonkit/conformance/scenario"
)

// scenariosDir holds cluster states with the outcomes the real controller recorded on them.
const scenariosDir = "../../testdata/upstream-scenarios"

// TestReplayUpstreamScenarios proves the harness drives the real controller the way the oracle
// that recorded testdata/upstream-scenarios did: on every folder, in both observation modes, it
// reproduces the recorded creates, deletes, status, hash, revisions and error. Where upstream
// picks by map order, the count must match and every choice lie inside the recorded union; such
// folders run several times.
func TestReplayUpstreamScenarios(t *testing.T) {
	dirs, err := os.ReadDir(scenariosDir)
	if err != nil {
		t.Fatal(err)
	}
	folders := 0
	for _, d := range dirs {
		if !d.IsDir() {
			continue
		}
		folders++
		dir := filepath.Join(scenariosDir, d.Name())
		t.Run(d.Name(), func(t *testing.T) {
			cluster, err := scenario.Load(dir)
			if err != nil {
				t.Fatal(err)
			}
			flags, err := scenario.LoadFlags(filepath.Join(dir, "flags"))
			if err != nil {
				t.Fatal(err)
			}
			for _, mode := range []harness.Observe{harness.ObserveNone, harness.ObserveImmediate} {
				file := "expected.json"
				if mode == harness.ObserveImmediate {
					file = "expected-immediate.json"
				}
				want, err := scenario.LoadExpected(filepath.Join(dir, file))
				if err != nil {
					t.Fatal(err)
				}
				now, err := time.Parse(time.RFC3339, want.Now)
				if err != nil {
					t.Fatal(err)
				}
				runs := 1
				if want.DistinctOutcomes > 1 {
					runs = 5
				}
				for range runs {
					got, err := harness.Sync(cluster, harness.Options{Now: now, Observe: mode, CreateQuota: flags.CreateQuota})
					if err != nil {
						t.Fatal(err)
					}
					checkRecorded(t, mode, want, got)
				}
			}
		})
	}
	if folders < 60 {
		t.Fatalf("found only %d scenario folders in %s", folders, scenariosDir)
	}
}

func checkRecorded(t *testing.T, mode harness.Observe, want scenario.Expected, got harness.Outcome) {
	t.Helper()
	checkChoices(t, mode.String()+" creates", want.Creates, want.CreatesUnion, got.Creates)
	checkChoices(t, mode.String()+" deletes", want.Deletes, want.DeletesUnion, got.Deletes)
	s := got.Status
	gotCounters := scenario.Counters{
		DesiredNumberScheduled: s.DesiredNumberScheduled, CurrentNumberScheduled: s.CurrentNumberScheduled,
		NumberMisscheduled: s.NumberMisscheduled, NumberReady: s.NumberReady,
		UpdatedNumberScheduled: s.UpdatedNumberScheduled, NumberAvailable: s.NumberAvailable,
		NumberUnavailable: s.NumberUnavailable,
	}
	if gotCounters != want.Status {
		t.Errorf("%s status: got %+v, recorded %+v", mode, gotCounters, want.Status)
	}
	if got.StatusWritten != want.StatusWritten {
		t.Errorf("%s statusWritten: got %v, recorded %v", mode, got.StatusWritten, want.StatusWritten)
	}
	if s.ObservedGeneration != want.ObservedGeneration {
		t.Errorf("%s observedGeneration: got %d, recorded %d", mode, s.ObservedGeneration, want.ObservedGeneration)
	}
	if got.Hash != want.Hash {
		t.Errorf("%s hash: got %q, recorded %q", mode, got.Hash, want.Hash)
	}
	if !slices.Equal(got.RevisionsCreated, want.RevisionsCreated) {
		t.Errorf("%s revisions created: got %v, recorded %v", mode, got.RevisionsCreated, want.RevisionsCreated)
	}
	if got.CreatesFailed != want.CreatesFailed {
		t.Errorf("%s failed creates: got %d, recorded %d", mode, got.CreatesFailed, want.CreatesFailed)
	}
	if !sameError(got.Err, want.Error) {
		t.Errorf("%s error: got %q, recorded %q", mode, got.Err, want.Error)
	}
}

// sameError reports whether the sync's error reads as the recorded one. The quota error names the
// quota object, which the harness calls differently. Upstream creates a batch of pods in parallel
// goroutines and aggregates their errors in the order the goroutines report them, so an aggregate
// error matches when it holds the recorded errors in any order.
func sameError(got error, want string) bool {
	if got == nil {
		return want == ""
	}
	rename := func(msg string) string { return strings.ReplaceAll(msg, "harness-quota", "oracle-quota") }
	if rename(got.Error()) == want {
		return true
	}
	var agg utilerrors.Aggregate
	if !errors.As(got, &agg) || !strings.HasPrefix(want, "[") || !strings.HasSuffix(want, "]") {
		return false
	}
	var parts []string
	for _, e := range agg.Errors() {
		// An aggregate prints each message once; so is it compared.
		if msg := rename(e.Error()); !slices.Contains(parts, msg) {
			parts = append(parts, msg)
		}
	}
	// Take the recorded list apart one error at a time ("[a, b]": the errors contain commas too).
	rest := want[1 : len(want)-1]
	for len(parts) > 0 {
		i := slices.IndexFunc(parts, func(p string) bool { return rest == p || strings.HasPrefix(rest, p+", ") })
		if i < 0 {
			return false
		}
		rest = strings.TrimPrefix(strings.TrimPrefix(rest, parts[i]), ", ")
		parts = slices.Delete(parts, i, i+1)
	}
	return rest == ""
}

// checkChoices compares one list of choices: exactly, when upstream was deterministic; else the
// same count as the recorded run and every choice inside the recorded union.
func checkChoices(t *testing.T, what string, want, union, got []string) {
	t.Helper()
	if union == nil {
		if !slices.Equal(got, want) && !(len(got) == 0 && len(want) == 0) {
			t.Errorf("%s: got %v, recorded %v", what, got, want)
		}
		return
	}
	if len(got) != len(want) {
		t.Errorf("%s: got %d choices %v, recorded %d %v", what, len(got), got, len(want), want)
	}
	for _, g := range got {
		if !slices.Contains(union, g) {
			t.Errorf("%s: %q is not among upstream's recorded choices %v", what, g, union)
		}
	}
}

// TestSameError: an aggregate matches the recorded list in any order, and only with the same
// messages.
func TestSameError(t *testing.T) {
	a := errors.New(`pods "p-1" is forbidden: exceeded quota: harness-quota, requested: pods=1`)
	b := errors.New(`pods "p-2" is forbidden: exceeded quota: harness-quota, requested: pods=1`)
	recorded := `[pods "p-1" is forbidden: exceeded quota: oracle-quota, requested: pods=1, pods "p-2" is forbidden: exceeded quota: oracle-quota, requested: pods=1]`
	for _, c := range []struct {
		got  error
		want string
		same bool
	}{
		{nil, "", true},
		{nil, recorded, false},
		{a, "", false},
		{utilerrors.NewAggregate([]error{a, b}), recorded, true},
		{utilerrors.NewAggregate([]error{b, a}), recorded, true},
		{fmt.Errorf("sync: %w", utilerrors.NewAggregate([]error{b, a})), recorded, true},
		{utilerrors.NewAggregate([]error{a}), recorded, false},
		{utilerrors.NewAggregate([]error{a, a}), recorded, false},
		{utilerrors.NewAggregate([]error{a, b, a}), recorded, true}, // printed once each, as upstream prints it
		{errors.New("other"), "other", true},
	} {
		if got := sameError(c.got, c.want); got != c.same {
			t.Errorf("sameError(%v, %q) = %v, want %v", c.got, c.want, got, c.same)
		}
	}
}
