package daemonset

import (
	"fmt"
	"slices"
	"testing"

	"github.com/daemonkit/daemonkit/selector"
	"github.com/stretchr/testify/require"
	"pgregory.net/rapid"
)

// eligibilityOracle is section 1.1 written the slow, obvious way, without the compiled matchers:
// nodeName, every nodeSelector pair, the zone-In affinity terms eligibilityGen draws (ORed), then
// each NoSchedule/NoExecute taint against the daemon tolerations one by one.
func eligibilityOracle(ds *DaemonSet, n *Node) (run, keep bool) {
	t := &ds.Template
	if t.NodeName != "" && t.NodeName != n.Name {
		return false, false
	}
	for k, v := range t.NodeSelector {
		if got, ok := n.Labels[k]; !ok || got != v {
			return false, false
		}
	}
	if a := t.RequiredNodeAffinity; a != nil {
		matched := false
		for _, term := range a.Terms {
			r := term.MatchExpressions[0]
			if got, ok := n.Labels[r.Key]; ok && slices.Contains(r.Values, got) {
				matched = true
			}
		}
		if !matched {
			return false, false
		}
	}
	run, keep = true, true
	tols := selector.DaemonTolerations(t.Tolerations, t.HostNetwork)
	for _, taint := range n.Taints {
		if taint.Effect != selector.NoSchedule && taint.Effect != selector.NoExecute {
			continue
		}
		if slices.ContainsFunc(tols, func(tol selector.Toleration) bool { return selector.ToleratesTaint(tol, taint) }) {
			continue
		}
		run = false
		if taint.Effect == selector.NoExecute {
			keep = false
		}
	}
	return run, keep
}

// eligibilityGen is a DaemonSet whose template may name a node, select a zone, require an
// affinity on the zone, tolerate some taints and use the host network, with up to 8 nodes in
// zones a to c carrying up to 3 taints each.
func eligibilityGen(t *rapid.T) (*DaemonSet, []Node) {
	ds := newDS("RollingUpdate")
	tpl := &ds.Template
	zone := rapid.SampledFrom([]string{"a", "b", "c"})
	if rapid.Bool().Draw(t, "nodeName") {
		tpl.NodeName = fmt.Sprintf("n%d", rapid.IntRange(0, 8).Draw(t, "named"))
	}
	if rapid.Bool().Draw(t, "nodeSelector") {
		tpl.NodeSelector = map[string]string{"zone": zone.Draw(t, "selected")}
	}
	if rapid.Bool().Draw(t, "affinity") {
		var terms []selector.NodeSelectorTerm
		for range rapid.IntRange(1, 2).Draw(t, "terms") {
			zones := rapid.SliceOfNDistinct(zone, 1, 2, rapid.ID).Draw(t, "zones")
			terms = append(terms, selector.NodeSelectorTerm{MatchExpressions: []selector.Requirement{
				{Key: "zone", Operator: selector.OpIn, Values: zones}}})
		}
		tpl.RequiredNodeAffinity = &selector.NodeSelector{Terms: terms}
	}
	tolerations := []selector.Toleration{
		{Key: "k", Operator: selector.TolerationExists},
		{Key: "x", Operator: selector.TolerationEqual, Value: "1", Effect: selector.NoSchedule},
		{Key: "x", Operator: selector.TolerationEqual, Value: "1", Effect: selector.NoExecute},
	}
	tpl.Tolerations = rapid.SliceOfNDistinct(rapid.SampledFrom(tolerations), 0, 3, func(t selector.Toleration) string {
		return t.Key + t.Value + string(t.Effect)
	}).Draw(t, "tolerations")
	tpl.HostNetwork = rapid.Bool().Draw(t, "hostNetwork")

	taints := []selector.Taint{
		{Key: "k", Effect: selector.NoExecute},
		{Key: "x", Value: "1", Effect: selector.NoSchedule},
		{Key: "x", Value: "1", Effect: selector.NoExecute},
		{Key: "x", Value: "2", Effect: selector.NoExecute},
		{Key: "y", Effect: selector.NoSchedule},
		{Key: "y", Effect: selector.PreferNoSchedule},
		{Key: selector.TaintNodeNotReady, Effect: selector.NoExecute},
		{Key: selector.TaintNodeNetworkUnavailable, Effect: selector.NoSchedule},
	}
	nodes := make([]Node, rapid.IntRange(1, 8).Draw(t, "nodes"))
	for i := range nodes {
		nodes[i] = Node{Name: fmt.Sprintf("n%d", i), Labels: map[string]string{"zone": zone.Draw(t, "zone")},
			Taints: rapid.SliceOfN(rapid.SampledFrom(taints), 0, 3).Draw(t, "taints")}
	}
	return ds, nodes
}

