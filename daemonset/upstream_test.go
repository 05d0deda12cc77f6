package daemonset

import (
	"testing"
	"time"

	"github.com/daemonkit/daemonkit/selector"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The cases of upstream's daemon_controller_test.go that concern placement, manage and status
// (section 8.1 of the semantics), in upstream's unit-test mode (ObserveImmediate), each run under
// both strategies where upstream runs both. Counts are (creates, deletes, events) of one sync.

func forStrategies(t *testing.T, f func(t *testing.T, ds *DaemonSet)) {
	for _, s := range strategies {
		t.Run(s, func(t *testing.T) { f(t, newDS(s)) })
	}
}

func TestSimpleDaemonSetLaunchesPods(t *testing.T) {
	forStrategies(t, func(t *testing.T, ds *DaemonSet) {
		syncCounts(t, input(ds, addNodes(nil, 0, 5, nil), nil), 5, 0, 0)
	})
}

func TestSimpleDaemonSetScheduleDaemonSetPodsLaunchesPods(t *testing.T) {
	forStrategies(t, func(t *testing.T, ds *DaemonSet) {
		in := input(ds, addNodes(nil, 0, 5, nil), nil)
		r := syncCounts(t, in, 5, 0, 0)
		after := Apply(in, r, ApplyOptions{Unbound: true})
		require.Len(t, after.Pods, 5)
		seen := map[string]bool{}
		for _, p := range after.Pods {
			assert.Empty(t, p.NodeName)
			require.NotNil(t, p.RequiredNodeAffinity)
			require.Len(t, p.RequiredNodeAffinity.Terms, 1)
			term := p.RequiredNodeAffinity.Terms[0]
			assert.Empty(t, term.MatchExpressions)
			require.Len(t, term.MatchFields, 1)
			f := term.MatchFields[0]
			assert.Equal(t, selector.NodeNameField, f.Key)
			assert.Equal(t, selector.OpIn, f.Operator)
			require.Len(t, f.Values, 1)
			seen[f.Values[0]] = true
			assert.Equal(t, testHash, p.Labels[RevisionHashLabel])
		}
		assert.Len(t, seen, 5)
	})
}

func TestSimpleDaemonSetUpdatesStatusAfterLaunchingPods(t *testing.T) {
	forStrategies(t, func(t *testing.T, ds *DaemonSet) {
		r := syncCounts(t, input(ds, addNodes(nil, 0, 5, nil), nil), 5, 0, 0)
		assert.Equal(t, int32(5), r.Status.CurrentNumberScheduled)
		assert.Equal(t, int32(5), r.Status.DesiredNumberScheduled)
		assert.True(t, r.StatusWrite)
		// Production mode does not see its own creates.
		r, err := Plan(input(ds, addNodes(nil, 0, 5, nil), nil), Options{})
		require.NoError(t, err)
		assert.Equal(t, int32(0), r.Status.CurrentNumberScheduled)
	})
}

func TestNoNodesDoesNothing(t *testing.T) {
	forStrategies(t, func(t *testing.T, ds *DaemonSet) {
		syncCounts(t, input(ds, nil, nil), 0, 0, 0)
	})
}

func TestOneNodeDaemonLaunchesPod(t *testing.T) {
	forStrategies(t, func(t *testing.T, ds *DaemonSet) {
		syncCounts(t, input(ds, addNodes(nil, 0, 1, nil), nil), 1, 0, 0)
	})
}

func TestNotReadyNodeDaemonDoesLaunchPod(t *testing.T) {
	forStrategies(t, func(t *testing.T, ds *DaemonSet) {
		nodes := addNodes(nil, 0, 1, nil)
		nodes[0].Conditions = []NodeCondition{{Type: "Ready", Status: "False"}}
		syncCounts(t, input(ds, nodes, nil), 1, 0, 0)
	})
}

func TestInsufficientCapacityNodeDaemonDoesNotUnscheduleRunningPod(t *testing.T) {
	forStrategies(t, func(t *testing.T, ds *DaemonSet) {
		ds.Template.NodeName = "too-much-mem"
		nodes := []Node{{Name: "too-much-mem"}}
		foreign := Pod{Name: "foreign", Namespace: "default", NodeName: "too-much-mem", Phase: PodRunning}
		syncCounts(t, input(ds, nodes, []Pod{foreign}), 1, 0, 0)
	})
}

func TestInsufficientCapacityNodeSufficientCapacityWithNodeLabelDaemonLaunchPod(t *testing.T) {
	forStrategies(t, func(t *testing.T, ds *DaemonSet) {
		ds.Template.NodeSelector = map[string]string{"size": "large"}
		nodes := []Node{{Name: "not-enough-resource"}, {Name: "enough-resource", Labels: map[string]string{"size": "large"}}}
		r := syncCounts(t, input(ds, nodes, nil), 1, 0, 0)
		assert.Equal(t, "enough-resource", r.Creates[0].Node)
	})
}

func TestNetworkUnavailableNodeDaemonLaunchesPod(t *testing.T) {
	forStrategies(t, func(t *testing.T, ds *DaemonSet) {
		nodes := []Node{{Name: "network-unavailable", Conditions: []NodeCondition{{Type: "NetworkUnavailable", Status: "True"}}}}
		syncCounts(t, input(ds, nodes, nil), 1, 0, 0)
	})
}

func TestDontDoAnythingIfBeingDeleted(t *testing.T) {
	forStrategies(t, func(t *testing.T, ds *DaemonSet) {
		now := t0
		ds.DeletionTimestamp = &now
		r := syncCounts(t, input(ds, addNodes(nil, 0, 1, nil), nil), 0, 0, 0)
		assert.Equal(t, SkippedDeleting, r.Skipped)
		assert.False(t, r.StatusWrite)
	})
}

func TestPortConflictWithSameDaemonPodDoesNotDeletePod(t *testing.T) {
	forStrategies(t, func(t *testing.T, ds *DaemonSet) {
		ds.Template.NodeName = "port-conflict"
		var q podSeq
		syncCounts(t, input(ds, []Node{{Name: "port-conflict"}}, []Pod{q.pod(ds, "port-conflict", simpleLabels)}), 0, 0, 0)
	})
}

func TestNoPortConflictNodeDaemonLaunchesPod(t *testing.T) {
	forStrategies(t, func(t *testing.T, ds *DaemonSet) {
		foreign := Pod{Name: "foreign", Namespace: "default", NodeName: "no-port-conflict", Phase: PodRunning}
		syncCounts(t, input(ds, []Node{{Name: "no-port-conflict"}}, []Pod{foreign}), 1, 0, 0)
	})
}

func TestPodIsNotDeletedByDaemonsetWithEmptyLabelSelector(t *testing.T) {
	forStrategies(t, func(t *testing.T, ds *DaemonSet) {
		ds.Selector = &selector.LabelSelector{}
		ds.Template.NodeSelector = map[string]string{"nothing": "matches"}
		foreign := Pod{Name: "foreign", Namespace: "default", Labels: map[string]string{"a": "b"}, NodeName: "node1", Phase: PodRunning}
		r := syncCounts(t, input(ds, []Node{{Name: "node1"}}, []Pod{foreign}), 0, 0, 1)
		assert.Equal(t, ReasonSelectingAll, r.Events[0].Reason)
		assert.Equal(t, EventWarning, r.Events[0].Type)
		assert.Equal(t, SkippedSelectingAll, r.Skipped)
		assert.False(t, r.StatusWrite)
	})
}

func TestDealsWithExistingPods(t *testing.T) {
	forStrategies(t, func(t *testing.T, ds *DaemonSet) {
		var q podSeq
		var pods []Pod
		pods = append(pods, q.pods(ds, "node-1", 1, simpleLabels)...)
		pods = append(pods, q.pods(ds, "node-2", 2, simpleLabels)...)
		pods = append(pods, q.pods(ds, "node-3", 5, simpleLabels)...)
		pods = append(pods, q.pods(ds, "node-4", 2, otherLabels)...)
		r := syncCounts(t, input(ds, addNodes(nil, 0, 5, nil), pods), 2, 5, 0)
		assert.Equal(t, []Create{{Node: "node-0", Reason: reasonNoPod}, {Node: "node-4", Reason: reasonNoPod}}, r.Creates)
		assert.Len(t, r.Released, 2)
		for _, d := range r.Deletes {
			assert.Equal(t, DeleteDuplicate, d.Kind)
		}
		// The oldest pod of each node stays.
		assert.NotContains(t, deletedNames(r), pods[1].Name)
		assert.NotContains(t, deletedNames(r), pods[3].Name)
	})
}

func deletedNames(r Result) []string {
	var out []string
	for _, d := range r.Deletes {
		out = append(out, d.Pod)
	}
	return out
}

func TestSelectorDaemonLaunchesPods(t *testing.T) {
	forStrategies(t, func(t *testing.T, ds *DaemonSet) {
		ds.Template.NodeSelector = copyMap(nodeLabels)
		nodes := addNodes(addNodes(nil, 0, 4, nil), 4, 3, nodeLabels)
		syncCounts(t, input(ds, nodes, nil), 3, 0, 0)
	})
}

func TestSelectorDaemonDeletesUnselectedPods(t *testing.T) {
	forStrategies(t, func(t *testing.T, ds *DaemonSet) {
		ds.Template.NodeSelector = copyMap(nodeLabels)
		nodes := addNodes(addNodes(nil, 0, 5, nil), 5, 5, nodeLabels)
		var q podSeq
		var pods []Pod
		pods = append(pods, q.pods(ds, "node-0", 2, otherLabels)...)
		pods = append(pods, q.pods(ds, "node-1", 3, simpleLabels)...)
		pods = append(pods, q.pods(ds, "node-1", 1, otherLabels)...)
		pods = append(pods, q.pods(ds, "node-4", 1, simpleLabels)...)
		r := syncCounts(t, input(ds, nodes, pods), 5, 4, 0)
		for _, d := range r.Deletes {
			assert.Equal(t, DeleteMisscheduled, d.Kind)
		}
	})
}

func TestSelectorDaemonDealsWithExistingPods(t *testing.T) {
	forStrategies(t, func(t *testing.T, ds *DaemonSet) {
		ds.Template.NodeSelector = copyMap(nodeLabels)
		nodes := addNodes(addNodes(nil, 0, 5, nil), 5, 5, nodeLabels)
		var q podSeq
		var pods []Pod
		add := func(node string, n int, l map[string]string) { pods = append(pods, q.pods(ds, node, n, l)...) }
		add("node-0", 1, simpleLabels)
		add("node-1", 3, simpleLabels)
		add("node-1", 2, otherLabels)
		add("node-2", 4, simpleLabels)
		add("node-6", 13, simpleLabels)
		add("node-7", 4, otherLabels)
		add("node-9", 1, simpleLabels)
		add("node-9", 1, otherLabels)
		r := syncCounts(t, input(ds, nodes, pods), 3, 20, 0)
		assert.Equal(t, []string{"node-5", "node-7", "node-8"}, []string{r.Creates[0].Node, r.Creates[1].Node, r.Creates[2].Node})
	})
}

func TestBadSelectorDaemonDoesNothing(t *testing.T) {
	forStrategies(t, func(t *testing.T, ds *DaemonSet) {
		ds.Template.NodeSelector = map[string]string{"color": "red", "speed": "fast"}
		nodes := addNodes(addNodes(nil, 0, 4, nil), 4, 3, nodeLabels)
		syncCounts(t, input(ds, nodes, nil), 0, 0, 0)
	})
}

func TestNameDaemonSetLaunchesPods(t *testing.T) {
	forStrategies(t, func(t *testing.T, ds *DaemonSet) {
		ds.Template.NodeName = "node-0"
		syncCounts(t, input(ds, addNodes(nil, 0, 5, nil), nil), 1, 0, 0)
	})
}

func TestBadNameDaemonSetDoesNothing(t *testing.T) {
	forStrategies(t, func(t *testing.T, ds *DaemonSet) {
		ds.Template.NodeName = "node-10"
		syncCounts(t, input(ds, addNodes(nil, 0, 5, nil), nil), 0, 0, 0)
	})
}

func TestNameAndSelectorDaemonSetLaunchesPods(t *testing.T) {
	forStrategies(t, func(t *testing.T, ds *DaemonSet) {
		ds.Template.NodeName = "node-6"
		ds.Template.NodeSelector = copyMap(nodeLabels)
		nodes := addNodes(addNodes(nil, 0, 4, nil), 4, 3, nodeLabels)
		syncCounts(t, input(ds, nodes, nil), 1, 0, 0)
	})
}

func TestInconsistentNameSelectorDaemonSetDoesNothing(t *testing.T) {
	forStrategies(t, func(t *testing.T, ds *DaemonSet) {
		ds.Template.NodeName = "node-0"
		ds.Template.NodeSelector = copyMap(nodeLabels)
		nodes := addNodes(addNodes(nil, 0, 4, nil), 4, 3, nodeLabels)
		syncCounts(t, input(ds, nodes, nil), 0, 0, 0)
	})
}

func TestSelectorDaemonSetLaunchesPods(t *testing.T) {
	ds := newDS("OnDelete")
	ds.Template.NodeSelector = copyMap(nodeLabels)
	nodes := addNodes(addNodes(nil, 0, 4, nil), 4, 3, nodeLabels)
	syncCounts(t, input(ds, nodes, nil), 3, 0, 0)
}

func TestNodeAffinityDaemonLaunchesPods(t *testing.T) {
	forStrategies(t, func(t *testing.T, ds *DaemonSet) {
		ds.Template.RequiredNodeAffinity = &selector.NodeSelector{Terms: []selector.NodeSelectorTerm{{
			MatchExpressions: []selector.Requirement{{Key: "color", Operator: selector.OpIn, Values: []string{"blue"}}},
		}}}
		nodes := addNodes(addNodes(nil, 0, 4, nil), 4, 3, nodeLabels)
		syncCounts(t, input(ds, nodes, nil), 3, 0, 0)
	})
}

func TestNumberReadyStatus(t *testing.T) {
	forStrategies(t, func(t *testing.T, ds *DaemonSet) {
		var q podSeq
		pods := append(q.pods(ds, "node-0", 1, simpleLabels), q.pods(ds, "node-1", 1, simpleLabels)...)
		in := input(ds, addNodes(nil, 0, 2, nil), pods)
		r := syncCounts(t, in, 0, 0, 0)
		assert.Equal(t, int32(0), r.Status.NumberReady)
		for i := range pods {
			pods[i].Ready = ConditionTrue
		}
		in.DaemonSet.Status = r.Status
		r = syncCounts(t, in, 0, 0, 0)
		assert.Equal(t, int32(2), r.Status.NumberReady)
		assert.True(t, r.StatusWrite)
	})
}

func TestObservedGeneration(t *testing.T) {
	forStrategies(t, func(t *testing.T, ds *DaemonSet) {
		ds.Generation = 1
		var q podSeq
		r := syncCounts(t, input(ds, addNodes(nil, 0, 1, nil), q.pods(ds, "node-0", 1, simpleLabels)), 0, 0, 0)
		assert.Equal(t, int64(1), r.Status.ObservedGeneration)
		assert.True(t, r.StatusWrite)
	})
}

func TestDaemonKillFailedPods(t *testing.T) {
	cases := []struct {
		name                     string
		failed, normal           int
		creates, deletes, events int
	}{
		{"failedPods: 0, normalPods: 1", 0, 1, 0, 0, 0},
		{"failedPods: 0, normalPods: 0", 0, 0, 1, 0, 0},
		{"failedPods: 1, normalPods: 0", 1, 0, 0, 1, 1},
		{"failedPods: 1, normalPods: 3", 1, 3, 0, 3, 1},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			forStrategies(t, func(t *testing.T, ds *DaemonSet) {
				var q podSeq
				pods := q.pods(ds, "node-0", c.failed, simpleLabels)
				for i := range pods {
					pods[i].Phase = PodFailed
				}
				pods = append(pods, q.pods(ds, "node-0", c.normal, simpleLabels)...)
				r := syncCounts(t, input(ds, addNodes(nil, 0, 1, nil), pods), c.creates, c.deletes, c.events)
				if c.failed > 0 {
					assert.Equal(t, ReasonFailedDaemonPod, r.Events[0].Reason)
					assert.Contains(t, deletedNames(r), pods[0].Name)
				}
			})
		})
	}
}

