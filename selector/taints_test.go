package selector

import "testing"

func secs(n int64) *int64 { return &n }

// TestToleratesTaint holds the rules of section 1.4 (upstream's TestTolerationToleratesTaint).
func TestToleratesTaint(t *testing.T) {
	taint := Taint{Key: "dedicated", Value: "gpu", Effect: NoSchedule}
	cases := []struct {
		name string
		tol  Toleration
		tnt  Taint
		want bool
	}{
		{"Equal, same key, value and effect", Toleration{Key: "dedicated", Operator: TolerationEqual, Value: "gpu", Effect: NoSchedule}, taint, true},
		{"empty operator means Equal", Toleration{Key: "dedicated", Value: "gpu", Effect: NoSchedule}, taint, true},
		{"Equal, other value", Toleration{Key: "dedicated", Value: "cpu", Effect: NoSchedule}, taint, false},
		{"Equal, both values empty", Toleration{Key: "k", Effect: NoExecute}, Taint{Key: "k", Effect: NoExecute}, true},
		{"Exists ignores the value", Toleration{Key: "dedicated", Operator: TolerationExists, Value: "ignored", Effect: NoSchedule}, taint, true},
		{"other key", Toleration{Key: "other", Operator: TolerationExists}, taint, false},
		{"other effect", Toleration{Key: "dedicated", Operator: TolerationExists, Effect: NoExecute}, taint, false},
		{"empty effect matches every effect", Toleration{Key: "dedicated", Operator: TolerationExists}, Taint{Key: "dedicated", Effect: PreferNoSchedule}, true},
		{"empty key and Exists tolerates everything", Toleration{Operator: TolerationExists}, taint, true},
		{"empty key and Exists still filters the effect", Toleration{Operator: TolerationExists, Effect: NoExecute}, taint, false},
		{"empty key and Equal matches any key with that value", Toleration{Value: "gpu"}, taint, true},
		{"empty key and Equal, other value", Toleration{Value: "cpu"}, taint, false},
		{"Lt with the gate off", Toleration{Key: "dedicated", Operator: TolerationLt, Value: "5"}, Taint{Key: "dedicated", Value: "1"}, false},
		{"Gt with the gate off", Toleration{Key: "dedicated", Operator: TolerationGt, Value: "1"}, Taint{Key: "dedicated", Value: "5"}, false},
		{"unknown operator", Toleration{Key: "dedicated", Operator: "equal", Value: "gpu"}, taint, false},
		{"case matters in effects", Toleration{Key: "dedicated", Operator: TolerationExists, Effect: "noschedule"}, taint, false},
		{"tolerationSeconds plays no part", Toleration{Key: "k", Operator: TolerationExists, Effect: NoExecute, TolerationSeconds: secs(0)}, Taint{Key: "k", Effect: NoExecute}, true},
	}
	for _, c := range cases {
		eq(t, ToleratesTaint(c.tol, c.tnt), c.want, c.name)
		eq(t, CompileTolerations([]Toleration{c.tol}).Tolerates(c.tnt), c.want, c.name, "set")
	}
}

func TestToleratesTaintComparisonOperators(t *testing.T) {
	on := TolerationOptions{ComparisonOperators: true}
	cases := []struct {
		op             TolerationOperator
		tolVal, tntVal string
		want           bool
	}{
		{TolerationLt, "5", "1", true},
		{TolerationLt, "5", "5", false},
		{TolerationLt, "5", "9", false},
		{TolerationGt, "5", "9", true},
		{TolerationGt, "5", "5", false},
		{TolerationGt, "-5", "0", true},
		{TolerationLt, "0", "-9223372036854775808", true},
		{TolerationGt, "5", "+9", false},                  // a sign '+' is not canonical
		{TolerationGt, "5", "09", false},                  // nor a leading zero
		{TolerationLt, "-0", "-1", false},                 // nor "-0"
		{TolerationGt, "1", "9223372036854775808", false}, // beyond int64
		{TolerationGt, "1", "", false},
		{TolerationGt, "x", "5", false},
	}
	for _, c := range cases {
		tol := Toleration{Key: "k", Operator: c.op, Value: c.tolVal}
		tnt := Taint{Key: "k", Value: c.tntVal, Effect: NoSchedule}
		eq(t, on.ToleratesTaint(tol, tnt), c.want, c)
		eq(t, on.CompileTolerations([]Toleration{tol}).Tolerates(tnt), c.want, c, "set")
		isFalse(t, ToleratesTaint(tol, tnt), c, "gate off")
	}
}

