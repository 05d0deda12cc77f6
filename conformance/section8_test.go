package conformance_test

import (
	"testing"
	"time"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/daemonkit/daemonkit/conformance/harness"
	"github.com/daemonkit/daemonkit/daemonset"
)

// section81 are the single-sync scenarios of upstream's daemon_controller_test.go (section 8.1
// of the semantics) that daemonkit models, named after the upstream tests. Each builds its
// cluster for a DaemonSet with the given strategy; creates, deletes and events are upstream's
// expected counts in its unit-test mode (ObserveImmediate).
var section81 = []struct {
	name                     string
	onDeleteOnly             bool
	build                    func(ds *appsv1.DaemonSet) harness.Cluster
	creates, deletes, events int
	check                    func(t *testing.T, up harness.Outcome)
}{
	{name: "TestSimpleDaemonSetLaunchesPods", creates: 5,
		build: func(ds *appsv1.DaemonSet) harness.Cluster {
			return harness.Cluster{DaemonSet: ds, Nodes: nodes(0, 5, nil)}
		}},
	{name: "TestSimpleDaemonSetScheduleDaemonSetPodsLaunchesPods", creates: 5,
		build: func(ds *appsv1.DaemonSet) harness.Cluster {
			return harness.Cluster{DaemonSet: ds, Nodes: nodes(0, 5, nil)}
		},
		check: func(t *testing.T, up harness.Outcome) {
			for _, p := range up.SentPods {
				if p.Spec.NodeName != "" || harness.TargetNode(p) == "" {
					t.Errorf("pod %v is not unbound with a single matchFields target", p.Spec)
				}
			}
		}},
	{name: "TestSimpleDaemonSetUpdatesStatusAfterLaunchingPods", creates: 5,
		build: func(ds *appsv1.DaemonSet) harness.Cluster {
			return harness.Cluster{DaemonSet: ds, Nodes: nodes(0, 5, nil)}
		},
		check: func(t *testing.T, up harness.Outcome) {
			if up.Status.CurrentNumberScheduled != 5 {
				t.Errorf("currentNumberScheduled %d, want 5", up.Status.CurrentNumberScheduled)
			}
		}},
	{name: "TestNoNodesDoesNothing",
		build: func(ds *appsv1.DaemonSet) harness.Cluster { return harness.Cluster{DaemonSet: ds} }},
	{name: "TestOneNodeDaemonLaunchesPod", creates: 1,
		build: func(ds *appsv1.DaemonSet) harness.Cluster {
			return harness.Cluster{DaemonSet: ds, Nodes: nodes(0, 1, nil)}
		}},
	{name: "TestNotReadyNodeDaemonDoesLaunchPod", creates: 1,
		build: func(ds *appsv1.DaemonSet) harness.Cluster {
			n := readyNode("not-ready", nil)
			n.Status.Conditions = []corev1.NodeCondition{{Type: corev1.NodeReady, Status: corev1.ConditionFalse}}
			return harness.Cluster{DaemonSet: ds, Nodes: []*corev1.Node{n}}
		}},
	{name: "TestInsufficientCapacityNodeDaemonDoesNotUnscheduleRunningPod", creates: 1,
		build: func(ds *appsv1.DaemonSet) harness.Cluster {
			ds.Spec.Template.Spec.NodeName = "too-much-mem"
			foreign := &corev1.Pod{ObjectMeta: metav1.ObjectMeta{Name: "hog", Namespace: "default"},
				Spec: corev1.PodSpec{NodeName: "too-much-mem", Containers: []corev1.Container{{Name: "c", Image: "hog"}}}}
			return harness.Cluster{DaemonSet: ds, Nodes: []*corev1.Node{readyNode("too-much-mem", nil)}, Pods: []*corev1.Pod{foreign}}
		}},
	{name: "TestInsufficientCapacityNodeSufficientCapacityWithNodeLabelDaemonLaunchPod", creates: 1,
		build: func(ds *appsv1.DaemonSet) harness.Cluster {
			ds.Spec.Template.Spec.NodeSelector = map[string]string{"size": "large"}
			return harness.Cluster{DaemonSet: ds, Nodes: []*corev1.Node{readyNode("small", nil), readyNode("large", map[string]string{"size": "large"})}}
		}},
	{name: "TestNetworkUnavailableNodeDaemonLaunchesPod", creates: 1,
		build: func(ds *appsv1.DaemonSet) harness.Cluster {
			n := readyNode("network-unavailable", nil)
			n.Status.Conditions = []corev1.NodeCondition{{Type: corev1.NodeNetworkUnavailable, Status: corev1.ConditionTrue}}
			return harness.Cluster{DaemonSet: ds, Nodes: []*corev1.Node{n}}
		}},
	{name: "TestDontDoAnythingIfBeingDeleted",
		build: func(ds *appsv1.DaemonSet) harness.Cluster {
			ds.DeletionTimestamp = &metav1.Time{Time: planNow}
			ds.Finalizers = []string{"foregroundDeletion"}
			return harness.Cluster{DaemonSet: ds, Nodes: nodes(0, 1, nil)}
		}},
	{name: "TestPortConflictWithSameDaemonPodDoesNotDeletePod",
		build: func(ds *appsv1.DaemonSet) harness.Cluster {
			ds.Spec.Template.Spec.NodeName = "port-conflict"
			ds.Spec.Template.Spec.Containers[0].Ports = []corev1.ContainerPort{{HostPort: 666}}
			return harness.Cluster{DaemonSet: ds, Nodes: []*corev1.Node{readyNode("port-conflict", nil)},
				Pods: []*corev1.Pod{daemonPod(ds, "foo-1", "port-conflict", nil, 0)}}
		}},
	{name: "TestNoPortConflictNodeDaemonLaunchesPod", creates: 1,
		build: func(ds *appsv1.DaemonSet) harness.Cluster {
			ds.Spec.Template.Spec.Containers[0].Ports = []corev1.ContainerPort{{HostPort: 6662}}
			foreign := &corev1.Pod{ObjectMeta: metav1.ObjectMeta{Name: "web", Namespace: "default"},
				Spec: corev1.PodSpec{NodeName: "no-port-conflict", Containers: []corev1.Container{{Name: "c", Image: "web", Ports: []corev1.ContainerPort{{HostPort: 6661}}}}}}
			return harness.Cluster{DaemonSet: ds, Nodes: []*corev1.Node{readyNode("no-port-conflict", nil)}, Pods: []*corev1.Pod{foreign}}
		}},
	{name: "TestPodIsNotDeletedByDaemonsetWithEmptyLabelSelector", events: 1,
		build: func(ds *appsv1.DaemonSet) harness.Cluster {
			ds.Spec.Selector = &metav1.LabelSelector{}
			ds.Spec.Template.Spec.NodeSelector = map[string]string{"nothing": "matches"}
			foreign := &corev1.Pod{ObjectMeta: metav1.ObjectMeta{Name: "bare", Namespace: "default", Labels: map[string]string{"foo": "bar"}},
				Spec: corev1.PodSpec{NodeName: "node1", Containers: []corev1.Container{{Name: "c", Image: "bare"}}}}
			return harness.Cluster{DaemonSet: ds, Nodes: []*corev1.Node{readyNode("node1", nil)}, Pods: []*corev1.Pod{foreign}}
		}},
	{name: "TestDealsWithExistingPods", creates: 2, deletes: 5,
		build: func(ds *appsv1.DaemonSet) harness.Cluster {
			var pods []*corev1.Pod
			pods = append(pods, podsOn(ds, "node-1", 1, nil, "")...)
			pods = append(pods, podsOn(ds, "node-2", 2, nil, "")...)
			pods = append(pods, podsOn(ds, "node-3", 5, nil, "")...)
			pods = append(pods, podsOn(ds, "node-4", 2, map[string]string{"type": "test"}, "")...)
			return harness.Cluster{DaemonSet: ds, Nodes: nodes(0, 5, nil), Pods: pods}
		}},
	{name: "TestSelectorDaemonLaunchesPods", creates: 3,
		build: func(ds *appsv1.DaemonSet) harness.Cluster {
			ds.Spec.Template.Spec.NodeSelector = copyMap(labelledNode)
			return harness.Cluster{DaemonSet: ds, Nodes: append(nodes(0, 4, nil), nodes(4, 3, labelledNode)...)}
		}},
	{name: "TestSelectorDaemonDeletesUnselectedPods", creates: 5, deletes: 4,
		build: func(ds *appsv1.DaemonSet) harness.Cluster {
			ds.Spec.Template.Spec.NodeSelector = copyMap(labelledNode)
			other := map[string]string{"name": "simple-daemon", "type": "test"}
			var pods []*corev1.Pod
			pods = append(pods, podsOn(ds, "node-0", 2, other, "")...)
			pods = append(pods, podsOn(ds, "node-1", 3, nil, "")...)
			pods = append(pods, podsOn(ds, "node-1", 1, other, "x")...)
			pods = append(pods, podsOn(ds, "node-4", 1, nil, "")...)
			return harness.Cluster{DaemonSet: ds, Nodes: append(nodes(0, 5, nil), nodes(5, 5, labelledNode)...), Pods: pods}
		}},
	{name: "TestSelectorDaemonDealsWithExistingPods", creates: 3, deletes: 20,
		build: func(ds *appsv1.DaemonSet) harness.Cluster {
			ds.Spec.Template.Spec.NodeSelector = copyMap(labelledNode)
			other := map[string]string{"name": "simple-daemon", "type": "test"}
			var pods []*corev1.Pod
			pods = append(pods, podsOn(ds, "node-0", 1, nil, "")...)
			pods = append(pods, podsOn(ds, "node-1", 3, nil, "")...)
			pods = append(pods, podsOn(ds, "node-1", 2, other, "x")...)
			pods = append(pods, podsOn(ds, "node-2", 4, nil, "")...)
			pods = append(pods, podsOn(ds, "node-6", 13, nil, "")...)
			pods = append(pods, podsOn(ds, "node-7", 4, other, "x")...)
			pods = append(pods, podsOn(ds, "node-9", 1, nil, "")...)
			pods = append(pods, podsOn(ds, "node-9", 1, other, "x")...)
			return harness.Cluster{DaemonSet: ds, Nodes: append(nodes(0, 5, nil), nodes(5, 5, labelledNode)...), Pods: pods}
		}},
	{name: "TestBadSelectorDaemonDoesNothing",
		build: func(ds *appsv1.DaemonSet) harness.Cluster {
			ds.Spec.Template.Spec.NodeSelector = map[string]string{"color": "red", "speed": "fast"}
			return harness.Cluster{DaemonSet: ds, Nodes: append(nodes(0, 4, nil), nodes(4, 3, labelledNode)...)}
		}},
	{name: "TestNameDaemonSetLaunchesPods", creates: 1,
		build: func(ds *appsv1.DaemonSet) harness.Cluster {
			ds.Spec.Template.Spec.NodeName = "node-0"
			return harness.Cluster{DaemonSet: ds, Nodes: nodes(0, 5, nil)}
		}},
	{name: "TestBadNameDaemonSetDoesNothing",
		build: func(ds *appsv1.DaemonSet) harness.Cluster {
			ds.Spec.Template.Spec.NodeName = "node-10"
			return harness.Cluster{DaemonSet: ds, Nodes: nodes(0, 5, nil)}
		}},
	{name: "TestNameAndSelectorDaemonSetLaunchesPods", creates: 1,
		build: func(ds *appsv1.DaemonSet) harness.Cluster {
			ds.Spec.Template.Spec.NodeName = "node-6"
			ds.Spec.Template.Spec.NodeSelector = copyMap(labelledNode)
			return harness.Cluster{DaemonSet: ds, Nodes: append(nodes(0, 4, nil), nodes(4, 3, labelledNode)...)}
		}},
	{name: "TestInconsistentNameSelectorDaemonSetDoesNothing",
		build: func(ds *appsv1.DaemonSet) harness.Cluster {
			ds.Spec.Template.Spec.NodeName = "node-0"
			ds.Spec.Template.Spec.NodeSelector = copyMap(labelledNode)
			return harness.Cluster{DaemonSet: ds, Nodes: append(nodes(0, 4, nil), nodes(4, 3, labelledNode)...)}
		}},
	{name: "TestSelectorDaemonSetLaunchesPods", onDeleteOnly: true, creates: 3,
		build: func(ds *appsv1.DaemonSet) harness.Cluster {
			ds.Spec.Template.Spec.NodeSelector = copyMap(labelledNode)
			return harness.Cluster{DaemonSet: ds, Nodes: append(nodes(0, 4, nil), nodes(4, 3, labelledNode)...)}
		}},
	{name: "TestNodeAffinityDaemonLaunchesPods", creates: 3,
		build: func(ds *appsv1.DaemonSet) harness.Cluster {
			ds.Spec.Template.Spec.Affinity = &corev1.Affinity{NodeAffinity: &corev1.NodeAffinity{RequiredDuringSchedulingIgnoredDuringExecution: &corev1.NodeSelector{
				NodeSelectorTerms: []corev1.NodeSelectorTerm{{MatchExpressions: []corev1.NodeSelectorRequirement{{Key: "color", Operator: corev1.NodeSelectorOpIn, Values: []string{"blue"}}}}}}}}
			return harness.Cluster{DaemonSet: ds, Nodes: append(nodes(0, 4, nil), nodes(4, 3, labelledNode)...)}
		}},
	{name: "TestNumberReadyStatus",
		build: func(ds *appsv1.DaemonSet) harness.Cluster {
			return harness.Cluster{DaemonSet: ds, Nodes: nodes(0, 2, nil),
				Pods: append(podsOn(ds, "node-0", 1, nil, ""), podsOn(ds, "node-1", 1, nil, "")...)}
		},
		check: func(t *testing.T, up harness.Outcome) {
			if up.Status.NumberReady != 0 {
				t.Errorf("numberReady %d, want 0", up.Status.NumberReady)
			}
		}},
	{name: "TestNumberReadyStatus/ready",
		build: func(ds *appsv1.DaemonSet) harness.Cluster {
			pods := append(podsOn(ds, "node-0", 1, nil, ""), podsOn(ds, "node-1", 1, nil, "")...)
			for _, p := range pods {
				p.Status.Conditions = []corev1.PodCondition{{Type: corev1.PodReady, Status: corev1.ConditionTrue}}
			}
			return harness.Cluster{DaemonSet: ds, Nodes: nodes(0, 2, nil), Pods: pods}
		},
		check: func(t *testing.T, up harness.Outcome) {
			if up.Status.NumberReady != 2 {
				t.Errorf("numberReady %d, want 2", up.Status.NumberReady)
			}
		}},
	{name: "TestObservedGeneration",
		build: func(ds *appsv1.DaemonSet) harness.Cluster {
			return harness.Cluster{DaemonSet: ds, Nodes: nodes(0, 1, nil), Pods: podsOn(ds, "node-0", 1, nil, "")}
		},
		check: func(t *testing.T, up harness.Outcome) {
			if !up.StatusWritten || up.Status.ObservedGeneration != 1 {
				t.Errorf("status written %v with observedGeneration %d, want 1", up.StatusWritten, up.Status.ObservedGeneration)
			}
		}},
	{name: "TestDaemonKillFailedPods/failed_0_normal_1", build: failedAndNormal(0, 1)},
	{name: "TestDaemonKillFailedPods/failed_0_normal_0", creates: 1, build: failedAndNormal(0, 0)},
	{name: "TestDaemonKillFailedPods/failed_1_normal_0", deletes: 1, events: 1, build: failedAndNormal(1, 0)},
	{name: "TestDaemonKillFailedPods/failed_1_normal_3", deletes: 3, events: 1, build: failedAndNormal(1, 3)},
	{name: "TestNoScheduleTaintedDoesntEvicitRunningIntolerantPod",
		build: taintedWithPod(corev1.TaintEffectNoSchedule, true)},
	{name: "TestNoExecuteTaintedDoesEvicitRunningIntolerantPod", deletes: 1,
		build: taintedWithPod(corev1.TaintEffectNoExecute, true)},
	{name: "TestTaintedNodeDaemonDoesNotLaunchIntolerantPod",
		build: taintedWithPod(corev1.TaintEffectNoSchedule, false)},
	{name: "TestTaintedNodeDaemonLaunchesToleratePod", creates: 1,
		build: func(ds *appsv1.DaemonSet) harness.Cluster {
			ds.Spec.Template.Spec.Tolerations = []corev1.Toleration{{Key: "dedicated", Value: "user1", Effect: corev1.TaintEffectNoSchedule}}
			c := taintedWithPod(corev1.TaintEffectNoSchedule, false)(ds)
			return c
		}},
	{name: "TestNotReadyNodeDaemonLaunchesPod", creates: 1,
		build: conditionTainted("node.kubernetes.io/not-ready", corev1.ConditionFalse)},
	{name: "TestUnreachableNodeDaemonLaunchesPod", creates: 1,
		build: conditionTainted("node.kubernetes.io/unreachable", corev1.ConditionUnknown)},
	{name: "TestNodeDaemonLaunchesToleratePod", creates: 1,
		build: func(ds *appsv1.DaemonSet) harness.Cluster {
			ds.Spec.Template.Spec.Tolerations = []corev1.Toleration{{Key: "dedicated", Value: "user1", Effect: corev1.TaintEffectNoSchedule}}
			return harness.Cluster{DaemonSet: ds, Nodes: nodes(0, 1, nil)}
		}},
	{name: "TestDaemonSetRespectsTermination",
		build: func(ds *appsv1.DaemonSet) harness.Cluster {
			p := daemonPod(ds, "foo-0", "node-0", nil, 0)
			p.DeletionTimestamp = &metav1.Time{Time: planNow}
			p.Finalizers = []string{"example.com/hold"}
			return harness.Cluster{DaemonSet: ds, Nodes: nodes(0, 1, nil), Pods: []*corev1.Pod{p}}
		}},
	{name: "TestTaintPressureNodeDaemonLaunchesPod", creates: 1,
		build: func(ds *appsv1.DaemonSet) harness.Cluster {
			ds.Namespace = "kube-system"
			ds.Spec.Template.Spec.PriorityClassName = "system-node-critical"
			n := readyNode("resources-pressure", nil)
			for _, k := range []string{"disk-pressure", "memory-pressure", "pid-pressure"} {
				n.Spec.Taints = append(n.Spec.Taints, corev1.Taint{Key: "node.kubernetes.io/" + k, Effect: corev1.TaintEffectNoSchedule})
			}
			n.Status.Conditions = append(n.Status.Conditions,
				corev1.NodeCondition{Type: corev1.NodeDiskPressure, Status: corev1.ConditionTrue},
				corev1.NodeCondition{Type: corev1.NodeMemoryPressure, Status: corev1.ConditionTrue},
				corev1.NodeCondition{Type: corev1.NodePIDPressure, Status: corev1.ConditionTrue})
			return harness.Cluster{DaemonSet: ds, Nodes: []*corev1.Node{n}}
		}},
	{name: "TestDeleteUnscheduledPodForNotExistingNode", deletes: 1,
		build: func(ds *appsv1.DaemonSet) harness.Cluster {
			bound := daemonPod(ds, "foo-node-1", "node-1", nil, 1)
			unbound := daemonPod(ds, "foo-node-2", "", nil, 2)
			unbound.Spec.Affinity = &corev1.Affinity{NodeAffinity: &corev1.NodeAffinity{RequiredDuringSchedulingIgnoredDuringExecution: &corev1.NodeSelector{
				NodeSelectorTerms: []corev1.NodeSelectorTerm{{MatchFields: []corev1.NodeSelectorRequirement{{Key: "metadata.name", Operator: corev1.NodeSelectorOpIn, Values: []string{"node-2"}}}}}}}}
			return harness.Cluster{DaemonSet: ds, Nodes: nodes(0, 1, nil),
				Pods: []*corev1.Pod{daemonPod(ds, "foo-node-0", "node-0", nil, 0), bound, unbound}}
		}},
}

