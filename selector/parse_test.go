package selector

import (
	"errors"
	"strings"
	"testing"
)

// parseCases: input, the canonical String() upstream prints for it, and whether upstream rejects
// it. The outputs were taken from k8s.io/apimachinery v0.37.2 labels.Parse.
var parseCases = []struct {
	in, out string
	bad     bool
}{
	// TestSelectorParse (good strings)
	{"x=a,y=b,z=c", "x=a,y=b,z=c", false},
	{"", "", false},
	{"  ", "", false},
	{"x!=a,y=b", "x!=a,y=b", false},
	{"x=", "x=", false},
	{"x= ", "x=", false},
	{"x=,z= ", "x=,z=", false},
	{"!x", "!x", false},
	{"x>1", "x>1", false},
	{"x>1,z<5", "x>1,z<5", false},
	// TestSelectorParse (bad strings)
	{"x=a||y=b", "", true},
	{"x==a==b", "", true},
	{"!x=a", "", true},
	{"x<a", "", true},
	// TestDeterministicParse: requirements sorted by key
	{"z=c,y=b,x=a", "x=a,y=b,z=c", false},
	{"k==v,k=w", "k==v,k=w", false},
	// TestSetSelectorParser: value sets, empty values, keywords as identifiers
	{"x in (b,a,b)", "x in (a,b)", false},
	{"x notin ()", "x notin ()", false},
	{"x in (,a)", "x in (,a)", false},
	{"x in (a,)", "x in (,a)", false},
	{"x in (a,,b)", "x in (,a,b)", false},
	{"x in (,)", "x in ()", false},
	{"in in (in)", "in in (in)", false},
	{"notin notin (notin)", "notin notin (notin)", false},
	{"a=in", "a=in", false},
	{"a in(b)", "a in (b)", false},
	{"a in (b) ,c", "a in (b),c", false},
	{"a,b,!c", "a,b,!c", false},
	{"! a", "!a", false},
	{"a = b", "a=b", false},
	{"a !=", "a!=", false},
	{"example.com/app==web", "example.com/app==web", false},
	{"a in b", "", true},
	{"a in (b", "", true},
	{"a in (b c)", "", true},
	{"a in ((b))", "", true},
	{"a in", "", true},
	{"a notin", "", true},
	{"a=(b)", "", true},
	// TestLexer: whitespace, greedy symbols, NUL bytes
	{"x\tin\n(a)", "x in (a)", false},
	{"a\x00=b", "a=b", false},
	{"\x00a", "", false},
	{"a \x00junk", "a", false},
	{"a=\x00b", "a=b", false},
	{"a=!b", "", true},
	{"a=>b", "", true},
	{"a=<b", "", true},
	{"a===b", "", true},
	{"a!==b", "", true},
	{"!!a", "", true},
	// Gt/Lt: the bound is an integer and a valid label value, so no sign; leading zeros are fine
	{"x>007", "x>007", false},
	{"x>-1", "", true},
	{"x>+1", "", true},
	// TestRequirementConstructor: keys and values are validated
	{"-a", "", true},
	{"a-=b", "", true},
	{"a=b-", "", true},
	{"a/b/c", "", true},
	{"/a", "", true},
	{"A.B/c", "", true},
	{"é=1", "", true},
	{"a=é", "", true},
	{"a=b,", "", true},
	{",a", "", true},
	{"a,,b", "", true},
}

func TestSelectorParse(t *testing.T) {
	for _, c := range parseCases {
		s, err := Parse(c.in)
		if c.bad {
			if err == nil {
				t.Errorf("Parse(%q) = %q, want an error", c.in, s.String())
			}
			continue
		}
		if err != nil {
			t.Errorf("Parse(%q): %v", c.in, err)
			continue
		}
		eq(t, s.String(), c.out, c.in)
		back, err := Parse(s.String())
		noErr(t, err, c.in)
		isTrue(t, back.Equal(s), "round trip", c.in)
	}
}

func TestParseErrorNamesPositionAndToken(t *testing.T) {
	cases := []struct {
		in   string
		pos  int
		text string
	}{
		{"a=b,", 4, "end of string"},
		{"x in (a b)", 8, `"b"`},
		{"app=web,-bad=1", 8, `"-bad"`},
		{"x>abc", 1, `"abc"`},
		{"a=b c", 4, `"c"`},
	}
	for _, c := range cases {
		_, err := Parse(c.in)
		var pe *ParseError
		if !errors.As(err, &pe) {
			t.Fatalf("Parse(%q): error %v is not a *ParseError", c.in, err)
		}
		eq(t, pe.Pos, c.pos, c.in)
		isTrue(t, strings.Contains(err.Error(), c.text), c.in, err)
	}
}

