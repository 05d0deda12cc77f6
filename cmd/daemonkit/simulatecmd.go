package main

import (
	"fmt"
	"io"
	"os"
	"strconv"
	"time"

	"github.com/spf13/cobra"

	"github.com/daemonkit/daemonkit/kube"
	"github.com/daemonkit/daemonkit/simulate"
)

type simulateOptions struct {
	seed   uint64
	trace  string
	chart  string
	output outputFormat
}

func newSimulateCmd(e env) *cobra.Command {
	o := simulateOptions{output: outputTable, seed: 1}
	cmd := &cobra.Command{
		Use:   "simulate SCENARIO.yaml [--seed N] [--trace FILE.jsonl] [--chart FILE.svg]",
		Short: "Run a scenario in virtual time and check the DaemonSet invariants",
		Long: `simulate plays a scenario (a cluster, a DaemonSet, the models of the controller, API server,
pods and nodes, and events: nodes joining, taints, a new image) in virtual time, with daemonset.Plan
as the controller, and checks the invariants after every event: one pod per node, the
maxUnavailable and maxSurge budgets, no orphan pods, convergence. It prints the run's metrics. The
same scenario and seed give the same run, byte for byte; a violated invariant prints the command
that replays it, and exits 1.`,
		Example: `  daemonkit simulate rollout.yaml
  daemonkit simulate rollout.yaml --seed 42 --trace run.jsonl --chart run.svg`,
		Args: usageArgs(cobra.ExactArgs(1)),
		RunE: func(cmd *cobra.Command, args []string) error {
			return o.run(e, cmd.OutOrStdout(), args[0])
		},
	}
	f := cmd.Flags()
	f.Uint64Var(&o.seed, "seed", o.seed, "the seed of the run's random streams")
	f.StringVar(&o.trace, "trace", "", "write every event of the run to this file, as JSON lines")
	f.StringVar(&o.chart, "chart", "", "write an SVG chart of the run to this file")
	f.VarP(&o.output, "output", "o", "output format: table, json or yaml")
	return cmd
}

func (o *simulateOptions) run(e env, out io.Writer, path string) error {
	sc, err := kube.LoadScenario(path)
	if err != nil {
		return err
	}
	sc.RecordTrace = o.trace != ""
	sc.RecordTimeline = o.chart != ""
	bar := newProgress(e, "simulating", 0)
	sc.Progress = simulationProgress(bar)
	res, err := simulate.Run(sc, o.seed)
	bar.Done()
	if err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	if o.trace != "" {
		if err := os.WriteFile(o.trace, simulate.JSONL(res.Trace), 0o644); err != nil {
			return fmt.Errorf("--trace: %w", err)
		}
	}
	if o.chart != "" && res.Timeline != nil {
		title := fmt.Sprintf("%s (seed %d)", res.Scenario, res.Seed)
		if err := writeChartFile(o.chart, chartOf(title, res.Metrics.Budget, res.Timeline)); err != nil {
			return err
		}
	}
	return reportSimulation(out, o.output, res, path)
}

// reportSimulation prints a run's result in format; a violated invariant is printed with the
// command that replays it and makes the command exit 1.
func reportSimulation(out io.Writer, format outputFormat, res *simulate.Result, path string) error {
	replay := ""
	if res.Violation != nil {
		replay = "daemonkit simulate " + path + " --seed " + strconv.FormatUint(res.Seed, 10)
	}
	if format != outputTable {
		if err := writeStructured(out, format, newSimulateReport(res, replay)); err != nil {
			return err
		}
	} else if err := printSimulation(out, res, replay); err != nil {
		return err
	}
	if res.Violation != nil {
		return &silentError{code: exitFailure}
	}
	return nil
}

func printSimulation(w io.Writer, r *simulate.Result, replay string) error {
	m := r.Metrics
	fmt.Fprintf(w, "Scenario %q, seed %d: %d events over %s of virtual time.\n", r.Scenario, r.Seed, r.Steps, ms(r.End))
	if r.Converged {
		fmt.Fprintln(w, "Converged: every eligible node runs one available pod of the current revision.")
	} else {
		fmt.Fprintln(w, "Not converged.")
	}
	if m.Rollout {
		fmt.Fprintf(w, "\nOutcome: %s.\n", r.Outcome)
		if m.Completed {
			fmt.Fprintf(w, "Rollout finished: started at %s, took %s in %d waves.\n", ms(m.Start), ms(m.Duration), m.Waves)
		} else {
			fmt.Fprintf(w, "Rollout did NOT finish: started at %s, still not done %s later, after %d waves.\n", ms(m.Start), ms(r.End-m.Start), m.Waves)
		}
		if m.AllUpdated {
			fmt.Fprintf(w, "  every node on the new revision (available or not) after %s\n", ms(m.UpdatedDuration))
		}
		fmt.Fprintf(w, "  nodes unavailable at once: at most %d (the controller took down at most %d; budget %d)\n",
			m.MaxUnavailable, m.MaxControllerUnavailable, m.Budget)
		if m.SurgeBudget > 0 || m.MaxSurge > 0 {
			fmt.Fprintf(w, "  nodes with two pods at once: at most %d (budget %d)\n", m.MaxSurge, m.SurgeBudget)
		}
	}
	fmt.Fprintf(w, "\nController: %d syncs (%d decided, %d had nothing new); %d API calls (%d failed).\n",
		m.Syncs, m.Plans+m.FastPlans, m.Syncs-m.Plans-m.FastPlans, m.APICalls, m.APIErrors)
	fmt.Fprintf(w, "Pods: %d created, %d deleted, %d failed.\n", m.PodsCreated, m.PodsDeleted, m.PodsFailed)
	if len(m.Downtime) > 0 {
		worst := m.Downtime[0]
		var total time.Duration
		for _, d := range m.Downtime {
			total += d.Downtime
			if d.Downtime > worst.Downtime {
				worst = d
			}
		}
		fmt.Fprintf(w, "Downtime during the rollout: %d node(s), %s in all, longest %s on %s.\n", len(m.Downtime), ms(total), ms(worst.Downtime), worst.Node)
	}
	fmt.Fprintln(w)
	if err := printStatusCounters(w, statusOf(r.FinalStatus)); err != nil {
		return err
	}
	if len(r.Stalls) > 0 {
		fmt.Fprintln(w, "\nWhy it did not converge:")
		for _, s := range r.Stalls {
			fmt.Fprintf(w, "  %s\n", s)
		}
	}
	if v := r.Violation; v != nil {
		fmt.Fprintf(w, "\nINVARIANT VIOLATED: %s\n", v.Error())
		if len(v.History) > 0 {
			fmt.Fprintln(w, "The last events before it:")
			for _, h := range v.History {
				fmt.Fprintf(w, "  %12s  #%-6d %-16s %-10s %s %s\n", ms(h.At), h.Step, h.Kind, h.Node, h.Pod, h.Detail)
			}
		}
		fmt.Fprintf(w, "Replay it with:\n  %s\n", replay)
	}
	return nil
}

// ms rounds d to the millisecond for printing: virtual time is exact to the nanosecond, people
// read milliseconds.
func ms(d time.Duration) time.Duration { return d.Round(time.Millisecond) }
