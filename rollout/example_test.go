package rollout_test

import (
	"fmt"

	"github.com/daemonkit/daemonkit/rollout"
)

func ExampleParseIntOrPercent() {
	for _, s := range []string{"3", "25%", "abc"} {
		v, err := rollout.ParseIntOrPercent(s)
		if err != nil {
			fmt.Println("error:", err != nil)
			continue
		}
		n, _ := v.Scale(10)
		fmt.Printf("%s of 10 nodes is %d\n", v, n)
	}
	// Output:
	// 3 of 10 nodes is 3
	// 25% of 10 nodes is 3
	// error: true
}

func ExampleIntOrPercent_Validate() {
	for _, e := range rollout.FromString("150%").Validate("spec.updateStrategy.rollingUpdate.maxSurge") {
		fmt.Println(e)
	}
	// Output:
	// spec.updateStrategy.rollingUpdate.maxSurge: Invalid value: "150%": must not be greater than 100%
}

func ExampleStrategy_Budget() {
	mu := rollout.FromString("50%")
	s := rollout.Strategy{Type: rollout.RollingUpdate, HasRollingUpdate: true, MaxUnavailable: &mu}
	maxSurge, maxUnavailable, _ := s.Budget(3)
	fmt.Println(maxSurge, maxUnavailable)
	// Output: 0 2
}

func ExampleStrategy_Validate() {
	one := rollout.FromInt(1)
	s := rollout.Strategy{Type: rollout.RollingUpdate, HasRollingUpdate: true, MaxUnavailable: &one, MaxSurge: &one}
	fmt.Println(s.Validate("spec.updateStrategy").ToError())
	// Output: spec.updateStrategy.rollingUpdate.maxSurge: Invalid value: 1: may not be set when maxUnavailable is non-zero
}

func ExampleDecide() {
	mu := rollout.FromInt(2)
	s := rollout.Strategy{Type: rollout.RollingUpdate, HasRollingUpdate: true, MaxUnavailable: &mu}
	old := func(name string, available bool) []rollout.PodView {
		return []rollout.PodView{{Name: name, Available: available}}
	}
	nodes := []rollout.NodeView{
		{Node: "node-c", Known: true, ShouldRun: true, Pods: old("ds-c", true)},
		{Node: "node-a", Known: true, ShouldRun: true, Pods: old("ds-a", true)},
		{Node: "node-d", Known: true, ShouldRun: true, Pods: old("ds-d", false)},
		{Node: "node-b", Known: true, ShouldRun: true, Pods: old("ds-b", true)},
	}
	d, err := rollout.Decide(s, 4, nodes)
	if err != nil {
		panic(err)
	}
	for _, del := range d.Deletes {
		fmt.Printf("delete %s on %s: %s\n", del.Pod, del.Node, del.Reason)
	}
	// Output:
	// delete ds-a on node-a: rolling update: old revision, budget 2 of 2 in use
	// delete ds-d on node-d: rolling update: old pod not available, replaced outside the budget
}

func ExampleDecide_surge() {
	zero, surge := rollout.FromInt(0), rollout.FromInt(1)
	s := rollout.Strategy{Type: rollout.RollingUpdate, HasRollingUpdate: true, MaxUnavailable: &zero, MaxSurge: &surge}
	nodes := []rollout.NodeView{
		{Node: "node-a", Known: true, ShouldRun: true, Pods: []rollout.PodView{
			{Name: "old-a", Available: true},
			{Name: "new-a", Updated: true, Available: true}}},
		{Node: "node-b", Known: true, ShouldRun: true, Pods: []rollout.PodView{{Name: "old-b", Available: true}}},
	}
	d, _ := rollout.Decide(s, 2, nodes)
	fmt.Println(d.Deletes[0].Pod, "-", d.Deletes[0].Reason)
	fmt.Println(d.Creates[0].Node, "-", d.Creates[0].Reason)
	// Output:
	// old-a - surge: new pod available, old pod replaced
	// node-b - surge: new pod beside available old pod 1 of 1
}

func ExampleRevisionsToDelete() {
	old := []rollout.Revision{
		{Name: "ds-c", Revision: 3, Hash: "c"},
		{Name: "ds-a", Revision: 1, Hash: "a"},
		{Name: "ds-b", Revision: 2, Hash: "b"},
	}
	// revisionHistoryLimit 1; some pod still runs revision 1.
	for _, r := range rollout.RevisionsToDelete(old, 1, map[string]bool{"a": true}) {
		fmt.Println(r.Name)
	}
	// Output:
	// ds-b
	// ds-c
}

func ExampleRollback() {
	revs := []rollout.Revision{{Name: "ds-1", Revision: 1}, {Name: "ds-3", Revision: 3}, {Name: "ds-2", Revision: 2}}
	r, _ := rollout.Rollback(revs, 0)
	fmt.Println(r.Name)
	// Output: ds-2
}
