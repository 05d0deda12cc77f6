package selector

import (
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"pgregory.net/rapid"
)

// Generators draw from small alphabets so that keys and values collide often.

var (
	genKey   = rapid.SampledFrom([]string{"a", "b", "app", "tier", "example.com/zone", "x.y/z_1", "in", "notin"})
	genValue = rapid.SampledFrom([]string{"", "a", "b", "web", "1", "7", "007", "12", "-3", "x.y"})
)

func genLabels(t *rapid.T, name string) map[string]string {
	return rapid.MapOfN(genKey, genValue, 0, 6).Draw(t, name)
}

// genLabelSelector draws a valid metav1-style selector.
func genLabelSelector(t *rapid.T) *LabelSelector {
	ls := &LabelSelector{MatchLabels: rapid.MapOfN(genKey, rapid.SampledFrom([]string{"", "a", "web", "1"}), 0, 3).Draw(t, "matchLabels")}
	n := rapid.IntRange(0, 4).Draw(t, "nexpr")
	for i := 0; i < n; i++ {
		op := rapid.SampledFrom([]Operator{OpIn, OpNotIn, OpExists, OpDoesNotExist}).Draw(t, "op")
		r := Requirement{Key: genKey.Draw(t, "key"), Operator: op}
		if op == OpIn || op == OpNotIn {
			r.Values = rapid.SliceOfN(rapid.SampledFrom([]string{"", "a", "b", "web", "1"}), 1, 3).Draw(t, "values")
		}
		ls.MatchExpressions = append(ls.MatchExpressions, r)
	}
	return ls
}

// refInt is the reference reading of an integer: strconv.ParseInt itself.
func refInt(s string) (int64, bool) {
	n, err := strconv.ParseInt(s, 10, 64)
	return n, err == nil
}

// refRequirement is a naive, independent reading of one requirement against labels.
func refRequirement(r Requirement, labels map[string]string) bool {
	v, ok := labels[r.Key]
	switch r.Operator {
	case OpIn:
		return ok && slices.Contains(r.Values, v)
	case OpNotIn:
		return !ok || !slices.Contains(r.Values, v)
	case OpExists:
		return ok
	case OpDoesNotExist:
		return !ok
	case OpGt, OpLt:
		if !ok || len(r.Values) != 1 {
			return false
		}
		have, ok1 := refInt(v)
		want, ok2 := refInt(r.Values[0])
		if !ok1 || !ok2 {
			return false
		}
		if r.Operator == OpGt {
			return have > want
		}
		return have < want
	}
	return false
}

func refLabelSelector(ls *LabelSelector, labels map[string]string) bool {
	if ls == nil {
		return false
	}
	for k, v := range ls.MatchLabels {
		if have, ok := labels[k]; !ok || have != v {
			return false
		}
	}
	for _, r := range ls.MatchExpressions {
		if !refRequirement(r, labels) {
			return false
		}
	}
	return true
}

// genSelectorString writes a random selector in the kubectl syntax, with random spacing and every
// spelling, and returns the requirements it means.
func genSelectorString(t *rapid.T) (string, []Requirement) {
	n := rapid.IntRange(0, 5).Draw(t, "n")
	var parts []string
	var reqs []Requirement
	sp := func() string { return rapid.SampledFrom([]string{"", " ", "  ", "\t"}).Draw(t, "space") }
	for i := 0; i < n; i++ {
		key := genKey.Draw(t, "key")
		switch form := rapid.IntRange(0, 7).Draw(t, "form"); form {
		case 0, 1, 2: // =, ==, !=
			v := genValue.Draw(t, "v")
			if strings.HasPrefix(v, "-") {
				v = "b"
			}
			sym := []string{"=", "==", "!="}[form]
			parts = append(parts, key+sp()+sym+sp()+v)
			op := OpIn
			if form == 2 {
				op = OpNotIn
			}
			reqs = append(reqs, Requirement{Key: key, Operator: op, Values: []string{v}})
		case 3, 4: // in, notin
			vals := rapid.SliceOfN(rapid.SampledFrom([]string{"", "a", "b", "web", "1"}), 1, 4).Draw(t, "vals")
			word := []string{"in", "notin"}[form-3]
			parts = append(parts, key+" "+word+sp()+"("+strings.Join(vals, ","+sp())+")")
			op := []Operator{OpIn, OpNotIn}[form-3]
			reqs = append(reqs, Requirement{Key: key, Operator: op, Values: vals})
		case 5:
			parts = append(parts, key)
			reqs = append(reqs, Requirement{Key: key, Operator: OpExists})
		case 6:
			parts = append(parts, "!"+sp()+key)
			reqs = append(reqs, Requirement{Key: key, Operator: OpDoesNotExist})
		case 7:
			v := rapid.SampledFrom([]string{"0", "1", "7", "007", "12"}).Draw(t, "bound")
			sym := rapid.SampledFrom([]string{">", "<"}).Draw(t, "sym")
			parts = append(parts, key+sp()+sym+sp()+v)
			op := OpGt
			if sym == "<" {
				op = OpLt
			}
			reqs = append(reqs, Requirement{Key: key, Operator: op, Values: []string{v}})
		}
	}
	return sp() + strings.Join(parts, sp()+","+sp()) + sp(), reqs
}

