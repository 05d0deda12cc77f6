package daemonset

import (
	"encoding/json"
	"fmt"
	"regexp"
	"slices"
	"strconv"

	"github.com/daemonkit/daemonkit/internal/field"
	"github.com/daemonkit/daemonkit/selector"
)

// Messages worded as the API server words them.
const (
	msgNegative   = "must be greater than or equal to 0"
	msgDNS1123Sub = "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')"
)

var dns1123Subdomain = regexp.MustCompile(`^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$`)

// Validate applies the API server's rules for a DaemonSet to what the model holds (section 6 and
// 3.8 of the semantics) and returns every broken rule, in the server's order, each naming its field
// (for example "spec.updateStrategy.rollingUpdate.maxUnavailable"). Apply Default first, as the
// server does: an unset strategy type or restartPolicy is otherwise reported. Validate(nil)
// reports the missing object as a Required error at "metadata".
func Validate(ds *DaemonSet) field.List {
	if ds == nil {
		return field.List{{Path: "metadata", Type: field.Required, Detail: "no DaemonSet"}}
	}
	var errs field.List
	errs = append(errs, validateName(ds.Name, "metadata.name")...)

	errs = append(errs, selector.ValidateLabelSelector(ds.Selector, "spec.selector")...)
	if sel, err := selector.FromLabelSelector(ds.Selector); err == nil && !sel.Matches(ds.Template.Labels) {
		errs = append(errs, &field.Error{Path: "spec.template.metadata.labels", Type: field.Invalid,
			Value: jsonValue{ds.Template.Labels}, Detail: "`selector` does not match template `labels`"})
	}
	if ds.Selector != nil && len(ds.Selector.MatchLabels)+len(ds.Selector.MatchExpressions) == 0 {
		errs = append(errs, &field.Error{Path: "spec.selector", Type: field.Invalid, Value: jsonValue{map[string]any{}},
			Detail: "empty selector is invalid for daemonset"})
	}

	t := &ds.Template
	errs = append(errs, validateLabels(t.Labels, "spec.template.metadata.labels")...)
	errs = append(errs, validateLabels(t.NodeSelector, "spec.template.spec.nodeSelector")...)
	if t.NodeName != "" && !isDNSSubdomain(t.NodeName) {
		errs = append(errs, &field.Error{Path: "spec.template.spec.nodeName", Type: field.Invalid, Value: t.NodeName, Detail: msgDNS1123Sub})
	}
	if t.RequiredNodeAffinity != nil {
		errs = append(errs, selector.ValidateNodeSelector(t.RequiredNodeAffinity,
			"spec.template.spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution")...)
	}
	errs = append(errs, selector.ValidateTolerations(t.Tolerations, "spec.template.spec.tolerations")...)
	// The pod template's own rule first (a pod may use any of three policies), then the
	// DaemonSet's (Always only): an unknown value breaks both, as in the API server.
	switch t.RestartPolicy {
	case "Always", "OnFailure", "Never":
	case "":
		errs = append(errs, &field.Error{Path: "spec.template.spec.restartPolicy", Type: field.Required})
	default:
		errs = append(errs, &field.Error{Path: "spec.template.spec.restartPolicy", Type: field.Unsupported,
			Value: t.RestartPolicy, Detail: `supported values: "Always", "OnFailure", "Never"`})
	}
	if t.RestartPolicy != "Always" {
		errs = append(errs, &field.Error{Path: "spec.template.spec.restartPolicy", Type: field.Unsupported,
			Value: t.RestartPolicy, Detail: `supported values: "Always"`})
	}
	if t.ActiveDeadlineSeconds != nil {
		errs = append(errs, &field.Error{Path: "spec.template.spec.activeDeadlineSeconds", Type: field.Forbidden,
			Detail: "activeDeadlineSeconds in DaemonSet is not Supported"})
	}
	if ds.MinReadySeconds < 0 {
		errs = append(errs, &field.Error{Path: "spec.minReadySeconds", Type: field.Invalid, Value: int64(ds.MinReadySeconds), Detail: msgNegative})
	}
	if v, ok := ds.Annotations[TemplateGenerationAnnotation]; ok {
		if g, err := strconv.ParseInt(v, 10, 64); err == nil && g < 0 {
			errs = append(errs, &field.Error{Path: "spec.templateGeneration", Type: field.Invalid, Value: g, Detail: msgNegative})
		}
	}
	errs = append(errs, ds.UpdateStrategy.Rollout().Validate("spec.updateStrategy")...)
	if ds.RevisionHistoryLimit != nil && *ds.RevisionHistoryLimit < 0 {
		errs = append(errs, &field.Error{Path: "spec.revisionHistoryLimit", Type: field.Invalid,
			Value: int64(*ds.RevisionHistoryLimit), Detail: msgNegative})
	}
	return errs
}

