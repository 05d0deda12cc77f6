package kube

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/daemonkit/daemonkit/daemonset"
	"github.com/daemonkit/daemonkit/rollout"
	"github.com/daemonkit/daemonkit/simulate"
)

// upstreamExpected is the part of testdata/upstream-rollouts/*/expected.json the simulator must
// reproduce.
type upstreamExpected struct {
	OldHash                string          `json:"oldHash"`
	NewHash                string          `json:"newHash"`
	ReadyAfter             string          `json:"readyAfter"`
	SyncPeriod             string          `json:"syncPeriod"`
	TerminateAfter         string          `json:"terminateAfter"`
	Completed              bool            `json:"completed"`
	Syncs                  int             `json:"syncs"`
	DurationSeconds        int             `json:"durationSeconds"`
	Waves                  int             `json:"waves"`
	CreateSyncs            int             `json:"createSyncs"`
	DeleteSyncs            int             `json:"deleteSyncs"`
	TotalCreates           int             `json:"totalCreates"`
	TotalDeletes           int             `json:"totalDeletes"`
	MaxUnavailableObserved int             `json:"maxUnavailableObserved"`
	MaxSurgeObserved       int             `json:"maxSurgeObserved"`
	FinalStatus            upstreamStatus  `json:"finalStatus"`
	SeriesMode             string          `json:"seriesMode"`
	Series                 []upstreamPoint `json:"series"`
}

type upstreamStatus struct {
	DesiredNumberScheduled int32 `json:"desiredNumberScheduled"`
	CurrentNumberScheduled int32 `json:"currentNumberScheduled"`
	NumberMisscheduled     int32 `json:"numberMisscheduled"`
	NumberReady            int32 `json:"numberReady"`
	UpdatedNumberScheduled int32 `json:"updatedNumberScheduled"`
	NumberAvailable        int32 `json:"numberAvailable"`
	NumberUnavailable      int32 `json:"numberUnavailable"`
}

type upstreamPoint struct {
	Sync                   int   `json:"sync"`
	T                      int   `json:"t"`
	Creates                int   `json:"creates"`
	Deletes                int   `json:"deletes"`
	UpdatedNumberScheduled int32 `json:"updatedNumberScheduled"`
	NumberAvailable        int32 `json:"numberAvailable"`
	NumberUnavailable      int32 `json:"numberUnavailable"`
	Unavailable            int   `json:"unavailable"`
	MaxUnavailableSoFar    int   `json:"maxUnavailableSoFar"`
	UpdatedAvailable       int   `json:"updatedAvailable"`
	Surge                  int   `json:"surge"`
}

// TestUpstreamRollouts replays every rollout the real controller made in
// testdata/upstream-rollouts with the simulator's upstream-rollouts preset and compares every
// figure and the whole series. Folder 04 (1,000 nodes, 11,001 syncs) runs without -short only.
func TestUpstreamRollouts(t *testing.T) {
	root := filepath.Join("..", "testdata", "upstream-rollouts")
	dirs, err := os.ReadDir(root)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, d := range dirs {
		if !d.IsDir() {
			continue
		}
		n++
		dir := filepath.Join(root, d.Name())
		t.Run(d.Name(), func(t *testing.T) {
			if _, err := os.Stat(filepath.Join(dir, "slow")); err == nil && testing.Short() {
				t.Skip("slow folder: runs without -short")
			}
			checkUpstreamRollout(t, dir)
		})
	}
	if n != 10 {
		t.Fatalf("found %d folders, want 10", n)
	}
}