func TestDaemonKillFailedPodsBackoff(t *testing.T) {
	forStrategies(t, func(t *testing.T, ds *DaemonSet) {
		var q podSeq
		pods := q.pods(ds, "node-0", 1, simpleLabels)
		pods[0].Phase = PodFailed
		in := input(ds, addNodes(nil, 0, 1, nil), pods)

		r := syncCounts(t, in, 0, 1, 1)
		require.Len(t, r.Memory.Backoff, 1)
		entry := r.Memory.Backoff[0]
		assert.Equal(t, BackoffKey(ds, "node-0"), entry.Key)
		delay := entry.Delay
		require.Greater(t, delay, time.Duration(0))

		// An immediate second sync (the pod is still there): nothing, and the delay does not grow.
		in.Memory = r.Memory
		r = syncCounts(t, in, 0, 0, 0)
		assert.Equal(t, delay, r.Memory.Backoff[0].Delay)
		assert.Equal(t, delay, r.RequeueAfter)

		// 1 ns before the delay ends the node is still in backoff; at exactly the delay it is not.
		start := in.Now
		in.Now = start.Add(delay - 1)
		syncCounts(t, in, 0, 0, 0)
		in.Now = start.Add(delay)
		r = syncCounts(t, in, 0, 1, 1)
		assert.Equal(t, 2*delay, r.Memory.Backoff[0].Delay)
	})
}

