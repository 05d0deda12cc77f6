package selector_test

import (
	"fmt"

	"github.com/daemonkit/daemonkit/selector"
)

func Example_parse() {
	s, err := selector.Parse("tier in (node, edge), app = agent, !canary")
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(s.String())
	fmt.Println(s.Matches(map[string]string{"app": "agent", "tier": "edge"}))
	fmt.Println(s.Matches(map[string]string{"app": "agent", "tier": "edge", "canary": "true"}))

	_, err = selector.Parse("app=agent,")
	fmt.Println(err)
	// Output:
	// app=agent,!canary,tier in (edge,node)
	// true
	// false
	// invalid label selector "app=agent," at offset 10: found end of string, expected: identifier after ','
}

func ExampleFromLabelSelector() {
	s, err := selector.FromLabelSelector(&selector.LabelSelector{
		MatchLabels:      map[string]string{"app": "agent"},
		MatchExpressions: []selector.Requirement{{Key: "tier", Operator: selector.OpNotIn, Values: []string{"db"}}},
	})
	fmt.Println(s.String(), err)

	_, err = selector.FromLabelSelector(&selector.LabelSelector{
		MatchExpressions: []selector.Requirement{{Key: "tier", Operator: selector.OpIn}},
	})
	fmt.Println(err)
	// Output:
	// app=agent,tier notin (db) <nil>
	// matchExpressions[0].values: Required value: must be specified when `operator` is 'In' or 'NotIn'
}

func ExampleCompileNodePlacement() {
	p := selector.CompileNodePlacement(
		map[string]string{"kubernetes.io/os": "linux"},
		&selector.NodeSelector{Terms: []selector.NodeSelectorTerm{{
			MatchExpressions: []selector.Requirement{{Key: "disktype", Operator: selector.OpIn, Values: []string{"ssd"}}},
		}}},
	)
	fmt.Println(p.Matches("node-1", map[string]string{"kubernetes.io/os": "linux", "disktype": "ssd"}))
	for _, r := range p.Explain("node-2", map[string]string{"disktype": "hdd"}) {
		fmt.Printf("%s: %s\n", r.Kind, r)
	}
	// Output:
	// true
	// NodeSelector: node has no label kubernetes.io/os (nodeSelector kubernetes.io/os=linux)
	// NodeAffinity: label disktype=hdd does not satisfy disktype in (ssd)
}

func ExampleTolerationSet_CheckTaints() {
	tols := selector.CompileTolerations(selector.DaemonTolerations(nil, false))
	taints := []selector.Taint{
		{Key: "node.kubernetes.io/not-ready", Effect: selector.NoExecute}, // tolerated by default
		{Key: "dedicated", Value: "gpu", Effect: selector.NoSchedule},     // not tolerated
		{Key: "example.com/spot", Effect: selector.PreferNoSchedule},      // ignored
	}
	schedule, keep := tols.CheckTaints(taints)
	fmt.Println("schedule:", schedule, "keep:", keep)
	for _, r := range tols.ExplainTaints(taints) {
		fmt.Println(r)
	}
	// Output:
	// schedule: false keep: true
	// taint dedicated=gpu:NoSchedule is not tolerated
}

func ExampleDaemonTolerations() {
	seconds := int64(300)
	template := []selector.Toleration{
		{Key: "dedicated", Value: "gpu", Effect: selector.NoSchedule},
		// Matches a default exactly (key, operator, effect, value): replaced, so the seconds go.
		{Key: "node.kubernetes.io/not-ready", Operator: selector.TolerationExists, Effect: selector.NoExecute, TolerationSeconds: &seconds},
	}
	for _, t := range selector.DaemonTolerations(template, true) {
		fmt.Printf("%s %s %s %s seconds=%v\n", t.Key, t.Operator, t.Value, t.Effect, t.TolerationSeconds != nil)
	}
	// Output:
	// dedicated  gpu NoSchedule seconds=false
	// node.kubernetes.io/not-ready Exists  NoExecute seconds=false
	// node.kubernetes.io/unreachable Exists  NoExecute seconds=false
	// node.kubernetes.io/disk-pressure Exists  NoSchedule seconds=false
	// node.kubernetes.io/memory-pressure Exists  NoSchedule seconds=false
	// node.kubernetes.io/pid-pressure Exists  NoSchedule seconds=false
	// node.kubernetes.io/unschedulable Exists  NoSchedule seconds=false
	// node.kubernetes.io/network-unavailable Exists  NoSchedule seconds=false
}

func ExampleToleratesTaint() {
	taint := selector.Taint{Key: "dedicated", Value: "gpu", Effect: selector.NoSchedule}
	fmt.Println(selector.ToleratesTaint(selector.Toleration{Key: "dedicated", Value: "gpu"}, taint))
	fmt.Println(selector.ToleratesTaint(selector.Toleration{Operator: selector.TolerationExists, Effect: selector.NoExecute}, taint))
	fmt.Println(selector.ToleratesTaint(selector.Toleration{Operator: selector.TolerationExists}, taint))
	// Output:
	// true
	// false
	// true
}

func ExampleValidateNodeSelector() {
	errs := selector.ValidateNodeSelector(&selector.NodeSelector{Terms: []selector.NodeSelectorTerm{{
		MatchFields: []selector.Requirement{{Key: "metadata.name", Operator: selector.OpIn, Values: []string{"a", "b"}}},
	}}}, "spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution")
	fmt.Println(errs)
	// Output:
	// spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchFields[0].values: Required value: must be only one value when `operator` is 'In' or 'NotIn' for node field selector
}
