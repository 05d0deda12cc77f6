package selector

import (
	"errors"
	"testing"

	"github.com/daemonkit/daemonkit/internal/field"
)

func TestFromLabelSelector(t *testing.T) {
	cases := []struct {
		name    string
		ls      *LabelSelector
		str     string
		matches map[string]string
		misses  map[string]string
	}{
		{"nil selects nothing", nil, "", nil, map[string]string{}},
		{"empty selects everything", &LabelSelector{}, "", map[string]string{"a": "b"}, nil},
		{"empty non-nil maps select everything", &LabelSelector{MatchLabels: map[string]string{}, MatchExpressions: []Requirement{}}, "", map[string]string{}, nil},
		{"matchLabels print as k=v", &LabelSelector{MatchLabels: map[string]string{"name": "simple-daemon", "type": "production"}},
			"name=simple-daemon,type=production", map[string]string{"name": "simple-daemon", "type": "production", "x": "y"}, map[string]string{"name": "simple-daemon"}},
		{"expressions", &LabelSelector{MatchExpressions: []Requirement{
			{Key: "tier", Operator: OpNotIn, Values: []string{"db"}},
			{Key: "app", Operator: OpIn, Values: []string{"web", "api"}},
			{Key: "canary", Operator: OpDoesNotExist},
			{Key: "team", Operator: OpExists},
		}}, "app in (api,web),!canary,team,tier notin (db)", map[string]string{"app": "api", "team": ""}, map[string]string{"app": "api", "team": "x", "tier": "db"}},
		{"matchLabels and an expression on the same key", &LabelSelector{MatchLabels: map[string]string{"a": "1"},
			MatchExpressions: []Requirement{{Key: "a", Operator: OpIn, Values: []string{"2"}}}}, "a=1,a in (2)", nil, map[string]string{"a": "1"}},
		{"repeated values print repeated", &LabelSelector{MatchExpressions: []Requirement{{Key: "a", Operator: OpIn, Values: []string{"y", "x", "y"}}}},
			"a in (x,y,y)", map[string]string{"a": "y"}, map[string]string{"a": "z"}},
	}
	for _, c := range cases {
		s, err := FromLabelSelector(c.ls)
		noErr(t, err, c.name)
		eq(t, s.String(), c.str, c.name)
		if c.matches != nil || c.name == "empty non-nil maps select everything" {
			isTrue(t, s.Matches(c.matches), c.name)
		}
		if c.misses != nil {
			isFalse(t, s.Matches(c.misses), c.name)
		}
		back, err := Parse(s.String())
		noErr(t, err, c.name)
		if c.ls != nil {
			isTrue(t, back.Equal(s), c.name, "round trip")
		}
	}
}

func TestFromLabelSelectorDoesNotAliasInput(t *testing.T) {
	ls := &LabelSelector{MatchExpressions: []Requirement{{Key: "a", Operator: OpIn, Values: []string{"x"}}}}
	s, err := FromLabelSelector(ls)
	noErr(t, err)
	ls.MatchExpressions[0].Values[0] = "y"
	isTrue(t, s.Matches(map[string]string{"a": "x"}))
	eq(t, s.String(), "a in (x)")
}

func errStrings(l field.List) []string {
	var out []string
	for _, e := range l {
		out = append(out, e.Path+" | "+string(e.Type))
	}
	return out
}

