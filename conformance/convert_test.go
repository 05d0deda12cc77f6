package conformance_test

import (
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/daemonkit/daemonkit/selector"
)

// Plain field-by-field conversions from the k8s.io/api types to daemonkit's selector types, kept
// here (rather than borrowed from package kube) so that the selector comparison does not depend
// on the adapter it will later help check.

func toLabelSelector(ls *metav1.LabelSelector) *selector.LabelSelector {
	if ls == nil {
		return nil
	}
	out := &selector.LabelSelector{MatchLabels: ls.MatchLabels}
	for _, e := range ls.MatchExpressions {
		out.MatchExpressions = append(out.MatchExpressions, selector.Requirement{
			Key: e.Key, Operator: selector.Operator(e.Operator), Values: e.Values})
	}
	return out
}

func toNodeSelector(ns *corev1.NodeSelector) *selector.NodeSelector {
	if ns == nil {
		return nil
	}
	out := &selector.NodeSelector{}
	for _, t := range ns.NodeSelectorTerms {
		var term selector.NodeSelectorTerm
		for _, e := range t.MatchExpressions {
			term.MatchExpressions = append(term.MatchExpressions, selector.Requirement{
				Key: e.Key, Operator: selector.Operator(e.Operator), Values: e.Values})
		}
		for _, e := range t.MatchFields {
			term.MatchFields = append(term.MatchFields, selector.Requirement{
				Key: e.Key, Operator: selector.Operator(e.Operator), Values: e.Values})
		}
		out.Terms = append(out.Terms, term)
	}
	return out
}

func toToleration(t corev1.Toleration) selector.Toleration {
	return selector.Toleration{Key: t.Key, Operator: selector.TolerationOperator(t.Operator), Value: t.Value,
		Effect: selector.TaintEffect(t.Effect), TolerationSeconds: t.TolerationSeconds}
}

func toTolerations(ts []corev1.Toleration) []selector.Toleration {
	var out []selector.Toleration
	for _, t := range ts {
		out = append(out, toToleration(t))
	}
	return out
}

func toTaint(t corev1.Taint) selector.Taint {
	return selector.Taint{Key: t.Key, Value: t.Value, Effect: selector.TaintEffect(t.Effect)}
}
