package main

import (
	"fmt"
	"runtime"
	"runtime/debug"

	"github.com/spf13/cobra"
)

// upstreamVersion is the Kubernetes release whose DaemonSet controller daemonkit reproduces.
const upstreamVersion = "v1.37.2"

func newVersionCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print the daemonkit version and the Kubernetes behaviour it reproduces",
		Args:  usageArgs(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, _ []string) error {
			v := "(devel)"
			if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" {
				v = bi.Main.Version
			}
			_, err := fmt.Fprintf(cmd.OutOrStdout(), "daemonkit %s (%s, DaemonSet controller of Kubernetes %s)\n",
				v, runtime.Version(), upstreamVersion)
			return err
		},
	}
}
