// Command placement shows which nodes run a DaemonSet's pod, and why the others do not, with
// daemonset.CheckNode: the pure answer to "should a daemon pod run here, and may one stay?".
package main

import (
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/daemonkit/daemonkit/daemonset"
	"github.com/daemonkit/daemonkit/selector"
)

func main() {
	if err := run(os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "placement:", err)
		os.Exit(1)
	}
}

// gpuAgent runs on GPU nodes in zones a and b, and tolerates the taint that reserves GPU nodes.
func gpuAgent() daemonset.DaemonSet {
	ds := daemonset.DaemonSet{
		Name:      "gpu-agent",
		Namespace: "kube-system",
		Selector:  &selector.LabelSelector{MatchLabels: map[string]string{"app": "gpu-agent"}},
		Template: daemonset.PodTemplate{
			Labels:       map[string]string{"app": "gpu-agent"},
			NodeSelector: map[string]string{"accelerator": "nvidia"},
			RequiredNodeAffinity: &selector.NodeSelector{Terms: []selector.NodeSelectorTerm{{
				MatchExpressions: []selector.Requirement{{Key: "topology.kubernetes.io/zone", Operator: selector.OpIn, Values: []string{"a", "b"}}},
			}}},
			Tolerations: []selector.Toleration{{Key: "nvidia.com/gpu", Operator: selector.TolerationExists, Effect: selector.NoSchedule}},
		},
	}
	daemonset.Default(&ds) // the API server's defaults: RollingUpdate, maxUnavailable 1, ...
	return ds
}

func nodes() []daemonset.Node {
	node := func(name, zone, accel string, taints ...selector.Taint) daemonset.Node {
		l := map[string]string{"kubernetes.io/hostname": name, "topology.kubernetes.io/zone": zone}
		if accel != "" {
			l["accelerator"] = accel
		}
		return daemonset.Node{Name: name, Labels: l, Taints: taints}
	}
	return []daemonset.Node{
		node("gpu-a1", "a", "nvidia", selector.Taint{Key: "nvidia.com/gpu", Effect: selector.NoSchedule}),
		node("gpu-b1", "b", "nvidia"),
		node("gpu-c1", "c", "nvidia"),
		node("cpu-a1", "a", ""),
		node("gpu-a2", "a", "nvidia", selector.Taint{Key: "maintenance", Effect: selector.NoExecute}),
		// not-ready nodes: the controller adds tolerations for these to every daemon pod.
		node("gpu-b2", "b", "nvidia", selector.Taint{Key: "node.kubernetes.io/not-ready", Effect: selector.NoExecute}),
	}
}

func run(w io.Writer) error {
	ds := gpuAgent()
	if errs := daemonset.Validate(&ds); len(errs) > 0 {
		return errs.ToError()
	}
	fmt.Fprintf(w, "DaemonSet %s/%s\n\n", ds.Namespace, ds.Name)
	for _, n := range nodes() {
		e := daemonset.CheckNode(&ds, n)
		switch {
		case e.ShouldRun:
			fmt.Fprintf(w, "%-7s runs the pod\n", n.Name)
		case e.ShouldContinueRunning:
			fmt.Fprintf(w, "%-7s gets no new pod, but one already there may stay\n", n.Name)
		default:
			fmt.Fprintf(w, "%-7s no pod\n", n.Name)
		}
		for _, r := range e.Reasons {
			// A Reason is a value (Kind, Key, Taint...) as well as words.
			fmt.Fprintf(w, "          %-12s %s\n", strings.ToLower(string(r.Kind)), r)
		}
	}
	return nil
}
