package simulate

import (
	"fmt"
	"sort"
	"sync"
	"time"
)

// Forecast is one scenario run over many seeds: how long its rollout takes and how likely it is
// to stall.
type Forecast struct {
	Scenario string
	Runs     int
	// Completed counts runs whose rollout converged; StallProbability is 1 - Completed/Runs.
	Completed        int
	StallProbability float64
	// Violations counts runs that broke an invariant; FirstViolation is the one with the smallest
	// seed, to replay.
	Violations     int
	FirstViolation *Violation
	// P50, P90, P99 and Max are rollout durations over the completed runs (nearest rank).
	P50, P90, P99, Max time.Duration
	// Durations are the completed runs' durations, ascending.
	Durations []time.Duration
	// StallCauses counts, over the stalled runs, the first stall's cause.
	StallCauses map[string]int
}

// ForecastOptions tune RunForecast.
type ForecastOptions struct {
	// Seeds are the seeds to run; when empty, Runs seeds 1..Runs.
	Seeds []uint64
	Runs  int
	// Parallel is how many runs go at once (default 1). The result does not depend on it.
	Parallel int
}

// RunForecast runs sc once per seed and aggregates. Runs may go in parallel goroutines (each run
// is independent and single-threaded); the aggregate is computed from the results in seed order,
// so it is the same whatever Parallel is.
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
	par := max(opts.Parallel, 1)
	results := make([]*Result, len(seeds))
	errs := make([]error, len(seeds))
	var wg sync.WaitGroup
	next := make(chan int)
	for w := 0; w < par; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				run := sc
				run.Planner = clonePlanner(sc.Planner)
				run.RecordSyncs, run.RecordTrace, run.RecordTimeline = false, false, false
				results[i], errs[i] = Run(run, seeds[i])
			}
		}()
	}
	for i := range seeds {
		next <- i
	}
	close(next)
	wg.Wait()
	f := &Forecast{Scenario: sc.Name, Runs: len(seeds), StallCauses: map[string]int{}}
	for i, r := range results {
		if errs[i] != nil {
			return nil, fmt.Errorf("forecast: seed %d: %w", seeds[i], errs[i])
		}
		if r.Violation != nil {
			f.Violations++
			if f.FirstViolation == nil || r.Violation.Seed < f.FirstViolation.Seed {
				f.FirstViolation = r.Violation
			}
			continue
		}
		if r.Metrics.Completed {
			f.Completed++
			f.Durations = append(f.Durations, r.Metrics.Duration)
		} else if len(r.Stalls) > 0 {
			f.StallCauses[r.Stalls[0].Cause]++
		} else {
			f.StallCauses["not converged"]++
		}
	}
	sort.Slice(f.Durations, func(i, j int) bool { return f.Durations[i] < f.Durations[j] })
	f.StallProbability = 1 - float64(f.Completed)/float64(f.Runs)
	f.P50, f.P90, f.P99 = percentile(f.Durations, 50), percentile(f.Durations, 90), percentile(f.Durations, 99)
	if k := len(f.Durations); k > 0 {
		f.Max = f.Durations[k-1]
	}
	return f, nil
}

// percentile is the nearest-rank percentile of sorted ds (0 when empty).
func percentile(ds []time.Duration, p int) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	rank := (p*len(ds) + 99) / 100
	if rank < 1 {
		rank = 1
	}
	return ds[rank-1]
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