// TestCheckTaintsTruthTable is the truth table of section 1.1 steps 3 and 4.
func TestCheckTaintsTruthTable(t *testing.T) {
	tols := CompileTolerations([]Toleration{{Key: "ok", Operator: TolerationExists}})
	cases := []struct {
		name           string
		taints         []Taint
		schedule, keep bool
	}{
		{"no taints", nil, true, true},
		{"tolerated NoSchedule and NoExecute", []Taint{{Key: "ok", Effect: NoSchedule}, {Key: "ok", Effect: NoExecute}}, true, true},
		{"PreferNoSchedule is ignored", []Taint{{Key: "bad", Effect: PreferNoSchedule}}, true, true},
		{"unknown effect is ignored", []Taint{{Key: "bad", Effect: "Other"}}, true, true},
		{"untolerated NoSchedule", []Taint{{Key: "bad", Effect: NoSchedule}}, false, true},
		{"untolerated NoExecute", []Taint{{Key: "bad", Effect: NoExecute}}, false, false},
		{"untolerated NoExecute after untolerated NoSchedule", []Taint{{Key: "bad", Effect: NoSchedule}, {Key: "bad", Effect: NoExecute}}, false, false},
		{"untolerated NoSchedule after tolerated NoExecute", []Taint{{Key: "ok", Effect: NoExecute}, {Key: "bad", Effect: NoSchedule}}, false, true},
	}
	for _, c := range cases {
		s, k := tols.CheckTaints(c.taints)
		eq(t, s, c.schedule, c.name, "schedule")
		eq(t, k, c.keep, c.name, "keep")
		eq(t, len(tols.ExplainTaints(c.taints)) == 0, c.schedule, c.name, "ExplainTaints")
	}
}

// The cases of upstream's daemon_controller_test.go about taints (section 8.1, 35-43), for a DS
// with the default daemon tolerations added.
func TestDaemonTaintCases(t *testing.T) {
	withDefaults := func(tmpl ...Toleration) TolerationSet { return CompileTolerations(DaemonTolerations(tmpl, false)) }
	cases := []struct {
		name           string
		tols           TolerationSet
		taints         []Taint
		schedule, keep bool
	}{
		{"TestNoScheduleTaintedDoesntEvicitRunningIntolerantPod", withDefaults(), []Taint{{Key: "dedicated", Value: "user1", Effect: NoSchedule}}, false, true},
		{"TestNoExecuteTaintedDoesEvicitRunningIntolerantPod", withDefaults(), []Taint{{Key: "dedicated", Value: "user1", Effect: NoExecute}}, false, false},
		{"TestTaintedNodeDaemonDoesNotLaunchIntolerantPod", withDefaults(), []Taint{{Key: "dedicated", Value: "user1", Effect: NoSchedule}}, false, true},
		{"TestTaintedNodeDaemonLaunchesToleratePod", withDefaults(Toleration{Key: "dedicated", Value: "user1", Effect: NoSchedule}),
			[]Taint{{Key: "dedicated", Value: "user1", Effect: NoSchedule}}, true, true},
		{"TestNotReadyNodeDaemonLaunchesPod", withDefaults(), []Taint{{Key: TaintNodeNotReady, Effect: NoExecute}}, true, true},
		{"TestUnreachableNodeDaemonLaunchesPod", withDefaults(), []Taint{{Key: TaintNodeUnreachable, Effect: NoExecute}}, true, true},
		{"TestNodeDaemonLaunchesToleratePod", withDefaults(Toleration{Key: "dedicated", Value: "user1", Effect: NoSchedule}), nil, true, true},
		{"TestTaintPressureNodeDaemonLaunchesPod", withDefaults(), []Taint{{Key: TaintNodeDiskPressure, Effect: NoSchedule},
			{Key: TaintNodeMemoryPressure, Effect: NoSchedule}, {Key: TaintNodePIDPressure, Effect: NoSchedule}}, true, true},
		{"unschedulable taint is tolerated", withDefaults(), []Taint{{Key: TaintNodeUnschedulable, Effect: NoSchedule}}, true, true},
		{"not-ready NoSchedule is not covered by the NoExecute default", withDefaults(),
			[]Taint{{Key: TaintNodeNotReady, Effect: NoSchedule}, {Key: TaintNodeNotReady, Effect: NoExecute}}, false, true},
		{"unreachable NoSchedule likewise", withDefaults(), []Taint{{Key: TaintNodeUnreachable, Effect: NoSchedule}}, false, true},
		{"network-unavailable without hostNetwork", withDefaults(), []Taint{{Key: TaintNodeNetworkUnavailable, Effect: NoSchedule}}, false, true},
		{"network-unavailable with hostNetwork", CompileTolerations(DaemonTolerations(nil, true)),
			[]Taint{{Key: TaintNodeNetworkUnavailable, Effect: NoSchedule}}, true, true},
		{"control-plane taint, tolerated by Exists", withDefaults(Toleration{Key: "node-role.kubernetes.io/control-plane", Operator: TolerationExists}),
			[]Taint{{Key: "node-role.kubernetes.io/control-plane", Effect: NoSchedule}}, true, true},
	}
	for _, c := range cases {
		s, k := c.tols.CheckTaints(c.taints)
		eq(t, s, c.schedule, c.name, "schedule")
		eq(t, k, c.keep, c.name, "keep")
	}
}

