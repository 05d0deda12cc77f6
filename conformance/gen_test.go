package conformance_test

import (
	"math/rand/v2"
	"strings"
)

// Pools the random generators draw from. They mix valid and invalid spellings on purpose, so
// that accept/reject decisions are exercised as much as matching.
var (
	validKeys   = []string{"a", "b", "app", "tier", "zone", "k8s.io/app", "x.y/z-1", "A_b.c", "n1", "disktype"}
	invalidKeys = []string{"", "-a", "a-", "a/", "/a", "a b", "a/b/c", "UP.Case/x", "k@y", strings.Repeat("k", 64),
		strings.Repeat("p", 254) + "/k", "a/" + strings.Repeat("n", 64), "café"}
	validValues   = []string{"", "v", "v1", "1", "7", "007", "42", "a.b_c-d", "prod", "ssd", "Z9"}
	invalidValues = []string{"-1", "+1", "-bad", "bad-", "with space", "x/y", strings.Repeat("v", 64), "é", ".v"}
	intValues     = []string{"0", "1", "5", "10", "-3", "+2", "007", "9223372036854775807", "99999999999999999999", "x"}
)

func pick[T any](r *rand.Rand, xs []T) T { return xs[r.IntN(len(xs))] }

// key draws a label key, invalid with probability pInvalid.
func key(r *rand.Rand, pInvalid float64) string {
	if r.Float64() < pInvalid {
		return pick(r, invalidKeys)
	}
	return pick(r, validKeys)
}

// value draws a label value, invalid with probability pInvalid.
func value(r *rand.Rand, pInvalid float64) string {
	if r.Float64() < pInvalid {
		return pick(r, invalidValues)
	}
	return pick(r, validValues)
}

// labelSet draws a label set over mostly valid keys, with integer-looking values now and then so
// that Gt and Lt have something to compare.
func labelSet(r *rand.Rand) map[string]string {
	n := r.IntN(5)
	if n == 0 && r.IntN(2) == 0 {
		return nil
	}
	m := make(map[string]string, n)
	for range n {
		k := key(r, 0.05)
		if r.IntN(3) == 0 {
			m[k] = pick(r, intValues)
		} else {
			m[k] = value(r, 0.05)
		}
	}
	return m
}

// selectorString draws a kubectl selector string: usually a list of well-formed requirements
// with random spacing, sometimes a soup of tokens that the parser must reject or accept exactly
// as upstream does.
func selectorString(r *rand.Rand) string {
	if r.IntN(4) == 0 {
		frags := []string{"a", "b", "app", "=", "==", "!=", "!", "in", "notin", "(", ")", ",", " ", ">", "<", "5",
			"x", "\t", "\x00", "é", "-1", "k8s.io/app", "", "  ", "\n", "in(", "!a"}
		var b strings.Builder
		for range r.IntN(9) {
			b.WriteString(pick(r, frags))
		}
		return b.String()
	}
	sp := func() string { return pick(r, []string{"", "", " ", "  ", "\t"}) }
	var reqs []string
	for range r.IntN(4) {
		k := key(r, 0.1)
		var s string
		switch r.IntN(9) {
		case 0:
			s = k
		case 1:
			s = "!" + sp() + k
		case 2:
			s = k + sp() + "=" + sp() + value(r, 0.1)
		case 3:
			s = k + sp() + "==" + sp() + value(r, 0.1)
		case 4:
			s = k + sp() + "!=" + sp() + value(r, 0.1)
		case 5, 6:
			op := pick(r, []string{"in", "notin", "In", "iN"})
			var vs []string
			for range r.IntN(4) {
				vs = append(vs, value(r, 0.1))
			}
			s = k + " " + op + sp() + "(" + strings.Join(vs, ","+sp()) + ")"
		case 7:
			s = k + sp() + ">" + sp() + pick(r, intValues)
		default:
			s = k + sp() + "<" + sp() + pick(r, intValues)
		}
		reqs = append(reqs, s)
	}
	return sp() + strings.Join(reqs, sp()+","+sp()) + sp()
}