func failedAndNormal(failed, normal int) func(ds *appsv1.DaemonSet) harness.Cluster {
	return func(ds *appsv1.DaemonSet) harness.Cluster {
		var pods []*corev1.Pod
		for _, p := range podsOn(ds, "node-0", failed, nil, "failed-") {
			p.Status.Phase = corev1.PodFailed
			pods = append(pods, p)
		}
		pods = append(pods, podsOn(ds, "node-0", normal, nil, "normal-")...)
		return harness.Cluster{DaemonSet: ds, Nodes: nodes(0, 1, nil), Pods: pods}
	}
}

func taintedWithPod(effect corev1.TaintEffect, withPod bool) func(ds *appsv1.DaemonSet) harness.Cluster {
	return func(ds *appsv1.DaemonSet) harness.Cluster {
		n := readyNode("tainted", nil)
		n.Spec.Taints = []corev1.Taint{{Key: "dedicated", Value: "user1", Effect: effect}}
		c := harness.Cluster{DaemonSet: ds, Nodes: []*corev1.Node{n}}
		if withPod {
			c.Pods = []*corev1.Pod{daemonPod(ds, "foo-tainted", "tainted", nil, 0)}
		}
		return c
	}
}

func conditionTainted(key string, ready corev1.ConditionStatus) func(ds *appsv1.DaemonSet) harness.Cluster {
	return func(ds *appsv1.DaemonSet) harness.Cluster {
		n := readyNode("tainted", nil)
		n.Spec.Taints = []corev1.Taint{{Key: key, Effect: corev1.TaintEffectNoExecute}}
		n.Status.Conditions = []corev1.NodeCondition{{Type: corev1.NodeReady, Status: ready}}
		return harness.Cluster{DaemonSet: ds, Nodes: []*corev1.Node{n}}
	}
}

