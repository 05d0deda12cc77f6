package rollout

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Helpers that read like the tables of section 3.4 and 3.5.

func oldPod(name string, available bool) PodView {
	return PodView{Name: name, Available: available}
}

func newPod(name string, available bool) PodView {
	return PodView{Name: name, Updated: true, Available: available}
}

func deleting(p PodView) PodView { p.Deleting = true; return p }

func wanted(name string, pods ...PodView) NodeView {
	return NodeView{Node: name, Known: true, ShouldRun: true, Pods: pods}
}

func unwanted(name string, pods ...PodView) NodeView {
	return NodeView{Node: name, Known: true, Pods: pods}
}

func vanished(name string, pods ...PodView) NodeView {
	return NodeView{Node: name, Pods: pods}
}

func countShouldRun(nodes []NodeView) int {
	n := 0
	for _, v := range nodes {
		if v.ShouldRun {
			n++
		}
	}
	return n
}

func deletedPods(d Decision) []string {
	out := make([]string, 0, len(d.Deletes))
	for _, x := range d.Deletes {
		out = append(out, x.Pod)
	}
	return out
}

func createdNodes(d Decision) []string {
	out := make([]string, 0, len(d.Creates))
	for _, x := range d.Creates {
		out = append(out, x.Node)
	}
	return out
}

// TestDecideUnavailableTable checks every row of the section 3.4 table: a node in the given state
// beside three nodes with available old pods (z1..z3), with maxUnavailable 2. A row that counts as
// unavailable leaves room for one candidate instead of two.
func TestDecideUnavailableTable(t *testing.T) {
	cases := []struct {
		name        string
		row         NodeView
		unavailable int
		candidates  int
		wantDeletes []string
	}{
		{"two new pods (not ok)", wanted("a", newPod("a-n1", true), newPod("a-n2", true)), 1, 3, []string{"z1-old"}},
		{"two old pods (not ok)", wanted("a", oldPod("a-o1", true), oldPod("a-o2", false)), 1, 3, []string{"z1-old"}},
		{"empty wanted node", wanted("a"), 1, 3, []string{"z1-old"}},
		{"only a deleting pod", wanted("a", deleting(oldPod("a-o", true))), 1, 3, []string{"z1-old"}},
		{"old and new", wanted("a", oldPod("a-o", true), newPod("a-n", true)), 1, 3, []string{"z1-old"}},
		{"only new, not available", wanted("a", newPod("a-n", false)), 1, 3, []string{"z1-old"}},
		{"only new, available", wanted("a", newPod("a-n", true)), 0, 3, []string{"z1-old", "z2-old"}},
		{"only old, not available: always replaced", wanted("a", oldPod("a-o", false)), 1, 3, []string{"a-o", "z1-old"}},
		{"only old, available: a candidate", wanted("a", oldPod("a-o", true)), 0, 4, []string{"a-o", "z1-old"}},
		{"old beside a deleting new pod counts as only old", wanted("a", oldPod("a-o", true), deleting(newPod("a-n", true))), 0, 4, []string{"a-o", "z1-old"}},
		{"unwanted node without pods is not in the pod map", unwanted("a"), 0, 3, []string{"z1-old", "z2-old"}},
		{"old pod on an unwanted node is a candidate", unwanted("a", oldPod("a-o", true)), 0, 4, []string{"a-o", "z1-old"}},
		{"old pod on a vanished node is a candidate", vanished("a", oldPod("a-o", true)), 0, 4, []string{"a-o", "z1-old"}},
		{"unavailable old pod on a vanished node is replaced", vanished("a", oldPod("a-o", false)), 1, 3, []string{"a-o", "z1-old"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			nodes := []NodeView{c.row,
				wanted("z1", oldPod("z1-old", true)), wanted("z2", oldPod("z2-old", true)), wanted("z3", oldPod("z3-old", true))}
			d, err := Decide(rolling(ptr(FromInt(2)), nil), countShouldRun(nodes), nodes)
			require.NoError(t, err)
			assert.False(t, d.Surge)
			assert.Empty(t, d.Creates, "maxUnavailable mode never creates")
			assert.Equal(t, 2, d.MaxUnavailable)
			assert.Equal(t, c.unavailable, d.NumUnavailable, "NumUnavailable")
			assert.Equal(t, c.candidates, d.Candidates, "Candidates")
			assert.Equal(t, c.wantDeletes, deletedPods(d))
		})
	}
}

