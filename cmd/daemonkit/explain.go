package main

import (
	"fmt"
	"io"

	"github.com/spf13/cobra"
)

type explainOptions struct {
	manifestFlags
	nodes, daemonset, node string
	output                 outputFormat
}

func newExplainCmd(e env) *cobra.Command {
	o := explainOptions{output: outputTable}
	cmd := &cobra.Command{
		Use:   "explain --nodes FILE --daemonset FILE [--node NAME]",
		Short: "Say, node by node, whether the DaemonSet runs there, and why not",
		Long: `explain answers two questions for every node: should the controller create a daemon pod there
(should run), and may a daemon pod already there stay (may keep)? Where the answer is no, it lists
every rule the node fails, in words: the template's nodeName, each nodeSelector entry, each term
of required node affinity, and each taint that no toleration (the template's, plus those the
controller adds to every daemon pod) tolerates.`,
		Example: `  # Every node
  daemonkit explain --nodes nodes.yaml --daemonset ds.yaml

  # One node, in full sentences
  daemonkit explain --nodes nodes.yaml --daemonset ds.yaml --node node-c`,
		Args: usageArgs(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, _ []string) error {
			return o.run(cmd.OutOrStdout())
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.nodes, "nodes", "", "nodes manifest (required)")
	f.StringVar(&o.daemonset, "daemonset", "", "the DaemonSet manifest (required)")
	f.StringVar(&o.node, "node", "", "explain only this node")
	f.VarP(&o.output, "output", "o", "output format: table, json or yaml")
	addManifestFlags(f, &o.manifestFlags)
	return cmd
}

func (o *explainOptions) run(out io.Writer) error {
	if err := requireFlags("--nodes", o.nodes, "--daemonset", o.daemonset); err != nil {
		return err
	}
	in, err := o.load(o.nodes, o.daemonset, "")
	if err != nil {
		return err
	}
	rep := explainNodes(&in.ds.ds, in.nodes)
	if o.node != "" {
		for _, n := range rep.Nodes {
			if n.Node == o.node {
				if o.output == outputTable {
					return printExplainNode(out, rep.DaemonSet, n)
				}
				return writeStructured(out, o.output, n)
			}
		}
		return fmt.Errorf("%s: no node named %q", o.nodes, o.node)
	}
	if o.output == outputTable {
		return printExplainTable(out, rep)
	}
	return writeStructured(out, o.output, rep)
}