// ValidateStatus applies the API server's rules for a status update: every counter and
// observedGeneration at least 0, collisionCount at least 0 and, given the previous status, never
// lower than before. old may be nil (a first write); a nil s is a Required error at "status".
func ValidateStatus(s, old *Status) field.List {
	if s == nil {
		return field.List{{Path: "status", Type: field.Required, Detail: "no status"}}
	}
	var errs field.List
	check := func(name string, v int64) {
		if v < 0 {
			errs = append(errs, &field.Error{Path: "status." + name, Type: field.Invalid, Value: v, Detail: msgNegative})
		}
	}
	check("currentNumberScheduled", int64(s.CurrentNumberScheduled))
	check("numberMisscheduled", int64(s.NumberMisscheduled))
	check("desiredNumberScheduled", int64(s.DesiredNumberScheduled))
	check("numberReady", int64(s.NumberReady))
	check("observedGeneration", s.ObservedGeneration)
	check("updatedNumberScheduled", int64(s.UpdatedNumberScheduled))
	check("numberAvailable", int64(s.NumberAvailable))
	check("numberUnavailable", int64(s.NumberUnavailable))
	if s.CollisionCount != nil {
		check("collisionCount", int64(*s.CollisionCount))
	}
	if old != nil && old.CollisionCount != nil {
		var v int32
		if s.CollisionCount != nil {
			v = *s.CollisionCount
		}
		if s.CollisionCount == nil || v < *old.CollisionCount {
			errs = append(errs, &field.Error{Path: "status.collisionCount", Type: field.Invalid, Value: int64(v), Detail: "cannot be decremented"})
		}
	}
	return errs
}

func isDNSSubdomain(s string) bool { return len(s) <= 253 && dns1123Subdomain.MatchString(s) }

func validateName(name, path string) field.List {
	if name == "" {
		return field.List{{Path: path, Type: field.Required, Detail: "name or generateName is required"}}
	}
	var errs field.List
	if len(name) > 253 {
		errs = append(errs, &field.Error{Path: path, Type: field.Invalid, Value: name, Detail: "must be no more than 253 characters"})
	}
	if !dns1123Subdomain.MatchString(name) {
		errs = append(errs, &field.Error{Path: path, Type: field.Invalid, Value: name, Detail: msgDNS1123Sub})
	}
	return errs
}

// validateLabels checks a label map as the API server does, keys in sorted order.
func validateLabels(m map[string]string, path string) field.List {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	var errs field.List
	for _, k := range keys {
		errs = append(errs, selector.ValidateLabelKey(k, path)...)
		errs = append(errs, selector.ValidateLabelValue(m[k], path)...)
	}
	return errs
}

// jsonValue prints a value the way the API server prints a structured bad value: as JSON
// (map keys sorted), unquoted. It is a fmt.Formatter rather than a fmt.Stringer, so that the field
// package prints it as is.
type jsonValue struct{ v any }

// Format writes the value as JSON, or in Go syntax when it has no JSON form.
func (j jsonValue) Format(f fmt.State, _ rune) {
	b, err := json.Marshal(j.v)
	if err != nil {
		fmt.Fprintf(f, "%#v", j.v)
		return
	}
	f.Write(b)
}
