package selector

import (
	"fmt"
	"slices"
	"strings"
)

// NodeNameField is the one node field a matchFields requirement can name.
const NodeNameField = "metadata.name"

type labelPair struct{ key, value string }

// fieldReq is one compiled matchFields requirement: the node field must (in) or must not (!in)
// equal value.
type fieldReq struct {
	key   string
	in    bool
	value string
}

// nodeTerm is one compiled nodeSelectorTerm. A term with problems never matches.
type nodeTerm struct {
	index    int      // position in NodeSelector.Terms
	problems []string // why the term does not parse; nil when it does
	exprs    []labelReq
	fields   []fieldReq
}

// NodePlacement is the compiled form of a pod template's node constraints: its nodeSelector map
// and its required node affinity, both of which must match. It is immutable; the zero value
// matches every node (no constraints).
type NodePlacement struct {
	selector    []labelPair // sorted by key
	hasAffinity bool
	terms       []nodeTerm // the non-empty terms, in order, parsed or not
	termCount   int        // len(NodeSelector.Terms), empty ones included: Explain names terms when > 1
}

// CompileNodePlacement compiles a nodeSelector map and required node affinity (nil when the pod
// has none) with upstream's matching rules (component-helpers nodeaffinity, lazy errors):
//   - every nodeSelector entry needs the label, with exactly that value; keys and values are not
//     validated;
//   - the affinity's terms are ORed; an empty term is dropped; with no term left nothing matches;
//   - inside a term, matchExpressions and matchFields are ANDed; a term with any invalid
//     requirement never matches, while the other terms are still tried;
//   - matchFields take In or NotIn with exactly one value and compare against the node name
//     (any key other than metadata.name reads as ""); they are skipped for a node with no name.
//
// It never fails: invalid input shows as terms that do not match (ValidateNodeSelector reports it).
func CompileNodePlacement(nodeSelector map[string]string, required *NodeSelector) NodePlacement {
	var p NodePlacement
	for _, k := range sortedKeys(nodeSelector) {
		p.selector = append(p.selector, labelPair{k, nodeSelector[k]})
	}
	if required == nil {
		return p
	}
	p.hasAffinity = true
	p.termCount = len(required.Terms)
	// compileTerm copies what it keeps, so that later changes to required do not reach p.
	for i, t := range required.Terms {
		if len(t.MatchExpressions) == 0 && len(t.MatchFields) == 0 {
			continue
		}
		p.terms = append(p.terms, compileTerm(i, t))
	}
	return p
}

func compileTerm(index int, t NodeSelectorTerm) nodeTerm {
	nt := nodeTerm{index: index}
	for j, r := range t.MatchExpressions {
		lr, problems := compileNodeExpr(r)
		for _, m := range problems {
			nt.problems = append(nt.problems, fmt.Sprintf("matchExpressions[%d]: %s", j, m))
		}
		if problems == nil {
			nt.exprs = append(nt.exprs, lr)
		}
	}
	for j, r := range t.MatchFields {
		switch {
		case r.Operator != OpIn && r.Operator != OpNotIn:
			nt.problems = append(nt.problems, fmt.Sprintf("matchFields[%d]: operator %q is not In or NotIn", j, r.Operator))
		case len(r.Values) != 1:
			nt.problems = append(nt.problems, fmt.Sprintf("matchFields[%d]: needs exactly one value, has %d", j, len(r.Values)))
		default:
			nt.fields = append(nt.fields, fieldReq{key: r.Key, in: r.Operator == OpIn, value: r.Values[0]})
		}
	}
	return nt
}

// compileNodeExpr turns a matchExpressions requirement into a label requirement, with the checks
// labels.NewRequirement makes; problems lists every rule it breaks.
func compileNodeExpr(r Requirement) (labelReq, []string) {
	var problems []string
	switch r.Operator {
	case OpIn, OpNotIn, OpExists, OpDoesNotExist, OpGt, OpLt:
	default:
		return labelReq{}, []string{fmt.Sprintf("operator %q is not one of In, NotIn, Exists, DoesNotExist, Gt, Lt", r.Operator)}
	}
	if msgs := labelKeyProblems(r.Key); msgs != nil {
		problems = append(problems, fmt.Sprintf("key %q: %s", r.Key, strings.Join(msgs, "; ")))
	}
	lr := labelReq{key: r.Key, op: r.Operator, values: slices.Clone(r.Values)}
	switch r.Operator {
	case OpIn, OpNotIn:
		if len(r.Values) == 0 {
			problems = append(problems, "values must not be empty for In and NotIn")
		}
	case OpExists, OpDoesNotExist:
		if len(r.Values) != 0 {
			problems = append(problems, "values must be empty for Exists and DoesNotExist")
		}
	case OpGt, OpLt:
		if len(r.Values) != 1 {
			problems = append(problems, "Gt and Lt need exactly one value")
		}
		for _, v := range r.Values {
			if n, ok := parseInt64(v); ok {
				lr.num, lr.numOK = n, true
			} else {
				problems = append(problems, fmt.Sprintf("value %q is not an integer", v))
			}
		}
	}
	for _, v := range r.Values {
		if msgs := labelValueProblems(v); msgs != nil {
			problems = append(problems, fmt.Sprintf("value %q: %s", v, strings.Join(msgs, "; ")))
		}
	}
	return lr, problems
}

func (f *fieldReq) matches(nodeName string) bool {
	v := ""
	if f.key == NodeNameField {
		v = nodeName
	}
	return (v == f.value) == f.in
}

