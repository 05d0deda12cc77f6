package selector

// Operator is the relation a Requirement expresses between a key and its values.
// Label selectors use In, NotIn, Exists and DoesNotExist; node selector terms also use Gt and Lt.
type Operator string

// The operators Kubernetes defines for label and node selector requirements.
const (
	OpIn           Operator = "In"
	OpNotIn        Operator = "NotIn"
	OpExists       Operator = "Exists"
	OpDoesNotExist Operator = "DoesNotExist"
	OpGt           Operator = "Gt"
	OpLt           Operator = "Lt"
)

// Requirement is one clause of a selector: a key, an operator and the values the operator takes.
// It is the shape of both metav1.LabelSelectorRequirement and corev1.NodeSelectorRequirement.
type Requirement struct {
	Key      string
	Operator Operator
	Values   []string
}

// LabelSelector mirrors metav1.LabelSelector: every matchLabels entry and every matchExpressions
// requirement must hold. A nil *LabelSelector selects nothing; a non-nil empty one selects everything.
type LabelSelector struct {
	MatchLabels      map[string]string
	MatchExpressions []Requirement
}

// NodeSelector mirrors corev1.NodeSelector, the form of required node affinity: its terms are ORed.
type NodeSelector struct {
	Terms []NodeSelectorTerm
}

// NodeSelectorTerm mirrors corev1.NodeSelectorTerm: its label expressions and field expressions are ANDed.
// The only node field Kubernetes exposes is metadata.name.
type NodeSelectorTerm struct {
	MatchExpressions []Requirement
	MatchFields      []Requirement
}

// TaintEffect is what a taint does to pods that do not tolerate it.
type TaintEffect string

// The taint effects Kubernetes defines. The empty effect on a toleration matches every effect.
const (
	NoSchedule       TaintEffect = "NoSchedule"
	PreferNoSchedule TaintEffect = "PreferNoSchedule"
	NoExecute        TaintEffect = "NoExecute"
)

// Taint mirrors corev1.Taint for what scheduling decisions read (timeAdded plays no part).
type Taint struct {
	Key    string
	Value  string
	Effect TaintEffect
}

// TolerationOperator is how a toleration compares its value with a taint's.
type TolerationOperator string

// The toleration operators. The empty operator means Equal. Lt and Gt sit behind a feature gate
// that is off by default in Kubernetes v1.37, so they tolerate nothing unless it is turned on.
const (
	TolerationEqual  TolerationOperator = "Equal"
	TolerationExists TolerationOperator = "Exists"
	TolerationLt     TolerationOperator = "Lt"
	TolerationGt     TolerationOperator = "Gt"
)

// Toleration mirrors corev1.Toleration.
type Toleration struct {
	Key               string
	Operator          TolerationOperator
	Value             string
	Effect            TaintEffect
	TolerationSeconds *int64
}
