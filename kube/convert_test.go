package kube

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/util/intstr"

	"github.com/daemonkit/daemonkit/daemonset"
	"github.com/daemonkit/daemonkit/rollout"
)

func TestDaemonSetFromKubeBadIntOrString(t *testing.T) {
	ds := &appsv1.DaemonSet{ObjectMeta: metav1.ObjectMeta{Name: "agent"}}
	bad := intstr.IntOrString{Type: 7}
	ds.Spec.UpdateStrategy.RollingUpdate = &appsv1.RollingUpdateDaemonSet{MaxUnavailable: &bad}
	_, err := DaemonSetFromKube(ds)
	require.Error(t, err)
	assert.Equal(t, "DaemonSet default/agent: spec.updateStrategy.rollingUpdate.maxUnavailable: Invalid value: 7: an IntOrString must hold an integer (type 0) or a string (type 1)", err.Error())

	_, err = DaemonSetFromKube(nil)
	assert.Error(t, err)
}

func TestDaemonSetFromKubeKeepsDecisionFields(t *testing.T) {
	deleted := metav1.NewTime(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC))
	ds := &appsv1.DaemonSet{
		ObjectMeta: metav1.ObjectMeta{
			Name: "agent", Namespace: "ops", UID: "u1", Generation: 4,
			Annotations:       map[string]string{daemonset.TemplateGenerationAnnotation: "3"},
			DeletionTimestamp: &deleted,
		},
		Spec: appsv1.DaemonSetSpec{
			Selector:        &metav1.LabelSelector{MatchExpressions: []metav1.LabelSelectorRequirement{{Key: "app", Operator: metav1.LabelSelectorOpIn, Values: []string{"agent"}}}},
			MinReadySeconds: 30,
			UpdateStrategy:  appsv1.DaemonSetUpdateStrategy{Type: appsv1.OnDeleteDaemonSetStrategyType},
			Template: corev1.PodTemplateSpec{Spec: corev1.PodSpec{
				NodeName: "n1", NodeSelector: map[string]string{"a": "b"}, HostNetwork: true,
				ActiveDeadlineSeconds: ptrTo[int64](9),
				Affinity: &corev1.Affinity{NodeAffinity: &corev1.NodeAffinity{RequiredDuringSchedulingIgnoredDuringExecution: &corev1.NodeSelector{
					NodeSelectorTerms: []corev1.NodeSelectorTerm{{MatchFields: []corev1.NodeSelectorRequirement{{Key: "metadata.name", Operator: corev1.NodeSelectorOpNotIn, Values: []string{"x"}}}}},
				}}},
			}},
		},
		Status: appsv1.DaemonSetStatus{ObservedGeneration: 3, CollisionCount: ptrTo[int32](2), NumberReady: 5},
	}
	m, err := DaemonSetFromKube(ds)
	require.NoError(t, err)
	assert.Equal(t, "ops", m.Namespace)
	assert.Equal(t, "u1", m.UID)
	assert.Equal(t, int64(4), m.Generation)
	assert.Equal(t, "3", m.Annotations[daemonset.TemplateGenerationAnnotation])
	assert.Equal(t, deleted.Time, *m.DeletionTimestamp)
	assert.Equal(t, "agent", m.Selector.MatchExpressions[0].Values[0])
	assert.Equal(t, int32(30), m.MinReadySeconds)
	assert.Equal(t, daemonset.OnDeleteStrategy, m.UpdateStrategy.Type)
	assert.Nil(t, m.UpdateStrategy.RollingUpdate)
	assert.Equal(t, "n1", m.Template.NodeName)
	assert.True(t, m.Template.HostNetwork)
	assert.Equal(t, int64(9), *m.Template.ActiveDeadlineSeconds)
	assert.Equal(t, "x", m.Template.RequiredNodeAffinity.Terms[0].MatchFields[0].Values[0])
	assert.Equal(t, int64(3), m.Status.ObservedGeneration)
	assert.Equal(t, int32(2), *m.Status.CollisionCount)
	assert.Equal(t, int32(5), m.Status.NumberReady)

	// No memory is shared with the input.
	ds.Annotations[daemonset.TemplateGenerationAnnotation] = "99"
	*ds.Status.CollisionCount = 7
	ds.Spec.Template.Spec.Affinity.NodeAffinity.RequiredDuringSchedulingIgnoredDuringExecution.NodeSelectorTerms[0].MatchFields[0].Values[0] = "y"
	assert.Equal(t, "3", m.Annotations[daemonset.TemplateGenerationAnnotation])
	assert.Equal(t, int32(2), *m.Status.CollisionCount)
	assert.Equal(t, "x", m.Template.RequiredNodeAffinity.Terms[0].MatchFields[0].Values[0])
}

