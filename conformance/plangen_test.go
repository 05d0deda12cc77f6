package conformance_test

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"time"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/intstr"

	"github.com/daemonkit/daemonkit/conformance/harness"
	"github.com/daemonkit/daemonkit/kube"
)

// planNow is the controller's clock in the random clusters.
var planNow = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)

// genCluster is one random cluster with the features it exercises (for per-feature counts).
type genCluster struct {
	cluster  harness.Cluster // normalized
	hash     string          // the current revision's hash, as kube computes it
	features []string
}

var (
	nodeLabelPool = []map[string]string{
		{"zone": "a"}, {"zone": "b"}, {"disk": "ssd"}, {"disk": "hdd"}, {"gpu": "true"},
		{"num": "2"}, {"num": "7"}, {"num": "x"},
	}
	taintPool = []corev1.Taint{
		{Key: "dedicated", Value: "db", Effect: corev1.TaintEffectNoSchedule},
		{Key: "dedicated", Value: "db", Effect: corev1.TaintEffectNoExecute},
		{Key: "gpu", Effect: corev1.TaintEffectNoSchedule},
		{Key: "soft", Effect: corev1.TaintEffectPreferNoSchedule},
		{Key: "node.kubernetes.io/not-ready", Effect: corev1.TaintEffectNoExecute},
		{Key: "node.kubernetes.io/not-ready", Effect: corev1.TaintEffectNoSchedule},
		{Key: "node.kubernetes.io/unschedulable", Effect: corev1.TaintEffectNoSchedule},
		{Key: "node.kubernetes.io/network-unavailable", Effect: corev1.TaintEffectNoSchedule},
		{Key: "node.kubernetes.io/disk-pressure", Effect: corev1.TaintEffectNoExecute},
	}
	tolerationPool = []corev1.Toleration{
		{Key: "dedicated", Operator: corev1.TolerationOpEqual, Value: "db", Effect: corev1.TaintEffectNoSchedule},
		{Key: "dedicated", Operator: corev1.TolerationOpExists},
		{Key: "gpu", Operator: corev1.TolerationOpExists, Effect: corev1.TaintEffectNoSchedule},
		{Operator: corev1.TolerationOpExists, Effect: corev1.TaintEffectNoExecute},
		{Key: "node.kubernetes.io/not-ready", Operator: corev1.TolerationOpExists, Effect: corev1.TaintEffectNoExecute, TolerationSeconds: ptr(int64(300))},
	}
	affinityPool = []*corev1.NodeSelector{
		{NodeSelectorTerms: []corev1.NodeSelectorTerm{{MatchExpressions: []corev1.NodeSelectorRequirement{{Key: "zone", Operator: corev1.NodeSelectorOpIn, Values: []string{"a", "b"}}}}}},
		{NodeSelectorTerms: []corev1.NodeSelectorTerm{{MatchExpressions: []corev1.NodeSelectorRequirement{{Key: "disk", Operator: corev1.NodeSelectorOpNotIn, Values: []string{"hdd"}}}}}},
		{NodeSelectorTerms: []corev1.NodeSelectorTerm{{MatchExpressions: []corev1.NodeSelectorRequirement{{Key: "num", Operator: corev1.NodeSelectorOpGt, Values: []string{"3"}}}}}},
		{NodeSelectorTerms: []corev1.NodeSelectorTerm{{MatchFields: []corev1.NodeSelectorRequirement{{Key: "metadata.name", Operator: corev1.NodeSelectorOpNotIn, Values: []string{"node-3"}}}}}},
		{NodeSelectorTerms: []corev1.NodeSelectorTerm{ // a broken term, then a valid one
			{MatchExpressions: []corev1.NodeSelectorRequirement{{Key: "zone", Operator: "Bogus"}}},
			{MatchExpressions: []corev1.NodeSelectorRequirement{{Key: "gpu", Operator: corev1.NodeSelectorOpExists}}},
		}},
		{NodeSelectorTerms: []corev1.NodeSelectorTerm{{}}}, // only an empty term: matches nothing
	}
)

func ptr[T any](v T) *T { return &v }

