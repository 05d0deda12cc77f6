package selector

import (
	"strings"
	"testing"

	"github.com/daemonkit/daemonkit/internal/field"
)

// FuzzParse: no input panics; an accepted selector prints to a string that parses back to an
// equal selector with the same print, and matching agrees between the two.
func FuzzParse(f *testing.F) {
	for _, c := range parseCases {
		f.Add(c.in)
	}
	f.Add("x in (a,,b),y,!z,w>3,v<007")
	f.Add("a\x00=b")
	f.Fuzz(func(t *testing.T, in string) {
		s, err := Parse(in)
		if err != nil {
			if s.Matches(nil) || !s.IsNothing() {
				t.Fatalf("a failed Parse must return Nothing()")
			}
			if !strings.Contains(err.Error(), "offset") {
				t.Fatalf("error without a position: %v", err)
			}
			return
		}
		out := s.String()
		back, err := Parse(out)
		if err != nil {
			t.Fatalf("Parse(%q) printed %q, which does not parse: %v", in, out, err)
		}
		if !back.Equal(s) || back.String() != out {
			t.Fatalf("Parse(%q) printed %q, which parses to %q", in, out, back.String())
		}
		labels := map[string]string{}
		for _, r := range s.Requirements() {
			if len(r.Values) > 0 {
				labels[r.Key] = r.Values[0]
			}
		}
		if s.Matches(labels) != back.Matches(labels) {
			t.Fatalf("%q and its reprint disagree on %v", in, labels)
		}
	})
}

// fuzzReader turns fuzz bytes into small choices, so that one fuzz input describes a structure.
type fuzzReader struct {
	b []byte
	i int
}

func (r *fuzzReader) pick(n int) int {
	if r.i >= len(r.b) || n <= 0 {
		return 0
	}
	v := int(r.b[r.i]) % n
	r.i++
	return v
}

// str returns one of a few interesting strings, or a raw slice of the input.
func (r *fuzzReader) str() string {
	words := []string{"", "a", "app", "example.com/zone", "-bad", "x/y/z", "1", "007", "+1", "-1", "metadata.name", "n1", "9223372036854775808", "In"}
	if k := r.pick(len(words) + 1); k < len(words) {
		return words[k]
	}
	n := r.pick(8)
	end := min(r.i+n, len(r.b))
	s := string(r.b[r.i:end])
	r.i = end
	return s
}

func (r *fuzzReader) reqs() []Requirement {
	ops := []Operator{OpIn, OpNotIn, OpExists, OpDoesNotExist, OpGt, OpLt, "", "in"}
	var out []Requirement
	for n := r.pick(4); n > 0; n-- {
		q := Requirement{Key: r.str(), Operator: ops[r.pick(len(ops))]}
		for m := r.pick(3); m > 0; m-- {
			q.Values = append(q.Values, r.str())
		}
		out = append(out, q)
	}
	return out
}

func (r *fuzzReader) labels() map[string]string {
	m := map[string]string{}
	for n := r.pick(4); n > 0; n-- {
		m[r.str()] = r.str()
	}
	return m
}

// FuzzValidateLabelSelector: validation never panics, FromLabelSelector fails exactly when
// validation reports a problem, every error has a path under the one given, and an accepted
// selector round-trips through its string form.
func FuzzValidateLabelSelector(f *testing.F) {
	f.Add([]byte{})
	f.Add([]byte{1, 2, 3, 4, 5, 6, 7, 8, 9, 10})
	f.Add([]byte("\x03\x01\x02\x0e\xffweird key\x05\x00\x01\x07"))
	f.Fuzz(func(t *testing.T, data []byte) {
		r := &fuzzReader{b: data}
		ls := &LabelSelector{MatchLabels: r.labels(), MatchExpressions: r.reqs()}
		errs := ValidateLabelSelector(ls, "spec.selector")
		for _, e := range errs {
			if !strings.HasPrefix(e.Path, "spec.selector.") || e.Detail == "" && e.Type != field.Required {
				t.Fatalf("bad error %v", e)
			}
		}
		s, err := FromLabelSelector(ls)
		if (err == nil) != (len(errs) == 0) {
			t.Fatalf("FromLabelSelector error %v, validation %v", err, errs)
		}
		if err != nil {
			return
		}
		back, err := Parse(s.String())
		if err != nil || !back.Equal(s) {
			t.Fatalf("%q does not round trip: %v", s.String(), err)
		}
		labels := r.labels()
		if s.Matches(labels) != back.Matches(labels) {
			t.Fatalf("%q and its reprint disagree", s.String())
		}
	})
}

// FuzzNodePlacement: compiling and matching any node constraints never panics, Explain agrees
// with Matches, and a node selector that validates has no term that fails to parse, unless a Gt or
// Lt value is not an int64 (API validation does not check that; the matcher does).
func FuzzNodePlacement(f *testing.F) {
	f.Add([]byte{})
	f.Add([]byte{2, 1, 1, 3, 0, 1, 2, 1, 1, 10, 0, 1, 1, 12})
	f.Add([]byte("\x01\x02\x01\x02\x04\x01\x07\x01\x05\x02\x00\x01\x03"))
	f.Fuzz(func(t *testing.T, data []byte) {
		r := &fuzzReader{b: data}
		nodeSel := r.labels()
		var ns *NodeSelector
		if r.pick(4) != 0 {
			ns = &NodeSelector{}
			for n := r.pick(4); n > 0; n-- {
				ns.Terms = append(ns.Terms, NodeSelectorTerm{MatchExpressions: r.reqs(), MatchFields: r.reqs()})
			}
		}
		name, labels := r.str(), r.labels()
		p := CompileNodePlacement(nodeSel, ns)
		got := p.Matches(name, labels)
		reasons := p.Explain(name, labels)
		if got != (reasons == nil) {
			t.Fatalf("Matches %v but Explain %v", got, reasons)
		}
		for _, rs := range reasons {
			if rs.String() == "" || rs.Kind == "" {
				t.Fatalf("empty reason %+v", rs)
			}
		}
		if ns != nil && len(ValidateNodeSelector(ns, "aff")) == 0 && !hasNonIntegerBound(ns) {
			for _, term := range p.terms {
				if term.problems != nil {
					t.Fatalf("a valid node selector has an unparsable term: %v", term.problems)
				}
			}
		}
	})
}

func hasNonIntegerBound(ns *NodeSelector) bool {
	for _, term := range ns.Terms {
		for _, r := range term.MatchExpressions {
			if r.Operator != OpGt && r.Operator != OpLt {
				continue
			}
			for _, v := range r.Values {
				if _, ok := parseInt64(v); !ok {
					return true
				}
			}
		}
	}
	return false
}
