package kube

import (
	"strconv"
	"strings"

	appsv1 "k8s.io/api/apps/v1"
	apiequality "k8s.io/apimachinery/pkg/api/equality"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/daemonkit/daemonkit/daemonset"
	"github.com/daemonkit/daemonkit/internal/field"
)

// InvalidDaemonSetError is a DaemonSet the API server would reject: its name and every broken
// rule, each naming its field.
type InvalidDaemonSetError struct {
	Name string
	Errs field.List
}

// Error names the DaemonSet and puts every broken rule on its own indented line.
func (e *InvalidDaemonSetError) Error() string {
	var b strings.Builder
	b.WriteString("DaemonSet " + strconv.Quote(e.Name) + " is invalid (the API server would reject it):")
	for _, fe := range e.Errs {
		b.WriteString("\n  ")
		b.WriteString(fe.Error())
	}
	return b.String()
}

// Unwrap returns the broken rules, for errors.As with a *field.Error.
func (e *InvalidDaemonSetError) Unwrap() []error {
	out := make([]error, len(e.Errs))
	for i, fe := range e.Errs {
		out[i] = fe
	}
	return out
}

// ValidateDaemonSet applies the API server's rules (daemonset.Validate) to a converted DaemonSet
// and returns nil or an *InvalidDaemonSetError.
func ValidateDaemonSet(ds *daemonset.DaemonSet) error {
	errs := daemonset.Validate(ds)
	if len(errs) == 0 {
		return nil
	}
	e := &InvalidDaemonSetError{Errs: errs}
	if ds != nil {
		e.Name = ds.Name
	}
	return e
}

// ValidateDaemonSetUpdate applies the API server's rules for an update of old to next that
// daemonset.Validate cannot see, having one object only: the update names the same DaemonSet,
// and spec.selector is immutable (apps/v1). It returns nil or an *InvalidDaemonSetError naming
// next.
func ValidateDaemonSetUpdate(old, next *appsv1.DaemonSet) error {
	var errs field.List
	oldNS, nextNS := namespaceOrDefault(old.Namespace), namespaceOrDefault(next.Namespace)
	if oldNS != nextNS || old.Name != next.Name {
		errs = append(errs, &field.Error{Path: "metadata.name", Type: field.Invalid, Value: nextNS + "/" + next.Name,
			Detail: "not the DaemonSet being updated, " + oldNS + "/" + old.Name})
	}
	if !apiequality.Semantic.DeepEqual(old.Spec.Selector, next.Spec.Selector) {
		errs = append(errs, &field.Error{Path: "spec.selector", Type: field.Invalid, Value: metav1.FormatLabelSelector(next.Spec.Selector),
			Detail: "field is immutable (it is " + metav1.FormatLabelSelector(old.Spec.Selector) + ")"})
	}
	if len(errs) == 0 {
		return nil
	}
	return &InvalidDaemonSetError{Name: next.Name, Errs: errs}
}
