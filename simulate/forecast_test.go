package simulate

import (
	"reflect"
	"sort"
	"testing"
	"time"
)

func forecastScenario() Scenario {
	sc := NewScenario("forecast", testDS("agent", 2, 0), Revision{Name: "v1"}, Nodes("node", 30, nil)...).RealCluster()
	sc = sc.At(time.Minute, Event{Kind: EventUpdate, Revision: &Revision{Name: "v2", CrashProbability: 0.02}})
	sc.Duration = 3 * time.Hour
	return sc
}

// A forecast does not depend on how many runs go at once.
func TestForecastIsDeterministic(t *testing.T) {
	sc := forecastScenario()
	a, err := RunForecast(sc, ForecastOptions{Runs: 40, Parallel: 1})
	if err != nil {
		t.Fatal(err)
	}
	b, err := RunForecast(sc, ForecastOptions{Runs: 40, Parallel: 4})
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(a, b) {
		t.Fatalf("forecast depends on parallelism:\n%+v\n%+v", a, b)
	}
	if a.Completed+a.Violations+a.Stalled != a.Runs {
		t.Fatalf("runs do not add up: %+v", a)
	}
	// A 2% chance per pod of a bad start over 30 pods stalls some runs, not all.
	if a.StallProbability <= 0 || a.StallProbability >= 1 || a.P50 <= 0 || a.P50 > a.P99 {
		t.Fatalf("forecast %+v", a)
	}
	if _, err := RunForecast(sc, ForecastOptions{}); err == nil {
		t.Fatal("a forecast of no runs should be an error")
	}
}

// Every figure of a forecast is the one its runs, replayed one by one, give.
func TestForecastAgreesWithItsRuns(t *testing.T) {
	sc := forecastScenario()
	seeds := []uint64{9, 3, 27, 1, 14, 8, 5, 30, 2, 11, 40, 6}
	f, err := RunForecast(sc, ForecastOptions{Seeds: seeds, Parallel: 3})
	if err != nil {
		t.Fatal(err)
	}
	var durs []time.Duration
	var waves []int
	budget, maxUnavail, stalled := 0, 0, 0
	causeRuns := map[string]int{}
	var medianSeed uint64
	results := map[uint64]*Result{}
	for _, seed := range seeds {
		r := mustRun(t, sc, seed)
		results[seed] = r
		budget, maxUnavail = max(budget, r.Metrics.Budget), max(maxUnavail, r.Metrics.MaxUnavailable)
		if r.Metrics.Completed {
			durs = append(durs, r.Metrics.Duration)
			waves = append(waves, r.Metrics.Waves)
			continue
		}
		stalled++
		for c := range stallCauses(r) {
			causeRuns[c]++
		}
	}
	sort.Slice(durs, func(i, j int) bool { return durs[i] < durs[j] })
	sort.Ints(waves)
	if f.Completed != len(durs) || f.Stalled != stalled || f.Violations != 0 || f.Runs != len(seeds) {
		t.Fatalf("counts: %+v, want %d completed and %d stalled", f, len(durs), stalled)
	}
	if stalled == 0 || len(durs) == 0 {
		t.Fatalf("the test wants both completed and stalled runs, got %d and %d", len(durs), stalled)
	}
	if !reflect.DeepEqual(f.Durations, durs) || f.Max != durs[len(durs)-1] {
		t.Fatalf("durations %v, want %v", f.Durations, durs)
	}
	// Nearest rank on 11 or fewer values: p50 is the ceil(n/2)-th, p90 and p99 near the top.
	n := len(durs)
	if f.P50 != durs[(n+1)/2-1] || f.P99 != durs[n-1] || f.WavesP50 != waves[(n+1)/2-1] || f.WavesP99 != waves[n-1] {
		t.Fatalf("percentiles %v/%v waves %d/%d, from %v and %v", f.P50, f.P99, f.WavesP50, f.WavesP99, durs, waves)
	}
	if f.Budget != budget || f.MaxUnavailable != maxUnavail || budget != 2 {
		t.Fatalf("budget %d max unavailable %d, want %d and %d", f.Budget, f.MaxUnavailable, budget, maxUnavail)
	}
	for _, seed := range seeds {
		if r := results[seed]; r.Metrics.Completed && r.Metrics.Duration == f.P50 {
			medianSeed = seed
			break
		}
	}
	if f.MedianSeed != medianSeed {
		t.Fatalf("median seed %d, want %d (the first seed listed whose run took p50)", f.MedianSeed, medianSeed)
	}
	got := map[string]int{}
	for i, c := range f.StallCauses {
		got[c.Cause] = c.Runs
		if i > 0 {
			p := f.StallCauses[i-1]
			if p.Runs < c.Runs || (p.Runs == c.Runs && p.Cause >= c.Cause) {
				t.Fatalf("stall causes out of order: %+v", f.StallCauses)
			}
		}
	}
	if !reflect.DeepEqual(got, causeRuns) {
		t.Fatalf("stall causes %v, want %v", got, causeRuns)
	}
}

