package daemonset

import (
	"fmt"
	"testing"

	"github.com/daemonkit/daemonkit/rollout"
	"github.com/daemonkit/daemonkit/selector"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The burst cap (section 2.5): the first 250 creates in node-name order, the rest deferred.
func TestBurstCapCreates(t *testing.T) {
	ds := newDS("RollingUpdate")
	nodes := make([]Node, 300)
	for i := range nodes {
		nodes[i] = Node{Name: fmt.Sprintf("node-%03d", 299-i)} // reverse order: the cap must sort
	}
	r, err := Plan(input(ds, nodes, nil), Options{})
	require.NoError(t, err)
	require.Len(t, r.Creates, 250)
	assert.Equal(t, Deferred{Creates: 50}, r.Deferred)
	assert.Equal(t, "node-000", r.Creates[0].Node)
	assert.Equal(t, "node-249", r.Creates[249].Node)

	r, err = Plan(input(ds, nodes, nil), Options{BurstReplicas: 7})
	require.NoError(t, err)
	assert.Len(t, r.Creates, 7)
	assert.Equal(t, 293, r.Deferred.Creates)
}

// 260 duplicates on one node: the oldest stays, the next 250 in pod order go, 9 wait.
func TestBurstCapDeletes(t *testing.T) {
	ds := newDS("OnDelete")
	var q podSeq
	pods := q.pods(ds, "node-0", 260, simpleLabels)
	r, err := Plan(input(ds, addNodes(nil, 0, 1, nil), pods), Options{})
	require.NoError(t, err)
	require.Len(t, r.Deletes, 250)
	assert.Equal(t, 9, r.Deferred.Deletes)
	names := deletedNames(r)
	assert.NotContains(t, names, pods[0].Name)
	assert.Contains(t, names, pods[250].Name)
	assert.NotContains(t, names, pods[251].Name)
}

func TestBadInputIsAnError(t *testing.T) {
	ds := newDS("RollingUpdate")
	_, err := Plan(Input{}, Options{})
	assert.Error(t, err)
	_, err = Plan(input(ds, []Node{{Name: "a"}, {Name: "a"}}, nil), Options{})
	assert.ErrorContains(t, err, `node "a" appears more than once`)
	_, err = Plan(input(ds, nil, nil), Options{BurstReplicas: -1})
	assert.ErrorContains(t, err, "BurstReplicas")
	var q podSeq
	p := q.pod(ds, "node-0", simpleLabels)
	_, err = Plan(input(ds, addNodes(nil, 0, 1, nil), []Pod{p, p}), Options{})
	assert.ErrorContains(t, err, "appears more than once")
}

// A rolling update that fails keeps manage's decisions and status, as upstream issues them.
func TestRollingUpdateErrorKeepsManage(t *testing.T) {
	ds := newDS("RollingUpdate")
	bad := rollout.FromString("1") // not a percentage
	ds.UpdateStrategy.RollingUpdate.MaxUnavailable = &bad
	var q podSeq
	pods := q.pods(ds, "node-1", 1, simpleLabels)
	r, err := Plan(input(ds, addNodes(nil, 0, 2, nil), pods), Options{Observe: ObserveImmediate})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "rolling update")
	assert.Len(t, r.Creates, 1)
	assert.True(t, r.StatusWrite)
	assert.Equal(t, int32(2), r.Status.CurrentNumberScheduled)
}

// Production mode: the rolling update waits while manage acts; immediate mode runs both.
func TestObserveModes(t *testing.T) {
	ds := newDS("RollingUpdate")
	var q podSeq
	pods := q.pods(ds, "node-1", 1, simpleLabels)
	pods[0].Labels[RevisionHashLabel] = "old"
	pods[0].Ready = ConditionTrue
	in := input(ds, addNodes(nil, 0, 2, nil), pods)

	r, err := Plan(in, Options{})
	require.NoError(t, err)
	assert.Len(t, r.Creates, 1)
	assert.Empty(t, r.Deletes, "the rolling update waits for manage's create to be observed")

	r, err = Plan(in, Options{Observe: ObserveImmediate})
	require.NoError(t, err)
	assert.Len(t, r.Creates, 1)
	// node-0's new pod is unavailable and uses up maxUnavailable 1, so the old pod stays.
	assert.Empty(t, r.Deletes)

	in.Nodes = in.Nodes[1:]
	r, err = Plan(in, Options{})
	require.NoError(t, err)
	require.Len(t, r.Deletes, 1)
	assert.Equal(t, DeleteRollingUpdate, r.Deletes[0].Kind)
}

