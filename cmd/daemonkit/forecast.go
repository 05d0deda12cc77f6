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
a few seconds to start and become ready, graceful termination. It prints the duration at the 50th,
90th and 99th percentile, the number of waves, and how often, and why, the rollout stalls.

--pod-start is how long a pod takes from being bound to running (image pull and container start):
5s, uniform:2s:10s, lognormal:3s:0.5 or empirical:1s,2s,8s. --crash-rate is the chance that a pod of
the new template crash-loops (a bad image), which stalls a maxUnavailable rollout once the budget is
spent on pods that never become available.`,
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
	f.DurationVar(&o.timeout, "timeout", o.timeout, "virtual time after which a run that has not finished counts as stalled")
	f.StringVar(&o.chart, "chart", "", "write an SVG chart of the median run to this file")
	f.VarP(&o.output, "output", "o", "output format: table, json or yaml")
	addManifestFlags(f, &o.manifestFlags)
	return cmd
}

// forecastReport is what forecast prints (and its JSON/YAML shape).
type forecastReport struct {
	Runs             int            `json:"runs"`
	Completed        int            `json:"completed"`
	Nodes            int            `json:"nodes"`
	Budget           int            `json:"budget"`
	Duration         percentiles    `json:"duration"`
	Waves            intPercentiles `json:"waves"`
	MaxUnavailable   int            `json:"maxUnavailable"`
	StallProbability float64        `json:"stallProbability"`
	StallCauses      []stallCause   `json:"stallCauses"`
	MedianSeed       uint64         `json:"medianSeed"`
}

type percentiles struct {
	P50 string `json:"p50"`
	P90 string `json:"p90"`
	P99 string `json:"p99"`
}

type intPercentiles struct {
	P50 int `json:"p50"`
	P90 int `json:"p90"`
	P99 int `json:"p99"`
}

type stallCause struct {
	Cause string `json:"cause"`
	Runs  int    `json:"runs"`
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
	if cur.ds.Name != next.ds.Name || cur.ds.Namespace != next.ds.Namespace {
		return fmt.Errorf("%s: DaemonSet %s/%s is not the one in %s (%s/%s)", o.newDaemonSet,
			next.ds.Namespace, next.ds.Name, o.daemonset, cur.ds.Namespace, cur.ds.Name)
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
		return fmt.Errorf("forecast: seed %d: %w (a bug in daemonkit: please report it with the manifests)", v.Seed, v)
	}
	rep := newForecastReport(f, len(nodes))
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

// newForecastReport is the printable form of f, a forecast over a cluster of nodes nodes.
func newForecastReport(f *simulate.Forecast, nodes int) forecastReport {
	rep := forecastReport{Runs: f.Runs, Completed: f.Completed, Nodes: nodes, Budget: f.Budget,
		MaxUnavailable: f.MaxUnavailable, StallProbability: f.StallProbability, MedianSeed: f.MedianSeed,
		StallCauses: make([]stallCause, 0, len(f.StallCauses))}
	if f.Completed > 0 {
		rep.Duration = percentiles{P50: roundDur(f.P50), P90: roundDur(f.P90), P99: roundDur(f.P99)}
		rep.Waves = intPercentiles{P50: f.WavesP50, P90: f.WavesP90, P99: f.WavesP99}
	}
	for _, c := range f.StallCauses {
		if c.Cause == simulate.CauseUnfinished {
			c.Cause = "did not finish within --timeout"
		}
		rep.StallCauses = append(rep.StallCauses, stallCause{Cause: c.Cause, Runs: c.Runs})
	}
	return rep
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
	if rep.Completed > 0 {
		t := newTable(w)
		fmt.Fprint(t, row("", "P50", "P90", "P99"))
		fmt.Fprint(t, row("duration", rep.Duration.P50, rep.Duration.P90, rep.Duration.P99))
		fmt.Fprint(t, row("waves", fmt.Sprint(rep.Waves.P50), fmt.Sprint(rep.Waves.P90), fmt.Sprint(rep.Waves.P99)))
		if err := t.Flush(); err != nil {
			return err
		}
		fmt.Fprintf(w, "\n(over the %d runs that finished; the most nodes unavailable at once in any run: %d)\n", rep.Completed, rep.MaxUnavailable)
	} else {
		fmt.Fprintln(w, "No run finished.")
	}
	fmt.Fprintf(w, "\nStall probability: %.1f%% (%d of %d runs did not finish within %s)\n",
		100*rep.StallProbability, rep.Runs-rep.Completed, rep.Runs, o.timeout)
	for _, c := range rep.StallCauses {
		fmt.Fprintf(w, "  %4d runs: %s\n", c.Runs, c.Cause)
	}
	if o.chart != "" {
		fmt.Fprintf(w, "\nChart of the median run (seed %d): %s\n", rep.MedianSeed, o.chart)
	}
	return nil
}
