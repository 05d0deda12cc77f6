package kube

import (
	"strconv"
	"strings"

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
