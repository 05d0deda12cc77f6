package conformance_test

import (
	"fmt"
	"testing"
	"time"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/intstr"

	"github.com/daemonkit/daemonkit/conformance/harness"
	"github.com/daemonkit/daemonkit/daemonset"
)

// benchCluster builds n nodes, each with one ready daemon pod. Steady: every pod is of the
// current revision. Mid-rollout: half the nodes run a ready new pod, 5% an unready new pod, the
// rest a ready old pod; maxUnavailable 10%, so each sync replaces another 5% of the nodes (capped
// at 250 deletes).
func benchCluster(b testing.TB, n int, rollout bool) (harness.Cluster, string) {
	b.Helper()
	ds := &appsv1.DaemonSet{
		ObjectMeta: metav1.ObjectMeta{Name: "agent", Namespace: "default", Generation: 2},
		Spec: appsv1.DaemonSetSpec{
			Selector: &metav1.LabelSelector{MatchLabels: map[string]string{"app": "agent"}},
			Template: corev1.PodTemplateSpec{
				ObjectMeta: metav1.ObjectMeta{Labels: map[string]string{"app": "agent"}},
				Spec: corev1.PodSpec{
					Containers:  []corev1.Container{{Name: "agent", Image: "example/agent:2"}},
					Tolerations: []corev1.Toleration{{Key: "dedicated", Operator: corev1.TolerationOpExists, Effect: corev1.TaintEffectNoSchedule}},
				},
			},
			UpdateStrategy: appsv1.DaemonSetUpdateStrategy{
				Type:          appsv1.RollingUpdateDaemonSetStrategyType,
				RollingUpdate: &appsv1.RollingUpdateDaemonSet{MaxUnavailable: ptr(intstr.FromString("10%"))},
			},
		},
		Status: appsv1.DaemonSetStatus{ObservedGeneration: 2},
	}
	rev, err := harness.CurrentRevision(ds, harness.Options{Now: planNow})
	if err != nil {
		b.Fatal(err)
	}
	hash := rev.Labels[appsv1.DefaultDaemonSetUniqueLabelKey]
	c := harness.Cluster{DaemonSet: ds, Revisions: []*appsv1.ControllerRevision{rev}}
	for i := range n {
		name := fmt.Sprintf("node-%06d", i)
		node := &corev1.Node{ObjectMeta: metav1.ObjectMeta{Name: name,
			Labels: map[string]string{"kubernetes.io/hostname": name, "topology.kubernetes.io/zone": fmt.Sprintf("zone-%d", i%3)}}}
		if i%50 == 0 {
			node.Spec.Taints = []corev1.Taint{{Key: "dedicated", Value: "infra", Effect: corev1.TaintEffectNoSchedule}}
		}
		c.Nodes = append(c.Nodes, node)
		podHash, ready := hash, true
		if rollout {
			switch pct := i * 100 / n; {
			case pct < 50:
			case pct < 55:
				ready = false
			default:
				podHash = "5f4b8c7d9"
			}
		}
		status := corev1.ConditionTrue
		if !ready {
			status = corev1.ConditionFalse
		}
		c.Pods = append(c.Pods, &corev1.Pod{
			ObjectMeta: metav1.ObjectMeta{
				Name: "agent-" + name, Namespace: "default",
				Labels:            map[string]string{"app": "agent", appsv1.DefaultDaemonSetUniqueLabelKey: podHash},
				CreationTimestamp: metav1.Time{Time: planNow.Add(-2 * time.Hour)},
				OwnerReferences:   []metav1.OwnerReference{{APIVersion: "apps/v1", Kind: "DaemonSet", Name: "agent", UID: harness.UIDFor("agent"), Controller: ptr(true)}},
			},
			Spec: corev1.PodSpec{NodeName: name, Containers: []corev1.Container{{Name: "agent", Image: "example/agent"}}},
			Status: corev1.PodStatus{Phase: corev1.PodRunning, Conditions: []corev1.PodCondition{
				{Type: corev1.PodReady, Status: status, LastTransitionTime: metav1.Time{Time: planNow.Add(-time.Hour)}}}},
		})
	}
	if !rollout {
		// The status the sync computes, so that steady syncs write nothing.
		ds.Status = appsv1.DaemonSetStatus{ObservedGeneration: 2, DesiredNumberScheduled: int32(n), CurrentNumberScheduled: int32(n),
			NumberReady: int32(n), UpdatedNumberScheduled: int32(n), NumberAvailable: int32(n)}
	}
	return harness.Normalize(c), hash
}

