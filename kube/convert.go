package kube

import (
	"fmt"
	"maps"
	"slices"
	"time"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/intstr"

	"github.com/daemonkit/daemonkit/daemonset"
	"github.com/daemonkit/daemonkit/internal/field"
	"github.com/daemonkit/daemonkit/rollout"
	"github.com/daemonkit/daemonkit/selector"
)

// DefaultNamespace is the namespace an object without one gets, as kubectl gives it.
const DefaultNamespace = "default"

// DaemonSetFromKube converts an apps/v1 DaemonSet to the model, keeping every field the
// controller's decisions read (section 9.6 of the semantics): metadata (name, namespace, UID,
// generation, annotations such as deprecated.daemonset.template.generation, deletionTimestamp),
// the selector, the template's scheduling fields, the update strategy, minReadySeconds,
// revisionHistoryLimit and the status (observedGeneration and collisionCount included).
// Pass a defaulted DaemonSet (the loaders default; see DefaultDaemonSet): the model keeps a nil
// strategy field nil. An empty namespace becomes DefaultNamespace. The input is not modified and
// shares no memory with the result.
//
// It returns an error for what the model cannot hold: an IntOrString of an unknown type.
func DaemonSetFromKube(ds *appsv1.DaemonSet) (*daemonset.DaemonSet, error) {
	if ds == nil {
		return nil, fmt.Errorf("nil DaemonSet")
	}
	out := &daemonset.DaemonSet{
		Name:                 ds.Name,
		Namespace:            namespaceOrDefault(ds.Namespace),
		UID:                  string(ds.UID),
		Generation:           ds.Generation,
		Annotations:          maps.Clone(ds.Annotations),
		Selector:             labelSelectorFromKube(ds.Spec.Selector),
		Template:             templateFromKube(&ds.Spec.Template),
		MinReadySeconds:      ds.Spec.MinReadySeconds,
		RevisionHistoryLimit: cloneInt32(ds.Spec.RevisionHistoryLimit),
		DeletionTimestamp:    timePtr(ds.DeletionTimestamp),
		Status: daemonset.Status{
			DesiredNumberScheduled: ds.Status.DesiredNumberScheduled,
			CurrentNumberScheduled: ds.Status.CurrentNumberScheduled,
			NumberMisscheduled:     ds.Status.NumberMisscheduled,
			NumberReady:            ds.Status.NumberReady,
			UpdatedNumberScheduled: ds.Status.UpdatedNumberScheduled,
			NumberAvailable:        ds.Status.NumberAvailable,
			NumberUnavailable:      ds.Status.NumberUnavailable,
			ObservedGeneration:     ds.Status.ObservedGeneration,
			CollisionCount:         cloneInt32(ds.Status.CollisionCount),
		},
	}
	out.UpdateStrategy.Type = daemonset.StrategyType(ds.Spec.UpdateStrategy.Type)
	if ru := ds.Spec.UpdateStrategy.RollingUpdate; ru != nil {
		const path = "spec.updateStrategy.rollingUpdate"
		maxUnavailable, err := intOrPercentFromKube(ru.MaxUnavailable, field.Child(path, "maxUnavailable"))
		if err != nil {
			return nil, fmt.Errorf("DaemonSet %s/%s: %w", out.Namespace, out.Name, err)
		}
		maxSurge, err := intOrPercentFromKube(ru.MaxSurge, field.Child(path, "maxSurge"))
		if err != nil {
			return nil, fmt.Errorf("DaemonSet %s/%s: %w", out.Namespace, out.Name, err)
		}
		out.UpdateStrategy.RollingUpdate = &daemonset.RollingUpdate{MaxUnavailable: maxUnavailable, MaxSurge: maxSurge}
	}
	return out, nil
}

// NodeFromKube converts a Node to the model: name, labels, taints (timeAdded plays no part),
// spec.unschedulable and the conditions' type and status. The error is always nil today; it is
// there so that a future field the model cannot hold is reported rather than dropped.
func NodeFromKube(n *corev1.Node) (daemonset.Node, error) {
	if n == nil {
		return daemonset.Node{}, fmt.Errorf("nil Node")
	}
	out := daemonset.Node{
		Name:          n.Name,
		Labels:        maps.Clone(n.Labels),
		Unschedulable: n.Spec.Unschedulable,
	}
	if len(n.Spec.Taints) > 0 {
		out.Taints = make([]selector.Taint, len(n.Spec.Taints))
		for i, t := range n.Spec.Taints {
			out.Taints[i] = selector.Taint{Key: t.Key, Value: t.Value, Effect: selector.TaintEffect(t.Effect)}
		}
	}
	if len(n.Status.Conditions) > 0 {
		out.Conditions = make([]daemonset.NodeCondition, len(n.Status.Conditions))
		for i, c := range n.Status.Conditions {
			out.Conditions[i] = daemonset.NodeCondition{Type: string(c.Type), Status: string(c.Status)}
		}
	}
	return out, nil
}