// TestSection81UpstreamScenarios reproduces the placement, manage and status scenarios of
// upstream's daemon_controller_test.go through the harness, for both strategies: upstream must
// give the counts its own test expects (in its unit-test mode), and daemonset.Plan must agree with
// upstream in both observe modes.
func TestSection81UpstreamScenarios(t *testing.T) {
	for _, tc := range section81 {
		for _, s := range strategies {
			if tc.onDeleteOnly && s.name != "OnDelete" {
				continue
			}
			t.Run(tc.name+"/"+s.name, func(t *testing.T) {
				c := tc.build(fooDS(s.strategy))
				for _, mode := range []harness.Observe{harness.ObserveImmediate, harness.ObserveNone} {
					up, _ := compareOnce(t, c, mode, planNow)
					if mode != harness.ObserveImmediate {
						continue
					}
					if len(up.Creates) != tc.creates || len(up.Deletes) != tc.deletes || len(up.Events) != tc.events {
						t.Errorf("upstream (%d creates, %d deletes, %d events), its test expects (%d, %d, %d)",
							len(up.Creates), len(up.Deletes), len(up.Events), tc.creates, tc.deletes, tc.events)
					}
					if tc.check != nil {
						tc.check(t, up)
					}
				}
			})
		}
	}
}

// TestNodeShouldRunDaemonPod reproduces upstream's table of (shouldRun, shouldContinueRunning)
// for one node and checks daemonset.CheckNode against upstream's NodeShouldRunDaemonPod.
func TestNodeShouldRunDaemonPod(t *testing.T) {
	node := readyNode("test-node", map[string]string{"name": "simple-daemon", "type": "production"})
	affinity := func(v string) *corev1.Affinity {
		return &corev1.Affinity{NodeAffinity: &corev1.NodeAffinity{RequiredDuringSchedulingIgnoredDuringExecution: &corev1.NodeSelector{
			NodeSelectorTerms: []corev1.NodeSelectorTerm{{MatchExpressions: []corev1.NodeSelectorRequirement{{Key: "type", Operator: corev1.NodeSelectorOpIn, Values: []string{v}}}}}}}}
	}
	cases := []struct {
		name      string
		edit      func(ds *appsv1.DaemonSet, n *corev1.Node)
		run, keep bool
	}{
		{"fits", func(*appsv1.DaemonSet, *corev1.Node) {}, true, true},
		{"other node name", func(ds *appsv1.DaemonSet, _ *corev1.Node) { ds.Spec.Template.Spec.NodeName = "other-node" }, false, false},
		{"node selector mismatch", func(ds *appsv1.DaemonSet, _ *corev1.Node) {
			ds.Spec.Template.Spec.NodeSelector = map[string]string{"name": "simple-daemon", "type": "test"}
		}, false, false},
		{"node selector match", func(ds *appsv1.DaemonSet, _ *corev1.Node) {
			ds.Spec.Template.Spec.NodeSelector = map[string]string{"name": "simple-daemon", "type": "production"}
		}, true, true},
		{"affinity mismatch", func(ds *appsv1.DaemonSet, _ *corev1.Node) { ds.Spec.Template.Spec.Affinity = affinity("test") }, false, false},
		{"affinity match", func(ds *appsv1.DaemonSet, _ *corev1.Node) { ds.Spec.Template.Spec.Affinity = affinity("production") }, true, true},
		{"unschedulable without taint", func(_ *appsv1.DaemonSet, n *corev1.Node) { n.Spec.Unschedulable = true }, true, true},
		{"not-ready NoSchedule taint", func(_ *appsv1.DaemonSet, n *corev1.Node) {
			n.Spec.Taints = []corev1.Taint{{Key: "node.kubernetes.io/not-ready", Effect: corev1.TaintEffectNoSchedule}}
		}, false, true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			ds, n := fooDS(strategies[1].strategy), node.DeepCopy()
			tc.edit(ds, n)
			c := harness.Normalize(harness.Cluster{DaemonSet: ds, Nodes: []*corev1.Node{n}})
			run, keep := daemonNodeShouldRun(c)
			if run != tc.run || keep != tc.keep {
				t.Errorf("upstream (%v, %v), its test expects (%v, %v)", run, keep, tc.run, tc.keep)
			}
			in := planInput(t, c, "")
			e := daemonset.CheckNode(in.DaemonSet, in.Nodes[0])
			if e.ShouldRun != run || e.ShouldContinueRunning != keep {
				t.Errorf("CheckNode (%v, %v), upstream (%v, %v)", e.ShouldRun, e.ShouldContinueRunning, run, keep)
			}
		})
	}
}

