package simulate

import (
	"fmt"
	"slices"
	"sort"
	"sync"
	"time"
)

// Forecast is one scenario run over many seeds: how long its rollout takes, in how many waves,
// and how likely it is to stall, and why.
type Forecast struct {
	Scenario string
	Runs     int
	// Completed counts runs whose rollout converged, Stalled the runs that broke no invariant and
	// did not complete; StallProbability is 1 - Completed/Runs.
	Completed        int
	Stalled          int
	StallProbability float64
	// Violations counts runs that broke an invariant; FirstViolation is the one with the smallest
	// seed, to replay.
	Violations     int
	FirstViolation *Violation
	// P50, P90, P99 and Max are rollout durations over the completed runs (nearest rank).
	P50, P90, P99, Max time.Duration
	// Durations are the completed runs' durations, ascending.
	Durations []time.Duration
	// WavesP50, WavesP90 and WavesP99 are percentiles of Metrics.Waves over the completed runs.
	WavesP50, WavesP90, WavesP99 int
	// Budget is the largest Metrics.Budget and MaxUnavailable the largest Metrics.MaxUnavailable
	// of the runs without a violation: how many nodes the rollout may take down at once, and how
	// many were down at once in the worst run.
	Budget         int
	MaxUnavailable int
	// MedianSeed is the first seed (in the order of the seeds run) of a completed run that took
	// P50, the run to look at or chart; the first seed when no run completed.
	MedianSeed uint64
	// StallCauses are the causes of the stalled runs: a run counts once for each distinct
	// Stall.Cause it reports (so the counts may add up to more than Stalled), and a stalled run
	// without stalls counts under CauseUnfinished. Most runs first, then by cause.
	StallCauses []StallCount
}

// StallCount is how many runs of a forecast stalled for one cause.
type StallCount struct {
	Cause string
	Runs  int
}

// CauseUnfinished is the stall cause of a run whose rollout had not finished when the scenario's
// Duration ran out, with no node left to blame (for example one still settling).
const CauseUnfinished = "did not finish within the scenario's duration"

// ForecastOptions tune RunForecast.
type ForecastOptions struct {
	// Seeds are the seeds to run; when empty, Runs seeds 1..Runs.
	Seeds []uint64
	Runs  int
	// Parallel is how many runs go at once (default 1). The result does not depend on it.
	Parallel int
	// Progress, when set, is called after each run with the number of runs finished and the
	// total, from RunForecast's own goroutine (never concurrently), for a progress display. The
	// runs finish in any order when Parallel > 1; done still counts up by one per call.
	Progress func(done, total int)
}

// RunForecast runs sc once per seed and aggregates. Runs may go in parallel goroutines (each run
// is independent and single-threaded); the aggregate is computed from the results in seed order,
// so it is the same whatever Parallel is. sc.Progress is not called (the runs' progress is
// ForecastOptions.Progress), and the runs record no trace, syncs or timeline.
func RunForecast(sc Scenario, opts ForecastOptions) (*Forecast, error) {
	seeds := opts.Seeds
	if len(seeds) == 0 {
		if opts.Runs <= 0 {
			return nil, fmt.Errorf("forecast: runs: must be positive (or give seeds)")
		}
		seeds = make([]uint64, opts.Runs)
		for i := range seeds {
			seeds[i] = uint64(i + 1)
		}
	}
	if err := sc.Validate(); err != nil {
		return nil, fmt.Errorf("forecast: scenario %q: %w", sc.Name, err)
	}
	results, errs := runSeeds(sc, seeds, max(opts.Parallel, 1), opts.Progress)
	for i := range seeds {
		if errs[i] != nil {
			return nil, fmt.Errorf("forecast: seed %d: %w", seeds[i], errs[i])
		}
	}
	return aggregate(sc.Name, seeds, results), nil
}