func TestDecideUnavailableBudgetExhausted(t *testing.T) {
	// Three unavailable old pods with maxUnavailable 1: all three go, and no available one does.
	nodes := []NodeView{
		wanted("n1", oldPod("p1", false)), wanted("n2", oldPod("p2", true)),
		wanted("n3", oldPod("p3", false)), wanted("n4", oldPod("p4", false)), wanted("n5", oldPod("p5", true)),
	}
	d, err := Decide(rolling(ptr(FromInt(1)), nil), 5, nodes)
	require.NoError(t, err)
	assert.Equal(t, []string{"p1", "p3", "p4"}, deletedPods(d))
	assert.Equal(t, 3, d.NumUnavailable)
	for _, x := range d.Deletes {
		assert.Equal(t, "rolling update: old pod not available, replaced outside the budget", x.Reason)
	}
}

func TestDecideUnavailableReasonsAndPercent(t *testing.T) {
	// 25% of 8 desired is 2; one new pod is still unavailable, so one old pod may go.
	nodes := []NodeView{
		wanted("n1", newPod("p1", false)), wanted("n2", oldPod("p2", true)), wanted("n3", oldPod("p3", true)),
		wanted("n4", oldPod("p4", true)), wanted("n5", newPod("p5", true)), wanted("n6", oldPod("p6", true)),
		wanted("n7", oldPod("p7", true)), wanted("n8", oldPod("p8", true)),
	}
	d, err := Decide(rolling(ptr(FromString("25%")), nil), 8, nodes)
	require.NoError(t, err)
	assert.Equal(t, 2, d.MaxUnavailable)
	assert.Equal(t, []Delete{{Pod: "p2", Node: "n2", Reason: "rolling update: old revision, budget 2 of 2 in use"}}, d.Deletes)

	d, err = Decide(rolling(ptr(FromString("50%")), nil), 8, nodes)
	require.NoError(t, err)
	assert.Equal(t, []Delete{
		{Pod: "p2", Node: "n2", Reason: "rolling update: old revision, budget 2 of 4 in use"},
		{Pod: "p3", Node: "n3", Reason: "rolling update: old revision, budget 3 of 4 in use"},
		{Pod: "p4", Node: "n4", Reason: "rolling update: old revision, budget 4 of 4 in use"},
	}, d.Deletes)
}

// TestDecideSurgeBranches checks every branch of section 3.5, one node in the given state beside
// two wanted nodes with available old pods (z1, z2), with maxSurge 1.
func TestDecideSurgeBranches(t *testing.T) {
	cases := []struct {
		name        string
		row         NodeView
		surge       int
		available   int // NumAvailable, including z1 and z2
		candidates  int
		wantCreates []string
		wantDeletes []string
	}{
		{"excess node counts as surge", wanted("a", oldPod("a-o1", true), oldPod("a-o2", true)), 1, 2, 2, nil, nil},
		{"empty wanted node: left to the pod loop", wanted("a"), 0, 2, 2, []string{"z1"}, nil},
		{"only new, available", wanted("a", newPod("a-n", true)), 0, 3, 2, []string{"z1"}, nil},
		{"only new, not available: no surge used", wanted("a", newPod("a-n", false)), 0, 2, 2, []string{"z1"}, nil},
		{"lone unavailable old pod on a wanted node: create outside the limit", wanted("a", oldPod("a-o", false)), 0, 2, 2, []string{"a", "z1"}, nil},
		{"lone unavailable old pod on an unwanted node: delete", unwanted("a", oldPod("a-o", false)), 0, 2, 2, []string{"z1"}, []string{"a-o"}},
		{"lone available old pod on a wanted node: a candidate", wanted("a", oldPod("a-o", true)), 0, 3, 3, []string{"a"}, nil},
		{"old beside an unavailable new pod: surge in use", wanted("a", oldPod("a-o", true), newPod("a-n", false)), 1, 3, 2, nil, nil},
		{"old beside an available new pod: delete old", wanted("a", oldPod("a-o", true), newPod("a-n", true)), 0, 3, 2, []string{"z1"}, []string{"a-o"}},
		{"unavailable old beside an available new pod: only the old counts", wanted("a", oldPod("a-o", false), newPod("a-n", true)), 0, 2, 2, []string{"z1"}, []string{"a-o"}},
		{"deleting pods are ignored", wanted("a", deleting(oldPod("a-o", true)), newPod("a-n", true)), 0, 3, 2, []string{"z1"}, nil},
		{"vanished node with old and new pods: old goes when new is available", vanished("a", oldPod("a-o", true), newPod("a-n", true)), 0, 3, 2, []string{"z1"}, []string{"a-o"}},
		{"vanished node with two old pods: not ok, no error", vanished("a", oldPod("a-o1", true), oldPod("a-o2", true)), 1, 2, 2, nil, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			nodes := []NodeView{c.row, wanted("z1", oldPod("z1-old", true)), wanted("z2", oldPod("z2-old", true))}
			d, err := Decide(rolling(ptr(FromInt(0)), ptr(FromInt(1))), countShouldRun(nodes), nodes)
			require.NoError(t, err)
			assert.True(t, d.Surge)
			assert.Equal(t, 1, d.MaxSurge)
			assert.Equal(t, c.surge, d.NumSurge, "NumSurge")
			assert.Equal(t, c.available, d.NumAvailable, "NumAvailable")
			assert.Equal(t, c.candidates, d.Candidates, "Candidates")
			assert.Equal(t, c.wantCreates, nilIfEmpty(createdNodes(d)), "creates")
			assert.Equal(t, c.wantDeletes, nilIfEmpty(deletedPods(d)), "deletes")
		})
	}
}