// randomStrategy draws an update strategy: OnDelete, maxUnavailable (int or percent) or surge,
// now and then one the API server would reject (both zero, a string that is no percentage).
func randomStrategy(r *rand.Rand) (appsv1.DaemonSetUpdateStrategy, string) {
	if r.IntN(5) == 0 {
		return appsv1.DaemonSetUpdateStrategy{Type: appsv1.OnDeleteDaemonSetStrategyType}, "OnDelete"
	}
	ru := &appsv1.RollingUpdateDaemonSet{}
	s := appsv1.DaemonSetUpdateStrategy{Type: appsv1.RollingUpdateDaemonSetStrategyType, RollingUpdate: ru}
	iop := func(vals ...intstr.IntOrString) *intstr.IntOrString { v := pick(r, vals); return &v }
	switch r.IntN(20) {
	case 0:
		ru.MaxUnavailable, ru.MaxSurge = iop(intstr.FromInt32(0)), iop(intstr.FromString("0%"))
		return s, "maxUnavailable"
	case 1:
		ru.MaxUnavailable = iop(intstr.FromString("1"))
		return s, "maxUnavailable"
	}
	if r.IntN(5) < 2 {
		ru.MaxUnavailable = iop(intstr.FromInt32(0))
		ru.MaxSurge = iop(intstr.FromInt32(1), intstr.FromInt32(2), intstr.FromString("30%"), intstr.FromString("100%"))
		return s, "surge"
	}
	if r.IntN(4) != 0 {
		ru.MaxUnavailable = iop(intstr.FromInt32(1), intstr.FromInt32(2), intstr.FromInt32(4), intstr.FromString("25%"), intstr.FromString("50%"))
	}
	return s, "maxUnavailable"
}

// randomCluster draws a cluster of up to 10 nodes (and pods on two vanished ones) with a
// DaemonSet and pods in every state the controller distinguishes.
func randomCluster(r *rand.Rand) genCluster {
	var g genCluster
	feat := map[string]bool{}

	// Nodes, in shuffled list order.
	n := r.IntN(11)
	var nodes []*corev1.Node
	for _, i := range r.Perm(10)[:n] {
		node := &corev1.Node{ObjectMeta: metav1.ObjectMeta{Name: fmt.Sprintf("node-%d", i), Labels: map[string]string{}}}
		for range r.IntN(3) {
			for k, v := range pick(r, nodeLabelPool) {
				node.Labels[k] = v
			}
		}
		for range r.IntN(3) / 2 * (1 + r.IntN(2)) {
			node.Spec.Taints = append(node.Spec.Taints, pick(r, taintPool))
			feat["taints"] = true
		}
		nodes = append(nodes, node)
	}

	// The DaemonSet.
	strategy, kind := randomStrategy(r)
	feat[kind] = true
	ds := &appsv1.DaemonSet{
		ObjectMeta: metav1.ObjectMeta{Name: "agent", Namespace: "default", Generation: 1 + r.Int64N(3)},
		Spec: appsv1.DaemonSetSpec{
			Selector: &metav1.LabelSelector{MatchLabels: map[string]string{"app": "agent"}},
			Template: corev1.PodTemplateSpec{
				ObjectMeta: metav1.ObjectMeta{Labels: map[string]string{"app": "agent"}},
				Spec:       corev1.PodSpec{Containers: []corev1.Container{{Name: "agent", Image: fmt.Sprintf("example/agent:%d", r.IntN(3))}}},
			},
			UpdateStrategy: strategy,
		},
	}
	spec := &ds.Spec.Template.Spec
	switch r.IntN(8) {
	case 0:
		spec.NodeSelector = map[string]string{"zone": "a"}
	case 1:
		spec.NodeSelector = map[string]string{"disk": "ssd"}
	}
	if r.IntN(4) == 0 {
		spec.Affinity = &corev1.Affinity{NodeAffinity: &corev1.NodeAffinity{RequiredDuringSchedulingIgnoredDuringExecution: pick(r, affinityPool).DeepCopy()}}
		feat["affinity"] = true
	}
	if r.IntN(15) == 0 {
		spec.NodeName = fmt.Sprintf("node-%d", r.IntN(10))
	}
	for range r.IntN(3) {
		spec.Tolerations = append(spec.Tolerations, pick(r, tolerationPool))
	}
	spec.HostNetwork = r.IntN(4) == 0
	if r.IntN(4) == 0 {
		ds.Spec.MinReadySeconds = pick(r, []int32{30, 60})
		feat["minReadySeconds"] = true
	}
	if r.IntN(4) == 0 {
		ds.Annotations = map[string]string{"deprecated.daemonset.template.generation": pick(r, []string{"1", "2", "v3"})}
	}
	if r.IntN(4) == 0 {
		ds.Spec.Selector.MatchExpressions = []metav1.LabelSelectorRequirement{{Key: "tier", Operator: metav1.LabelSelectorOpNotIn, Values: []string{"canary"}}}
	}
	switch r.IntN(60) {
	case 0:
		ds.Spec.Selector = &metav1.LabelSelector{}
		feat["selecting all"] = true
	case 1:
		ds.DeletionTimestamp = &metav1.Time{Time: planNow.Add(-time.Minute)}
		ds.Finalizers = []string{"example.com/hold"}
		feat["DaemonSet deleting"] = true
	}
	// A previous status, sometimes equal to what the sync will compute.
	ds.Status.ObservedGeneration = r.Int64N(ds.Generation + 1)
	if r.IntN(2) == 0 {
		ds.Status.DesiredNumberScheduled = int32(r.IntN(4))
		ds.Status.NumberUnavailable = ds.Status.DesiredNumberScheduled
	}
	if r.IntN(10) == 0 {
		ds.Status.CollisionCount = ptr(int32(r.IntN(3)))
	}
	norm := harness.Normalize(harness.Cluster{DaemonSet: ds})
	ds = norm.DaemonSet
	g.hash = kube.ComputeHash(&ds.Spec.Template, ds.Status.CollisionCount)

	// Pods, on the nodes and on two vanished ones.
	targets := []string{"node-gone-0", "node-gone-1"}
	for _, node := range nodes {
		targets = append(targets, node.Name)
	}
	var pods []*corev1.Pod
	for _, target := range targets {
		count := r.IntN(3)
		if r.IntN(6) == 0 {
			count += 2
		}
		if strings.HasPrefix(target, "node-gone") && r.IntN(2) == 0 {
			count = 0
		}
		if count >= 2 {
			feat["several pods on a node"] = true
		}
		if strings.HasPrefix(target, "node-gone") && count > 0 {
			feat["vanished nodes"] = true
		}
		for i := range count {
			pods = append(pods, randomPod(r, ds, g.hash, target, i, feat))
		}
	}
	if len(nodes) > 0 && r.IntN(8) == 0 {
		pods = append(pods, failedPair(ds, pick(r, nodes).Name, r.IntN(4) == 0)...)
		feat["failed and succeeded pods"] = true
		feat["orphans and foreign pods"] = true
	}
	r.Shuffle(len(pods), func(i, j int) { pods[i], pods[j] = pods[j], pods[i] })

	g.cluster = harness.Normalize(harness.Cluster{Nodes: nodes, DaemonSet: ds, Pods: pods})
	for f := range feat {
		g.features = append(g.features, f)
	}
	return g
}

