package selector

import (
	"strings"
	"testing"
)

func TestParseBasics(t *testing.T) {
	cases := []struct {
		in, out string
		labels  map[string]string
		match   bool
	}{
		{"", "", nil, true},
		{"a=b", "a=b", map[string]string{"a": "b"}, true},
		{"a==b", "a==b", map[string]string{"a": "c"}, false},
		{"a!=b", "a!=b", map[string]string{}, true},
		{"x in (b,a), y notin (c)", "x in (a,b),y notin (c)", map[string]string{"x": "a", "y": "d"}, true},
		{"!a,b", "!a,b", map[string]string{"b": ""}, true},
		{"z>5", "z>5", map[string]string{"z": "6"}, true},
		{"z<5", "z<5", map[string]string{"z": "-6"}, true},
	}
	for _, c := range cases {
		s, err := Parse(c.in)
		noErr(t, err, c.in)
		eq(t, s.String(), c.out, c.in)
		eq(t, s.Matches(c.labels), c.match, c.in)
	}
	for _, bad := range []string{"a=b,", ",", "a in b", "a in (b", "!a=b", "-a", "a=-b", "a>x", "a b"} {
		_, err := Parse(bad)
		wantErr(t, err, bad)
	}
}

func TestFromLabelSelectorBasics(t *testing.T) {
	s, err := FromLabelSelector(nil)
	noErr(t, err)
	isFalse(t, s.Matches(map[string]string{}))
	s, err = FromLabelSelector(&LabelSelector{})
	noErr(t, err)
	isTrue(t, s.Empty())
	s, err = FromLabelSelector(&LabelSelector{MatchLabels: map[string]string{"b": "1", "a": "2"},
		MatchExpressions: []Requirement{{Key: "c", Operator: OpIn, Values: []string{"y", "x"}}}})
	noErr(t, err)
	eq(t, s.String(), "a=2,b=1,c in (x,y)")
	_, err = FromLabelSelector(&LabelSelector{MatchExpressions: []Requirement{{Key: "a", Operator: OpIn}, {Key: "b", Operator: OpIn, Values: []string{"-x"}}}})
	wantErr(t, err)
	isTrue(t, strings.Contains(err.Error(), "matchExpressions[0].values: Required value"))
	isTrue(t, strings.Contains(err.Error(), "matchExpressions[1].values[0]: Invalid value"))
}

func TestNodePlacementBasics(t *testing.T) {
	p := CompileNodePlacement(map[string]string{"disktype": "ssd"}, &NodeSelector{Terms: []NodeSelectorTerm{
		{},
		{MatchExpressions: []Requirement{{Key: "zone", Operator: OpGt, Values: []string{"+1"}}}},
		{MatchExpressions: []Requirement{{Key: "zone", Operator: OpIn, Values: []string{"a"}}}},
	}})
	isTrue(t, p.Matches("n1", map[string]string{"disktype": "ssd", "zone": "a"}))
	isFalse(t, p.Matches("n1", map[string]string{"disktype": "hdd", "zone": "a"}))
	rs := p.Explain("n1", map[string]string{"zone": "b"})
	if len(rs) != 3 {
		t.Fatalf("got %d, want 3: %v", len(rs), rs)
	}
	eq(t, rs[0].String(), "node has no label disktype (nodeSelector disktype=ssd)")
	eq(t, rs[1].Kind, ReasonNodeAffinity)
	eq(t, rs[2].String(), "nodeSelectorTerms[2]: label zone=b does not satisfy zone in (a)")
}

func TestTaintsBasics(t *testing.T) {
	s := CompileTolerations([]Toleration{{Key: "dedicated", Value: "gpu", Effect: NoSchedule}})
	sched, keep := s.CheckTaints([]Taint{{Key: "dedicated", Value: "gpu", Effect: NoSchedule}, {Key: "x", Effect: PreferNoSchedule}})
	isTrue(t, sched)
	isTrue(t, keep)
	sched, keep = s.CheckTaints([]Taint{{Key: "other", Effect: NoSchedule}})
	isFalse(t, sched)
	isTrue(t, keep)
	sched, keep = s.CheckTaints([]Taint{{Key: "other", Effect: NoExecute}})
	isFalse(t, sched)
	isFalse(t, keep)
	rs := s.ExplainTaints([]Taint{{Key: "dedicated", Value: "cpu", Effect: NoSchedule}})
	if len(rs) != 1 {
		t.Fatalf("got %d, want 1: %v", len(rs), rs)
	}
	eq(t, rs[0].String(), "taint dedicated=cpu:NoSchedule is not tolerated")
	secs := int64(300)
	in := []Toleration{{Key: TaintNodeNotReady, Operator: TolerationExists, Effect: NoExecute, TolerationSeconds: &secs}}
	out := DaemonTolerations(in, true)
	if len(out) != 7 {
		t.Fatalf("got %d, want 7: %v", len(out), out)
	}
	isTrue(t, out[0].TolerationSeconds == nil)
	isTrue(t, in[0].TolerationSeconds != nil)
	eq(t, out[6].Key, TaintNodeNetworkUnavailable)
}