// PodFromKube converts a Pod to the model: identity, labels, the controller owner reference,
// spec.nodeName, the required node affinity (which names the target node of an unbound daemon
// pod), the phase, the first Ready condition and its lastTransitionTime, the creation and
// deletion timestamps, and the finalizers (a pod with finalizers outlives its deletion). An empty namespace becomes DefaultNamespace. The error is always nil
// today, for the same reason as NodeFromKube's.
func PodFromKube(p *corev1.Pod) (daemonset.Pod, error) {
	if p == nil {
		return daemonset.Pod{}, fmt.Errorf("nil Pod")
	}
	out := daemonset.Pod{
		Name:                 p.Name,
		Namespace:            namespaceOrDefault(p.Namespace),
		UID:                  string(p.UID),
		Labels:               maps.Clone(p.Labels),
		NodeName:             p.Spec.NodeName,
		RequiredNodeAffinity: requiredAffinityFromKube(p.Spec.Affinity),
		Phase:                daemonset.PodPhase(p.Status.Phase),
		CreationTimestamp:    p.CreationTimestamp.Time,
		DeletionTimestamp:    timePtr(p.DeletionTimestamp),
		Finalizers:           slices.Clone(p.Finalizers),
	}
	if ref := metav1.GetControllerOf(p); ref != nil {
		out.Controller = &daemonset.OwnerRef{APIVersion: ref.APIVersion, Kind: ref.Kind, Name: ref.Name, UID: string(ref.UID)}
	}
	// Upstream reads the first condition of type Ready; later ones are ignored.
	for _, c := range p.Status.Conditions {
		if c.Type == corev1.PodReady {
			out.Ready = daemonset.ConditionStatus(c.Status)
			out.ReadySince = c.LastTransitionTime.Time
			break
		}
	}
	return out, nil
}

// NodesFromKube converts a list of Nodes, naming the node of the first error.
func NodesFromKube(nodes []corev1.Node) ([]daemonset.Node, error) {
	out := make([]daemonset.Node, len(nodes))
	for i := range nodes {
		n, err := NodeFromKube(&nodes[i])
		if err != nil {
			return nil, fmt.Errorf("node %q: %w", nodes[i].Name, err)
		}
		out[i] = n
	}
	return out, nil
}

// PodsFromKube converts a list of Pods, naming the pod of the first error.
func PodsFromKube(pods []corev1.Pod) ([]daemonset.Pod, error) {
	out := make([]daemonset.Pod, len(pods))
	for i := range pods {
		p, err := PodFromKube(&pods[i])
		if err != nil {
			return nil, fmt.Errorf("pod %q: %w", pods[i].Name, err)
		}
		out[i] = p
	}
	return out, nil
}

// RevisionFromKube converts a ControllerRevision to what the history logic reads: name,
// revision number, the controller-revision-hash label ("" when missing) and the raw data.
func RevisionFromKube(r *appsv1.ControllerRevision) rollout.Revision {
	return rollout.Revision{
		Name:     r.Name,
		Revision: r.Revision,
		Hash:     r.Labels[daemonset.RevisionHashLabel],
		Data:     slices.Clone(r.Data.Raw),
	}
}

// StatusToKube converts the model's status to the apps/v1 status the controller writes.
func StatusToKube(s daemonset.Status) appsv1.DaemonSetStatus {
	return appsv1.DaemonSetStatus{
		CurrentNumberScheduled: s.CurrentNumberScheduled,
		NumberMisscheduled:     s.NumberMisscheduled,
		DesiredNumberScheduled: s.DesiredNumberScheduled,
		NumberReady:            s.NumberReady,
		ObservedGeneration:     s.ObservedGeneration,
		UpdatedNumberScheduled: s.UpdatedNumberScheduled,
		NumberAvailable:        s.NumberAvailable,
		NumberUnavailable:      s.NumberUnavailable,
		CollisionCount:         cloneInt32(s.CollisionCount),
	}
}

