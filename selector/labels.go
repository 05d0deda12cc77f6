package selector

import (
	"slices"
	"sort"
	"strings"
)

// spelling records how an equality requirement was written, so that String prints it back the
// way upstream does: matchLabels entries and "a=b" print as "a=b", "a==b" as "a==b", "a!=b" as
// "a!=b". Matching ignores it: "=" and "==" behave as In with one value, "!=" as NotIn.
type spelling uint8

const (
	spellNatural      spelling = iota // the operator's own form: "a in (x)", "a notin (x)", "a", "!a", "a>1", "a<1"
	spellEquals                       // a=b
	spellDoubleEquals                 // a==b
	spellNotEquals                    // a!=b
)

// labelReq is one compiled requirement of a label selector.
type labelReq struct {
	key    string
	op     Operator
	spell  spelling
	values []string // as given; String prints them sorted
	num    int64    // the bound of Gt and Lt
	numOK  bool     // false when the bound does not parse (the requirement then matches nothing)
}

func (r *labelReq) hasValue(v string) bool {
	for _, x := range r.values {
		if x == v {
			return true
		}
	}
	return false
}

// matches evaluates r against labels, allocating nothing.
func (r *labelReq) matches(labels map[string]string) bool {
	switch r.op {
	case OpIn:
		v, ok := labels[r.key]
		return ok && r.hasValue(v)
	case OpNotIn:
		v, ok := labels[r.key]
		return !ok || !r.hasValue(v)
	case OpExists:
		_, ok := labels[r.key]
		return ok
	case OpDoesNotExist:
		_, ok := labels[r.key]
		return !ok
	case OpGt, OpLt:
		v, ok := labels[r.key]
		if !ok || !r.numOK {
			return false
		}
		n, ok := parseInt64(v)
		if !ok {
			return false
		}
		if r.op == OpGt {
			return n > r.num
		}
		return n < r.num
	}
	return false
}

// writeTo prints r the way k8s.io/apimachinery/pkg/labels prints a requirement.
func (r *labelReq) writeTo(b *strings.Builder) {
	if r.op == OpDoesNotExist {
		b.WriteByte('!')
	}
	b.WriteString(r.key)
	switch r.op {
	case OpExists, OpDoesNotExist:
		return
	case OpIn, OpNotIn:
		switch r.spell {
		case spellEquals:
			b.WriteString("=")
		case spellDoubleEquals:
			b.WriteString("==")
		case spellNotEquals:
			b.WriteString("!=")
		default:
			if r.op == OpIn {
				b.WriteString(" in (")
			} else {
				b.WriteString(" notin (")
			}
		}
	case OpGt:
		b.WriteString(">")
	case OpLt:
		b.WriteString("<")
	}
	vals := r.values
	if len(vals) > 1 && !slices.IsSorted(vals) {
		vals = slices.Clone(vals)
		slices.Sort(vals)
	}
	for i, v := range vals {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(v)
	}
	if (r.op == OpIn || r.op == OpNotIn) && r.spell == spellNatural {
		b.WriteByte(')')
	}
}

// Selector is a compiled label selector: requirements that must all hold, kept sorted by key.
// It is immutable and safe to share. The zero value selects nothing (like a nil
// metav1.LabelSelector); Everything() selects every label set.
type Selector struct {
	valid bool // false: selects nothing
	reqs  []labelReq
}

// Everything returns the selector that matches every label set, including an empty one.
func Everything() Selector { return Selector{valid: true} }

// Nothing returns the selector that matches no label set. It is the zero Selector.
func Nothing() Selector { return Selector{} }

// byKey sorts requirements by key with sort.Sort, exactly as upstream orders a selector's
// requirements, so that selectors with repeated keys print in upstream's order too.
type byKey []labelReq

func (a byKey) Len() int           { return len(a) }
func (a byKey) Swap(i, j int)      { a[i], a[j] = a[j], a[i] }
func (a byKey) Less(i, j int) bool { return a[i].key < a[j].key }

func newSelector(reqs []labelReq) Selector {
	sort.Sort(byKey(reqs))
	return Selector{valid: true, reqs: reqs}
}

// Matches reports whether every requirement of s holds for labels. A nil map is an empty label
// set. It allocates nothing.
func (s Selector) Matches(labels map[string]string) bool {
	if !s.valid {
		return false
	}
	for i := range s.reqs {
		if !s.reqs[i].matches(labels) {
			return false
		}
	}
	return true
}

// Empty reports whether s selects everything (it has no requirement). Nothing() is not empty.
func (s Selector) Empty() bool { return s.valid && len(s.reqs) == 0 }

// IsNothing reports whether s is the selector that matches nothing.
func (s Selector) IsNothing() bool { return !s.valid }

// String prints s in the kubectl syntax, requirements sorted by key and values sorted, exactly as
// k8s.io/apimachinery/pkg/labels prints a selector; Parse reads it back to an equal selector.
// Everything() and Nothing() both print as "" (as upstream's do); "" parses to Everything().
func (s Selector) String() string {
	var b strings.Builder
	for i := range s.reqs {
		if i > 0 {
			b.WriteByte(',')
		}
		s.reqs[i].writeTo(&b)
	}
	return b.String()
}

// Requirements returns a copy of the requirements of s, sorted by key. An equality written
// "a=b" or "a==b" is reported as In [b], and "a!=b" as NotIn [b]; values are sorted.
func (s Selector) Requirements() []Requirement {
	if len(s.reqs) == 0 {
		return nil
	}
	out := make([]Requirement, len(s.reqs))
	for i, r := range s.reqs {
		vals := slices.Clone(r.values)
		slices.Sort(vals)
		out[i] = Requirement{Key: r.key, Operator: r.op, Values: vals}
	}
	return out
}

// Equal reports whether s and o are the same selector: both select nothing, or both have the same
// requirements — each with the same key, operator, spelling and set of values (value order and
// repeats aside) — in any order. For a selector from Parse or FromLabelSelector, Parse(s.String())
// is Equal to s; Nothing() is not (it prints as "", which parses to Everything()), nor is a FromSet
// selector whose keys or values are not valid labels.
func (s Selector) Equal(o Selector) bool {
	if s.valid != o.valid || len(s.reqs) != len(o.reqs) {
		return false
	}
	a, b := s.canonical(), o.canonical()
	return slices.Equal(a, b)
}

// canonical lists the requirements as comparable strings, sorted.
func (s Selector) canonical() []string {
	out := make([]string, len(s.reqs))
	for i, r := range s.reqs {
		vals := slices.Clone(r.values)
		slices.Sort(vals)
		vals = slices.Compact(vals)
		out[i] = r.key + "\x00" + string(r.op) + "\x00" + string(rune('0'+r.spell)) + "\x00" + strings.Join(vals, "\x00")
	}
	slices.Sort(out)
	return out
}

// FromSet returns the selector that requires every label of set with exactly its value, as
// upstream's labels.SelectorFromSet does: keys and values are not validated, a nil or empty set is
// Everything(), and String prints "k=v" entries in key order.
func FromSet(set map[string]string) Selector {
	reqs := make([]labelReq, 0, len(set))
	for _, k := range sortedKeys(set) {
		reqs = append(reqs, labelReq{key: k, op: OpIn, spell: spellEquals, values: []string{set[k]}})
	}
	return newSelector(reqs)
}