// runSeeds runs sc once per seed on par goroutines; results[i] and errs[i] are seed i's.
func runSeeds(sc Scenario, seeds []uint64, par int, progress func(done, total int)) ([]*Result, []error) {
	results := make([]*Result, len(seeds))
	errs := make([]error, len(seeds))
	next := make(chan int)
	finished := make(chan struct{})
	var wg sync.WaitGroup
	for range min(par, len(seeds)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				run := sc
				run.Planner = clonePlanner(sc.Planner)
				run.RecordSyncs, run.RecordTrace, run.RecordTimeline = false, false, false
				run.Progress = nil
				results[i], errs[i] = Run(run, seeds[i])
				finished <- struct{}{}
			}
		}()
	}
	go func() {
		for i := range seeds {
			next <- i
		}
		close(next)
		wg.Wait()
		close(finished)
	}()
	done := 0
	for range finished {
		done++
		if progress != nil {
			progress(done, len(seeds))
		}
	}
	return results, errs
}

// aggregate sums up the runs of seeds, in seed order.
func aggregate(name string, seeds []uint64, results []*Result) *Forecast {
	f := &Forecast{Scenario: name, Runs: len(seeds), StallCauses: []StallCount{}}
	causes := map[string]int{}
	var waves []int
	for _, r := range results {
		if r.Violation != nil {
			f.Violations++
			if f.FirstViolation == nil || r.Violation.Seed < f.FirstViolation.Seed {
				f.FirstViolation = r.Violation
			}
			continue
		}
		m := r.Metrics
		f.Budget = max(f.Budget, m.Budget)
		f.MaxUnavailable = max(f.MaxUnavailable, m.MaxUnavailable)
		if m.Completed {
			f.Completed++
			f.Durations = append(f.Durations, m.Duration)
			waves = append(waves, m.Waves)
			continue
		}
		f.Stalled++
		seen := map[string]bool{}
		for _, st := range r.Stalls {
			if !seen[st.Cause] {
				seen[st.Cause] = true
				causes[st.Cause]++
			}
		}
		if len(r.Stalls) == 0 {
			causes[CauseUnfinished]++
		}
	}
	for c, n := range causes {
		f.StallCauses = append(f.StallCauses, StallCount{Cause: c, Runs: n})
	}
	sort.Slice(f.StallCauses, func(i, j int) bool {
		a, b := f.StallCauses[i], f.StallCauses[j]
		return a.Runs > b.Runs || (a.Runs == b.Runs && a.Cause < b.Cause)
	})
	f.StallProbability = 1 - float64(f.Completed)/float64(f.Runs)

	slices.Sort(f.Durations)
	f.P50, f.P90, f.P99 = percentile(f.Durations, 50), percentile(f.Durations, 90), percentile(f.Durations, 99)
	if k := len(f.Durations); k > 0 {
		f.Max = f.Durations[k-1]
	}
	slices.Sort(waves)
	f.WavesP50, f.WavesP90, f.WavesP99 = percentile(waves, 50), percentile(waves, 90), percentile(waves, 99)

	f.MedianSeed = seeds[0]
	for i, r := range results {
		if r.Violation == nil && r.Metrics.Completed && r.Metrics.Duration == f.P50 {
			f.MedianSeed = seeds[i]
			break
		}
	}
	return f
}

// percentile is the nearest-rank percentile of sorted xs (0 when empty).
func percentile[T any](xs []T, p int) T {
	var zero T
	if len(xs) == 0 {
		return zero
	}
	rank := (p*len(xs) + 99) / 100
	if rank < 1 {
		rank = 1
	}
	return xs[rank-1]
}

// clonePlanner gives each parallel run its own planner: daemonset.Planner keeps scratch buffers
// and is not safe for concurrent use. A custom planner is shared; it must be safe to call from
// several goroutines when Parallel > 1.
func clonePlanner(p Planner) Planner {
	if p == nil {
		return nil
	}
	return p
}