// TestDaemonKillFailedPodsBackoff: a failed pod is deleted, the next immediate sync waits for the
// backoff, and once the delay has passed the next failed pod is deleted again; daemonkit's
// memory carries the same backoff as upstream's controller.
func TestDaemonKillFailedPodsBackoff(t *testing.T) {
	for _, s := range strategies {
		t.Run(s.name, func(t *testing.T) {
			ds := fooDS(s.strategy)
			// The backoff key holds status.observedGeneration; start with it current so that the
			// first sync's status write does not change the key (upstream's test never applies
			// the written status to its store).
			ds.Status.ObservedGeneration = ds.Generation
			failed := daemonPod(ds, "failed-0", "node-0", nil, 0)
			failed.Status.Phase = corev1.PodFailed
			session := harness.NewSession(harness.Cluster{DaemonSet: ds, Nodes: nodes(0, 1, nil), Pods: []*corev1.Pod{failed}}, harness.ObserveImmediate, planNow)
			var mem daemonset.Memory
			steps := []struct {
				at               time.Duration
				addFailed        bool
				creates, deletes int
			}{
				{0, false, 0, 1}, // the failed pod goes, the backoff starts
				{0, true, 0, 0},  // a new failed pod waits: in backoff
				{harness.BackoffInitial - 1, false, 0, 0}, // one nanosecond before the delay ends
				{harness.BackoffInitial, false, 0, 1},     // at exactly the delay it goes
			}
			for i, st := range steps {
				now := planNow.Add(st.at)
				if st.addFailed {
					p := daemonPod(ds, "failed-1", "node-0", nil, 1)
					p.Status.Phase = corev1.PodFailed
					session.Cluster.Pods = append(session.Cluster.Pods, p)
				}
				in := planInput(t, session.Cluster, currentHash(session.Cluster.DaemonSet))
				in.Now, in.Memory = now, mem
				res, err := daemonset.Plan(in, daemonset.Options{Observe: daemonset.ObserveImmediate})
				if err != nil {
					t.Fatal(err)
				}
				mem = res.Memory
				up, err := session.Sync(now)
				if err != nil {
					t.Fatal(err)
				}
				if len(up.Creates) != st.creates || len(up.Deletes) != st.deletes {
					t.Errorf("step %d: upstream (%d, %d), its test expects (%d, %d)", i, len(up.Creates), len(up.Deletes), st.creates, st.deletes)
				}
				if len(res.Creates) != len(up.Creates) || len(res.Deletes) != len(up.Deletes) {
					t.Errorf("step %d: daemonkit (%d, %d), upstream (%d, %d)", i, len(res.Creates), len(res.Deletes), len(up.Creates), len(up.Deletes))
				}
			}
		})
	}
}
