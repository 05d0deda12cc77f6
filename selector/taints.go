package selector

import "fmt"

// TolerationOptions are the switches upstream puts behind feature gates. The zero value is
// Kubernetes v1.37's default.
type TolerationOptions struct {
	// ComparisonOperators turns on the Lt and Gt toleration operators (the
	// TaintTolerationComparisonOperators gate, off by default). When off they tolerate nothing.
	ComparisonOperators bool
}

// ToleratesTaint reports whether t tolerates taint, with upstream's rules and default gates:
// an empty effect matches every effect, an empty key every key; Equal (or an empty operator) needs
// equal values, Exists ignores the value; Lt and Gt tolerate nothing; any other operator nothing.
func ToleratesTaint(t Toleration, taint Taint) bool {
	return TolerationOptions{}.ToleratesTaint(t, taint)
}

// ToleratesTaint is the package-level ToleratesTaint under these options. With ComparisonOperators
// on, Lt tolerates a taint whose value is less than the toleration's, and Gt one whose value is
// greater; both values must be canonical decimal integers within int64 ("-" allowed, no "+", no
// leading zero), else nothing is tolerated.
func (o TolerationOptions) ToleratesTaint(t Toleration, taint Taint) bool {
	c := o.compile(t)
	return c.tolerates(&taint)
}

// parseCanonicalInt accepts what upstream's IsDecimalInteger and ParseInt both accept: "0", or an
// optional '-' and digits that do not start with 0, within int64.
func parseCanonicalInt(s string) (int64, bool) {
	digits := s
	if len(digits) > 0 && digits[0] == '-' {
		digits = digits[1:]
	}
	if digits == "" || digits[0] == '+' || digits[0] == '0' && (len(digits) > 1 || len(s) != len(digits)) {
		return 0, false
	}
	return parseInt64(s)
}

// tolKind is a toleration's operator, decided once at compile time.
type tolKind uint8

const (
	tolNever tolKind = iota // an unknown operator, or Lt/Gt with the gate off or a bad bound
	tolEqual
	tolExists
	tolLt
	tolGt
)

// compiledToleration is a toleration reduced to what matching reads.
type compiledToleration struct {
	key, value string
	effect     TaintEffect
	kind       tolKind
	bound      int64 // the toleration's value for Lt and Gt
}

func (c *compiledToleration) tolerates(taint *Taint) bool {
	if c.effect != "" && c.effect != taint.Effect || c.key != "" && c.key != taint.Key {
		return false
	}
	switch c.kind {
	case tolEqual:
		return c.value == taint.Value
	case tolExists:
		return true
	case tolLt, tolGt:
		have, ok := parseCanonicalInt(taint.Value)
		if !ok {
			return false
		}
		if c.kind == tolLt {
			return have < c.bound
		}
		return have > c.bound
	}
	return false
}

// TolerationSet is a compiled list of tolerations. It is immutable; the zero value tolerates nothing.
type TolerationSet struct {
	ts       []Toleration
	compiled []compiledToleration
}

// CompileTolerations copies ts into a set, with the default gates.
func CompileTolerations(ts []Toleration) TolerationSet {
	return TolerationOptions{}.CompileTolerations(ts)
}

// CompileTolerations copies ts into a set that applies these options.
func (o TolerationOptions) CompileTolerations(ts []Toleration) TolerationSet {
	s := TolerationSet{ts: make([]Toleration, len(ts)), compiled: make([]compiledToleration, len(ts))}
	for i, t := range ts {
		t.TolerationSeconds = cloneSeconds(t.TolerationSeconds)
		s.ts[i] = t
		s.compiled[i] = o.compile(t)
	}
	return s
}

// compile reduces t to what matching reads under these options; ToleratesTaint and TolerationSet
// share it, so that the two cannot drift apart.
func (o TolerationOptions) compile(t Toleration) compiledToleration {
	c := compiledToleration{key: t.Key, value: t.Value, effect: t.Effect}
	switch t.Operator {
	case "", TolerationEqual:
		c.kind = tolEqual
	case TolerationExists:
		c.kind = tolExists
	case TolerationLt, TolerationGt:
		if n, ok := parseCanonicalInt(t.Value); ok && o.ComparisonOperators {
			c.kind, c.bound = tolLt, n
			if t.Operator == TolerationGt {
				c.kind = tolGt
			}
		}
	}
	return c
}

// Tolerations returns a copy of the tolerations in the set, in the order given.
func (s TolerationSet) Tolerations() []Toleration {
	out := make([]Toleration, len(s.ts))
	for i, t := range s.ts {
		t.TolerationSeconds = cloneSeconds(t.TolerationSeconds)
		out[i] = t
	}
	return out
}

// Tolerates reports whether some toleration in s tolerates taint. It allocates nothing.
func (s TolerationSet) Tolerates(taint Taint) bool { return s.tolerates(&taint) }

func (s TolerationSet) tolerates(taint *Taint) bool {
	for i := range s.compiled {
		if s.compiled[i].tolerates(taint) {
			return true
		}
	}
	return false
}

// CheckTaints gives the DaemonSet controller's two answers for a node's taints (steps 3 and 4 of
// its eligibility check): schedule is true when every NoSchedule and NoExecute taint is tolerated
// (a new daemon pod may be placed), keep when every NoExecute taint is tolerated (a running daemon
// pod may stay). PreferNoSchedule taints and unknown effects count for neither. It allocates nothing.
func (s TolerationSet) CheckTaints(taints []Taint) (schedule, keep bool) {
	schedule, keep = true, true
	for i := range taints {
		t := &taints[i]
		if t.Effect != NoSchedule && t.Effect != NoExecute {
			continue
		}
		if s.tolerates(t) {
			continue
		}
		schedule = false
		if t.Effect == NoExecute {
			return false, false
		}
	}
	return schedule, keep
}

// ExplainTaints returns a ReasonTaint for every NoSchedule or NoExecute taint that s does not
// tolerate, in the order of taints; nil when there is none.
func (s TolerationSet) ExplainTaints(taints []Taint) []Reason {
	var out []Reason
	for _, t := range taints {
		if t.Effect != NoSchedule && t.Effect != NoExecute || s.Tolerates(t) {
			continue
		}
		tc := t
		out = append(out, Reason{Kind: ReasonTaint, Term: -1, Key: t.Key, Taint: &tc,
			Message: fmt.Sprintf("taint %s is not tolerated", taintString(t))})
	}
	return out
}