// A checker compiled once answers every node as the oracle does, ShouldRun and Check agree, and
// Check gives reasons exactly when the node should not get a pod.
func TestPropertyEligibilityChecker(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		ds, nodes := eligibilityGen(t)
		c, err := NewEligibilityChecker(ds)
		require.NoError(t, err)
		for _, n := range nodes {
			wantRun, wantKeep := eligibilityOracle(ds, &n)
			run, keep := c.ShouldRun(n)
			require.Equal(t, [2]bool{wantRun, wantKeep}, [2]bool{run, keep}, "node %+v", n)
			e := c.Check(n)
			require.Equal(t, run, e.ShouldRun)
			require.Equal(t, keep, e.ShouldContinueRunning)
			require.Equal(t, run, len(e.Reasons) == 0, "reasons %v", e.Reasons)
			require.Equal(t, e, CheckNode(ds, n))
		}
	})
}

// The checker copies what it compiled: editing the DaemonSet in place afterwards changes nothing.
func TestEligibilityCheckerIgnoresLaterEdits(t *testing.T) {
	ds := newDS("RollingUpdate")
	ds.Template.NodeSelector = map[string]string{"zone": "a"}
	ds.Template.Tolerations = []selector.Toleration{{Key: "gpu", Operator: selector.TolerationExists}}
	c, err := NewEligibilityChecker(ds)
	require.NoError(t, err)
	node := Node{Name: "n1", Labels: map[string]string{"zone": "a"},
		Taints: []selector.Taint{{Key: "gpu", Effect: selector.NoExecute}}}

	ds.Template.NodeSelector["zone"] = "b"
	ds.Template.Tolerations[0].Key = "other"
	ds.Template.NodeName = "n2"

	run, keep := c.ShouldRun(node)
	require.True(t, run)
	require.True(t, keep)
	require.False(t, CheckNode(ds, node).ShouldContinueRunning, "the edited DaemonSet no longer keeps the node")
}

func TestNewEligibilityCheckerNil(t *testing.T) {
	c, err := NewEligibilityChecker(nil)
	require.Error(t, err)
	require.Nil(t, c)
}

// ShouldRun, and Check on an eligible node, allocate nothing whatever rules the node meets.
func TestEligibilityCheckerAllocatesNothing(t *testing.T) {
	ds := newDS("RollingUpdate")
	ds.Template.NodeSelector = map[string]string{"zone": "a"}
	ds.Template.RequiredNodeAffinity = &selector.NodeSelector{Terms: []selector.NodeSelectorTerm{{
		MatchExpressions: []selector.Requirement{{Key: "disk", Operator: selector.OpIn, Values: []string{"ssd", "nvme"}}}}}}
	ds.Template.Tolerations = []selector.Toleration{{Key: "gpu", Operator: selector.TolerationExists}}
	c, err := NewEligibilityChecker(ds)
	require.NoError(t, err)
	labels := map[string]string{"zone": "a", "disk": "ssd"}
	nodes := []Node{
		{Name: "fits", Labels: labels},
		{Name: "tolerated", Labels: labels, Taints: []selector.Taint{{Key: "gpu", Effect: selector.NoExecute}}},
		{Name: "noschedule", Labels: labels, Taints: []selector.Taint{{Key: "x", Effect: selector.NoSchedule}}},
		{Name: "noexecute", Labels: labels, Taints: []selector.Taint{{Key: "x", Effect: selector.NoExecute}}},
		{Name: "wrong-zone", Labels: map[string]string{"zone": "b", "disk": "ssd"}},
		{Name: "no-labels"},
	}
	for _, n := range nodes {
		allocs := testing.AllocsPerRun(100, func() { c.ShouldRun(n) })
		require.Zero(t, allocs, "ShouldRun(%s)", n.Name)
	}
	allocs := testing.AllocsPerRun(100, func() { c.Check(nodes[0]) })
	require.Zero(t, allocs, "Check on an eligible node")
}

func BenchmarkEligibility(b *testing.B) {
	ds := newDS("RollingUpdate")
	ds.Template.NodeSelector = map[string]string{"zone": "a"}
	ds.Template.Tolerations = []selector.Toleration{{Key: "gpu", Operator: selector.TolerationExists}}
	node := Node{Name: "node-1", Labels: map[string]string{"zone": "a", "kubernetes.io/hostname": "node-1"},
		Taints: []selector.Taint{{Key: "gpu", Effect: selector.NoSchedule}}}
	c, err := NewEligibilityChecker(ds)
	if err != nil {
		b.Fatal(err)
	}
	b.Run("ShouldRun", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if run, _ := c.ShouldRun(node); !run {
				b.Fatal("node should run the pod")
			}
		}
	})
	b.Run("Check", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if !c.Check(node).ShouldRun {
				b.Fatal("node should run the pod")
			}
		}
	})
	b.Run("CheckNode", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if !CheckNode(ds, node).ShouldRun {
				b.Fatal("node should run the pod")
			}
		}
	})
}