func TestPropertyParseRoundTrip(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		in, _ := genSelectorString(t)
		s, err := Parse(in)
		if err != nil {
			t.Fatalf("Parse(%q): %v", in, err)
		}
		out := s.String()
		back, err := Parse(out)
		if err != nil {
			t.Fatalf("Parse(String()) of %q = %q: %v", in, out, err)
		}
		if !back.Equal(s) {
			t.Fatalf("%q printed as %q, which parses to a different selector %q", in, out, back.String())
		}
		if back.String() != out {
			t.Fatalf("String is not stable: %q then %q", out, back.String())
		}
	})
}

func TestPropertyFromLabelSelectorRoundTrip(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		ls := genLabelSelector(t)
		s, err := FromLabelSelector(ls)
		if err != nil {
			t.Fatalf("valid selector rejected: %v", err)
		}
		back, err := Parse(s.String())
		if err != nil {
			t.Fatalf("Parse(%q): %v", s.String(), err)
		}
		if !back.Equal(s) {
			t.Fatalf("%q does not round trip", s.String())
		}
		labels := genLabels(t, "labels")
		if back.Matches(labels) != s.Matches(labels) {
			t.Fatalf("%q: reparsed selector disagrees on %v", s.String(), labels)
		}
	})
}

func TestPropertyMatchesReference(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		labels := genLabels(t, "labels")
		in, reqs := genSelectorString(t)
		s, err := Parse(in)
		if err != nil {
			t.Fatalf("Parse(%q): %v", in, err)
		}
		want := true
		for _, r := range reqs {
			want = want && refRequirement(r, labels)
		}
		if got := s.Matches(labels); got != want {
			t.Fatalf("Parse(%q).Matches(%v) = %v, reference says %v", in, labels, got, want)
		}

		ls := genLabelSelector(t)
		fs, err := FromLabelSelector(ls)
		if err != nil {
			t.Fatal(err)
		}
		if got, want := fs.Matches(labels), refLabelSelector(ls, labels); got != want {
			t.Fatalf("FromLabelSelector(%+v).Matches(%v) = %v, reference says %v", ls, labels, got, want)
		}
	})
}

func TestPropertyOrderDoesNotMatter(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		labels := genLabels(t, "labels")
		ls := genLabelSelector(t)
		a, err := FromLabelSelector(ls)
		if err != nil {
			t.Fatal(err)
		}
		// The same selector, expressions shuffled and matchLabels rebuilt in another insertion order.
		shuffled := &LabelSelector{MatchLabels: map[string]string{}, MatchExpressions: rapid.Permutation(ls.MatchExpressions).Draw(t, "perm")}
		keys := rapid.Permutation(sortedKeys(ls.MatchLabels)).Draw(t, "keys")
		for _, k := range keys {
			shuffled.MatchLabels[k] = ls.MatchLabels[k]
		}
		b, err := FromLabelSelector(shuffled)
		if err != nil {
			t.Fatal(err)
		}
		if a.Matches(labels) != b.Matches(labels) || !a.Equal(b) {
			t.Fatalf("order changed the selector: %q vs %q", a.String(), b.String())
		}
		if len(ls.MatchExpressions) == len(uniqueKeys(ls)) && a.String() != b.String() {
			t.Fatalf("with distinct keys the print must not depend on order: %q vs %q", a.String(), b.String())
		}

		// Node placement: shuffled terms and requirements inside them.
		ns, nodeLabels, nodeName := genNodeSelector(t), genLabels(t, "nodeLabels"), rapid.SampledFrom([]string{"", "n1", "n2"}).Draw(t, "name")
		p := CompileNodePlacement(ls.MatchLabels, ns)
		var ns2 *NodeSelector
		if ns != nil {
			ns2 = &NodeSelector{Terms: rapid.Permutation(ns.Terms).Draw(t, "terms")}
			for i := range ns2.Terms {
				ns2.Terms[i] = NodeSelectorTerm{
					MatchExpressions: rapid.Permutation(ns2.Terms[i].MatchExpressions).Draw(t, "e"),
					MatchFields:      rapid.Permutation(ns2.Terms[i].MatchFields).Draw(t, "f"),
				}
			}
		}
		p2 := CompileNodePlacement(shuffled.MatchLabels, ns2)
		if p.Matches(nodeName, nodeLabels) != p2.Matches(nodeName, nodeLabels) {
			t.Fatalf("term order changed the placement answer")
		}
		if (p.Explain(nodeName, nodeLabels) == nil) != (p2.Explain(nodeName, nodeLabels) == nil) {
			t.Fatalf("term order changed whether Explain finds reasons")
		}

		// Tolerations: any order gives the same answers.
		tols, taints := genTolerations(t), genTaints(t)
		s1 := CompileTolerations(tols)
		s2 := CompileTolerations(rapid.Permutation(tols).Draw(t, "tperm"))
		sc1, k1 := s1.CheckTaints(taints)
		sc2, k2 := s2.CheckTaints(rapid.Permutation(taints).Draw(t, "taintperm"))
		if sc1 != sc2 || k1 != k2 {
			t.Fatalf("toleration or taint order changed CheckTaints")
		}
		if len(s1.ExplainTaints(taints)) != len(s2.ExplainTaints(taints)) {
			t.Fatalf("toleration order changed ExplainTaints")
		}
	})
}

