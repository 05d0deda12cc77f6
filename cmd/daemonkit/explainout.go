package main

import (
	"fmt"
	"io"
	"strings"

	"github.com/daemonkit/daemonkit/daemonset"
)

// explainReport is the JSON (and YAML) shape of `daemonkit explain`: one entry per node, in the
// order of the nodes file.
type explainReport struct {
	DaemonSet string        `json:"daemonSet"`
	Nodes     []explainNode `json:"nodes"`
}

type explainNode struct {
	Node                  string   `json:"node"`
	ShouldRun             bool     `json:"shouldRun"`
	ShouldContinueRunning bool     `json:"shouldContinueRunning"`
	Reasons               []string `json:"reasons"`
}

// explainNodes asks daemonset.CheckNode about every node.
func explainNodes(ds *daemonset.DaemonSet, nodes []daemonset.Node) explainReport {
	rep := explainReport{DaemonSet: ds.Namespace + "/" + ds.Name, Nodes: make([]explainNode, 0, len(nodes))}
	for _, n := range nodes {
		e := daemonset.CheckNode(ds, n)
		reasons := make([]string, 0, len(e.Reasons))
		for _, r := range e.Reasons {
			reasons = append(reasons, r.String())
		}
		rep.Nodes = append(rep.Nodes, explainNode{Node: n.Name, ShouldRun: e.ShouldRun, ShouldContinueRunning: e.ShouldContinueRunning, Reasons: reasons})
	}
	return rep
}

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}

// printExplainTable prints one row per node; a node with several failing rules gets one line per
// rule, the node's columns left blank after the first.
func printExplainTable(w io.Writer, rep explainReport) error {
	run := 0
	for _, n := range rep.Nodes {
		if n.ShouldRun {
			run++
		}
	}
	fmt.Fprintf(w, "DaemonSet %s: %d of %d nodes should run its pod.\n\n", rep.DaemonSet, run, len(rep.Nodes))
	t := newTable(w)
	fmt.Fprint(t, row("NODE", "SHOULD RUN", "MAY KEEP", "WHY NOT"))
	for _, n := range rep.Nodes {
		why := "-"
		if len(n.Reasons) > 0 {
			why = n.Reasons[0]
		}
		fmt.Fprint(t, row(n.Node, yesNo(n.ShouldRun), yesNo(n.ShouldContinueRunning), why))
		for _, r := range n.Reasons[min(1, len(n.Reasons)):] {
			fmt.Fprint(t, row("", "", "", r))
		}
	}
	if err := t.Flush(); err != nil {
		return err
	}
	fmt.Fprintln(w, "\nSHOULD RUN: a daemon pod is created there if it has none. MAY KEEP: a daemon pod already there may stay.")
	return nil
}

// printExplainNode prints the answer for one node in full sentences.
func printExplainNode(w io.Writer, ds string, n explainNode) error {
	var b strings.Builder
	fmt.Fprintf(&b, "DaemonSet:   %s\nNode:        %s\n", ds, n.Node)
	if n.ShouldRun {
		b.WriteString("Should run:  yes (the controller creates a daemon pod here if there is none)\n")
	} else {
		b.WriteString("Should run:  no (the controller creates no daemon pod here)\n")
	}
	switch {
	case n.ShouldContinueRunning && n.ShouldRun:
		b.WriteString("May keep:    yes\n")
	case n.ShouldContinueRunning:
		b.WriteString("May keep:    yes (a daemon pod already running here stays)\n")
	default:
		b.WriteString("May keep:    no (a daemon pod here is deleted)\n")
	}
	if len(n.Reasons) > 0 {
		b.WriteString("Why not:\n")
		for _, r := range n.Reasons {
			fmt.Fprintf(&b, "  - %s\n", r)
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}
