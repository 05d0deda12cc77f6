package main

import (
	"fmt"
	"io"
	"time"

	"github.com/spf13/cobra"

	"github.com/daemonkit/daemonkit/daemonset"
)

// observeFlag is the value of --observe; it implements pflag.Value so a bad value exits 2.
type observeFlag struct{ mode daemonset.ObserveMode }

func (o *observeFlag) String() string { return o.mode.String() }
func (o *observeFlag) Type() string   { return "mode" }
func (o *observeFlag) Set(s string) error {
	switch s {
	case "none":
		o.mode = daemonset.ObserveNone
	case "immediate":
		o.mode = daemonset.ObserveImmediate
	default:
		return fmt.Errorf("unknown observe mode %q: want none or immediate", s)
	}
	return nil
}

type planOptions struct {
	manifestFlags
	nodes, daemonset, pods, revisions string
	now                               string
	observe                           observeFlag
	output                            outputFormat
}

func newPlanCmd(e env) *cobra.Command {
	o := planOptions{output: outputTable}
	cmd := &cobra.Command{
		Use:   "plan --nodes FILE --daemonset FILE [--pods FILE] [--revisions FILE]",
		Short: "Show what the DaemonSet controller does in its next sync",
		Long: `plan runs one sync of the DaemonSet controller on the manifests you give it and prints what
it would do: the pods it creates (on which node, and why), the pods it deletes (and why), and the
status it writes. Nothing is sent to a cluster.

The files are ordinary Kubernetes manifests: one object, several YAML documents, or a List, as
kubectl get -o yaml prints them.

--observe none (the default) is production: the sync does not see its own writes, so the rolling
update runs only when manage created and deleted nothing, and the status counts the input pods.
--observe immediate is upstream's unit-test mode: manage's result is applied first, then the rolling
update runs on it, and the status counts the result.

When the sync fails, as the controller's does when the rolling update cannot go on, plan prints
what the sync still did and the error, and exits 1.`,
		Example: `  # A fresh DaemonSet on three nodes
  daemonkit plan --nodes nodes.yaml --daemonset ds.yaml

  # The next step of a rollout, as JSON, at a fixed time
  daemonkit plan --nodes nodes.yaml --daemonset ds.yaml --pods pods.yaml \
      --now 2026-01-01T00:00:00Z -o json`,
		Args: usageArgs(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, _ []string) error {
			return o.run(e, cmd.OutOrStdout())
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.nodes, "nodes", "", "nodes manifest: Nodes as kubectl get nodes -o yaml prints them (required)")
	f.StringVar(&o.daemonset, "daemonset", "", "the DaemonSet manifest (required)")
	f.StringVar(&o.pods, "pods", "", "pods manifest: the namespace's pods, owned, orphaned or others' (default: none)")
	f.StringVar(&o.revisions, "revisions", "", "ControllerRevisions of the DaemonSet; the current one gives the hash (default: computed from the template)")
	f.StringVar(&o.now, "now", "", "the controller's clock, RFC 3339 (default: the current time)")
	f.Var(&o.observe, "observe", "whether the sync sees its own writes: none or immediate")
	f.VarP(&o.output, "output", "o", "output format: table, json or yaml")
	addManifestFlags(f, &o.manifestFlags)
	return cmd
}

func (o *planOptions) run(e env, out io.Writer) error {
	if err := requireFlags("--nodes", o.nodes, "--daemonset", o.daemonset); err != nil {
		return err
	}
	now := e.now()
	if o.now != "" {
		t, err := time.Parse(time.RFC3339, o.now)
		if err != nil {
			return usagef("--now: %q is not an RFC 3339 time such as 2026-01-01T00:00:00Z", o.now)
		}
		now = t
	}
	in, err := o.load(o.nodes, o.daemonset, o.pods)
	if err != nil {
		return err
	}
	hash := in.ds.hash
	if o.revisions != "" {
		if hash, err = o.currentRevisionHash(o.revisions, in.ds); err != nil {
			return err
		}
	}
	ds := in.ds.ds
	res, planErr := daemonset.Plan(daemonset.Input{DaemonSet: &ds, Nodes: in.nodes, Pods: in.pods, Hash: hash, Now: now},
		daemonset.Options{Observe: o.observe.mode})
	if planErr != nil && res.Empty() {
		// Bad input Plan refuses (an invalid selector under --validate=false), or a rolling
		// update that fails with nothing else to report: there is no plan to print.
		return fmt.Errorf("%s: %w", o.daemonset, planErr)
	}
	rep := newPlanReport(&ds, hash, o.observe.mode, now, res, planErr)
	if o.output == outputTable {
		if err := printPlanTable(out, rep); err != nil {
			return err
		}
	} else if err := writeStructured(out, o.output, rep); err != nil {
		return err
	}
	// A rolling update that fails beside manage's decisions: the report shows both, and the
	// sync failed, as the controller's would.
	return planErr
}
