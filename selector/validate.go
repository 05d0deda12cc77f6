package selector

import (
	"strconv"

	"github.com/daemonkit/daemonkit/internal/field"
)

// ValidateNodeSelector checks required node affinity the way the API server does, returning every
// problem with its path below path: at least one term ("nodeSelectorTerms" is Required otherwise);
// in matchExpressions a valid label key, an operator among In, NotIn, Exists, DoesNotExist, Gt and
// Lt, values present for In and NotIn, absent for Exists and DoesNotExist, exactly one for Gt and
// Lt, and every value a valid label value; in matchFields only the key metadata.name, only In or
// NotIn, exactly one value, and that value a valid node name. A nil selector is valid.
func ValidateNodeSelector(ns *NodeSelector, path string) field.List {
	if ns == nil {
		return nil
	}
	termsPath := field.Child(path, "nodeSelectorTerms")
	if len(ns.Terms) == 0 {
		return field.List{{Path: termsPath, Type: field.Required, Detail: "must have at least one node selector term"}}
	}
	var errs field.List
	for i, t := range ns.Terms {
		tp := field.Index(termsPath, i)
		for j, r := range t.MatchExpressions {
			errs = append(errs, validateExpression(r, field.Index(field.Child(tp, "matchExpressions"), j), true)...)
		}
		for j, r := range t.MatchFields {
			rp := field.Index(field.Child(tp, "matchFields"), j)
			switch r.Operator {
			case OpIn, OpNotIn:
				if len(r.Values) != 1 {
					errs = append(errs, &field.Error{Path: field.Child(rp, "values"), Type: field.Required, Detail: "must be only one value when `operator` is 'In' or 'NotIn' for node field selector"})
				}
			default:
				errs = append(errs, &field.Error{Path: field.Child(rp, "operator"), Type: field.Invalid, Value: string(r.Operator), Detail: "not a valid selector operator"})
			}
			if r.Key != NodeNameField {
				errs = append(errs, &field.Error{Path: field.Child(rp, "key"), Type: field.Invalid, Value: r.Key, Detail: "not a valid field selector key"})
				continue
			}
			for k, v := range r.Values {
				for _, m := range dnsSubdomainProblems(v) {
					errs = append(errs, &field.Error{Path: field.Index(field.Child(rp, "values"), k), Type: field.Invalid, Value: v, Detail: m})
				}
			}
		}
	}
	return errs
}

func dnsSubdomainProblems(s string) []string {
	var msgs []string
	if len(s) > maxPrefixLen {
		msgs = append(msgs, "must be no more than "+strconv.Itoa(maxPrefixLen)+" characters")
	}
	if !isDNSSubdomainShape(s) {
		msgs = append(msgs, msgPrefixShape)
	}
	return msgs
}

// ValidateTolerations checks tolerations the way the API server does (default gates: Lt and Gt are
// not supported), returning every problem with its path below path.
func ValidateTolerations(ts []Toleration, path string) field.List {
	return TolerationOptions{}.ValidateTolerations(ts, path)
}

// ValidateTolerations checks tolerations as the API server does under these options: a non-empty
// key must be a valid label key; an empty key needs operator Exists; tolerationSeconds needs effect
// NoExecute; Equal (or "") needs a valid label value, Exists an empty value; Lt and Gt are supported
// only with ComparisonOperators, and then need a canonical decimal integer; the effect must be
// empty, NoSchedule, PreferNoSchedule or NoExecute.
func (o TolerationOptions) ValidateTolerations(ts []Toleration, path string) field.List {
	var errs field.List
	for i, t := range ts {
		ip := field.Index(path, i)
		if t.Key != "" {
			errs = append(errs, ValidateLabelKey(t.Key, field.Child(ip, "key"))...)
		}
		if t.Key == "" && t.Operator != TolerationExists {
			errs = append(errs, &field.Error{Path: field.Child(ip, "operator"), Type: field.Invalid, Value: string(t.Operator),
				Detail: "operator must be Exists when `key` is empty, which means \"match all values and all keys\""})
		}
		if t.TolerationSeconds != nil && t.Effect != NoExecute {
			errs = append(errs, &field.Error{Path: field.Child(ip, "effect"), Type: field.Invalid, Value: string(t.Effect),
				Detail: "effect must be 'NoExecute' when `tolerationSeconds` is set"})
		}
		switch t.Operator {
		case "", TolerationEqual:
			for _, m := range labelValueProblems(t.Value) {
				errs = append(errs, &field.Error{Path: field.Child(ip, "operator"), Type: field.Invalid, Value: t.Value, Detail: m})
			}
		case TolerationExists:
			if t.Value != "" {
				errs = append(errs, &field.Error{Path: field.Child(ip, "operator"), Type: field.Invalid, Value: t.Value, Detail: "value must be empty when `operator` is 'Exists'"})
			}
		case TolerationLt, TolerationGt:
			if !o.ComparisonOperators {
				errs = append(errs, &field.Error{Path: field.Child(ip, "operator"), Type: field.Unsupported, Value: string(t.Operator),
					Detail: `supported values: "Equal", "Exists", "Lt", "Gt"`})
				break
			}
			if _, ok := parseCanonicalInt(t.Value); !ok {
				errs = append(errs, &field.Error{Path: field.Child(ip, "value"), Type: field.Invalid, Value: t.Value,
					Detail: "must be a decimal integer within int64, with no leading zeros or '+' sign"})
			}
		default:
			errs = append(errs, &field.Error{Path: field.Child(ip, "operator"), Type: field.Unsupported, Value: string(t.Operator),
				Detail: `supported values: "Equal", "Exists"`})
		}
		switch t.Effect {
		case "", NoSchedule, PreferNoSchedule, NoExecute:
		default:
			errs = append(errs, &field.Error{Path: field.Child(ip, "effect"), Type: field.Unsupported, Value: string(t.Effect),
				Detail: `supported values: "NoExecute", "NoSchedule", "PreferNoSchedule"`})
		}
	}
	return errs
}
