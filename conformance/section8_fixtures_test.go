package conformance_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/go-logr/logr"
	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/intstr"

	"k8s.io/kubernetes/pkg/controller/daemon"

	"github.com/daemonkit/daemonkit/conformance/harness"
	"github.com/daemonkit/daemonkit/daemonset"
	"github.com/daemonkit/daemonkit/kube"
)

// The fixtures of upstream's daemon_controller_test.go, rebuilt from section 8 of the semantics:
// DaemonSet foo in default selecting {name: simple-daemon, type: production}, nodes node-N with a
// Ready condition, "labelled" nodes carrying {color: blue, speed: fast}.

var (
	simpleDaemonLabels = map[string]string{"name": "simple-daemon", "type": "production"}
	labelledNode       = map[string]string{"color": "blue", "speed": "fast"}
)

// strategies are the two each upstream test runs with: OnDelete, and RollingUpdate with
// maxUnavailable 1 and maxSurge nil.
var strategies = []struct {
	name     string
	strategy appsv1.DaemonSetUpdateStrategy
}{
	{"OnDelete", appsv1.DaemonSetUpdateStrategy{Type: appsv1.OnDeleteDaemonSetStrategyType}},
	{"RollingUpdate", appsv1.DaemonSetUpdateStrategy{Type: appsv1.RollingUpdateDaemonSetStrategyType,
		RollingUpdate: &appsv1.RollingUpdateDaemonSet{MaxUnavailable: ptr(intstr.FromInt32(1))}}},
}

func fooDS(strategy appsv1.DaemonSetUpdateStrategy) *appsv1.DaemonSet {
	return &appsv1.DaemonSet{
		ObjectMeta: metav1.ObjectMeta{Name: "foo", Namespace: "default", Generation: 1},
		Spec: appsv1.DaemonSetSpec{
			Selector: &metav1.LabelSelector{MatchLabels: copyMap(simpleDaemonLabels)},
			Template: corev1.PodTemplateSpec{
				ObjectMeta: metav1.ObjectMeta{Labels: copyMap(simpleDaemonLabels)},
				Spec:       corev1.PodSpec{Containers: []corev1.Container{{Name: "foo", Image: "foo/bar"}}},
			},
			UpdateStrategy:       *strategy.DeepCopy(),
			RevisionHistoryLimit: ptr(int32(2)),
		},
	}
}

func copyMap(m map[string]string) map[string]string {
	out := make(map[string]string, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}

func readyNode(name string, labels map[string]string) *corev1.Node {
	return &corev1.Node{
		ObjectMeta: metav1.ObjectMeta{Name: name, Labels: copyMap(labels)},
		Status: corev1.NodeStatus{
			Conditions:  []corev1.NodeCondition{{Type: corev1.NodeReady, Status: corev1.ConditionTrue}},
			Allocatable: corev1.ResourceList{corev1.ResourcePods: resource.MustParse("100")},
		},
	}
}

// nodes returns node-first … node-(first+n-1).
func nodes(first, n int, labels map[string]string) []*corev1.Node {
	var out []*corev1.Node
	for i := first; i < first+n; i++ {
		out = append(out, readyNode(fmt.Sprintf("node-%d", i), labels))
	}
	return out
}

// currentHash is the hash upstream gives ds's template (ds normalized first).
func currentHash(ds *appsv1.DaemonSet) string {
	n := harness.Normalize(harness.Cluster{DaemonSet: ds}).DaemonSet
	return kube.ComputeHash(&n.Spec.Template, n.Status.CollisionCount)
}

// daemonPod is upstream's newPod: a pod of ds bound to node, with the given labels (the DaemonSet's
// when nil), the current hash label and a controller reference. Pods created later sort later.
func daemonPod(ds *appsv1.DaemonSet, name, node string, labels map[string]string, seq int) *corev1.Pod {
	if labels == nil {
		labels = copyMap(ds.Spec.Template.Labels)
	} else {
		labels = copyMap(labels)
	}
	labels[appsv1.DefaultDaemonSetUniqueLabelKey] = currentHash(ds)
	return &corev1.Pod{
		ObjectMeta: metav1.ObjectMeta{
			Name: name, Namespace: "default", Labels: labels,
			CreationTimestamp: metav1.Time{Time: planNow.Add(-time.Hour + time.Duration(seq)*time.Second)},
			OwnerReferences: []metav1.OwnerReference{{APIVersion: "apps/v1", Kind: "DaemonSet", Name: ds.Name,
				UID: harness.UIDFor(ds.Name), Controller: ptr(true)}},
		},
		Spec: corev1.PodSpec{NodeName: node, Containers: []corev1.Container{{Name: "foo", Image: "foo/bar"}}},
	}
}

// podsOn adds n daemon pods on node, with labels (nil: the DaemonSet's).
func podsOn(ds *appsv1.DaemonSet, node string, n int, labels map[string]string, prefix string) []*corev1.Pod {
	var out []*corev1.Pod
	for i := range n {
		out = append(out, daemonPod(ds, fmt.Sprintf("%s%s-%d", prefix, node, i), node, labels, i))
	}
	return out
}

// compareOnce runs one sync of c through both sides in mode and fails on any disagreement
// (map-order choices, events and adoptions judged as in TestPlanAgainstUpstream). It returns
// upstream's first outcome.
func compareOnce(t *testing.T, c harness.Cluster, mode harness.Observe, now time.Time) (harness.Outcome, daemonset.Result) {
	t.Helper()
	c = harness.Normalize(c)
	hash := currentHash(c.DaemonSet)
	in := planInput(t, c, hash)
	in.Now = now
	res, err := daemonset.Plan(in, daemonset.Options{Observe: toObserve(mode)})
	dk := fromDaemonkit(res, err, in.DaemonSet.Status)
	v, runs, up := judge(t, c, harness.Options{Now: now, Observe: mode}, dk)
	if up.Hash != "" && up.Hash != hash {
		t.Errorf("%s: hash daemonkit %s, upstream %s", mode, hash, up.Hash)
	}
	if v == disagree {
		t.Errorf("%s: daemonkit disagrees with upstream: %s", mode, dk.diff(runs[0]))
	}
	return up, res
}

// daemonNodeShouldRun asks upstream about the single node of c.
func daemonNodeShouldRun(c harness.Cluster) (bool, bool) {
	return daemon.NodeShouldRunDaemonPod(logr.Discard(), c.Nodes[0], c.DaemonSet)
}