func TestPodFromKube(t *testing.T) {
	created := time.Date(2025, 12, 30, 0, 0, 0, 0, time.UTC)
	first := metav1.NewTime(created.Add(time.Hour))
	p := &corev1.Pod{
		ObjectMeta: metav1.ObjectMeta{
			Name: "agent-x", UID: "p1", Labels: map[string]string{"app": "agent"},
			CreationTimestamp: metav1.NewTime(created),
			Finalizers:        []string{"example.com/keep"},
			OwnerReferences: []metav1.OwnerReference{
				{APIVersion: "v1", Kind: "Node", Name: "n"},
				{APIVersion: "apps/v1", Kind: "DaemonSet", Name: "agent", UID: "d1", Controller: ptrTo(true)},
			},
		},
		Spec: corev1.PodSpec{NodeName: "node-a"},
		Status: corev1.PodStatus{Phase: corev1.PodRunning, Conditions: []corev1.PodCondition{
			{Type: corev1.PodScheduled, Status: corev1.ConditionTrue},
			{Type: corev1.PodReady, Status: corev1.ConditionTrue, LastTransitionTime: first},
			{Type: corev1.PodReady, Status: corev1.ConditionFalse},
		}},
	}
	m, err := PodFromKube(p)
	require.NoError(t, err)
	assert.Equal(t, daemonset.Pod{
		Name: "agent-x", Namespace: "default", UID: "p1", Labels: map[string]string{"app": "agent"},
		Controller: &daemonset.OwnerRef{APIVersion: "apps/v1", Kind: "DaemonSet", Name: "agent", UID: "d1"},
		NodeName:   "node-a", Phase: daemonset.PodRunning,
		Ready: daemonset.ConditionTrue, ReadySince: first.Time, CreationTimestamp: created,
		Finalizers: []string{"example.com/keep"},
	}, m)

	orphan, err := PodFromKube(&corev1.Pod{ObjectMeta: metav1.ObjectMeta{Name: "o", OwnerReferences: []metav1.OwnerReference{{Kind: "DaemonSet", Name: "x"}}}})
	require.NoError(t, err)
	assert.Nil(t, orphan.Controller, "an owner reference without controller: true is no controller")
	assert.Equal(t, daemonset.ConditionStatus(""), orphan.Ready)
}

func TestNodeFromKube(t *testing.T) {
	n, err := NodeFromKube(&corev1.Node{
		ObjectMeta: metav1.ObjectMeta{Name: "n", Labels: map[string]string{"disktype": "ssd"}},
		Spec: corev1.NodeSpec{Unschedulable: true, Taints: []corev1.Taint{
			{Key: "dedicated", Value: "gpu", Effect: corev1.TaintEffectNoSchedule, TimeAdded: &metav1.Time{}},
		}},
		Status: corev1.NodeStatus{Conditions: []corev1.NodeCondition{{Type: corev1.NodeReady, Status: corev1.ConditionUnknown}}},
	})
	require.NoError(t, err)
	assert.Equal(t, "gpu", n.Taints[0].Value)
	assert.Equal(t, "NoSchedule", string(n.Taints[0].Effect))
	assert.True(t, n.Unschedulable)
	assert.Equal(t, daemonset.NodeCondition{Type: "Ready", Status: "Unknown"}, n.Conditions[0])
}