func TestNoScheduleTaintedDoesntEvicitRunningIntolerantPod(t *testing.T) {
	forStrategies(t, func(t *testing.T, ds *DaemonSet) {
		nodes := []Node{{Name: "tainted", Taints: []selector.Taint{{Key: "dedicated", Value: "user1", Effect: selector.NoSchedule}}}}
		var q podSeq
		r := syncCounts(t, input(ds, nodes, q.pods(ds, "tainted", 1, simpleLabels)), 0, 0, 0)
		assert.Equal(t, int32(1), r.Status.NumberMisscheduled)
	})
}

func TestNoExecuteTaintedDoesEvicitRunningIntolerantPod(t *testing.T) {
	forStrategies(t, func(t *testing.T, ds *DaemonSet) {
		nodes := []Node{{Name: "tainted", Taints: []selector.Taint{{Key: "dedicated", Value: "user1", Effect: selector.NoExecute}}}}
		var q podSeq
		r := syncCounts(t, input(ds, nodes, q.pods(ds, "tainted", 1, simpleLabels)), 0, 1, 0)
		assert.Equal(t, DeleteMisscheduled, r.Deletes[0].Kind)
		assert.Contains(t, r.Deletes[0].Reason, "dedicated=user1:NoExecute")
	})
}

func TestTaintedNodeDaemonDoesNotLaunchIntolerantPod(t *testing.T) {
	forStrategies(t, func(t *testing.T, ds *DaemonSet) {
		nodes := []Node{{Name: "tainted", Taints: []selector.Taint{{Key: "dedicated", Value: "user1", Effect: selector.NoSchedule}}}}
		syncCounts(t, input(ds, nodes, nil), 0, 0, 0)
	})
}

