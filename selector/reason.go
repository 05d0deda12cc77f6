package selector

import "strings"

// ReasonKind names the rule a Reason is about.
type ReasonKind string

// The kinds of Reason. ReasonNodeName is not produced here (the template's nodeName is checked by
// the daemonset package) but is defined beside the others so that all placement reasons share one type.
const (
	ReasonNodeName     ReasonKind = "NodeName"     // the template names another node
	ReasonNodeSelector ReasonKind = "NodeSelector" // an entry of the template's nodeSelector map
	ReasonNodeAffinity ReasonKind = "NodeAffinity" // required node affinity
	ReasonTaint        ReasonKind = "Taint"        // a taint that no toleration tolerates
)

// Reason says why a node is not a match, as a value a caller can inspect and as words.
//
// For ReasonNodeSelector, Key is the label, Values holds the one value the nodeSelector wants and
// Operator is OpIn. For ReasonNodeAffinity, Term is the index of the nodeSelectorTerm (-1 when the
// reason is about the affinity as a whole), Field is true for a matchFields requirement, and Key,
// Operator and Values are the requirement. For both, NodeValue is what the node has (its label value,
// or its name for a field) and Present says whether it has it. For ReasonTaint, Taint is the taint.
// Message is the sentence String returns.
type Reason struct {
	Kind      ReasonKind
	Term      int
	Field     bool
	Key       string
	Operator  Operator
	Values    []string
	NodeValue string
	Present   bool
	Taint     *Taint
	Message   string
}

// String returns the reason in words, for example
// `label disktype=hdd does not satisfy disktype in (ssd)` or
// `taint dedicated=gpu:NoSchedule is not tolerated`.
func (r Reason) String() string { return r.Message }

// requirementString prints a requirement in the kubectl syntax (Gt and Lt as k>n and k<n), values
// in the order given.
func requirementString(key string, op Operator, values []string) string {
	switch op {
	case OpExists:
		return key
	case OpDoesNotExist:
		return "!" + key
	case OpGt:
		return key + ">" + strings.Join(values, ",")
	case OpLt:
		return key + "<" + strings.Join(values, ",")
	case OpIn:
		return key + " in (" + strings.Join(values, ",") + ")"
	case OpNotIn:
		return key + " notin (" + strings.Join(values, ",") + ")"
	}
	return key + " " + string(op) + " (" + strings.Join(values, ",") + ")"
}

// taintString prints a taint as kubectl does: key=value:Effect, or key:Effect with no value.
func taintString(t Taint) string {
	var b strings.Builder
	b.WriteString(t.Key)
	if t.Value != "" {
		b.WriteByte('=')
		b.WriteString(t.Value)
	}
	b.WriteByte(':')
	b.WriteString(string(t.Effect))
	return b.String()
}

// String prints the taint as kubectl does: key=value:Effect, or key:Effect when the value is empty.
func (t Taint) String() string { return taintString(t) }
