// Command rolling-update iterates daemonset.Plan to the end of a rollout, printing each wave: the
// loop a controller, a test or a what-if tool writes, with daemonset.Apply playing the cluster and
// a virtual clock (a sync every second, pods ready ten seconds after they are created).
package main

import (
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/daemonkit/daemonkit/daemonset"
	"github.com/daemonkit/daemonkit/rollout"
	"github.com/daemonkit/daemonkit/selector"
)

func main() {
	if err := run(os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "rolling-update:", err)
		os.Exit(1)
	}
}

const readyAfter = 10 * time.Second

func run(w io.Writer) error {
	two := rollout.FromInt(2)
	ds := daemonset.DaemonSet{
		Name: "node-exporter", Namespace: "monitoring", UID: "uid-1", Generation: 2,
		Selector:       &selector.LabelSelector{MatchLabels: map[string]string{"app": "node-exporter"}},
		Template:       daemonset.PodTemplate{Labels: map[string]string{"app": "node-exporter"}},
		UpdateStrategy: daemonset.UpdateStrategy{Type: daemonset.RollingUpdateStrategy, RollingUpdate: &daemonset.RollingUpdate{MaxUnavailable: &two}},
	}
	daemonset.Default(&ds)
	start := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)

	// Six nodes, each running a ready pod of the old revision "v1"; the template is now "v2".
	in := daemonset.Input{DaemonSet: &ds, Hash: "v2", Now: start}
	for i := 1; i <= 6; i++ {
		node := fmt.Sprintf("node-%d", i)
		in.Nodes = append(in.Nodes, daemonset.Node{Name: node})
		in.Pods = append(in.Pods, daemonset.Pod{
			Name: "node-exporter-old-" + node, Namespace: "monitoring", NodeName: node,
			Labels:     map[string]string{"app": "node-exporter", daemonset.RevisionHashLabel: "v1"},
			Controller: &daemonset.OwnerRef{APIVersion: "apps/v1", Kind: "DaemonSet", Name: "node-exporter", UID: "uid-1"},
			Phase:      daemonset.PodRunning, Ready: daemonset.ConditionTrue, ReadySince: start.Add(-time.Hour),
			CreationTimestamp: start.Add(-time.Hour),
		})
	}
	fmt.Fprintf(w, "Rolling node-exporter from v1 to v2 on %d nodes, maxUnavailable %s\n\n", len(in.Nodes), two.String())

	var planner daemonset.Planner
	waves := 0
	for sync := 1; sync <= 200; sync++ {
		in.Now = in.Now.Add(time.Second)
		kubelet(&in)
		res, err := planner.Plan(in, daemonset.Options{})
		if err != nil {
			return err
		}
		if len(res.Creates)+len(res.Deletes) > 0 {
			waves++
			var acts []string
			for _, d := range res.Deletes {
				acts = append(acts, "delete "+d.Pod)
			}
			for _, c := range res.Creates {
				acts = append(acts, "create on "+c.Node)
			}
			s := res.Status
			fmt.Fprintf(w, "t=%3ds wave %d: %s   (up-to-date %d, available %d of %d)\n", int(in.Now.Sub(start).Seconds()), waves,
				strings.Join(acts, ", "), s.UpdatedNumberScheduled, s.NumberAvailable, s.DesiredNumberScheduled)
		}
		if res.Empty() && res.Status.UpdatedNumberScheduled == res.Status.DesiredNumberScheduled &&
			res.Status.NumberAvailable == res.Status.DesiredNumberScheduled {
			fmt.Fprintf(w, "\nDone at t=%ds: %d waves, every node runs an available v2 pod.\n", int(in.Now.Sub(start).Seconds()), waves)
			return nil
		}
		in = daemonset.Apply(in, res, daemonset.ApplyOptions{})
	}
	return fmt.Errorf("the rollout did not finish in 200 syncs")
}

// kubelet makes every pod Running and Ready readyAfter after its creation.
func kubelet(in *daemonset.Input) {
	pods := make([]daemonset.Pod, len(in.Pods))
	for i, p := range in.Pods {
		if p.Phase == daemonset.PodPending && !in.Now.Before(p.CreationTimestamp.Add(readyAfter)) {
			p.Phase, p.Ready, p.ReadySince = daemonset.PodRunning, daemonset.ConditionTrue, p.CreationTimestamp.Add(readyAfter)
		}
		pods[i] = p
	}
	in.Pods = pods
}