func TestTaintedNodeDaemonLaunchesToleratePod(t *testing.T) {
	forStrategies(t, func(t *testing.T, ds *DaemonSet) {
		ds.Template.Tolerations = []selector.Toleration{{Key: "dedicated", Value: "user1", Effect: selector.NoSchedule}}
		nodes := []Node{{Name: "tainted", Taints: []selector.Taint{{Key: "dedicated", Value: "user1", Effect: selector.NoSchedule}}}}
		syncCounts(t, input(ds, nodes, nil), 1, 0, 0)
	})
}

func TestNotReadyNodeDaemonLaunchesPod(t *testing.T) {
	forStrategies(t, func(t *testing.T, ds *DaemonSet) {
		nodes := []Node{{Name: "tainted", Taints: []selector.Taint{{Key: "node.kubernetes.io/not-ready", Effect: selector.NoExecute}},
			Conditions: []NodeCondition{{Type: "Ready", Status: "False"}}}}
		syncCounts(t, input(ds, nodes, nil), 1, 0, 0)
	})
}

func TestUnreachableNodeDaemonLaunchesPod(t *testing.T) {
	forStrategies(t, func(t *testing.T, ds *DaemonSet) {
		nodes := []Node{{Name: "tainted", Taints: []selector.Taint{{Key: "node.kubernetes.io/unreachable", Effect: selector.NoExecute}},
			Conditions: []NodeCondition{{Type: "Ready", Status: "Unknown"}}}}
		syncCounts(t, input(ds, nodes, nil), 1, 0, 0)
	})
}