func TestStatusToKube(t *testing.T) {
	s := daemonset.Status{
		DesiredNumberScheduled: 1, CurrentNumberScheduled: 2, NumberMisscheduled: 3, NumberReady: 4,
		UpdatedNumberScheduled: 5, NumberAvailable: 6, NumberUnavailable: 7, ObservedGeneration: 8,
		CollisionCount: ptrTo[int32](9),
	}
	k := StatusToKube(s)
	assert.Equal(t, appsv1.DaemonSetStatus{
		DesiredNumberScheduled: 1, CurrentNumberScheduled: 2, NumberMisscheduled: 3, NumberReady: 4,
		UpdatedNumberScheduled: 5, NumberAvailable: 6, NumberUnavailable: 7, ObservedGeneration: 8,
		CollisionCount: ptrTo[int32](9),
	}, k)
	back, err := DaemonSetFromKube(&appsv1.DaemonSet{Status: k})
	require.NoError(t, err)
	assert.Equal(t, s, back.Status, "status survives the round trip")
}

func TestRevisionFromKube(t *testing.T) {
	r := RevisionFromKube(&appsv1.ControllerRevision{
		ObjectMeta: metav1.ObjectMeta{Name: "agent-5c5d64cb6", Labels: map[string]string{daemonset.RevisionHashLabel: "5c5d64cb6"}},
		Revision:   3,
		Data:       runtime.RawExtension{Raw: []byte(`{"spec":{}}`)},
	})
	assert.Equal(t, rollout.Revision{Name: "agent-5c5d64cb6", Revision: 3, Hash: "5c5d64cb6", Data: []byte(`{"spec":{}}`)}, r)
	assert.Equal(t, "agent-x", RevisionFromKube(&appsv1.ControllerRevision{ObjectMeta: metav1.ObjectMeta{Name: "agent-x"}}).LabelHash())
}

func TestNewDaemonPod(t *testing.T) {
	ds := &appsv1.DaemonSet{
		ObjectMeta: metav1.ObjectMeta{Name: "agent", Namespace: "ops", UID: "d1",
			Annotations: map[string]string{daemonset.TemplateGenerationAnnotation: "3"}},
		Spec: appsv1.DaemonSetSpec{Template: corev1.PodTemplateSpec{
			ObjectMeta: metav1.ObjectMeta{Labels: map[string]string{"app": "agent"}},
			Spec: corev1.PodSpec{
				Tolerations: []corev1.Toleration{
					{Key: "node.kubernetes.io/not-ready", Operator: corev1.TolerationOpExists, Effect: corev1.TaintEffectNoExecute, TolerationSeconds: ptrTo[int64](300)},
					{Key: "node.kubernetes.io/unreachable", Operator: corev1.TolerationOpEqual, Effect: corev1.TaintEffectNoExecute},
				},
				Affinity: &corev1.Affinity{NodeAffinity: &corev1.NodeAffinity{
					RequiredDuringSchedulingIgnoredDuringExecution:  &corev1.NodeSelector{NodeSelectorTerms: []corev1.NodeSelectorTerm{{}}},
					PreferredDuringSchedulingIgnoredDuringExecution: []corev1.PreferredSchedulingTerm{{Weight: 5}},
				}},
			},
		}},
	}
	before := ds.DeepCopy()
	pod, err := NewDaemonPod(ds, "node-a", "abc")
	require.NoError(t, err)
	assert.Equal(t, before, ds, "the DaemonSet is not modified")
	assert.Equal(t, map[string]string{"app": "agent", daemonset.TemplateGenerationLabel: "3", daemonset.RevisionHashLabel: "abc"}, pod.Labels)
	assert.Equal(t, "agent-", pod.GenerateName)
	assert.Equal(t, "ops", pod.Namespace)
	require.Len(t, pod.OwnerReferences, 1)
	assert.Equal(t, metav1.OwnerReference{APIVersion: "apps/v1", Kind: "DaemonSet", Name: "agent", UID: "d1", Controller: ptrTo(true), BlockOwnerDeletion: ptrTo(true)}, pod.OwnerReferences[0])
	// not-ready replaced in place (its seconds dropped); the Equal unreachable is kept and the
	// Exists default appended after the others.
	tol := pod.Spec.Tolerations
	require.Len(t, tol, 7)
	assert.Nil(t, tol[0].TolerationSeconds)
	assert.Equal(t, corev1.TolerationOpEqual, tol[1].Operator)
	assert.Equal(t, "node.kubernetes.io/unreachable", tol[2].Key)
	assert.Equal(t, "node.kubernetes.io/unschedulable", tol[6].Key)
	na := pod.Spec.Affinity.NodeAffinity
	assert.Equal(t, []corev1.NodeSelectorTerm{{MatchFields: []corev1.NodeSelectorRequirement{{Key: "metadata.name", Operator: corev1.NodeSelectorOpIn, Values: []string{"node-a"}}}}}, na.RequiredDuringSchedulingIgnoredDuringExecution.NodeSelectorTerms)
	assert.Equal(t, int32(5), na.PreferredDuringSchedulingIgnoredDuringExecution[0].Weight)

	// An annotation that is not an int64 gives no generation label; no hash gives no hash label.
	ds.Annotations[daemonset.TemplateGenerationAnnotation] = "v3"
	pod, err = NewDaemonPod(ds, "node-a", "")
	require.NoError(t, err)
	assert.Equal(t, map[string]string{"app": "agent"}, pod.Labels)

	// No labels at all: refused.
	ds.Spec.Template.Labels = nil
	_, err = NewDaemonPod(ds, "node-a", "")
	require.Error(t, err)
	assert.Contains(t, err.Error(), "no labels")

	// A name that cannot take a "-" (too long for a generated name) stays the prefix.
	long := &appsv1.DaemonSet{ObjectMeta: metav1.ObjectMeta{Name: strings.Repeat("a", 254)}}
	pod, err = NewDaemonPod(long, "n", "h")
	require.NoError(t, err)
	assert.Equal(t, long.Name, pod.GenerateName)
}