// randomPod draws one pod for target: owned, orphaned, foreign or released; of the current or an
// old revision; bound or pending; in any phase, ready or not, possibly being deleted.
func randomPod(r *rand.Rand, ds *appsv1.DaemonSet, hash, target string, i int, feat map[string]bool) *corev1.Pod {
	p := &corev1.Pod{
		ObjectMeta: metav1.ObjectMeta{
			Name:              fmt.Sprintf("agent-%s-%d", target, i),
			Namespace:         "default",
			Labels:            map[string]string{"app": "agent"},
			CreationTimestamp: metav1.Time{Time: planNow.Add(-time.Duration(1+r.IntN(4)) * 10 * time.Minute)},
		},
		Spec: corev1.PodSpec{Containers: []corev1.Container{{Name: "agent", Image: "example/agent"}}},
	}
	dsRef := metav1.OwnerReference{APIVersion: "apps/v1", Kind: "DaemonSet", Name: ds.Name, UID: ds.UID, Controller: ptr(true)}
	switch x := r.IntN(100); {
	case x < 72:
		p.OwnerReferences = []metav1.OwnerReference{dsRef}
	case x < 80:
		feat["orphans and foreign pods"] = true // an orphan the DaemonSet adopts
	case x < 85:
		feat["orphans and foreign pods"] = true
		p.OwnerReferences = []metav1.OwnerReference{{APIVersion: "apps/v1", Kind: "DaemonSet", Name: "other", UID: "uid-other", Controller: ptr(true)}}
	case x < 89:
		feat["orphans and foreign pods"] = true
		p.OwnerReferences = []metav1.OwnerReference{{APIVersion: "apps/v1", Kind: "ReplicaSet", Name: "rs", UID: "uid-rs", Controller: ptr(true)}}
	case x < 94:
		feat["orphans and foreign pods"] = true // owned but no longer matching: released
		p.OwnerReferences = []metav1.OwnerReference{dsRef}
		p.Labels["app"] = "agent-old"
	default:
		feat["orphans and foreign pods"] = true // an orphan that does not match
		p.Labels = map[string]string{"app": "else"}
	}
	if r.IntN(20) == 0 {
		p.Labels["tier"] = "canary"
	}
	switch x := r.IntN(10); {
	case x < 5:
		p.Labels["controller-revision-hash"] = hash
	case x < 8:
		p.Labels["controller-revision-hash"] = pick(r, []string{"5f4b8c7d9", "6d7c9b8f4"})
		feat["old revision pods"] = true
	case x < 9:
		p.Labels["pod-template-generation"] = pick(r, []string{"1", "2", "v3"})
		feat["old revision pods"] = true
	}
	switch x := r.IntN(20); {
	case x < 16:
		p.Spec.NodeName = target
	case x < 19:
		feat["pending pods"] = true
		p.Spec.Affinity = &corev1.Affinity{NodeAffinity: &corev1.NodeAffinity{RequiredDuringSchedulingIgnoredDuringExecution: &corev1.NodeSelector{
			NodeSelectorTerms: []corev1.NodeSelectorTerm{{MatchFields: []corev1.NodeSelectorRequirement{{Key: "metadata.name", Operator: corev1.NodeSelectorOpIn, Values: []string{target}}}}}}}}
	default:
		feat["pending pods"] = true // no target node at all: the controller cannot place it
	}
	switch x := r.IntN(100); {
	case x < 70:
		p.Status.Phase = corev1.PodRunning
	case x < 80:
		p.Status.Phase = corev1.PodPending
	case x < 89:
		p.Status.Phase = corev1.PodFailed
		feat["failed and succeeded pods"] = true
	case x < 95:
		p.Status.Phase = corev1.PodSucceeded
		feat["failed and succeeded pods"] = true
	default:
		p.Status.Phase = corev1.PodUnknown
	}
	if r.IntN(5) != 0 {
		c := corev1.PodCondition{Type: corev1.PodReady, Status: corev1.ConditionTrue}
		if r.IntN(4) == 0 {
			c.Status = corev1.ConditionFalse
		}
		if r.IntN(8) != 0 {
			c.LastTransitionTime = metav1.Time{Time: planNow.Add(-time.Duration(pick(r, []int{0, 10, 30, 59, 60, 61, 300})) * time.Second)}
		}
		p.Status.Conditions = append(p.Status.Conditions, c)
	}
	if r.IntN(12) == 0 {
		feat["deleting pods"] = true
		p.DeletionTimestamp = &metav1.Time{Time: planNow.Add(-time.Minute)}
		p.Finalizers = []string{"example.com/hold"}
	}
	return p
}