func TestNodeDaemonLaunchesToleratePod(t *testing.T) {
	forStrategies(t, func(t *testing.T, ds *DaemonSet) {
		ds.Template.Tolerations = []selector.Toleration{{Key: "dedicated", Value: "user1", Effect: selector.NoSchedule}}
		syncCounts(t, input(ds, addNodes(nil, 0, 1, nil), nil), 1, 0, 0)
	})
}

func TestDaemonSetRespectsTermination(t *testing.T) {
	forStrategies(t, func(t *testing.T, ds *DaemonSet) {
		var q podSeq
		pods := q.pods(ds, "node-0", 1, simpleLabels)
		when := t0
		pods[0].DeletionTimestamp = &when
		syncCounts(t, input(ds, addNodes(nil, 0, 1, nil), pods), 0, 0, 0)
	})
}

func TestTaintPressureNodeDaemonLaunchesPod(t *testing.T) {
	forStrategies(t, func(t *testing.T, ds *DaemonSet) {
		ds.Namespace = "kube-system"
		nodes := []Node{{Name: "resources-pressure", Taints: []selector.Taint{
			{Key: "node.kubernetes.io/disk-pressure", Effect: selector.NoSchedule},
			{Key: "node.kubernetes.io/memory-pressure", Effect: selector.NoSchedule},
			{Key: "node.kubernetes.io/pid-pressure", Effect: selector.NoSchedule},
		}}}
		syncCounts(t, input(ds, nodes, nil), 1, 0, 0)
	})
}

