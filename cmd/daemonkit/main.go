// Command daemonkit plans, explains and simulates Kubernetes DaemonSet behaviour.
//
// With no arguments it runs a built-in scenario in virtual time and prints what a user of kubectl
// would see. The subcommands read the manifests a user already has:
//
//	daemonkit plan    --nodes nodes.yaml --daemonset ds.yaml [--pods pods.yaml]
//	daemonkit explain --nodes nodes.yaml --daemonset ds.yaml [--node NAME]
//	daemonkit simulate scenario.yaml [--seed N] [--trace FILE.jsonl] [--chart FILE.svg]
//	daemonkit forecast --nodes nodes.yaml --daemonset old.yaml --new-daemonset new.yaml
//
// Exit codes: 0 success, 1 failure (a bad file, a sync that fails, a violated invariant), 2 usage (an unknown flag or
// command, a missing argument).
package main

import (
	"os"
	"time"
)

func main() {
	os.Exit(run(os.Args[1:], env{
		stdout: os.Stdout,
		stderr: os.Stderr,
		// The command line is the edge of the program: the one place that reads the wall clock.
		now:        time.Now,
		isTerminal: isTerminal,
	}))
}