// BenchmarkSync times one reconcile of the same cluster by the upstream controller (its decision
// logic: informer stores pre-filled, every API call answered at once) and by daemonset.Plan (a
// reused Planner, ObserveNone as in production). Upstream runs up to 5,000 nodes only: at 100,000
// one sync takes seconds.
func BenchmarkSync(b *testing.B) {
	for _, n := range []int{1000, 5000, 100000} {
		for _, phase := range []string{"steady", "rollout"} {
			var c harness.Cluster
			var hash string
			setup := func(b *testing.B) {
				if c.DaemonSet == nil {
					c, hash = benchCluster(b, n, phase == "rollout")
				}
			}
			if n <= 5000 {
				b.Run(fmt.Sprintf("nodes=%d/%s/upstream", n, phase), func(b *testing.B) {
					setup(b)
					ctrl, err := harness.NewController(c, harness.Options{Now: planNow})
					if err != nil {
						b.Fatal(err)
					}
					defer ctrl.Close()
					b.ResetTimer()
					for b.Loop() {
						if err := ctrl.Sync(); err != nil {
							b.Fatal(err)
						}
					}
					b.StopTimer()
					if creates, deletes := ctrl.Writes(); creates != 0 || deletes != benchDeletes(n, phase) {
						b.Fatalf("upstream created %d and deleted %d pods, want 0 and %d", creates, deletes, benchDeletes(n, phase))
					}
				})
			}
			b.Run(fmt.Sprintf("nodes=%d/%s/daemonkit", n, phase), func(b *testing.B) {
				setup(b)
				in := planInput(b, c, hash)
				var p daemonset.Planner
				if _, err := p.Plan(in, daemonset.Options{}); err != nil {
					b.Fatal(err)
				}
				b.ResetTimer()
				var res daemonset.Result
				for b.Loop() {
					var err error
					if res, err = p.Plan(in, daemonset.Options{}); err != nil {
						b.Fatal(err)
					}
				}
				b.StopTimer()
				if len(res.Creates) != 0 || len(res.Deletes) != benchDeletes(n, phase) {
					b.Fatalf("daemonkit created %d and deleted %d pods, want 0 and %d", len(res.Creates), len(res.Deletes), benchDeletes(n, phase))
				}
			})
		}
	}
}

// benchDeletes is how many old pods a sync of benchCluster deletes: none when steady; mid-rollout,
// maxUnavailable (10%) less the 5% unavailable, at most a burst of 250 deletes a sync.
func benchDeletes(n int, phase string) int {
	if phase != "rollout" {
		return 0
	}
	return min(n/10-n/20, 250)
}

// TestBenchClusterDecisions keeps the benchmark honest: on its clusters (1,000 nodes) both sides
// decide the same thing, and the decisions are the intended ones (nothing to do when steady;
// 5% of the nodes replaced mid-rollout).
func TestBenchClusterDecisions(t *testing.T) {
	for _, rollout := range []bool{false, true} {
		c, hash := benchCluster(t, 1000, rollout)
		up, err := harness.Sync(c, harness.Options{Now: planNow})
		if err != nil {
			t.Fatal(err)
		}
		in := planInput(t, c, hash)
		res, err := daemonset.Plan(in, daemonset.Options{})
		dk := fromDaemonkit(res, err, in.DaemonSet.Status)
		if u := fromUpstream(up); !dk.sameCounts(u) {
			t.Errorf("rollout %v: daemonkit %v, upstream %v", rollout, dk, u)
		}
		wantDeletes := benchDeletes(1000, "steady")
		if rollout {
			wantDeletes = benchDeletes(1000, "rollout")
		}
		if len(up.Creates) != 0 || len(up.Deletes) != wantDeletes || up.Err != nil {
			t.Errorf("rollout %v: upstream creates %d deletes %d (want 0, %d), error %v", rollout, len(up.Creates), len(up.Deletes), wantDeletes, up.Err)
		}
		if !rollout && up.StatusWritten {
			t.Errorf("steady cluster: upstream wrote the status %+v", up.Status)
		}
	}
}