func TestNodeShouldRunDaemonPod(t *testing.T) {
	node := Node{Name: "test-node", Labels: map[string]string{"name": "simple-daemon", "type": "production"}}
	cases := []struct {
		name      string
		edit      func(*DaemonSet, *Node)
		run, keep bool
	}{
		{"plain", func(*DaemonSet, *Node) {}, true, true},
		{"other nodeName", func(ds *DaemonSet, _ *Node) { ds.Template.NodeName = "other-node" }, false, false},
		{"nodeSelector mismatch", func(ds *DaemonSet, _ *Node) {
			ds.Template.NodeSelector = map[string]string{"name": "simple-daemon", "type": "test"}
		}, false, false},
		{"nodeSelector match", func(ds *DaemonSet, _ *Node) { ds.Template.NodeSelector = copyMap(simpleLabels) }, true, true},
		{"affinity type In [test]", func(ds *DaemonSet, _ *Node) {
			ds.Template.RequiredNodeAffinity = &selector.NodeSelector{Terms: []selector.NodeSelectorTerm{{
				MatchExpressions: []selector.Requirement{{Key: "type", Operator: selector.OpIn, Values: []string{"test"}}}}}}
		}, false, false},
		{"affinity type In [production]", func(ds *DaemonSet, _ *Node) {
			ds.Template.RequiredNodeAffinity = &selector.NodeSelector{Terms: []selector.NodeSelectorTerm{{
				MatchExpressions: []selector.Requirement{{Key: "type", Operator: selector.OpIn, Values: []string{"production"}}}}}}
		}, true, true},
		{"unschedulable without taint", func(_ *DaemonSet, n *Node) { n.Unschedulable = true }, true, true},
		{"untolerated NoSchedule", func(_ *DaemonSet, n *Node) {
			n.Taints = []selector.Taint{{Key: "k", Effect: selector.NoSchedule}}
		}, false, true},
		{"not-ready NoSchedule is not a default toleration", func(_ *DaemonSet, n *Node) {
			n.Taints = []selector.Taint{{Key: "node.kubernetes.io/not-ready", Effect: selector.NoSchedule}}
		}, false, true},
		{"untolerated NoExecute", func(_ *DaemonSet, n *Node) {
			n.Taints = []selector.Taint{{Key: "k", Effect: selector.NoExecute}}
		}, false, false},
		{"PreferNoSchedule ignored", func(_ *DaemonSet, n *Node) {
			n.Taints = []selector.Taint{{Key: "k", Effect: selector.PreferNoSchedule}}
		}, true, true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			ds := newDS("RollingUpdate")
			n := node
			c.edit(ds, &n)
			e := CheckNode(ds, n)
			assert.Equal(t, c.run, e.ShouldRun, "shouldRun")
			assert.Equal(t, c.keep, e.ShouldContinueRunning, "shouldContinueRunning")
			if c.run {
				assert.Empty(t, e.Reasons)
			} else {
				assert.NotEmpty(t, e.Reasons)
			}
		})
	}
}