func nilIfEmpty(s []string) []string {
	if len(s) == 0 {
		return nil
	}
	return s
}

func TestDecideSurgeShouldNotRun(t *testing.T) {
	// Available pods on nodes that should not run them go only while the available count exceeds
	// desired: 5 available, 3 desired, so 2 of the 3 go, the first two by node name.
	nodes := []NodeView{
		unwanted("u3", oldPod("u3-old", true)), unwanted("u1", oldPod("u1-old", true)), unwanted("u2", oldPod("u2-old", true)),
		wanted("w1", newPod("w1-new", true)), wanted("w2", newPod("w2-new", false)), wanted("w3", newPod("w3-new", true)),
	}
	d, err := Decide(rolling(ptr(FromInt(0)), ptr(FromInt(1))), 3, nodes)
	require.NoError(t, err)
	assert.Equal(t, 5, d.NumAvailable)
	assert.Equal(t, []Delete{
		{Pod: "u1-old", Node: "u1", Reason: "surge: node should not run the pod, 5 available pods exceed 3 desired"},
		{Pod: "u2-old", Node: "u2", Reason: "surge: node should not run the pod, 5 available pods exceed 3 desired"},
	}, d.Deletes)
	assert.Empty(t, d.Creates)

	// With available == desired nothing goes.
	nodes[3] = wanted("w1", newPod("w1-new", false))
	nodes[5] = wanted("w3", newPod("w3-new", false))
	d, err = Decide(rolling(ptr(FromInt(0)), ptr(FromInt(1))), 3, nodes)
	require.NoError(t, err)
	assert.Equal(t, 3, d.NumAvailable)
	assert.Empty(t, d.Deletes)
}

func TestDecideSurgeLimitAndReasons(t *testing.T) {
	// maxSurge 50% of 6 = 3; one node already surging; 4 candidates: 2 more surge, plus the
	// unavailable old pod outside the limit.
	nodes := []NodeView{
		wanted("n6", oldPod("p6", true)), wanted("n5", oldPod("p5", true)), wanted("n4", oldPod("p4", true)),
		wanted("n3", oldPod("p3", true)), wanted("n2", oldPod("p2", false)), wanted("n1", oldPod("p1", true), newPod("q1", false)),
	}
	d, err := Decide(rolling(ptr(FromInt(0)), ptr(FromString("50%"))), 6, nodes)
	require.NoError(t, err)
	assert.Equal(t, 3, d.MaxSurge)
	assert.Equal(t, 1, d.NumSurge)
	assert.Equal(t, []Create{
		{Node: "n2", Reason: "surge: old pod not available, new pod created outside the surge budget"},
		{Node: "n3", Reason: "surge: new pod beside available old pod 2 of 3"},
		{Node: "n4", Reason: "surge: new pod beside available old pod 3 of 3"},
	}, d.Creates)
	assert.Empty(t, d.Deletes)
}

