package kube

import (
	"errors"
	"fmt"
	"maps"
	"strconv"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	apivalidation "k8s.io/apimachinery/pkg/api/validation"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/daemonkit/daemonkit/daemonset"
	"github.com/daemonkit/daemonkit/selector"
)

// NewDaemonPod returns the pod the upstream DaemonSet controller creates for ds on node nodeName,
// with hash as its controller-revision-hash (section 2.5 of the semantics):
//
//   - the template's labels, annotations, finalizers and spec, copied;
//   - the default daemon tolerations merged in (selector.DaemonTolerations: a matching template
//     toleration is replaced in place, which drops its tolerationSeconds; others are appended);
//   - the label pod-template-generation=N when the DaemonSet's annotation
//     deprecated.daemonset.template.generation parses as an int64 (left out otherwise), and
//     controller-revision-hash=hash when hash is not empty;
//   - the required node affinity replaced by the single term `metadata.name In [nodeName]`
//     (preferred terms and other affinity kinds kept), so that the scheduler binds it there;
//   - a controller owner reference to the DaemonSet (apps/v1, controller and blockOwnerDeletion
//     true) and generateName "<ds>-" (or "<ds>" when "<ds>-" is no valid name prefix).
//
// metadata.namespace is set to the DaemonSet's, which upstream passes to the create call instead;
// otherwise the pod is what upstream sends, before the API server's defaults. A template without
// labels is an error, as upstream refuses to create a pod no selector can find. ds is not modified.
func NewDaemonPod(ds *appsv1.DaemonSet, nodeName, hash string) (*corev1.Pod, error) {
	if ds == nil {
		return nil, errors.New("new daemon pod: nil DaemonSet")
	}
	if nodeName == "" {
		return nil, fmt.Errorf("new daemon pod for DaemonSet %s: empty node name", ds.Name)
	}
	t := ds.Spec.Template.DeepCopy()

	labels := maps.Clone(t.Labels)
	if labels == nil {
		labels = map[string]string{}
	}
	if v, ok := ds.Annotations[daemonset.TemplateGenerationAnnotation]; ok {
		if gen, err := strconv.ParseInt(v, 10, 64); err == nil {
			labels[daemonset.TemplateGenerationLabel] = strconv.FormatInt(gen, 10)
		}
	}
	if hash != "" {
		labels[daemonset.RevisionHashLabel] = hash
	}
	if len(labels) == 0 {
		return nil, fmt.Errorf("new daemon pod for DaemonSet %s: unable to create pods, no labels", ds.Name)
	}

	spec := t.Spec
	spec.Tolerations = daemonTolerationsKube(spec.Tolerations, spec.HostNetwork)
	spec.Affinity = pinToNode(spec.Affinity, nodeName)

	pod := &corev1.Pod{
		ObjectMeta: metav1.ObjectMeta{
			GenerateName: podNamePrefix(ds.Name),
			Namespace:    ds.Namespace,
			Labels:       labels,
			Annotations:  t.Annotations,
			Finalizers:   t.Finalizers,
			OwnerReferences: []metav1.OwnerReference{
				*metav1.NewControllerRef(ds, appsv1.SchemeGroupVersion.WithKind("DaemonSet")),
			},
		},
		Spec: spec,
	}
	return pod, nil
}

// podNamePrefix is "<name>-" when that is a valid prefix for generated pod names, else name.
func podNamePrefix(name string) string {
	prefix := name + "-"
	if len(apivalidation.NameIsDNSSubdomain(prefix, true)) != 0 {
		return name
	}
	return prefix
}

// pinToNode replaces the required node affinity with `metadata.name In [node]`, creating the
// affinity and nodeAffinity when they are nil and keeping everything else.
func pinToNode(a *corev1.Affinity, node string) *corev1.Affinity {
	required := &corev1.NodeSelector{NodeSelectorTerms: []corev1.NodeSelectorTerm{{
		MatchFields: []corev1.NodeSelectorRequirement{{
			Key:      metav1.ObjectNameField,
			Operator: corev1.NodeSelectorOpIn,
			Values:   []string{node},
		}},
	}}}
	if a == nil {
		return &corev1.Affinity{NodeAffinity: &corev1.NodeAffinity{RequiredDuringSchedulingIgnoredDuringExecution: required}}
	}
	if a.NodeAffinity == nil {
		a.NodeAffinity = &corev1.NodeAffinity{}
	}
	a.NodeAffinity.RequiredDuringSchedulingIgnoredDuringExecution = required
	return a
}

// daemonTolerationsKube applies selector.DaemonTolerations to corev1 tolerations.
func daemonTolerationsKube(ts []corev1.Toleration, hostNetwork bool) []corev1.Toleration {
	merged := selector.DaemonTolerations(tolerationsFromKube(ts), hostNetwork)
	out := make([]corev1.Toleration, len(merged))
	for i, t := range merged {
		out[i] = corev1.Toleration{
			Key:               t.Key,
			Operator:          corev1.TolerationOperator(t.Operator),
			Value:             t.Value,
			Effect:            corev1.TaintEffect(t.Effect),
			TolerationSeconds: t.TolerationSeconds,
		}
	}
	return out
}