func TestRequeueAfterMinReadySeconds(t *testing.T) {
	ds := newDS("RollingUpdate")
	ds.MinReadySeconds = 30
	var q podSeq
	pods := q.pods(ds, "node-0", 1, simpleLabels)
	in := input(ds, addNodes(nil, 0, 1, nil), pods)
	pods[0].Ready = ConditionTrue
	pods[0].ReadySince = in.Now
	r, err := Plan(in, Options{})
	require.NoError(t, err)
	assert.Equal(t, int32(1), r.Status.NumberReady)
	assert.Equal(t, int32(0), r.Status.NumberAvailable)
	assert.Equal(t, 30*1e9, float64(r.RequeueAfter))
}

// A steady cluster allocates the same whatever its size: nothing per node or pod.
func TestSteadyPlanAllocationsDoNotGrow(t *testing.T) {
	allocs := func(n int) float64 {
		in := benchCluster(n, benchSteady)
		var p Planner
		_, err := p.Plan(in, Options{})
		require.NoError(t, err)
		return testing.AllocsPerRun(5, func() {
			r, _ := p.Plan(in, Options{})
			if !r.Empty() {
				t.Fatalf("not steady: %+v", r)
			}
		})
	}
	small, large := allocs(100), allocs(3000)
	assert.Equal(t, small, large, "allocations at 100 and 3000 nodes")
}

// TestMisscheduledReasonsNameEachNodesRules: every misscheduled delete says why its own node may
// not keep the pod (Plan words these only for the deletes the burst lets through, so the cap
// and the wording must not mix nodes up).
func TestMisscheduledReasonsNameEachNodesRules(t *testing.T) {
	ds := newDS("OnDelete")
	ds.Template.NodeSelector = map[string]string{"disktype": "ssd"}
	nodes := []Node{
		{Name: "node-a", Labels: map[string]string{"disktype": "hdd"}},
		{Name: "node-b"},
		{Name: "node-c", Labels: map[string]string{"disktype": "ssd"},
			Taints: []selector.Taint{{Key: "maintenance", Effect: selector.NoExecute}}},
	}
	var q podSeq
	pods := append(q.pods(ds, "node-c", 1, simpleLabels), q.pods(ds, "node-b", 2, simpleLabels)...)
	pods = append(pods, q.pods(ds, "node-a", 1, simpleLabels)...)
	const prefix = "node may not keep a daemon pod: "
	want := map[string]string{
		"node-a": prefix + "label disktype=hdd does not match nodeSelector disktype=ssd",
		"node-b": prefix + "node has no label disktype (nodeSelector disktype=ssd)",
		"node-c": prefix + "taint maintenance:NoExecute is not tolerated",
	}
	for _, burst := range []int{0, 1, 2, 3} {
		r, err := Plan(input(ds, nodes, pods), Options{BurstReplicas: burst})
		require.NoError(t, err)
		wantN := 4
		if burst > 0 {
			wantN = burst
		}
		require.Len(t, r.Deletes, wantN, "burst %d", burst)
		require.Equal(t, 4-wantN, r.Deferred.Deletes, "burst %d", burst)
		for _, d := range r.Deletes {
			require.Equal(t, DeleteMisscheduled, d.Kind)
			require.Equal(t, want[d.Node], d.Reason, "burst %d, pod %s", burst, d.Pod)
		}
	}
}

// The write rule of section 4: unchanged counters are skipped only once observedGeneration has
// caught up with the generation (upstream-scenarios 60 and 61 pin the same rule end to end).
func TestStatusNeedsWrite(t *testing.T) {
	old := Status{DesiredNumberScheduled: 2, CurrentNumberScheduled: 2, NumberReady: 2, UpdatedNumberScheduled: 2,
		NumberAvailable: 2, ObservedGeneration: 3}
	same := old
	same.ObservedGeneration = 0 // the new status's own observedGeneration plays no part
	assert.False(t, same.NeedsWrite(old, 3), "unchanged counters, observedGeneration current")
	assert.False(t, same.NeedsWrite(old, 2), "observedGeneration ahead of the generation")
	assert.True(t, same.NeedsWrite(old, 4), "a new generation is always written")
	for i, change := range []func(*Status){
		func(s *Status) { s.DesiredNumberScheduled++ },
		func(s *Status) { s.CurrentNumberScheduled++ },
		func(s *Status) { s.NumberMisscheduled++ },
		func(s *Status) { s.NumberReady-- },
		func(s *Status) { s.UpdatedNumberScheduled-- },
		func(s *Status) { s.NumberAvailable-- },
		func(s *Status) { s.NumberUnavailable++ },
	} {
		changed := same
		change(&changed)
		assert.True(t, changed.NeedsWrite(old, 3), "counter %d changed", i)
	}
}