func TestDecideErrors(t *testing.T) {
	surge := rolling(ptr(FromInt(0)), ptr(FromInt(1)))

	// A lone old pod on a vanished node fails surge mode, and no decision at all is returned,
	// not even those for other nodes.
	nodes := []NodeView{wanted("a", oldPod("a-o", false)), vanished("gone", oldPod("g-o", true)), wanted("b", oldPod("b-o", true), newPod("b-n", true))}
	d, err := Decide(surge, 2, nodes)
	require.ErrorIs(t, err, ErrUnknownNode)
	assert.EqualError(t, err, `couldn't get node for nodeName "gone": node is not in the node list`)
	assert.Equal(t, Decision{}, d)

	nodes[1] = vanished("gone", oldPod("g-o", false))
	_, err = Decide(surge, 2, nodes)
	require.ErrorIs(t, err, ErrUnknownNode)

	// The same view in maxUnavailable mode is fine.
	_, err = Decide(rolling(ptr(FromInt(1)), nil), 2, nodes)
	require.NoError(t, err)

	// Budget errors.
	_, err = Decide(rolling(nil, nil), 2, nodes)
	require.ErrorIs(t, err, ErrNilMaxUnavailable)
	assert.EqualError(t, err, "budget: maxUnavailable: nil value for IntOrString")
	_, err = Decide(rolling(ptr(FromInt(0)), ptr(FromString("1"))), 2, nodes)
	assert.EqualError(t, err, `budget: maxSurge: invalid value "1": string is not a percentage`)

	// Inconsistent input.
	_, err = Decide(surge, 3, nodes)
	assert.EqualError(t, err, "desired is 3 but 2 node views have ShouldRun")
	_, err = Decide(surge, 2, []NodeView{wanted("a"), wanted("a")})
	assert.EqualError(t, err, `node "a" appears more than once`)
	_, err = Decide(surge, 1, []NodeView{{Node: "x", ShouldRun: true}})
	assert.EqualError(t, err, `node "x": ShouldRun is set but the node is not known`)
}

func TestDecideOnDelete(t *testing.T) {
	nodes := []NodeView{wanted("a", oldPod("a-o", false)), wanted("b", oldPod("b-o", true))}
	for _, typ := range []StrategyType{OnDelete, "", "Bogus"} {
		d, err := Decide(Strategy{Type: typ, HasRollingUpdate: true, MaxUnavailable: ptr(FromInt(5))}, 2, nodes)
		require.NoError(t, err)
		assert.Equal(t, Decision{}, d, "type %q", typ)
	}
}

// TestDecideOrderContract pins the documented order: candidates are taken in ascending node name
// (byte order), outputs are sorted by node name, and the input order does not matter.
func TestDecideOrderContract(t *testing.T) {
	names := []string{"node-10", "node-2", "Node-1", "node-1", "a", "b-0"}
	var nodes []NodeView
	for _, n := range names {
		nodes = append(nodes, wanted(n, oldPod(n+"-old", true)))
	}
	d, err := Decide(rolling(ptr(FromInt(3)), nil), len(nodes), nodes)
	require.NoError(t, err)
	assert.Equal(t, []string{"Node-1-old", "a-old", "b-0-old"}, deletedPods(d))

	d, err = Decide(rolling(ptr(FromInt(0)), ptr(FromInt(4))), len(nodes), nodes)
	require.NoError(t, err)
	assert.Equal(t, []string{"Node-1", "a", "b-0", "node-1"}, createdNodes(d))

	// Reversing the input changes nothing.
	rev := make([]NodeView, len(nodes))
	for i := range nodes {
		rev[len(nodes)-1-i] = nodes[i]
	}
	d2, err := Decide(rolling(ptr(FromInt(0)), ptr(FromInt(4))), len(rev), rev)
	require.NoError(t, err)
	assert.Equal(t, d, d2)
	assert.Equal(t, names[0], nodes[0].Node, "the input is not reordered")
}

func TestDecideDoesNotModifyInput(t *testing.T) {
	nodes := []NodeView{wanted("b", oldPod("b-o", true)), wanted("a", oldPod("a-o", false), newPod("a-n", true))}
	before := fmt.Sprint(nodes)
	_, err := Decide(rolling(ptr(FromInt(0)), ptr(FromInt(1))), 2, nodes)
	require.NoError(t, err)
	assert.Equal(t, before, fmt.Sprint(nodes))
}

func TestDecideEmpty(t *testing.T) {
	d, err := Decide(rolling(ptr(FromInt(0)), nil), 0, nil)
	require.NoError(t, err)
	assert.True(t, d.Empty())
	assert.Equal(t, 0, d.MaxUnavailable, "no fallback with no desired nodes")

	// One desired node and a zero budget: the fallback of 1 lets its old pod go.
	d, err = Decide(rolling(ptr(FromInt(0)), ptr(FromString("0%"))), 1, []NodeView{wanted("a", oldPod("a-o", true))})
	require.NoError(t, err)
	assert.Equal(t, 1, d.MaxUnavailable)
	assert.Equal(t, []string{"a-o"}, deletedPods(d))
	assert.False(t, d.Empty())
}