func TestDaemonSetPatchAndCurrentRevision(t *testing.T) {
	ds, err := DecodeDaemonSet("ds.yaml", []byte(`
apiVersion: apps/v1
kind: DaemonSet
metadata: {name: agent, namespace: ops, annotations: {team: infra}}
spec:
  selector: {matchLabels: {app: agent}}
  template:
    metadata: {labels: {app: agent}}
    spec:
      containers: [{name: agent, image: "example/agent:2"}]
`), DecodeOptions{})
	require.NoError(t, err)
	patch, err := DaemonSetPatch(ds)
	require.NoError(t, err)
	assert.True(t, strings.HasPrefix(string(patch), `{"spec":{"template":{"$patch":"replace","metadata":{"labels":{"app":"agent"}},"spec":{"containers":[{"image":"example/agent:2","imagePullPolicy":"IfNotPresent","name":"agent"`), string(patch))

	hash := ComputeHash(&ds.Spec.Template, nil)
	rev, err := NewControllerRevision(ds, hash, 4)
	require.NoError(t, err)
	assert.Equal(t, "agent-"+hash, rev.Name)
	assert.Equal(t, "ops", rev.Namespace)
	assert.Equal(t, map[string]string{"app": "agent", daemonset.RevisionHashLabel: hash}, rev.Labels)
	assert.Equal(t, map[string]string{"team": "infra"}, rev.Annotations)
	assert.Equal(t, int64(4), rev.Revision)
	assert.Equal(t, patch, rev.Data.Raw)

	old := ds.DeepCopy()
	old.Spec.Template.Spec.Containers[0].Image = "example/agent:1"
	oldRev, err := NewControllerRevision(old, ComputeHash(&old.Spec.Template, nil), 3)
	require.NoError(t, err)

	cur, olds, dups, err := CurrentRevision(ds, []appsv1.ControllerRevision{*oldRev, *rev})
	require.NoError(t, err)
	require.NotNil(t, cur)
	assert.Equal(t, rev.Name, cur.Name)
	assert.Equal(t, []string{oldRev.Name}, []string{olds[0].Name})
	assert.Empty(t, dups)

	cur, _, _, err = CurrentRevision(ds, []appsv1.ControllerRevision{*oldRev})
	require.NoError(t, err)
	assert.Nil(t, cur, "no revision matches a template change")
}

func ptrTo[T any](v T) *T { return &v }