// stallCauses are the distinct causes of a stalled run.
func stallCauses(r *Result) map[string]bool {
	out := map[string]bool{}
	for _, s := range r.Stalls {
		out[s.Cause] = true
	}
	if len(out) == 0 {
		out[CauseUnfinished] = true
	}
	return out
}

// Progress counts the finished runs one by one, whatever the parallelism.
func TestForecastProgress(t *testing.T) {
	sc := forecastScenario()
	for _, par := range []int{1, 3} {
		var calls [][2]int
		_, err := RunForecast(sc, ForecastOptions{Runs: 7, Parallel: par, Progress: func(done, total int) {
			calls = append(calls, [2]int{done, total})
		}})
		if err != nil {
			t.Fatal(err)
		}
		want := [][2]int{{1, 7}, {2, 7}, {3, 7}, {4, 7}, {5, 7}, {6, 7}, {7, 7}}
		if !reflect.DeepEqual(calls, want) {
			t.Fatalf("parallel %d: progress %v, want %v", par, calls, want)
		}
	}
}

// The progress hook sees a run without changing it, at a bounded rate, and ends with Done.
func TestRunProgress(t *testing.T) {
	sc := NewScenario("progress", testDS("agent", 5, 0), Revision{Name: "v1"}, Nodes("node", 200, nil)...).RealCluster()
	sc = sc.At(time.Minute, UpdateTo("v2"))
	sc.RecordTrace, sc.RecordTimeline = true, true
	quiet := mustRun(t, sc, 4)

	var calls []Progress
	sc.Progress = func(p Progress) { calls = append(calls, p) }
	loud := mustRun(t, sc, 4)
	if !reflect.DeepEqual(quiet, loud) {
		t.Fatal("the progress hook changed the run")
	}
	if want := loud.Steps/ProgressEvery + 1; len(calls) != want || want < 3 {
		t.Fatalf("%d progress calls over %d steps, want %d", len(calls), loud.Steps, want)
	}
	for i, p := range calls[:len(calls)-1] {
		if p.Done || p.Steps != (i+1)*ProgressEvery || p.Horizon != sc.Defaulted().Duration || p.Desired != 200 || p.Settled > p.Desired {
			t.Fatalf("call %d: %+v", i, p)
		}
		if i > 0 && p.Now < calls[i-1].Now {
			t.Fatalf("virtual time went back: %+v then %+v", calls[i-1], p)
		}
	}
	last := calls[len(calls)-1]
	if !last.Done || last.Steps != loud.Steps || last.Now != loud.End || !loud.Converged || last.Settled != last.Desired {
		t.Fatalf("last call %+v, result: %d steps, end %v, converged %v", last, loud.Steps, loud.End, loud.Converged)
	}
}
