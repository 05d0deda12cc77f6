package harness_test

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

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
	gotErr := ""
	if got.Err != nil {
		gotErr = got.Err.Error()
	}
	// The quota error names the quota object; the harness's is called differently.
	gotErr = strings.ReplaceAll(gotErr, "harness-quota", "oracle-quota")
	if gotErr != want.Error {
		t.Errorf("%s error: got %q, recorded %q", mode, gotErr, want.Error)
	}
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