func uniqueKeys(ls *LabelSelector) map[string]bool {
	m := map[string]bool{}
	for k := range ls.MatchLabels {
		m[k] = true
	}
	for _, r := range ls.MatchExpressions {
		m[r.Key] = true
	}
	if len(m) != len(ls.MatchLabels)+len(ls.MatchExpressions) {
		return nil
	}
	return m
}

// Node placement: a reference evaluator written from section 1.3, independent of the package's
// own validation (it uses regular expressions for keys and values).

var (
	refNameRE   = regexp.MustCompile(`^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$`)
	refPrefixRE = regexp.MustCompile(`^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$`)
)

func refValidKey(k string) bool {
	parts := strings.Split(k, "/")
	name := parts[0]
	switch len(parts) {
	case 1:
	case 2:
		if len(parts[0]) > 253 || !refPrefixRE.MatchString(parts[0]) {
			return false
		}
		name = parts[1]
	default:
		return false
	}
	return len(name) <= 63 && refNameRE.MatchString(name)
}

func refValidValue(v string) bool { return v == "" || len(v) <= 63 && refNameRE.MatchString(v) }

func refTermParses(term NodeSelectorTerm) bool {
	for _, r := range term.MatchExpressions {
		if !refValidKey(r.Key) {
			return false
		}
		for _, v := range r.Values {
			if !refValidValue(v) {
				return false
			}
		}
		switch r.Operator {
		case OpIn, OpNotIn:
			if len(r.Values) == 0 {
				return false
			}
		case OpExists, OpDoesNotExist:
			if len(r.Values) != 0 {
				return false
			}
		case OpGt, OpLt:
			if len(r.Values) != 1 {
				return false
			}
			if _, ok := refInt(r.Values[0]); !ok {
				return false
			}
		default:
			return false
		}
	}
	for _, r := range term.MatchFields {
		if (r.Operator != OpIn && r.Operator != OpNotIn) || len(r.Values) != 1 {
			return false
		}
	}
	return true
}

func refPlacement(nodeSelector map[string]string, ns *NodeSelector, nodeName string, labels map[string]string) bool {
	for k, v := range nodeSelector {
		if have, ok := labels[k]; !ok || have != v {
			return false
		}
	}
	if ns == nil {
		return true
	}
	for _, term := range ns.Terms {
		if len(term.MatchExpressions) == 0 && len(term.MatchFields) == 0 || !refTermParses(term) {
			continue
		}
		ok := true
		for _, r := range term.MatchExpressions {
			ok = ok && refRequirement(r, labels)
		}
		if nodeName != "" {
			for _, r := range term.MatchFields {
				field := ""
				if r.Key == "metadata.name" {
					field = nodeName
				}
				ok = ok && (field == r.Values[0]) == (r.Operator == OpIn)
			}
		}
		if ok {
			return true
		}
	}
	return false
}