func TestDeleteUnscheduledPodForNotExistingNode(t *testing.T) {
	forStrategies(t, func(t *testing.T, ds *DaemonSet) {
		var q podSeq
		pods := q.pods(ds, "node-0", 1, simpleLabels)
		pods = append(pods, q.pod(ds, "node-1", simpleLabels))
		unbound := q.pod(ds, "", simpleLabels)
		unbound.RequiredNodeAffinity = &selector.NodeSelector{Terms: []selector.NodeSelectorTerm{{
			MatchFields: []selector.Requirement{{Key: selector.NodeNameField, Operator: selector.OpIn, Values: []string{"node-2"}}}}}}
		pods = append(pods, unbound)
		r := syncCounts(t, input(ds, addNodes(nil, 0, 1, nil), pods), 0, 1, 0)
		assert.Equal(t, Delete{Pod: unbound.Name, Node: "node-2", Kind: DeleteVanishedNode, Reason: reasonVanished}, r.Deletes[0])
	})
}

func TestGetNodesToDaemonPods(t *testing.T) {
	forStrategies(t, func(t *testing.T, ds *DaemonSet) {
		var q podSeq
		when := t0
		owned := q.pod(ds, "node-0", simpleLabels)
		orphan := q.pod(ds, "node-1", simpleLabels)
		orphan.Controller = nil
		succeeded := q.pod(ds, "node-0", simpleLabels)
		succeeded.Phase = PodSucceeded
		failed := q.pod(ds, "node-1", simpleLabels)
		failed.Phase = PodFailed
		released := q.pod(ds, "node-0", otherLabels)
		strayOrphan := q.pod(ds, "node-1", otherLabels)
		strayOrphan.Controller = nil
		others := q.pod(ds, "node-0", simpleLabels)
		others.Controller = &OwnerRef{Kind: "DaemonSet", Name: "bar", UID: "uid-bar"}
		deletedTerminal := q.pod(ds, "node-1", simpleLabels)
		deletedTerminal.Phase = PodFailed
		deletedTerminal.DeletionTimestamp = &when
		in := input(ds, addNodes(nil, 0, 2, nil), []Pod{owned, orphan, succeeded, failed, released, strayOrphan, others, deletedTerminal})
		r, err := Plan(in, Options{})
		require.NoError(t, err)
		assert.Equal(t, []string{orphan.Name}, r.Adopted)
		assert.Equal(t, []string{released.Name}, r.Released)
		// The terminal pods without a deletionTimestamp are the DaemonSet's and are deleted; the
		// deleting Failed pod is left out.
		assert.ElementsMatch(t, []string{succeeded.Name, failed.Name}, deletedNames(r))
		assert.Equal(t, int32(2), r.Status.CurrentNumberScheduled)
	})
}

// Surge cases: maxSurge 1, maxUnavailable 0.

func TestSurgeDealsWithExistingPods(t *testing.T) {
	ds := newDS("Surge")
	var q podSeq
	var pods []Pod
	pods = append(pods, q.pods(ds, "node-1", 1, simpleLabels)...)
	pods = append(pods, q.pods(ds, "node-2", 2, simpleLabels)...)
	pods = append(pods, q.pods(ds, "node-3", 5, simpleLabels)...)
	pods = append(pods, q.pods(ds, "node-4", 2, otherLabels)...)
	syncCounts(t, input(ds, addNodes(nil, 0, 5, nil), pods), 2, 5, 0)
}

// surgePod is a pod on node created at second sec, with the current hash or an old one.
func surgePod(ds *DaemonSet, name, node string, sec int, current, ready bool) Pod {
	l := copyMap(simpleLabels)
	l[RevisionHashLabel] = "old"
	if current {
		l[RevisionHashLabel] = testHash
	}
	p := Pod{Name: name, Namespace: ds.Namespace, Labels: l, Controller: ownerRef(ds), NodeName: node, Phase: PodRunning,
		CreationTimestamp: t0.Add(time.Duration(sec) * time.Second)}
	if ready {
		p.Ready = ConditionTrue
		p.ReadySince = p.CreationTimestamp
	}
	return p
}