// TestSelectorMatches follows upstream's TestSelectorMatches and TestRequirementSelectorMatching.
func TestSelectorMatches(t *testing.T) {
	cases := []struct {
		sel    string
		labels map[string]string
		want   bool
	}{
		{"", map[string]string{"x": "y"}, true},
		{"", nil, true},
		{"x=y", map[string]string{"x": "y"}, true},
		{"x=y,z=w", map[string]string{"x": "y", "z": "w"}, true},
		{"x!=y,z!=w", map[string]string{"x": "z", "z": "a"}, true},
		{"notin=in", map[string]string{"notin": "in"}, true},
		{"x", map[string]string{"x": "z"}, true},
		{"x", map[string]string{"x": ""}, true},
		{"!x", map[string]string{"y": "z"}, true},
		{"x>1", map[string]string{"x": "2"}, true},
		{"x<1", map[string]string{"x": "0"}, true},
		{"x<1", map[string]string{"x": "-5"}, true},
		{"x>1", map[string]string{"x": "+5"}, true},
		{"x>007", map[string]string{"x": "8"}, true},
		{"x=", map[string]string{"x": ""}, true},
		{"x in ()", map[string]string{"x": ""}, true},
		{"x notin (a)", nil, true},
		{"x=z", map[string]string{}, false},
		{"x=y", map[string]string{"x": "z"}, false},
		{"x=y,z=w", map[string]string{"x": "w", "z": "w"}, false},
		{"x!=y,z!=w", map[string]string{"x": "z", "z": "w"}, false},
		{"x", map[string]string{"y": "z"}, false},
		{"!x", map[string]string{"x": "z"}, false},
		{"x>1", map[string]string{"x": "0"}, false},
		{"x<1", map[string]string{"x": "2"}, false},
		{"x>1", map[string]string{"x": "one"}, false},
		{"x>1", map[string]string{}, false},
		{"x>1", map[string]string{"x": "99999999999999999999"}, false},
		{"x=", map[string]string{}, false},
		{"x in (a,b)", map[string]string{"x": "c"}, false},
	}
	for _, c := range cases {
		s, err := Parse(c.sel)
		noErr(t, err, c.sel)
		eq(t, s.Matches(c.labels), c.want, c.sel, c.labels)
	}
}

// TestEverything and TestMatchesNothing: the two trivial selectors.
func TestEverythingAndNothing(t *testing.T) {
	isTrue(t, Everything().Matches(nil))
	isTrue(t, Everything().Matches(map[string]string{"a": "b"}))
	isTrue(t, Everything().Empty())
	isFalse(t, Nothing().Matches(nil))
	isFalse(t, Nothing().Matches(map[string]string{"a": "b"}))
	isFalse(t, Nothing().Empty())
	isTrue(t, Nothing().IsNothing())
	var zero Selector
	isTrue(t, zero.Equal(Nothing()))
	isFalse(t, zero.Equal(Everything()))
	eq(t, Nothing().String(), "")
	eq(t, Everything().String(), "")
	// Both print as "", which parses to Everything(): Nothing() does not round trip.
	back, err := Parse(Nothing().String())
	noErr(t, err)
	isTrue(t, back.Equal(Everything()))
	isFalse(t, back.Equal(Nothing()))
}

func TestRequirementsIsASortedCopy(t *testing.T) {
	s, err := Parse("z in (b,a),a!=x,m,!n,k==v,g>3")
	noErr(t, err)
	got := s.Requirements()
	want := []Requirement{
		{Key: "a", Operator: OpNotIn, Values: []string{"x"}},
		{Key: "g", Operator: OpGt, Values: []string{"3"}},
		{Key: "k", Operator: OpIn, Values: []string{"v"}},
		{Key: "m", Operator: OpExists},
		{Key: "n", Operator: OpDoesNotExist},
		{Key: "z", Operator: OpIn, Values: []string{"a", "b"}},
	}
	eq(t, got, want)
	got[0].Values[0] = "changed"
	eq(t, s.String(), "a!=x,g>3,k==v,m,!n,z in (a,b)")
}

func TestFromSet(t *testing.T) {
	s := FromSet(map[string]string{"b": "2", "a": "1"})
	eq(t, s.String(), "a=1,b=2")
	isTrue(t, s.Matches(map[string]string{"a": "1", "b": "2", "c": "3"}))
	isFalse(t, s.Matches(map[string]string{"a": "1"}))
	isTrue(t, FromSet(nil).Empty())
}
