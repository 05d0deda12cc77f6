package simulate

import (
	"reflect"
	"sort"
	"testing"
	"time"

	"github.com/daemonkit/daemonkit/rollout"
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
	sum := a.Violations
	for _, o := range a.Outcomes {
		sum += o.Runs
	}
	if sum != a.Runs || a.Completed+a.UpdatedUnavailable+a.Stalled+a.Unfinished+a.Violations != a.Runs {
		t.Fatalf("runs do not add up: %+v", a)
	}
	// A 2% chance per pod of a bad start over 30 pods at maxUnavailable 2: most runs complete,
	// one crash-looping pod leaves its node down and the rollout goes on, two stall it.
	if a.Completed == 0 || a.UpdatedUnavailable == 0 || a.Stalled == 0 || a.TimeToComplete.P50 <= 0 || a.TimeToComplete.P50 > a.TimeToComplete.P99 {
		t.Fatalf("forecast %+v", a)
	}
	if _, err := RunForecast(sc, ForecastOptions{}); err == nil {
		t.Fatal("a forecast of no runs should be an error")
	}
}

// Every figure of a forecast is the one its runs, replayed one by one, give.
func TestForecastAgreesWithItsRuns(t *testing.T) {
	sc := forecastScenario()
	seeds := []uint64{9, 3, 27, 1, 14, 8, 5, 30, 2, 11, 40, 6, 17, 21, 33, 12}
	f, err := RunForecast(sc, ForecastOptions{Seeds: seeds, Parallel: 3})
	if err != nil {
		t.Fatal(err)
	}
	var complete, updated []time.Duration
	var waves, unavail, stalledUpdated []int
	budget, maxUnavail, desired := 0, 0, 0
	classes := map[OutcomeClass]int{}
	blocked := map[string]int{}
	causeNodes := map[string][]int{}
	results := map[uint64]*Result{}
	for i, seed := range seeds {
		r := mustRun(t, sc, seed)
		checkOutcome(t, r)
		results[seed] = r
		m, o := r.Metrics, r.Outcome
		budget, maxUnavail, desired = max(budget, m.Budget), max(maxUnavail, m.MaxUnavailable), max(desired, o.Desired)
		classes[o.Class]++
		unavail = append(unavail, o.Unavailable)
		for _, c := range o.Causes {
			if causeNodes[c.Cause] == nil {
				causeNodes[c.Cause] = make([]int, len(seeds))
			}
			causeNodes[c.Cause][i] = c.Nodes
		}
		if m.AllUpdated {
			updated = append(updated, m.UpdatedDuration)
		}
		switch o.Class {
		case OutcomeCompleted:
			complete = append(complete, m.Duration)
			waves = append(waves, m.Waves)
		case OutcomeStalled:
			stalledUpdated = append(stalledUpdated, o.Updated)
			blocked[o.Blocked]++
		}
	}
	if classes[OutcomeCompleted] == 0 || classes[OutcomeUpdatedUnavailable]+classes[OutcomeStalled] == 0 {
		t.Fatalf("the test wants completed runs and runs with crash-looping pods, got %v", classes)
	}
	var wantOutcomes []OutcomeCount
	for _, c := range OutcomeClasses() {
		wantOutcomes = append(wantOutcomes, OutcomeCount{Class: c, Runs: classes[c], Probability: float64(classes[c]) / float64(len(seeds))})
	}
	if !reflect.DeepEqual(f.Outcomes, wantOutcomes) || f.Completed != classes[OutcomeCompleted] || f.Stalled != classes[OutcomeStalled] ||
		f.UpdatedUnavailable != classes[OutcomeUpdatedUnavailable] || f.Unfinished != classes[OutcomeUnfinished] || f.Violations != 0 || f.Runs != len(seeds) {
		t.Fatalf("outcomes %+v, want %+v", f.Outcomes, wantOutcomes)
	}
	if f.StallProbability != float64(classes[OutcomeStalled])/float64(len(seeds)) {
		t.Fatalf("stall probability %v with %d stalled runs", f.StallProbability, classes[OutcomeStalled])
	}
	sortDurations(complete)
	sortDurations(updated)
	sort.Ints(waves)
	if !reflect.DeepEqual(f.Durations, complete) {
		t.Fatalf("durations %v, want %v", f.Durations, complete)
	}
	checkSpread(t, "time to complete", f.TimeToComplete, complete)
	checkSpread(t, "time to update", f.TimeToUpdate, updated)
	checkSpread(t, "waves", f.Waves, waves)
	checkSpread(t, "unavailable", f.Unavailable, append([]int(nil), unavail...))
	checkSpread(t, "updated when stalled", f.UpdatedWhenStalled, stalledUpdated)
	if f.TimeToUpdate.Runs < f.TimeToComplete.Runs+classes[OutcomeUpdatedUnavailable] {
		t.Fatalf("%d runs all updated, fewer than the %d completed and %d updated-unavailable", f.TimeToUpdate.Runs, f.TimeToComplete.Runs, classes[OutcomeUpdatedUnavailable])
	}
	if len(f.UnavailableCauses) != len(causeNodes) {
		t.Fatalf("causes %+v, want %v", f.UnavailableCauses, causeNodes)
	}
	for i, c := range f.UnavailableCauses {
		runs := 0
		for _, k := range causeNodes[c.Cause] {
			if k > 0 {
				runs++
			}
		}
		if c.Runs != runs {
			t.Fatalf("cause %q in %d runs, want %d", c.Cause, c.Runs, runs)
		}
		checkSpread(t, c.Cause, c.Nodes, append([]int(nil), causeNodes[c.Cause]...))
		if i > 0 {
			p := f.UnavailableCauses[i-1]
			if p.Runs < c.Runs || (p.Runs == c.Runs && p.Cause >= c.Cause) {
				t.Fatalf("causes out of order: %+v", f.UnavailableCauses)
			}
		}
	}
	got := map[string]int{}
	for _, b := range f.Blocked {
		got[b.Reason] = b.Runs
	}
	if len(blocked) == 0 && len(got) == 0 {
		blocked = got
	}
	if !reflect.DeepEqual(got, blocked) {
		t.Fatalf("blocked %v, want %v", got, blocked)
	}
	if f.Budget != budget || f.MaxUnavailable != maxUnavail || budget != 2 || f.Desired != desired || desired != 30 {
		t.Fatalf("budget %d max unavailable %d desired %d, want %d, %d and %d", f.Budget, f.MaxUnavailable, f.Desired, budget, maxUnavail, desired)
	}
	var medianSeed uint64
	for _, seed := range seeds {
		if r := results[seed]; r.Outcome.Class == OutcomeCompleted && r.Metrics.Duration == f.TimeToComplete.P50 {
			medianSeed = seed
			break
		}
	}
	if f.MedianSeed != medianSeed {
		t.Fatalf("median seed %d, want %d (the first seed listed whose run took p50)", f.MedianSeed, medianSeed)
	}
}