func TestSurgePreservesReadyOldPods(t *testing.T) {
	ds := newDS("Surge")
	pods := []Pod{
		surgePod(ds, "new", "node-1", 100, true, false),
		surgePod(ds, "old-50", "node-1", 50, false, true),
		surgePod(ds, "old-60", "node-1", 60, false, true),
		surgePod(ds, "current", "node-2", 10, true, true),
	}
	in := input(ds, addNodes(nil, 0, 5, nil), pods)
	in.Now = t0.Add(100 * time.Second)
	r := syncCounts(t, in, 3, 1, 0)
	assert.Equal(t, []string{"node-0", "node-3", "node-4"}, []string{r.Creates[0].Node, r.Creates[1].Node, r.Creates[2].Node})
	assert.Equal(t, "old-60", r.Deletes[0].Pod)
}

func TestSurgeCreatesNewPodWhenAtMaxSurgeAndOldPodDeleted(t *testing.T) {
	ds := newDS("Surge")
	pods := []Pod{
		surgePod(ds, "new-0", "node-0", 100, true, false),
		surgePod(ds, "old-0", "node-0", 50, false, true),
		surgePod(ds, "old-1", "node-1", 50, false, true),
		surgePod(ds, "old-2", "node-2", 50, false, true),
		surgePod(ds, "old-3", "node-3", 50, false, true),
		surgePod(ds, "old-4", "node-4", 50, false, true),
	}
	when := t0
	pods[5].DeletionTimestamp = &when
	in := input(ds, addNodes(nil, 0, 5, nil), pods)
	in.Now = t0.Add(100 * time.Second)
	r := syncCounts(t, in, 1, 0, 0)
	assert.Equal(t, "node-4", r.Creates[0].Node)
}

func TestSurgeDeletesUnreadyOldPods(t *testing.T) {
	ds := newDS("Surge")
	pods := []Pod{
		surgePod(ds, "new", "node-1", 100, true, false),
		surgePod(ds, "old-50", "node-1", 50, false, false),
		surgePod(ds, "old-60", "node-1", 60, false, true),
		surgePod(ds, "current", "node-2", 10, true, true),
	}
	in := input(ds, addNodes(nil, 0, 5, nil), pods)
	in.Now = t0.Add(100 * time.Second)
	r := syncCounts(t, in, 3, 2, 0)
	assert.ElementsMatch(t, []string{"old-50", "old-60"}, deletedNames(r))
}

func TestSurgePreservesOldReadyWithUnsatisfiedMinReady(t *testing.T) {
	ds := newDS("Surge")
	ds.MinReadySeconds = 15
	newPod := surgePod(ds, "new", "node-1", 100, true, true)
	newPod.ReadySince = t0.Add(50 * time.Second)
	pods := []Pod{newPod, surgePod(ds, "old-50", "node-1", 50, false, true), surgePod(ds, "old-60", "node-1", 60, false, true),
		surgePod(ds, "current", "node-2", 10, true, true)}
	in := input(ds, addNodes(nil, 0, 5, nil), pods)
	in.Now = t0.Add(60 * time.Second)
	r := syncCounts(t, in, 3, 1, 0)
	assert.Equal(t, "old-60", r.Deletes[0].Pod)
}

func TestSurgeDeletesOldReadyWithUnsatisfiedMinReady(t *testing.T) {
	ds := newDS("Surge")
	ds.MinReadySeconds = 15
	newPod := surgePod(ds, "new", "node-1", 100, true, true)
	newPod.ReadySince = t0.Add(50 * time.Second)
	pods := []Pod{newPod, surgePod(ds, "old-50", "node-1", 50, false, true), surgePod(ds, "old-60", "node-1", 60, false, true),
		surgePod(ds, "current", "node-2", 10, true, true)}
	in := input(ds, addNodes(nil, 0, 5, nil), pods)
	in.Now = t0.Add(70 * time.Second)
	r := syncCounts(t, in, 3, 2, 0)
	assert.ElementsMatch(t, []string{"old-50", "old-60"}, deletedNames(r))
}
