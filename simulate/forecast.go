package simulate

import (
	"cmp"
	"fmt"
	"slices"
	"sort"
	"sync"
	"time"
)

// Forecast is one scenario run over many seeds: how each run's rollout ended (its outcome
// class), how long it took to update every node and to complete, in how many waves, and how many
// nodes it left without an available pod, and why.
type Forecast struct {
	Scenario string
	Runs     int
	// Outcomes counts the runs of each class, every class of OutcomeClasses in that order (zero
	// counts included), then OutcomeNoRollout when some run had no rollout. Runs that broke an
	// invariant are in no class: Outcomes' runs plus Violations add up to Runs.
	Outcomes []OutcomeCount
	// Completed, UpdatedUnavailable, Stalled and Unfinished are the same counts by name.
	Completed, UpdatedUnavailable, Stalled, Unfinished int
	// StallProbability is Stalled/Runs: the chance that the rollout gets stuck with nodes left on
	// the old revision.
	StallProbability float64
	// Violations counts runs that broke an invariant; FirstViolation is the one with the smallest
	// seed, to replay.
	Violations     int
	FirstViolation *Violation
	// TimeToComplete is the time from the template update until the rollout was complete (every
	// desired node running one available pod of the new revision), over the Completed runs;
	// Durations are those runs' times, ascending.
	TimeToComplete Spread[time.Duration]
	Durations      []time.Duration
	// TimeToUpdate is the time from the template update until every desired node ran the new
	// revision, available or not, over the runs that got there (Metrics.AllUpdated): the
	// Completed runs, the UpdatedUnavailable runs, and any that got there and were still settling.
	TimeToUpdate Spread[time.Duration]
	// Waves is Metrics.Waves over the Completed runs.
	Waves Spread[int]
	// Unavailable is the number of desired nodes without an available pod at the end of a run,
	// over the runs without a violation (zeros included); UnavailableCauses splits it by cause,
	// most affected runs first, then by cause.
	Unavailable       Spread[int]
	UnavailableCauses []CauseSpread
	// UpdatedWhenStalled is Outcome.Updated, the nodes on the new revision, over the Stalled
	// runs; Desired is the largest Outcome.Desired of the runs without a violation (the N of "K
	// of N nodes updated").
	UpdatedWhenStalled Spread[int]
	Desired            int
	// Blocked counts the Stalled runs by Outcome.Blocked, most runs first, then by reason.
	Blocked []ReasonCount
	// Budget is the largest Metrics.Budget and MaxUnavailable the largest Metrics.MaxUnavailable
	// of the runs without a violation: how many nodes the rollout may take down at once, and how
	// many were down at once in the worst run.
	Budget         int
	MaxUnavailable int
	// MedianSeed is the run to look at or chart, the first seed (in the order of the seeds run)
	// of: a Completed run that took TimeToComplete.P50; else a run whose TimeToUpdate is
	// TimeToUpdate.P50; else the first seed.
	MedianSeed uint64
}

// Spread is how one figure is spread over the runs of a forecast: over how many runs, the
// nearest-rank 50th, 90th and 99th percentiles and the largest value (all zero when Runs is 0).
type Spread[T cmp.Ordered] struct {
	Runs               int
	P50, P90, P99, Max T
}

// spreadOf sorts xs and returns its spread.
func spreadOf[T cmp.Ordered](xs []T) Spread[T] {
	slices.Sort(xs)
	sp := Spread[T]{Runs: len(xs), P50: percentile(xs, 50), P90: percentile(xs, 90), P99: percentile(xs, 99)}
	if len(xs) > 0 {
		sp.Max = xs[len(xs)-1]
	}
	return sp
}

// OutcomeCount is how many runs of a forecast ended in one class, and the share of all runs.
type OutcomeCount struct {
	Class       OutcomeClass
	Runs        int
	Probability float64
}

// CauseSpread is one cause of unavailable nodes over a forecast: in how many runs it left at
// least one node unavailable, and how many nodes per run (over every run without a violation,
// zeros included, so that it reads beside Forecast.Unavailable).
type CauseSpread struct {
	Cause string
	Runs  int
	Nodes Spread[int]
}