func templateFromKube(t *corev1.PodTemplateSpec) daemonset.PodTemplate {
	return daemonset.PodTemplate{
		Labels:                maps.Clone(t.Labels),
		Annotations:           maps.Clone(t.Annotations),
		NodeName:              t.Spec.NodeName,
		NodeSelector:          maps.Clone(t.Spec.NodeSelector),
		RequiredNodeAffinity:  requiredAffinityFromKube(t.Spec.Affinity),
		Tolerations:           tolerationsFromKube(t.Spec.Tolerations),
		HostNetwork:           t.Spec.HostNetwork,
		RestartPolicy:         string(t.Spec.RestartPolicy),
		ActiveDeadlineSeconds: cloneInt64(t.Spec.ActiveDeadlineSeconds),
	}
}

func tolerationsFromKube(ts []corev1.Toleration) []selector.Toleration {
	if ts == nil {
		return nil
	}
	out := make([]selector.Toleration, len(ts))
	for i, t := range ts {
		out[i] = selector.Toleration{
			Key:               t.Key,
			Operator:          selector.TolerationOperator(t.Operator),
			Value:             t.Value,
			Effect:            selector.TaintEffect(t.Effect),
			TolerationSeconds: cloneInt64(t.TolerationSeconds),
		}
	}
	return out
}

// requiredAffinityFromKube returns affinity.nodeAffinity.requiredDuringScheduling…, or nil when
// any link of that chain is nil. An empty term list stays a non-nil selector with no terms,
// which matches no node.
func requiredAffinityFromKube(a *corev1.Affinity) *selector.NodeSelector {
	if a == nil || a.NodeAffinity == nil || a.NodeAffinity.RequiredDuringSchedulingIgnoredDuringExecution == nil {
		return nil
	}
	req := a.NodeAffinity.RequiredDuringSchedulingIgnoredDuringExecution
	out := &selector.NodeSelector{Terms: make([]selector.NodeSelectorTerm, len(req.NodeSelectorTerms))}
	for i, term := range req.NodeSelectorTerms {
		out.Terms[i] = selector.NodeSelectorTerm{
			MatchExpressions: nodeRequirementsFromKube(term.MatchExpressions),
			MatchFields:      nodeRequirementsFromKube(term.MatchFields),
		}
	}
	return out
}

func nodeRequirementsFromKube(rs []corev1.NodeSelectorRequirement) []selector.Requirement {
	if rs == nil {
		return nil
	}
	out := make([]selector.Requirement, len(rs))
	for i, r := range rs {
		out[i] = selector.Requirement{Key: r.Key, Operator: selector.Operator(r.Operator), Values: slices.Clone(r.Values)}
	}
	return out
}

func labelSelectorFromKube(s *metav1.LabelSelector) *selector.LabelSelector {
	if s == nil {
		return nil
	}
	out := &selector.LabelSelector{MatchLabels: maps.Clone(s.MatchLabels)}
	if s.MatchExpressions != nil {
		out.MatchExpressions = make([]selector.Requirement, len(s.MatchExpressions))
		for i, r := range s.MatchExpressions {
			out.MatchExpressions[i] = selector.Requirement{Key: r.Key, Operator: selector.Operator(r.Operator), Values: slices.Clone(r.Values)}
		}
	}
	return out
}

func intOrPercentFromKube(v *intstr.IntOrString, path string) (*rollout.IntOrPercent, error) {
	if v == nil {
		return nil, nil
	}
	switch v.Type {
	case intstr.Int:
		x := rollout.FromInt(v.IntVal)
		return &x, nil
	case intstr.String:
		x := rollout.FromString(v.StrVal)
		return &x, nil
	}
	return nil, &field.Error{Path: path, Type: field.Invalid, Value: int64(v.Type), Detail: "an IntOrString must hold an integer (type 0) or a string (type 1)"}
}

func namespaceOrDefault(ns string) string {
	if ns == "" {
		return DefaultNamespace
	}
	return ns
}

func timePtr(t *metav1.Time) *time.Time {
	if t == nil {
		return nil
	}
	v := t.Time
	return &v
}

func cloneInt32(p *int32) *int32 {
	if p == nil {
		return nil
	}
	v := *p
	return &v
}

func cloneInt64(p *int64) *int64 {
	if p == nil {
		return nil
	}
	v := *p
	return &v
}