func checkUpstreamRollout(t *testing.T, dir string) {
	var want upstreamExpected
	raw, err := os.ReadFile(filepath.Join(dir, "expected.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(raw, &want); err != nil {
		t.Fatal(err)
	}
	for _, full := range []bool{false, true} {
		sc := upstreamScenario(t, dir, want)
		sc.Controller.FullPlan = full
		mode := "incremental reconcile"
		if full {
			mode = "daemonset.Plan at every sync"
		}
		t.Run(mode, func(t *testing.T) { compareUpstream(t, sc, want) })
	}
}

func compareUpstream(t *testing.T, sc simulate.Scenario, want upstreamExpected) {
	res, err := simulate.Run(sc, 1)
	if err != nil {
		t.Fatal(err)
	}
	if res.Violation != nil {
		t.Fatalf("violation: %v", res.Violation)
	}
	got := summarize(res)
	check := func(name string, g, w int) {
		t.Helper()
		if g != w {
			t.Errorf("%s = %d, upstream %d", name, g, w)
		}
	}
	check("completed", b2i(res.Metrics.Completed), b2i(want.Completed))
	check("syncs", got.Syncs, want.Syncs)
	check("durationSeconds", got.DurationSeconds, want.DurationSeconds)
	check("waves", got.Waves, want.Waves)
	check("createSyncs", got.CreateSyncs, want.CreateSyncs)
	check("deleteSyncs", got.DeleteSyncs, want.DeleteSyncs)
	check("totalCreates", got.TotalCreates, want.TotalCreates)
	check("totalDeletes", got.TotalDeletes, want.TotalDeletes)
	check("maxUnavailableObserved", got.MaxUnavailableObserved, want.MaxUnavailableObserved)
	check("maxSurgeObserved", got.MaxSurgeObserved, want.MaxSurgeObserved)
	fs := res.FinalStatus
	gs := upstreamStatus{fs.DesiredNumberScheduled, fs.CurrentNumberScheduled, fs.NumberMisscheduled, fs.NumberReady,
		fs.UpdatedNumberScheduled, fs.NumberAvailable, fs.NumberUnavailable}
	if gs != want.FinalStatus {
		t.Errorf("final status %+v, upstream %+v", gs, want.FinalStatus)
	}
	if want.SeriesMode == "changes" {
		if len(got.Series) != len(want.Series) {
			t.Errorf("series has %d points, upstream %d", len(got.Series), len(want.Series))
		}
		for i := 0; i < min(len(got.Series), len(want.Series)); i++ {
			if got.Series[i] != want.Series[i] {
				t.Errorf("series[%d]:\n got %+v\nwant %+v", i, got.Series[i], want.Series[i])
				break
			}
		}
	}
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

// summarize computes expected.json's figures from the simulator's sync records, the way the
// upstream harness does: waves are syncs with writes, the series keeps the syncs whose writes or
// figures changed.
func summarize(res *simulate.Result) upstreamExpected {
	var out upstreamExpected
	var prev *upstreamPoint
	maxU := 0
	for _, r := range res.Syncs {
		out.Syncs++
		out.DurationSeconds = int(r.At / time.Second)
		if r.Creates > 0 || r.Deletes > 0 {
			out.Waves++
		}
		if r.Creates > 0 {
			out.CreateSyncs++
		}
		if r.Deletes > 0 {
			out.DeleteSyncs++
		}
		out.TotalCreates += r.Creates
		out.TotalDeletes += r.Deletes
		maxU = max(maxU, r.Unavailable)
		out.MaxSurgeObserved = max(out.MaxSurgeObserved, r.Surge)
		p := upstreamPoint{
			Sync: r.Sync, T: int(r.At / time.Second), Creates: r.Creates, Deletes: r.Deletes,
			UpdatedNumberScheduled: r.Status.UpdatedNumberScheduled, NumberAvailable: r.Status.NumberAvailable,
			NumberUnavailable: r.Status.NumberUnavailable, Unavailable: r.Unavailable, MaxUnavailableSoFar: maxU,
			UpdatedAvailable: r.UpdatedAvailable, Surge: r.Surge,
		}
		if prev == nil || changed(*prev, p) {
			out.Series = append(out.Series, p)
		}
		prev = &p
	}
	out.MaxUnavailableObserved = maxU
	return out
}

func changed(a, b upstreamPoint) bool {
	if b.Creates > 0 || b.Deletes > 0 {
		return true
	}
	a.Sync, a.T, a.Creates, a.Deletes = b.Sync, b.T, b.Creates, b.Deletes
	return a != b
}

// upstreamScenario builds the simulator scenario of one folder: the old DaemonSet converged on
// the nodes (or the listed pods), the new template at t = 0, the upstream-rollouts model.
func upstreamScenario(t *testing.T, dir string, want upstreamExpected) simulate.Scenario {
	t.Helper()
	oldK, err := LoadDaemonSet(filepath.Join(dir, "old.yaml"), DecodeOptions{})
	if err != nil {
		t.Fatal(err)
	}
	newK, err := LoadDaemonSet(filepath.Join(dir, "new.yaml"), DecodeOptions{})
	if err != nil {
		t.Fatal(err)
	}
	nodesK, err := LoadNodes(filepath.Join(dir, "nodes.yaml"), DecodeOptions{})
	if err != nil {
		t.Fatal(err)
	}
	args, err := os.ReadFile(filepath.Join(dir, "args"))
	if err != nil {
		t.Fatal(err)
	}
	flags := parseArgs(string(args))
	// The edge's converters, and upstream's hashes as a cross-check of ComputeHash.
	if h := ComputeHash(&oldK.Spec.Template, nil); h != want.OldHash {
		t.Errorf("old template hash %s, upstream %s", h, want.OldHash)
	}
	if h := ComputeHash(&newK.Spec.Template, nil); h != want.NewHash {
		t.Errorf("new template hash %s, upstream %s", h, want.NewHash)
	}
	oldPtr, err := DaemonSetFromKube(oldK)
	if err != nil {
		t.Fatal(err)
	}
	newPtr, err := DaemonSetFromKube(newK)
	if err != nil {
		t.Fatal(err)
	}
	oldDS, newDS := *oldPtr, *newPtr
	oldDS.UID, oldDS.Generation = "uid-"+oldDS.Name, 1
	oldDS.Annotations = map[string]string{daemonset.TemplateGenerationAnnotation: "1"}
	nodes, err := NodesFromKube(nodesK)
	if err != nil {
		t.Fatal(err)
	}
	sc := simulate.NewScenario(filepath.Base(dir), oldDS, simulate.Revision{Name: "old", Hash: want.OldHash}, nodes...)
	sc = sc.UpstreamRollouts(flags["--sync-period"], flags["--ready-after"], flags["--terminate-after"])
	if _, err := os.Stat(filepath.Join(dir, "pods.yaml")); err == nil {
		podsK, err := LoadPods(filepath.Join(dir, "pods.yaml"), DecodeOptions{})
		if err != nil {
			t.Fatal(err)
		}
		sc.InitialPods = simulate.PodsListed
		pods, err := PodsFromKube(podsK)
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range pods {
			if p.Controller != nil {
				p.Controller.UID = oldDS.UID // the recorded pods name their owner without a UID
			}
			sc.Pods = append(sc.Pods, p)
		}
	}
	tmpl := newDS.Template
	strat := newDS.UpdateStrategy
	sc = sc.At(0, simulate.Event{Kind: simulate.EventUpdate, Revision: &simulate.Revision{Name: "new", Hash: want.NewHash, Template: &tmpl}})
	if !sameStrategy(strat, oldDS.UpdateStrategy) {
		sc = sc.At(0, simulate.Event{Kind: simulate.EventStrategy, Strategy: &strat})
	}
	if newDS.MinReadySeconds != oldDS.MinReadySeconds {
		sc = sc.At(0, simulate.Event{Kind: simulate.EventMinReadySecs, MinReadySeconds: newDS.MinReadySeconds})
	}
	sc.RecordSyncs = true
	sc.Duration = 24 * time.Hour
	return sc
}

func sameStrategy(a, b daemonset.UpdateStrategy) bool {
	if a.Type != b.Type || (a.RollingUpdate == nil) != (b.RollingUpdate == nil) {
		return false
	}
	if a.RollingUpdate == nil {
		return true
	}
	eq := func(x, y *rollout.IntOrPercent) bool {
		if x == nil || y == nil {
			return x == y
		}
		return *x == *y
	}
	return eq(a.RollingUpdate.MaxSurge, b.RollingUpdate.MaxSurge) && eq(a.RollingUpdate.MaxUnavailable, b.RollingUpdate.MaxUnavailable)
}

func parseArgs(s string) map[string]time.Duration {
	out := map[string]time.Duration{}
	f := strings.Fields(s)
	for i := 0; i+1 < len(f); i += 2 {
		if d, err := time.ParseDuration(f[i+1]); err == nil {
			out[f[i]] = d
		}
	}
	return out
}
