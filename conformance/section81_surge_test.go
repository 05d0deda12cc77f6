package conformance_test

import (
	"testing"
	"time"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/daemonkit/daemonkit/conformance/harness"
)

// surgeBase is time zero of the surge scenarios, whose upstream tests give times in seconds.
var surgeBase = planNow.Add(-time.Hour)

// surgePod is a daemon pod on node created at t seconds; old ones carry another revision's hash;
// readySince < 0 means not ready.
func surgePod(ds *appsv1.DaemonSet, name, node string, old bool, created, readySince int) *corev1.Pod {
	p := daemonPod(ds, name, node, nil, 0)
	p.CreationTimestamp = metav1.Time{Time: surgeBase.Add(time.Duration(created) * time.Second)}
	if old {
		p.Labels[appsv1.DefaultDaemonSetUniqueLabelKey] = "old"
	}
	if readySince >= 0 {
		setReady(p, corev1.ConditionTrue, surgeBase.Add(time.Duration(readySince)*time.Second))
	}
	return p
}

// TestSection81SurgeScenarios reproduces the surge scenarios at the end of upstream's
// daemon_controller_test.go (maxSurge 1, maxUnavailable 0): upstream gives its test's counts in
// its unit-test mode, and daemonset.Plan agrees with upstream in both modes.
func TestSection81SurgeScenarios(t *testing.T) {
	surgeDS := func(minReady int32) *appsv1.DaemonSet {
		ds := fooDS(rollingUpdate(0, 1))
		ds.Spec.MinReadySeconds = minReady
		return ds
	}
	cases := []struct {
		name             string
		clock            int // seconds after surgeBase
		build            func() harness.Cluster
		creates, deletes int
	}{
		{"TestSurgeDealsWithExistingPods", 0, func() harness.Cluster {
			return section81[findSection81("TestDealsWithExistingPods")].build(surgeDS(0))
		}, 2, 5},
		{"TestSurgePreservesReadyOldPods", 1000, func() harness.Cluster {
			ds := surgeDS(0)
			return harness.Cluster{DaemonSet: ds, Nodes: nodes(0, 5, nil), Pods: []*corev1.Pod{
				surgePod(ds, "new-1", "node-1", false, 100, -1),
				surgePod(ds, "old-1a", "node-1", true, 50, 50),
				surgePod(ds, "old-1b", "node-1", true, 60, 60),
				surgePod(ds, "cur-2", "node-2", false, 10, 10),
			}}
		}, 3, 1},
		{"TestSurgeCreatesNewPodWhenAtMaxSurgeAndOldPodDeleted", 1000, func() harness.Cluster {
			ds := surgeDS(0)
			pods := []*corev1.Pod{surgePod(ds, "new-0", "node-0", false, 100, -1), surgePod(ds, "old-0", "node-0", true, 50, 50)}
			for _, n := range []string{"node-1", "node-2", "node-3"} {
				pods = append(pods, surgePod(ds, "old-"+n, n, true, 50, 50))
			}
			gone := surgePod(ds, "old-node-4", "node-4", true, 50, 50)
			gone.DeletionTimestamp = &metav1.Time{Time: surgeBase.Add(900 * time.Second)}
			gone.Finalizers = []string{"example.com/hold"}
			return harness.Cluster{DaemonSet: ds, Nodes: nodes(0, 5, nil), Pods: append(pods, gone)}
		}, 1, 0},
		{"TestSurgeDeletesUnreadyOldPods", 1000, func() harness.Cluster {
			ds := surgeDS(0)
			return harness.Cluster{DaemonSet: ds, Nodes: nodes(0, 5, nil), Pods: []*corev1.Pod{
				surgePod(ds, "new-1", "node-1", false, 100, -1),
				surgePod(ds, "old-1a", "node-1", true, 50, -1),
				surgePod(ds, "old-1b", "node-1", true, 60, 60),
				surgePod(ds, "cur-2", "node-2", false, 10, 10),
			}}
		}, 3, 2},
		{"TestSurgePreservesOldReadyWithUnsatisfiedMinReady", 60, minReadyLayout(surgeDS), 3, 1},
		{"TestSurgeDeletesOldReadyWithUnsatisfiedMinReady", 70, minReadyLayout(surgeDS), 3, 2},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			now := surgeBase.Add(time.Duration(tc.clock) * time.Second)
			c := tc.build()
			for _, mode := range []harness.Observe{harness.ObserveImmediate, harness.ObserveNone} {
				up, _ := compareOnce(t, c, mode, now)
				if mode == harness.ObserveImmediate && (len(up.Creates) != tc.creates || len(up.Deletes) != tc.deletes) {
					t.Errorf("upstream (%d, %d), its test expects (%d, %d)", len(up.Creates), len(up.Deletes), tc.creates, tc.deletes)
				}
			}
		})
	}
}

func minReadyLayout(surgeDS func(int32) *appsv1.DaemonSet) func() harness.Cluster {
	return func() harness.Cluster {
		ds := surgeDS(15)
		return harness.Cluster{DaemonSet: ds, Nodes: nodes(0, 5, nil), Pods: []*corev1.Pod{
			surgePod(ds, "new-1", "node-1", false, 50, 50),
			surgePod(ds, "old-1a", "node-1", true, 50, 50),
			surgePod(ds, "old-1b", "node-1", true, 60, 60),
			surgePod(ds, "cur-2", "node-2", false, 10, 10),
		}}
	}
}

func findSection81(name string) int {
	for i, tc := range section81 {
		if tc.name == name {
			return i
		}
	}
	panic("no section 8.1 scenario " + name)
}
