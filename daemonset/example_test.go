package daemonset_test

import (
	"fmt"
	"slices"
	"time"

	"github.com/daemonkit/daemonkit/daemonset"
	"github.com/daemonkit/daemonkit/selector"
)

func exampleDaemonSet() *daemonset.DaemonSet {
	ds := &daemonset.DaemonSet{
		Name: "agent", Namespace: "default", UID: "uid-agent", Generation: 1,
		Selector: &selector.LabelSelector{MatchLabels: map[string]string{"app": "agent"}},
		Template: daemonset.PodTemplate{
			Labels:       map[string]string{"app": "agent"},
			NodeSelector: map[string]string{"disktype": "ssd"},
		},
	}
	daemonset.Default(ds)
	return ds
}

// One reconcile of a fresh DaemonSet: a pod for every ssd node.
func ExamplePlan() {
	in := daemonset.Input{
		DaemonSet: exampleDaemonSet(),
		Nodes: []daemonset.Node{
			{Name: "node-a", Labels: map[string]string{"disktype": "ssd"}},
			{Name: "node-b", Labels: map[string]string{"disktype": "hdd"}},
			{Name: "node-c", Labels: map[string]string{"disktype": "ssd"}},
		},
		Hash: "7c9f8d",
		Now:  time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC),
	}
	res, err := daemonset.Plan(in, daemonset.Options{})
	if err != nil {
		panic(err)
	}
	for _, c := range res.Creates {
		fmt.Println("create on", c.Node)
	}
	fmt.Println("desired:", res.Status.DesiredNumberScheduled, "write status:", res.StatusWrite)
	// Output:
	// create on node-a
	// create on node-c
	// desired: 2 write status: true
}

// Iterating Plan and Apply reaches the fixed point where nothing is left to do.
func ExampleApply() {
	in := daemonset.Input{
		DaemonSet: exampleDaemonSet(),
		Nodes: []daemonset.Node{
			{Name: "node-a", Labels: map[string]string{"disktype": "ssd"}},
			{Name: "node-b", Labels: map[string]string{"disktype": "ssd"}},
		},
		Hash: "7c9f8d",
		Now:  time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC),
	}
	var p daemonset.Planner
	for sync := 1; ; sync++ {
		res, err := p.Plan(in, daemonset.Options{})
		if err != nil {
			panic(err)
		}
		if res.Empty() {
			fmt.Println("converged after", sync-1, "syncs with", len(in.Pods), "pods")
			return
		}
		fmt.Printf("sync %d: %d creates, %d deletes\n", sync, len(res.Creates), len(res.Deletes))
		in = daemonset.Apply(in, res, daemonset.ApplyOptions{})
	}
	// Output:
	// sync 1: 2 creates, 0 deletes
	// sync 2: 0 creates, 0 deletes
	// converged after 2 syncs with 2 pods
}

// CheckNode explains why a node gets no pod.
func ExampleCheckNode() {
	node := daemonset.Node{
		Name:   "node-b",
		Labels: map[string]string{"disktype": "hdd"},
		Taints: []selector.Taint{{Key: "dedicated", Value: "gpu", Effect: selector.NoExecute}},
	}
	e := daemonset.CheckNode(exampleDaemonSet(), node)
	fmt.Println("should run:", e.ShouldRun, "may keep a pod:", e.ShouldContinueRunning)
	for _, r := range e.Reasons {
		fmt.Println("-", r)
	}
	// Output:
	// should run: false may keep a pod: false
	// - label disktype=hdd does not match nodeSelector disktype=ssd
	// - taint dedicated=gpu:NoExecute is not tolerated
}

// An EligibilityChecker compiles the DaemonSet's node rules once and then answers node after
// node; ShouldRun allocates nothing, Check adds the reasons for a node that gets no pod.
func ExampleEligibilityChecker() {
	checker, err := daemonset.NewEligibilityChecker(exampleDaemonSet())
	if err != nil {
		panic(err)
	}
	nodes := []daemonset.Node{
		{Name: "node-a", Labels: map[string]string{"disktype": "ssd"}},
		{Name: "node-b", Labels: map[string]string{"disktype": "ssd"},
			Taints: []selector.Taint{{Key: "maintenance", Effect: selector.NoSchedule}}},
		{Name: "node-c", Labels: map[string]string{"disktype": "hdd"}},
	}
	for _, n := range nodes {
		run, keep := checker.ShouldRun(n)
		fmt.Printf("%s: run %v, keep %v\n", n.Name, run, keep)
		if !run {
			for _, r := range checker.Check(n).Reasons {
				fmt.Println("  -", r)
			}
		}
	}
	// Output:
	// node-a: run true, keep true
	// node-b: run false, keep true
	//   - taint maintenance:NoSchedule is not tolerated
	// node-c: run false, keep false
	//   - label disktype=hdd does not match nodeSelector disktype=ssd
}

// PodLess orders a node's pods as the controller does: the first one is the pod that stays when
// there are duplicates, and the one the status counters look at.
func ExamplePodLess() {
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	pods := []daemonset.Pod{
		{Name: "agent-c", NodeName: "node-a", CreationTimestamp: t0.Add(time.Minute)},
		{Name: "agent-b", CreationTimestamp: t0}, // not bound yet: last, although oldest
		{Name: "agent-a", NodeName: "node-a", CreationTimestamp: t0.Add(time.Minute)},
		{Name: "agent-d", NodeName: "node-a", CreationTimestamp: t0.Add(time.Second)},
	}
	slices.SortFunc(pods, func(a, b daemonset.Pod) int {
		switch {
		case daemonset.PodLess(&a, &b):
			return -1
		case daemonset.PodLess(&b, &a):
			return 1
		}
		return 0
	})
	for _, p := range pods {
		fmt.Println(p.Name)
	}
	// Output:
	// agent-d
	// agent-a
	// agent-c
	// agent-b
}

// Validate reports every broken rule with its field path, worded like the API server.
func ExampleValidate() {
	ds := exampleDaemonSet()
	ds.MinReadySeconds = -5
	ds.Template.Labels = map[string]string{"app": "other"}
	for _, e := range daemonset.Validate(ds) {
		fmt.Println(e)
	}
	// Output:
	// spec.template.metadata.labels: Invalid value: {"app":"other"}: `selector` does not match template `labels`
	// spec.minReadySeconds: Invalid value: -5: must be greater than or equal to 0
}