func genNodeSelector(t *rapid.T) *NodeSelector {
	if rapid.IntRange(0, 4).Draw(t, "nilAffinity") == 0 {
		return nil
	}
	ns := &NodeSelector{}
	anyValue := rapid.SampledFrom([]string{"", "a", "web", "1", "7", "007", "-3", "+1", "bad value"})
	for i := rapid.IntRange(0, 3).Draw(t, "terms"); i > 0; i-- {
		var term NodeSelectorTerm
		for j := rapid.IntRange(0, 3).Draw(t, "exprs"); j > 0; j-- {
			term.MatchExpressions = append(term.MatchExpressions, Requirement{
				Key:      rapid.SampledFrom([]string{"a", "app", "example.com/zone", "-bad"}).Draw(t, "key"),
				Operator: rapid.SampledFrom([]Operator{OpIn, OpNotIn, OpExists, OpDoesNotExist, OpGt, OpLt, "Bogus"}).Draw(t, "op"),
				Values:   rapid.SliceOfN(anyValue, 0, 2).Draw(t, "values"),
			})
		}
		for j := rapid.IntRange(0, 2).Draw(t, "fields"); j > 0; j-- {
			term.MatchFields = append(term.MatchFields, Requirement{
				Key:      rapid.SampledFrom([]string{"metadata.name", "metadata.foo"}).Draw(t, "fkey"),
				Operator: rapid.SampledFrom([]Operator{OpIn, OpNotIn, OpExists}).Draw(t, "fop"),
				Values:   rapid.SliceOfN(rapid.SampledFrom([]string{"", "n1", "n2"}), 0, 2).Draw(t, "fvalues"),
			})
		}
		ns.Terms = append(ns.Terms, term)
	}
	return ns
}

func TestPropertyNodePlacementReference(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		nodeSel := rapid.MapOfN(genKey, genValue, 0, 2).Draw(t, "nodeSelector")
		ns := genNodeSelector(t)
		labels := genLabels(t, "labels")
		name := rapid.SampledFrom([]string{"", "n1", "n2"}).Draw(t, "name")
		p := CompileNodePlacement(nodeSel, ns)
		want := refPlacement(nodeSel, ns, name, labels)
		if got := p.Matches(name, labels); got != want {
			t.Fatalf("Matches = %v, reference %v (nodeSelector %v, affinity %+v, node %q %v)", got, want, nodeSel, ns, name, labels)
		}
		if (p.Explain(name, labels) == nil) != want {
			t.Fatalf("Explain disagrees with Matches")
		}
	})
}

func genTolerations(t *rapid.T) []Toleration {
	return rapid.SliceOfN(rapid.Custom(func(t *rapid.T) Toleration {
		return Toleration{
			Key:      rapid.SampledFrom([]string{"", "a", "b", TaintNodeNotReady}).Draw(t, "key"),
			Operator: rapid.SampledFrom([]TolerationOperator{"", TolerationEqual, TolerationExists, TolerationLt, "Bogus"}).Draw(t, "op"),
			Value:    rapid.SampledFrom([]string{"", "x", "1"}).Draw(t, "value"),
			Effect:   rapid.SampledFrom([]TaintEffect{"", NoSchedule, NoExecute, PreferNoSchedule}).Draw(t, "effect"),
		}
	}), 0, 5).Draw(t, "tolerations")
}

func genTaints(t *rapid.T) []Taint {
	return rapid.SliceOfN(rapid.Custom(func(t *rapid.T) Taint {
		return Taint{
			Key:    rapid.SampledFrom([]string{"a", "b", TaintNodeNotReady}).Draw(t, "key"),
			Value:  rapid.SampledFrom([]string{"", "x", "1"}).Draw(t, "value"),
			Effect: rapid.SampledFrom([]TaintEffect{NoSchedule, NoExecute, PreferNoSchedule}).Draw(t, "effect"),
		}
	}), 0, 4).Draw(t, "taints")
}

// TestPropertyCheckTaintsReference: CheckTaints agrees with its definition in terms of
// ToleratesTaint, and the merged daemon tolerations tolerate exactly what the template plus the
// defaults tolerate (the merge never changes eligibility).
func TestPropertyCheckTaintsReference(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		tols, taints := genTolerations(t), genTaints(t)
		tolerated := func(ts []Toleration, taint Taint) bool {
			for _, tol := range ts {
				if ToleratesTaint(tol, taint) {
					return true
				}
			}
			return false
		}
		wantSched, wantKeep := true, true
		for _, taint := range taints {
			if (taint.Effect == NoSchedule || taint.Effect == NoExecute) && !tolerated(tols, taint) {
				wantSched = false
				if taint.Effect == NoExecute {
					wantKeep = false
				}
			}
		}
		sched, keep := CompileTolerations(tols).CheckTaints(taints)
		if sched != wantSched || keep != wantKeep {
			t.Fatalf("CheckTaints = (%v,%v), want (%v,%v)", sched, keep, wantSched, wantKeep)
		}
		hostNetwork := rapid.Bool().Draw(t, "hostNetwork")
		merged := DaemonTolerations(tols, hostNetwork)
		plain := append(slices.Clone(tols), DefaultDaemonTolerations(hostNetwork)...)
		for _, taint := range taints {
			if tolerated(merged, taint) != tolerated(plain, taint) {
				t.Fatalf("the merge changed whether %v is tolerated", taint)
			}
		}
		if len(merged) < len(tols) || len(merged) > len(tols)+len(DefaultDaemonTolerations(hostNetwork)) {
			t.Fatalf("merged length %d out of range", len(merged))
		}
	})
}
