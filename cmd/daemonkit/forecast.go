package main

import (
	"fmt"
	"io"
	"os"
	"runtime"
	"time"

	"github.com/spf13/cobra"

	"github.com/daemonkit/daemonkit/cmd/daemonkit/internal/chart"
	"github.com/daemonkit/daemonkit/daemonset"
	"github.com/daemonkit/daemonkit/kube"
	"github.com/daemonkit/daemonkit/simulate"
)

type forecastOptions struct {
	manifestFlags
	nodes, daemonset, newDaemonSet string
	seeds                          int
	podStart                       distFlag
	crashRate                      float64
	timeout                        time.Duration
	chart                          string
	output                         outputFormat
}

func newForecastCmd(e env) *cobra.Command {
	o := forecastOptions{output: outputTable, seeds: 200, timeout: 2 * time.Hour}
	cmd := &cobra.Command{
		Use:   "forecast --nodes FILE --daemonset FILE --new-daemonset FILE",
		Short: "Forecast how long a rollout takes, and what may stall it",
		Long: `forecast simulates the rollout from the DaemonSet you run (--daemonset) to the one you are
about to apply (--new-daemonset) on your nodes, once per seed, with the timings of a real cluster:
the controller's API client rate limit (20 requests/s, burst 30), event-driven syncs, pods that take
a few seconds to start and become ready, graceful termination.

It prints how the runs ended: completed (every node updated and available); every node updated
but some left without an available pod (their new pod crash-loops: the controller went on because
those pods used up only part of the budget); stalled with nodes left on the old revision (the
budget is used up by pods that never become available); or still under way after --timeout. Then,
at the 50th, 90th and 99th percentile: the time until every node runs the new revision, the time
until the rollout is complete, the number of waves, and the nodes left without an available pod
at the end, by cause.

--pod-start is how long a pod takes from being bound to running (image pull and container start):
5s, uniform:2s:10s, lognormal:3s:0.5 or empirical:1s,2s,8s. --crash-rate is the chance that a pod of
the new template crash-loops (a bad image).`,
		Example: `  daemonkit forecast --nodes nodes.yaml --daemonset ds.yaml --new-daemonset ds-v2.yaml
  daemonkit forecast --nodes nodes.yaml --daemonset ds.yaml --new-daemonset ds-v2.yaml \
      --seeds 500 --pod-start lognormal:20s:0.6 --crash-rate 0.01 --chart rollout.svg`,
		Args: usageArgs(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, _ []string) error {
			return o.run(e, cmd.OutOrStdout())
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.nodes, "nodes", "", "nodes manifest (required)")
	f.StringVar(&o.daemonset, "daemonset", "", "the DaemonSet as it runs now (required)")
	f.StringVar(&o.newDaemonSet, "new-daemonset", "", "the DaemonSet you are about to apply (required)")
	f.IntVar(&o.seeds, "seeds", o.seeds, "how many simulated runs (seeds 1..N)")
	f.Var(&o.podStart, "pod-start", "pod start-up latency distribution (default lognormal:2s:0.5)")
	f.Float64Var(&o.crashRate, "crash-rate", 0, "chance that a pod of the new template crash-loops, 0 to 1")
	f.DurationVar(&o.timeout, "timeout", o.timeout, "virtual time each run may take; a rollout still under way then is reported as such")
	f.StringVar(&o.chart, "chart", "", "write an SVG chart of the median run to this file")
	f.VarP(&o.output, "output", "o", "output format: table, json or yaml")
	addManifestFlags(f, &o.manifestFlags)
	return cmd
}

// forecastReport is what forecast prints (and its JSON/YAML shape).
type forecastReport struct {
	Runs    int `json:"runs"`
	Nodes   int `json:"nodes"`
	Desired int `json:"desired"`
	Budget  int `json:"budget"`
	// Outcomes are the classes of the runs, every class listed, best first.
	Outcomes []outcomeShare `json:"outcomes"`
	// Completed counts the runs whose rollout completed; StallProbability is the share of runs
	// that stalled with nodes left on the old revision.
	Completed        int     `json:"completed"`
	StallProbability float64 `json:"stallProbability"`
	// AllUpdated is the time until every node ran the new revision (available or not), over the
	// runs that got there; Duration the time until the rollout was complete, over the runs that
	// completed; Waves over those too.
	AllUpdated percentiles    `json:"allUpdated"`
	Duration   percentiles    `json:"duration"`
	Waves      intPercentiles `json:"waves"`
	// Unavailable is the number of nodes left without an available pod at the end of a run,
	// over every run; UnavailableCauses splits it by cause (runs: those with the cause).
	Unavailable       intPercentiles `json:"unavailable"`
	UnavailableCauses []causeShare   `json:"unavailableCauses"`
	// UpdatedWhenStalled is the number of nodes on the new revision at the end of the stalled
	// runs, and Blocked what blocked them.
	UpdatedWhenStalled intPercentiles `json:"updatedWhenStalled"`
	Blocked            []reasonShare  `json:"blocked"`
	MaxUnavailable     int            `json:"maxUnavailable"`
	MedianSeed         uint64         `json:"medianSeed"`
}

type outcomeShare struct {
	Class       string  `json:"class"`
	Description string  `json:"description"`
	Runs        int     `json:"runs"`
	Probability float64 `json:"probability"`
}

type percentiles struct {
	Runs int    `json:"runs"`
	P50  string `json:"p50,omitempty"`
	P90  string `json:"p90,omitempty"`
	P99  string `json:"p99,omitempty"`
}

type intPercentiles struct {
	Runs int `json:"runs"`
	P50  int `json:"p50"`
	P90  int `json:"p90"`
	P99  int `json:"p99"`
}

type causeShare struct {
	Cause string         `json:"cause"`
	Runs  int            `json:"runs"`
	Nodes intPercentiles `json:"nodes"`
}

type reasonShare struct {
	Reason string `json:"reason"`
	Runs   int    `json:"runs"`
}

func (o *forecastOptions) run(e env, out io.Writer) error {
	if err := requireFlags("--nodes", o.nodes, "--daemonset", o.daemonset, "--new-daemonset", o.newDaemonSet); err != nil {
		return err
	}
	if o.seeds < 1 {
		return usagef("--seeds: must be at least 1, got %d", o.seeds)
	}
	if !(o.crashRate >= 0 && o.crashRate <= 1) {
		return usagef("--crash-rate: must be between 0 and 1, got %v", o.crashRate)
	}
	if o.timeout <= 0 {
		return usagef("--timeout: must be positive, got %s", o.timeout)
	}
	in, err := o.load(o.nodes, o.daemonset, "")
	if err != nil {
		return err
	}
	nodes, cur := in.nodes, in.ds
	next, err := o.loadDaemonSet(o.newDaemonSet)
	if err != nil {
		return err
	}
	// The simulation applies the new template, strategy and minReadySeconds to the running
	// DaemonSet; an update the API server refuses whatever --validate says (another DaemonSet,
	// a new selector) would be simulated as something else.
	if err := kube.ValidateDaemonSetUpdate(cur.kube, next.kube); err != nil {
		return fmt.Errorf("%s: as an update of %s: %w", o.newDaemonSet, o.daemonset, err)
	}
	if cur.hash == next.hash {
		return fmt.Errorf("%s: the template is the same as in %s (revision %s): there is nothing to roll out", o.newDaemonSet, o.daemonset, cur.hash)
	}
	sc := o.scenario(nodes, cur, next)

	bar := newProgress(e, "forecast", o.seeds)
	f, err := simulate.RunForecast(sc, simulate.ForecastOptions{Runs: o.seeds, Parallel: runtime.GOMAXPROCS(0), Progress: func(done, _ int) { bar.Set(done) }})
	bar.Done()
	if err != nil {
		return err
	}
	if v := f.FirstViolation; v != nil {
		if !o.validate {
			return fmt.Errorf("forecast: seed %d: %w (--validate=false: a DaemonSet the API server would reject may break the invariants)", v.Seed, v)
		}
		return fmt.Errorf("forecast: seed %d: %w (a bug in daemonkit: please report it with the manifests)", v.Seed, v)
	}
	rep := newForecastReport(f, len(nodes), o.timeout)
	if o.chart != "" {
		if err := o.writeChart(sc, rep); err != nil {
			return err
		}
	}
	if o.output != outputTable {
		return writeStructured(out, o.output, rep)
	}
	return printForecast(out, rep, o)
}

// newForecastReport is the printable form of f, a forecast over a cluster of nodes nodes with
// runs cut at timeout.
func newForecastReport(f *simulate.Forecast, nodes int, timeout time.Duration) forecastReport {
	rep := forecastReport{Runs: f.Runs, Nodes: nodes, Desired: f.Desired, Budget: f.Budget, Completed: f.Completed,
		StallProbability: f.StallProbability, MaxUnavailable: f.MaxUnavailable, MedianSeed: f.MedianSeed,
		AllUpdated: durationsOf(f.TimeToUpdate), Duration: durationsOf(f.TimeToComplete), Waves: countsOf(f.Waves),
		Unavailable: countsOf(f.Unavailable), UpdatedWhenStalled: countsOf(f.UpdatedWhenStalled),
		Outcomes:          make([]outcomeShare, 0, len(f.Outcomes)),
		UnavailableCauses: make([]causeShare, 0, len(f.UnavailableCauses)),
		Blocked:           make([]reasonShare, 0, len(f.Blocked))}
	for _, o := range f.Outcomes {
		rep.Outcomes = append(rep.Outcomes, outcomeShare{Class: string(o.Class), Description: describeClass(o.Class, timeout),
			Runs: o.Runs, Probability: o.Probability})
	}
	for _, c := range f.UnavailableCauses {
		rep.UnavailableCauses = append(rep.UnavailableCauses, causeShare{Cause: c.Cause, Runs: c.Runs, Nodes: countsOf(c.Nodes)})
	}
	for _, b := range f.Blocked {
		rep.Blocked = append(rep.Blocked, reasonShare{Reason: b.Reason, Runs: b.Runs})
	}
	return rep
}

// describeClass words an outcome class for the forecast's table.
func describeClass(c simulate.OutcomeClass, timeout time.Duration) string {
	switch c {
	case simulate.OutcomeCompleted:
		return "completed: every node updated and available"
	case simulate.OutcomeUpdatedUnavailable:
		return "every node updated, some left without an available pod"
	case simulate.OutcomeStalled:
		return "stalled: nodes left on the old revision"
	case simulate.OutcomeUnfinished:
		return "still under way after --timeout " + timeout.String()
	case simulate.OutcomeNoRollout:
		return "no rollout"
	}
	return string(c)
}

func durationsOf(sp simulate.Spread[time.Duration]) percentiles {
	if sp.Runs == 0 {
		return percentiles{}
	}
	return percentiles{Runs: sp.Runs, P50: roundDur(sp.P50), P90: roundDur(sp.P90), P99: roundDur(sp.P99)}
}

func countsOf(sp simulate.Spread[int]) intPercentiles {
	return intPercentiles{Runs: sp.Runs, P50: sp.P50, P90: sp.P90, P99: sp.P99}
}

// scenario builds the rollout to simulate: the cluster converged on the current template, the new
// one applied at time 0, a real cluster's timings.
func (o *forecastOptions) scenario(nodes []daemonset.Node, cur, next loadedDaemonSet) simulate.Scenario {
	sc := simulate.NewScenario("forecast "+cur.ds.Name, cur.ds, simulate.Revision{Name: cur.hash, Hash: cur.hash}, nodes...).RealCluster()
	if o.podStart.set {
		sc.PodModel.StartLatency = o.podStart.dist
	}
	sc.Duration = o.timeout
	strategy := next.ds.UpdateStrategy
	sc = sc.At(0, simulate.Event{Kind: simulate.EventStrategy, Strategy: &strategy})
	if next.ds.MinReadySeconds != cur.ds.MinReadySeconds {
		sc = sc.At(0, simulate.Event{Kind: simulate.EventMinReadySecs, MinReadySeconds: next.ds.MinReadySeconds})
	}
	tmpl := next.ds.Template
	sc = sc.At(0, simulate.Event{Kind: simulate.EventUpdate, Revision: &simulate.Revision{
		Name: next.hash, Hash: next.hash, Template: &tmpl, CrashProbability: o.crashRate}})
	return sc
}

func (o *forecastOptions) writeChart(sc simulate.Scenario, rep forecastReport) error {
	sc.RecordTimeline = true
	res, err := simulate.Run(sc, rep.MedianSeed)
	if err != nil {
		return fmt.Errorf("forecast: chart: %w", err)
	}
	title := fmt.Sprintf("%s: median run (seed %d)", sc.DaemonSet.Name, rep.MedianSeed)
	return writeChartFile(o.chart, chartOf(title, res.Metrics.Budget, res.Timeline))
}

// writeChartFile renders c into path.
func writeChartFile(path string, c chart.Chart) error {
	f, err := os.Create(path)
	if err != nil {
		return fmt.Errorf("--chart: %w", err)
	}
	if err := chart.WriteSVG(f, c); err != nil {
		f.Close()
		return fmt.Errorf("--chart %s: %w", path, err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("--chart %s: %w", path, err)
	}
	return nil
}

// roundDur prints d to a tenth of a second under a minute and to the second above: a forecast
// is not more precise than that.
func roundDur(d time.Duration) string {
	if d < time.Minute {
		return d.Round(100 * time.Millisecond).String()
	}
	return d.Round(time.Second).String()
}

func printForecast(w io.Writer, rep forecastReport, o *forecastOptions) error {
	fmt.Fprintf(w, "Rollout of %s on %d nodes, %d simulated runs (budget: %d node(s) unavailable at once)\n\n",
		o.newDaemonSet, rep.Nodes, rep.Runs, rep.Budget)
	t := newTable(w)
	fmt.Fprint(t, row("OUTCOME", "RUNS", "PROBABILITY"))
	for _, c := range rep.Outcomes {
		fmt.Fprint(t, row(c.Description, fmt.Sprint(c.Runs), fmt.Sprintf("%.1f%%", 100*c.Probability)))
	}
	if err := t.Flush(); err != nil {
		return err
	}

	fmt.Fprintln(w)
	t = newTable(w)
	fmt.Fprint(t, row("", "P50", "P90", "P99", "RUNS"))
	times := func(label string, p percentiles) {
		if p.Runs == 0 {
			fmt.Fprint(t, row(label, "-", "-", "-", "0"))
			return
		}
		fmt.Fprint(t, row(label, p.P50, p.P90, p.P99, fmt.Sprint(p.Runs)))
	}
	counts := func(label string, p intPercentiles) {
		fmt.Fprint(t, row(label, fmt.Sprint(p.P50), fmt.Sprint(p.P90), fmt.Sprint(p.P99), fmt.Sprint(p.Runs)))
	}
	times("time until every node is updated", rep.AllUpdated)
	times("time until the rollout is complete", rep.Duration)
	if rep.Waves.Runs > 0 {
		counts("waves (completed runs)", rep.Waves)
	}
	counts("nodes left unavailable", rep.Unavailable)
	for _, c := range rep.UnavailableCauses {
		fmt.Fprint(t, row("  "+c.Cause, fmt.Sprint(c.Nodes.P50), fmt.Sprint(c.Nodes.P90), fmt.Sprint(c.Nodes.P99), fmt.Sprint(c.Runs)))
	}
	if rep.UpdatedWhenStalled.Runs > 0 {
		counts(fmt.Sprintf("nodes updated when stalled (of %d)", rep.Desired), rep.UpdatedWhenStalled)
	}
	if err := t.Flush(); err != nil {
		return err
	}

	fmt.Fprintf(w, "\nThe most nodes unavailable at once in any run: %d.\n", rep.MaxUnavailable)
	if len(rep.Blocked) > 0 {
		fmt.Fprintln(w, "What stalled the stalled runs:")
		for _, b := range rep.Blocked {
			fmt.Fprintf(w, "  %4d runs: %s\n", b.Runs, b.Reason)
		}
	}
	if o.chart != "" {
		fmt.Fprintf(w, "\nChart of the median run (seed %d): %s\n", rep.MedianSeed, o.chart)
	}
	return nil
}