func TestExplainTaints(t *testing.T) {
	tols := CompileTolerations([]Toleration{{Key: "a", Operator: TolerationExists}})
	rs := tols.ExplainTaints([]Taint{
		{Key: "dedicated", Value: "gpu", Effect: NoSchedule},
		{Key: "a", Effect: NoExecute},
		{Key: "soft", Effect: PreferNoSchedule},
		{Key: "evict", Effect: NoExecute},
	})
	if len(rs) != 2 {
		t.Fatalf("got %d reasons: %v", len(rs), rs)
	}
	eq(t, rs[0].String(), "taint dedicated=gpu:NoSchedule is not tolerated")
	eq(t, rs[1].String(), "taint evict:NoExecute is not tolerated")
	eq(t, rs[0].Kind, ReasonTaint)
	eq(t, *rs[0].Taint, Taint{Key: "dedicated", Value: "gpu", Effect: NoSchedule})
	eq(t, rs[1].Key, "evict")
	isTrue(t, tols.ExplainTaints(nil) == nil)
}

func TestCompileTolerationsCopiesInput(t *testing.T) {
	in := []Toleration{{Key: "a", Operator: TolerationExists}}
	s := CompileTolerations(in)
	in[0].Key = "b"
	isTrue(t, s.Tolerates(Taint{Key: "a", Effect: NoSchedule}))
	eq(t, s.Tolerations()[0].Key, "a")
	isFalse(t, TolerationSet{}.Tolerates(Taint{Key: "a"}))
}

func TestDefaultDaemonTolerations(t *testing.T) {
	want := []Toleration{
		{Key: "node.kubernetes.io/not-ready", Operator: TolerationExists, Effect: NoExecute},
		{Key: "node.kubernetes.io/unreachable", Operator: TolerationExists, Effect: NoExecute},
		{Key: "node.kubernetes.io/disk-pressure", Operator: TolerationExists, Effect: NoSchedule},
		{Key: "node.kubernetes.io/memory-pressure", Operator: TolerationExists, Effect: NoSchedule},
		{Key: "node.kubernetes.io/pid-pressure", Operator: TolerationExists, Effect: NoSchedule},
		{Key: "node.kubernetes.io/unschedulable", Operator: TolerationExists, Effect: NoSchedule},
	}
	eq(t, DefaultDaemonTolerations(false), want)
	eq(t, DefaultDaemonTolerations(true), append(want, Toleration{Key: "node.kubernetes.io/network-unavailable", Operator: TolerationExists, Effect: NoSchedule}))
}