// failedPair returns two Failed pods for node, one owned by ds and one matching orphan: the
// failed-pod backoff lets only one go in a sync, and upstream's claim order decides which. The
// orphan's name sorts first, so that a pick by name alone would choose it. Pending pods are
// unbound (their delete removes them at once).
func failedPair(ds *appsv1.DaemonSet, node string, pending bool) []*corev1.Pod {
	mk := func(name string, owned bool) *corev1.Pod {
		p := &corev1.Pod{
			ObjectMeta: metav1.ObjectMeta{Name: name, Namespace: ds.Namespace, Labels: map[string]string{"app": "agent"},
				CreationTimestamp: metav1.Time{Time: planNow.Add(-time.Hour)}},
			Spec:   corev1.PodSpec{NodeName: node, Containers: []corev1.Container{{Name: "agent", Image: "example/agent"}}},
			Status: corev1.PodStatus{Phase: corev1.PodFailed},
		}
		if owned {
			p.OwnerReferences = []metav1.OwnerReference{{APIVersion: "apps/v1", Kind: "DaemonSet", Name: ds.Name, UID: ds.UID, Controller: ptr(true)}}
		}
		if pending {
			p.Spec.NodeName = ""
			p.Spec.Affinity = &corev1.Affinity{NodeAffinity: &corev1.NodeAffinity{RequiredDuringSchedulingIgnoredDuringExecution: &corev1.NodeSelector{
				NodeSelectorTerms: []corev1.NodeSelectorTerm{{MatchFields: []corev1.NodeSelectorRequirement{{Key: "metadata.name", Operator: corev1.NodeSelectorOpIn, Values: []string{node}}}}}}}}
		}
		return p
	}
	return []*corev1.Pod{mk("agent-failed-"+node+"-b-owned", true), mk("agent-failed-"+node+"-a-orphan", false)}
}