// Without a completed run, the run to chart is one that took the median time to update every node.
func TestForecastMedianSeedWithoutCompletion(t *testing.T) {
	sc := outcomeScenario(100, rollout.FromString("20%"), 0.1)
	seeds := []uint64{4, 2, 7, 1, 5}
	f, err := RunForecast(sc, ForecastOptions{Seeds: seeds})
	if err != nil {
		t.Fatal(err)
	}
	if f.Completed != 0 || f.UpdatedUnavailable != len(seeds) {
		t.Fatalf("outcomes %+v, want every run updated with nodes unavailable", f.Outcomes)
	}
	r := mustRun(t, sc, f.MedianSeed)
	if !r.Metrics.AllUpdated || r.Metrics.UpdatedDuration != f.TimeToUpdate.P50 {
		t.Fatalf("median seed %d updated after %s, p50 is %s", f.MedianSeed, r.Metrics.UpdatedDuration, f.TimeToUpdate.P50)
	}
}

// checkSpread compares sp with the nearest-rank percentiles of xs, computed here from the
// definition (the smallest value with at least p% of the values at or below it).
func checkSpread[T int | time.Duration](t *testing.T, name string, sp Spread[T], xs []T) {
	t.Helper()
	sort.Slice(xs, func(i, j int) bool { return xs[i] < xs[j] })
	rank := func(p int) T {
		var zero T
		for i, x := range xs {
			if (i+1)*100 >= p*len(xs) {
				return x
			}
		}
		return zero
	}
	want := Spread[T]{Runs: len(xs), P50: rank(50), P90: rank(90), P99: rank(99)}
	if len(xs) > 0 {
		want.Max = xs[len(xs)-1]
	}
	if sp != want {
		t.Fatalf("%s: %+v, want %+v from %v", name, sp, want, xs)
	}
}

func sortDurations(ds []time.Duration) { sort.Slice(ds, func(i, j int) bool { return ds[i] < ds[j] }) }

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
