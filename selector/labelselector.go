package selector

import (
	"slices"

	"github.com/daemonkit/daemonkit/internal/field"
)

// ValidateLabelSelector checks ls the way the API server checks a metav1.LabelSelector, and returns
// every problem at once, each with its path below path (for example
// path+".matchExpressions[1].values"): matchLabels keys must be valid label keys and their values
// valid label values; each expression needs a valid key, an operator among In, NotIn, Exists and
// DoesNotExist, at least one value for In and NotIn, none for Exists and DoesNotExist, and valid
// label values. matchLabels are checked in key order. A nil selector is valid.
func ValidateLabelSelector(ls *LabelSelector, path string) field.List {
	if ls == nil {
		return nil
	}
	var errs field.List
	mlPath := field.Child(path, "matchLabels")
	for _, k := range sortedKeys(ls.MatchLabels) {
		errs = append(errs, ValidateLabelKey(k, mlPath)...)
		errs = append(errs, ValidateLabelValue(ls.MatchLabels[k], mlPath)...)
	}
	for i, r := range ls.MatchExpressions {
		errs = append(errs, validateExpression(r, field.Index(field.Child(path, "matchExpressions"), i), false)...)
	}
	return errs
}

// validateExpression checks one matchExpressions requirement at path rp, in the API server's
// order: the operator and its number of values, then the key, then each value. numeric admits Gt
// and Lt with exactly one value, as node selector terms do; label selectors have no such operators.
func validateExpression(r Requirement, rp string, numeric bool) field.List {
	var errs field.List
	vp := field.Child(rp, "values")
	switch {
	case r.Operator == OpIn || r.Operator == OpNotIn:
		if len(r.Values) == 0 {
			errs = append(errs, &field.Error{Path: vp, Type: field.Required, Detail: "must be specified when `operator` is 'In' or 'NotIn'"})
		}
	case r.Operator == OpExists || r.Operator == OpDoesNotExist:
		if len(r.Values) > 0 {
			errs = append(errs, &field.Error{Path: vp, Type: field.Forbidden, Detail: "may not be specified when `operator` is 'Exists' or 'DoesNotExist'"})
		}
	case numeric && (r.Operator == OpGt || r.Operator == OpLt):
		if len(r.Values) != 1 {
			errs = append(errs, &field.Error{Path: vp, Type: field.Required, Detail: "must be specified single value when `operator` is 'Lt' or 'Gt'"})
		}
	default:
		errs = append(errs, &field.Error{Path: field.Child(rp, "operator"), Type: field.Invalid, Value: string(r.Operator), Detail: "not a valid selector operator"})
	}
	errs = append(errs, ValidateLabelKey(r.Key, field.Child(rp, "key"))...)
	for j, v := range r.Values {
		errs = append(errs, ValidateLabelValue(v, field.Index(vp, j))...)
	}
	return errs
}

// FromLabelSelector compiles a metav1-style label selector, as metav1.LabelSelectorAsSelector
// does: nil gives Nothing(), a selector with no matchLabels and no matchExpressions gives
// Everything(), otherwise every matchLabels entry (printed "k=v") and every expression must hold.
// An invalid selector is an error: the field.List of ValidateLabelSelector with paths relative to ""
// (such as "matchExpressions[1].values").
func FromLabelSelector(ls *LabelSelector) (Selector, error) {
	if ls == nil {
		return Nothing(), nil
	}
	if errs := ValidateLabelSelector(ls, ""); len(errs) > 0 {
		return Selector{}, errs
	}
	reqs := make([]labelReq, 0, len(ls.MatchLabels)+len(ls.MatchExpressions))
	// matchLabels first in key order, then the expressions in their order: upstream's order is the
	// same but for map iteration, which we do not let decide anything.
	for _, k := range sortedKeys(ls.MatchLabels) {
		reqs = append(reqs, labelReq{key: k, op: OpIn, spell: spellEquals, values: []string{ls.MatchLabels[k]}})
	}
	for _, r := range ls.MatchExpressions {
		var vals []string
		if len(r.Values) > 0 {
			vals = slices.Clone(r.Values)
		}
		reqs = append(reqs, labelReq{key: r.Key, op: r.Operator, values: vals})
	}
	return newSelector(reqs), nil
}

func sortedKeys(m map[string]string) []string {
	if len(m) == 0 {
		return nil
	}
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