func (t *nodeTerm) matches(nodeName string, labels map[string]string) bool {
	if t.problems != nil {
		return false
	}
	for i := range t.exprs {
		if !t.exprs[i].matches(labels) {
			return false
		}
	}
	if nodeName == "" {
		return true // upstream's quirk: a node without a name has no fields, and they are not checked
	}
	for i := range t.fields {
		if !t.fields[i].matches(nodeName) {
			return false
		}
	}
	return true
}

// Matches reports whether a node with this name and these labels satisfies both the nodeSelector
// and the required node affinity. It allocates nothing.
func (p NodePlacement) Matches(nodeName string, nodeLabels map[string]string) bool {
	for _, kv := range p.selector {
		if v, ok := nodeLabels[kv.key]; !ok || v != kv.value {
			return false
		}
	}
	return !p.hasAffinity || p.affinityMatches(nodeName, nodeLabels)
}

// MatchesAll reports whether p places no constraint at all (no nodeSelector entry, no affinity).
func (p NodePlacement) MatchesAll() bool { return len(p.selector) == 0 && !p.hasAffinity }

// Explain returns nil when the node matches, and otherwise every rule it fails: each nodeSelector
// entry it lacks (in key order), then, when no affinity term matches, every failing requirement
// of every term (in term order), or why a term never matches.
func (p NodePlacement) Explain(nodeName string, nodeLabels map[string]string) []Reason {
	if p.Matches(nodeName, nodeLabels) {
		return nil
	}
	var out []Reason
	for _, kv := range p.selector {
		v, ok := nodeLabels[kv.key]
		if ok && v == kv.value {
			continue
		}
		r := Reason{Kind: ReasonNodeSelector, Term: -1, Key: kv.key, Operator: OpIn, Values: []string{kv.value}, NodeValue: v, Present: ok}
		if ok {
			r.Message = fmt.Sprintf("label %s=%s does not match nodeSelector %s=%s", kv.key, v, kv.key, kv.value)
		} else {
			r.Message = fmt.Sprintf("node has no label %s (nodeSelector %s=%s)", kv.key, kv.key, kv.value)
		}
		out = append(out, r)
	}
	if !p.hasAffinity || p.affinityMatches(nodeName, nodeLabels) {
		return out
	}
	if len(p.terms) == 0 {
		return append(out, Reason{Kind: ReasonNodeAffinity, Term: -1,
			Message: "required node affinity has no non-empty nodeSelectorTerm, so it matches no node"})
	}
	prefix := func(t *nodeTerm) string {
		if p.termCount > 1 {
			return fmt.Sprintf("nodeSelectorTerms[%d]: ", t.index)
		}
		return ""
	}
	for i := range p.terms {
		t := &p.terms[i]
		if t.problems != nil {
			out = append(out, Reason{Kind: ReasonNodeAffinity, Term: t.index,
				Message: fmt.Sprintf("%sinvalid, so it never matches: %s", prefix(t), strings.Join(t.problems, "; "))})
			continue
		}
		for j := range t.exprs {
			e := &t.exprs[j]
			if e.matches(nodeLabels) {
				continue
			}
			v, ok := nodeLabels[e.key]
			r := Reason{Kind: ReasonNodeAffinity, Term: t.index, Key: e.key, Operator: e.op, Values: slices.Clone(e.values), NodeValue: v, Present: ok}
			req := requirementString(e.key, e.op, e.values)
			switch {
			case !ok && e.op == OpExists:
				r.Message = fmt.Sprintf("%snode has no label %s (node affinity requires it)", prefix(t), e.key)
			case !ok:
				r.Message = fmt.Sprintf("%snode has no label %s (node affinity %s)", prefix(t), e.key, req)
			case e.op == OpDoesNotExist:
				r.Message = fmt.Sprintf("%slabel %s=%s is present (node affinity %s)", prefix(t), e.key, v, req)
			case e.op == OpGt || e.op == OpLt:
				if _, isNum := parseInt64(v); !isNum {
					r.Message = fmt.Sprintf("%slabel %s=%s is not an integer (node affinity %s)", prefix(t), e.key, v, req)
					break
				}
				r.Message = fmt.Sprintf("%slabel %s=%s does not satisfy %s", prefix(t), e.key, v, req)
			default:
				r.Message = fmt.Sprintf("%slabel %s=%s does not satisfy %s", prefix(t), e.key, v, req)
			}
			out = append(out, r)
		}
		if nodeName == "" {
			continue
		}
		for j := range t.fields {
			f := &t.fields[j]
			if f.matches(nodeName) {
				continue
			}
			op := OpIn
			if !f.in {
				op = OpNotIn
			}
			v := ""
			if f.key == NodeNameField {
				v = nodeName
			}
			out = append(out, Reason{Kind: ReasonNodeAffinity, Term: t.index, Field: true, Key: f.key, Operator: op,
				Values: []string{f.value}, NodeValue: v, Present: f.key == NodeNameField,
				Message: fmt.Sprintf("%sfield %s=%s does not satisfy %s", prefix(t), f.key, v, requirementString(f.key, op, []string{f.value}))})
		}
	}
	return out
}

func (p NodePlacement) affinityMatches(nodeName string, nodeLabels map[string]string) bool {
	for i := range p.terms {
		if p.terms[i].matches(nodeName, nodeLabels) {
			return true
		}
	}
	return false
}