func TestValidateLabelSelector(t *testing.T) {
	ls := &LabelSelector{
		MatchLabels: map[string]string{"ok": "v", "bad key!": "v", "k": "-bad"},
		MatchExpressions: []Requirement{
			{Key: "a", Operator: OpIn},
			{Key: "b", Operator: OpIn, Values: []string{"ok", "not ok"}},
			{Key: "c", Operator: OpExists, Values: []string{"x"}},
			{Key: "d", Operator: OpGt, Values: []string{"1"}},
			{Key: "", Operator: OpDoesNotExist},
		},
	}
	got := errStrings(ValidateLabelSelector(ls, "spec.selector"))
	want := []string{
		"spec.selector.matchLabels | Invalid value", // "bad key!" (keys in order: "bad key!", "k", "ok")
		"spec.selector.matchLabels | Invalid value", // "-bad"
		"spec.selector.matchExpressions[0].values | Required value",
		"spec.selector.matchExpressions[1].values[1] | Invalid value",
		"spec.selector.matchExpressions[2].values | Forbidden",
		"spec.selector.matchExpressions[3].operator | Invalid value",
		"spec.selector.matchExpressions[4].key | Invalid value", // empty name part
		"spec.selector.matchExpressions[4].key | Invalid value", // and so not the name shape
	}
	eq(t, got, want)
	eq(t, len(ValidateLabelSelector(nil, "x")), 0)
	eq(t, len(ValidateLabelSelector(&LabelSelector{}, "x")), 0)

	_, err := FromLabelSelector(ls)
	var l field.List
	if !errors.As(err, &l) {
		t.Fatalf("FromLabelSelector error %T is not a field.List", err)
	}
	eq(t, l[2].Path, "matchExpressions[0].values")
	eq(t, l[2].Error(), "matchExpressions[0].values: Required value: must be specified when `operator` is 'In' or 'NotIn'")
}

// TestLabelKeyAndValueRules follows upstream's qualified-name and label-value tests.
func TestLabelKeyAndValueRules(t *testing.T) {
	long := func(n int, c byte) string {
		b := make([]byte, n)
		for i := range b {
			b[i] = c
		}
		return string(b)
	}
	goodKeys := []string{"simple", "now-with-dashes", "1-starts-with-num", "1234", "simple/simple", "now-with-dashes/simple",
		"now-with-dashes/now-with-dashes", "now.with.dots/simple", "now-with.dashes-and.dots/simple", "1-num.2-num/3-num",
		"1234/5678", "1.2.3.4/5678", "Uppercase_Is_OK_123", "example.com/Uppercase_Is_OK_123", "requests.storage-foo",
		long(63, 'a'), long(253, 'a') + "/" + long(63, 'b'), "a_b.c-d"}
	badKeys := []string{"", "nospecialchars%^=@", "cantendwithadash-", "-cantstartwithadash-", "only/one/slash",
		"Example.com/abc", "example_com/abc", "example.com/", "/simple", long(64, 'a'), long(254, 'a') + "/abc", "a..b/c", ".a/b", "a b"}
	for _, k := range goodKeys {
		eq(t, len(ValidateLabelKey(k, "key")), 0, k)
	}
	for _, k := range badKeys {
		errs := ValidateLabelKey(k, "metadata.labels")
		isTrue(t, len(errs) > 0, k)
		for _, e := range errs {
			eq(t, e.Path, "metadata.labels", k)
			eq(t, e.Type, field.Invalid, k)
		}
	}
	goodValues := []string{"", "simple", "now-with-dashes", "1-starts-with-num", "end-with-num-1", "1234", long(63, 'a'), "A_b.C-9"}
	badValues := []string{"nospecialchars%^=@", "Tama-nui-te-rā.is.Māori.sun", "\\backslashes\\are\\bad", "-starts-with-dash",
		"ends-with-dash-", ".starts.with.dot", "ends.with.dot.", long(64, 'a'), "+1", "-1", " "}
	for _, v := range goodValues {
		eq(t, len(ValidateLabelValue(v, "v")), 0, v)
	}
	for _, v := range badValues {
		isTrue(t, len(ValidateLabelValue(v, "v")) > 0, v)
	}
	eq(t, ValidateLabelValue(long(64, '-'), "v").Error(),
		`v: Invalid value: "`+long(64, '-')+`": must be no more than 63 characters`+"\n"+
			`v: Invalid value: "`+long(64, '-')+`": `+msgValueShape)
}