// TestDaemonTolerations holds the merge rule of section 1.6.
func TestDaemonTolerations(t *testing.T) {
	notReady := Toleration{Key: TaintNodeNotReady, Operator: TolerationExists, Effect: NoExecute}
	user := Toleration{Key: "dedicated", Value: "gpu", Effect: NoSchedule}
	defaults := DefaultDaemonTolerations(false)

	// No template tolerations: just the defaults.
	eq(t, DaemonTolerations(nil, false), defaults)

	// Template tolerations first, defaults appended in order.
	eq(t, DaemonTolerations([]Toleration{user}, false), append([]Toleration{user}, defaults...))

	// A matching entry with tolerationSeconds is replaced in place; its seconds are dropped.
	withSecs := notReady
	withSecs.TolerationSeconds = secs(300)
	in := []Toleration{user, withSecs}
	got := DaemonTolerations(in, false)
	eq(t, got, append([]Toleration{user, notReady}, defaults[1:]...))
	isTrue(t, in[1].TolerationSeconds != nil && *in[1].TolerationSeconds == 300, "input untouched")

	// Every matching entry is replaced, duplicates stay: an identical entry and one with seconds.
	got = DaemonTolerations([]Toleration{notReady, withSecs}, false)
	eq(t, got, append([]Toleration{notReady, notReady}, defaults[1:]...))

	// Equal (even written "") or another effect does not match: kept, and the default appended.
	equalNotReady := Toleration{Key: TaintNodeNotReady, Effect: NoExecute, TolerationSeconds: secs(30)}
	otherEffect := Toleration{Key: TaintNodeNotReady, Operator: TolerationExists, Effect: NoSchedule}
	got = DaemonTolerations([]Toleration{equalNotReady, otherEffect}, false)
	eq(t, got, append([]Toleration{equalNotReady, otherEffect}, defaults...))

	// A matching entry for the hostNetwork-only default.
	netSecs := Toleration{Key: TaintNodeNetworkUnavailable, Operator: TolerationExists, Effect: NoSchedule, TolerationSeconds: secs(5)}
	got = DaemonTolerations([]Toleration{netSecs}, true)
	eq(t, got, append([]Toleration{{Key: TaintNodeNetworkUnavailable, Operator: TolerationExists, Effect: NoSchedule}}, defaults...))
	// ... and without hostNetwork it is left alone.
	eq(t, DaemonTolerations([]Toleration{netSecs}, false), append([]Toleration{netSecs}, defaults...))

	// The result does not share memory with the input.
	in = []Toleration{{Key: "k", Operator: TolerationExists, Effect: NoExecute, TolerationSeconds: secs(1)}}
	got = DaemonTolerations(in, false)
	*got[0].TolerationSeconds = 99
	got[0].Key = "changed"
	eq(t, *in[0].TolerationSeconds, int64(1))
	eq(t, in[0].Key, "k")
}

func TestValidateTolerations(t *testing.T) {
	ts := []Toleration{
		{Key: "ok", Operator: TolerationExists, Effect: NoExecute, TolerationSeconds: secs(10)},
		{Operator: TolerationExists},
		{Key: "bad key"},
		{Value: "v"},
		{Key: "k", Operator: TolerationExists, Value: "v"},
		{Key: "k", Value: "-bad"},
		{Key: "k", Operator: TolerationExists, Effect: NoSchedule, TolerationSeconds: secs(1)},
		{Key: "k", Operator: TolerationLt, Value: "5"},
		{Key: "k", Operator: "Foo"},
		{Key: "k", Operator: TolerationExists, Effect: "NoWhere"},
	}
	got := errStrings(ValidateTolerations(ts, "spec.tolerations"))
	want := []string{
		"spec.tolerations[2].key | Invalid value",
		"spec.tolerations[3].operator | Invalid value",
		"spec.tolerations[4].operator | Invalid value",
		"spec.tolerations[5].operator | Invalid value",
		"spec.tolerations[6].effect | Invalid value",
		"spec.tolerations[7].operator | Unsupported value",
		"spec.tolerations[8].operator | Unsupported value",
		"spec.tolerations[9].effect | Unsupported value",
	}
	eq(t, got, want)

	on := TolerationOptions{ComparisonOperators: true}
	eq(t, len(on.ValidateTolerations([]Toleration{{Key: "k", Operator: TolerationGt, Value: "-5"}}, "t")), 0)
	eq(t, errStrings(on.ValidateTolerations([]Toleration{{Key: "k", Operator: TolerationGt, Value: "05"}, {Key: "k", Operator: TolerationLt, Value: "99999999999999999999"}}, "t")),
		[]string{"t[0].value | Invalid value", "t[1].value | Invalid value"})
	eq(t, len(ValidateTolerations(DaemonTolerations(nil, true), "t")), 0, "the defaults are valid")
}