// ReasonCount is how many runs of a forecast stalled for one reason.
type ReasonCount struct {
	Reason string
	Runs   int
}

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
	f := &Forecast{Scenario: name, Runs: len(seeds)}
	classes := map[OutcomeClass]int{}
	blocked := map[string]int{}
	causeRuns := map[string]int{}
	var complete, updated []time.Duration
	var waves, unavail, stalledUpdated []int
	var ok []*Result
	for _, r := range results {
		if r.Violation != nil {
			f.Violations++
			if f.FirstViolation == nil || r.Violation.Seed < f.FirstViolation.Seed {
				f.FirstViolation = r.Violation
			}
			continue
		}
		ok = append(ok, r)
		m, o := &r.Metrics, &r.Outcome
		f.Budget = max(f.Budget, m.Budget)
		f.MaxUnavailable = max(f.MaxUnavailable, m.MaxUnavailable)
		f.Desired = max(f.Desired, o.Desired)
		classes[o.Class]++
		unavail = append(unavail, o.Unavailable)
		for _, c := range o.Causes {
			causeRuns[c.Cause]++
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
	for _, c := range OutcomeClasses() {
		f.Outcomes = append(f.Outcomes, OutcomeCount{Class: c, Runs: classes[c], Probability: float64(classes[c]) / float64(f.Runs)})
	}
	if k := classes[OutcomeNoRollout]; k > 0 {
		f.Outcomes = append(f.Outcomes, OutcomeCount{Class: OutcomeNoRollout, Runs: k, Probability: float64(k) / float64(f.Runs)})
	}
	f.Completed, f.UpdatedUnavailable = classes[OutcomeCompleted], classes[OutcomeUpdatedUnavailable]
	f.Stalled, f.Unfinished = classes[OutcomeStalled], classes[OutcomeUnfinished]
	f.StallProbability = float64(f.Stalled) / float64(f.Runs)

	f.TimeToComplete = spreadOf(complete)
	f.Durations = complete
	f.TimeToUpdate = spreadOf(updated)
	f.Waves = spreadOf(waves)
	f.Unavailable = spreadOf(unavail)
	f.UpdatedWhenStalled = spreadOf(stalledUpdated)
	f.UnavailableCauses = causeSpreads(ok, causeRuns)
	f.Blocked = make([]ReasonCount, 0, len(blocked))
	for reason, k := range blocked {
		f.Blocked = append(f.Blocked, ReasonCount{Reason: reason, Runs: k})
	}
	sort.Slice(f.Blocked, func(i, j int) bool {
		a, b := f.Blocked[i], f.Blocked[j]
		return a.Runs > b.Runs || (a.Runs == b.Runs && a.Reason < b.Reason)
	})
	f.MedianSeed = medianSeed(f, seeds, results)
	return f
}

// causeSpreads spreads each cause of unavailable nodes over the runs ok; runs[c] is the number
// of runs with cause c. Most runs first, then by cause.
func causeSpreads(ok []*Result, runs map[string]int) []CauseSpread {
	out := make([]CauseSpread, 0, len(runs))
	for cause, k := range runs {
		nodes := make([]int, len(ok))
		for i, r := range ok {
			for _, c := range r.Outcome.Causes {
				if c.Cause == cause {
					nodes[i] = c.Nodes
				}
			}
		}
		out = append(out, CauseSpread{Cause: cause, Runs: k, Nodes: spreadOf(nodes)})
	}
	sort.Slice(out, func(i, j int) bool {
		return out[i].Runs > out[j].Runs || (out[i].Runs == out[j].Runs && out[i].Cause < out[j].Cause)
	})
	return out
}

// medianSeed picks the run to chart (see Forecast.MedianSeed).
func medianSeed(f *Forecast, seeds []uint64, results []*Result) uint64 {
	for i, r := range results {
		if r.Violation == nil && r.Outcome.Class == OutcomeCompleted && r.Metrics.Duration == f.TimeToComplete.P50 {
			return seeds[i]
		}
	}
	for i, r := range results {
		if r.Violation == nil && r.Metrics.AllUpdated && r.Metrics.UpdatedDuration == f.TimeToUpdate.P50 {
			return seeds[i]
		}
	}
	return seeds[0]
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
