package main

import (
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/spf13/cobra"
)

// env is everything a command reads from the world outside its flags: where to print, the wall
// clock and whether a stream is a terminal. Tests replace it.
type env struct {
	stdout, stderr io.Writer
	now            func() time.Time
	isTerminal     func(w io.Writer) bool
}

// run executes the command line args and returns the process exit code. Errors are printed to
// stderr here, once, in the same "Error: ..." layout kubectl uses.
func run(args []string, e env) int {
	root := newRootCmd(e)
	root.SetArgs(args)
	err := root.Execute()
	if err == nil {
		return exitOK
	}
	var s *silentError
	if !errors.As(err, &s) {
		fmt.Fprintf(e.stderr, "Error: %v\n", err)
		var u *usageError
		if errors.As(err, &u) {
			fmt.Fprintf(e.stderr, "Run '%s --help' for usage.\n", commandPathFor(root, args))
		}
	}
	return exitCode(err)
}

// commandPathFor names the (sub)command args resolve to, for the "Run ... --help" hint.
func commandPathFor(root *cobra.Command, args []string) string {
	if c, _, err := root.Find(args); err == nil && c != nil {
		return c.CommandPath()
	}
	return root.CommandPath()
}

func newRootCmd(e env) *cobra.Command {
	root := &cobra.Command{
		Use:   "daemonkit",
		Short: "Plan, explain and simulate Kubernetes DaemonSets",
		Long: `daemonkit answers questions about a Kubernetes DaemonSet before you apply it: which nodes
will run its pod and why the others will not, what the controller does in its next sync, and how a
rollout behaves over time and under faults. It reproduces the decisions of the upstream DaemonSet
controller (Kubernetes v1.37.2) as pure functions.

With no arguments it runs a built-in scenario in virtual time and prints kubectl-like tables.`,
		Example: `  # The built-in story: node-exporter and ssd-monitor on a small cluster
  daemonkit

  # What will the controller do in its next sync?
  daemonkit plan --nodes nodes.yaml --daemonset ds.yaml --pods pods.yaml -o json

  # Why does node-c not run the pod?
  daemonkit explain --nodes nodes.yaml --daemonset ds.yaml --node node-c`,
		Args:          usageArgs(cobra.NoArgs),
		SilenceErrors: true,
		SilenceUsage:  true,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runStory(cmd.OutOrStdout())
		},
	}
	root.SetOut(e.stdout)
	root.SetErr(e.stderr)
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error { return asUsage(err) })
	root.CompletionOptions.DisableDefaultCmd = true

	root.AddCommand(
		newPlanCmd(e),
		newExplainCmd(e),
		newSimulateCmd(e),
		newForecastCmd(e),
		newVersionCmd(),
	)
	for _, c := range root.Commands() {
		c.SilenceErrors = true
		c.SilenceUsage = true
	}
	return root
}

// usageArgs turns an argument validator's error into a usage error (exit code 2).
func usageArgs(v cobra.PositionalArgs) cobra.PositionalArgs {
	return func(cmd *cobra.Command, args []string) error {
		return asUsage(v(cmd, args))
	}
}
