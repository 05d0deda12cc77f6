package selector

import (
	"fmt"
	"testing"
)

// Benchmark fixtures: a node with 20 labels, a 5-requirement selector, an affinity with 3 terms,
// 10 tolerations against 5 taints.

func benchNodeLabels() map[string]string {
	labels := map[string]string{
		"kubernetes.io/hostname":        "node-17",
		"kubernetes.io/os":              "linux",
		"kubernetes.io/arch":            "amd64",
		"topology.kubernetes.io/zone":   "eu-west-1b",
		"topology.kubernetes.io/region": "eu-west-1",
		"node.kubernetes.io/instance":   "m6i.2xlarge",
		"disktype":                      "ssd",
		"cpus":                          "8",
	}
	for i := len(labels); i < 20; i++ {
		labels[fmt.Sprintf("example.com/label-%d", i)] = fmt.Sprintf("value-%d", i)
	}
	return labels
}

func BenchmarkSelectorMatches(b *testing.B) {
	s, err := Parse("kubernetes.io/os=linux,kubernetes.io/arch in (amd64,arm64),disktype!=hdd,topology.kubernetes.io/zone,!example.com/drain")
	if err != nil {
		b.Fatal(err)
	}
	labels := benchNodeLabels()
	if !s.Matches(labels) {
		b.Fatal("fixture should match")
	}
	b.ReportAllocs()
	for b.Loop() {
		s.Matches(labels)
	}
}

func benchPlacement() NodePlacement {
	return CompileNodePlacement(map[string]string{"kubernetes.io/os": "linux"}, affinity(
		exprTerm(req("topology.kubernetes.io/zone", OpIn, "us-east-1a", "us-east-1b"), req("disktype", OpIn, "nvme")),
		NodeSelectorTerm{MatchExpressions: []Requirement{req("cpus", OpGt, "16")}, MatchFields: []Requirement{req(NodeNameField, OpNotIn, "node-3")}},
		exprTerm(req("topology.kubernetes.io/zone", OpIn, "eu-west-1a", "eu-west-1b"), req("cpus", OpGt, "4"), req("example.com/drain", OpDoesNotExist)),
	))
}

func BenchmarkNodePlacementMatches(b *testing.B) {
	p := benchPlacement()
	labels := benchNodeLabels()
	if !p.Matches("node-17", labels) {
		b.Fatal("fixture should match (on the third term)")
	}
	b.ReportAllocs()
	for b.Loop() {
		p.Matches("node-17", labels)
	}
}

func benchTolerations() ([]Toleration, []Taint) {
	tols := DaemonTolerations([]Toleration{
		{Key: "dedicated", Value: "gpu", Effect: NoSchedule},
		{Key: "example.com/maintenance", Operator: TolerationExists},
		{Key: "node-role.kubernetes.io/control-plane", Operator: TolerationExists, Effect: NoSchedule},
		{Key: "team", Value: "infra"},
	}, false)
	taints := []Taint{
		{Key: "node-role.kubernetes.io/control-plane", Effect: NoSchedule},
		{Key: TaintNodeUnschedulable, Effect: NoSchedule},
		{Key: "example.com/spot", Value: "true", Effect: PreferNoSchedule},
		{Key: TaintNodeNotReady, Effect: NoExecute},
		{Key: "dedicated", Value: "gpu", Effect: NoSchedule},
	}
	return tols, taints
}

func BenchmarkCheckTaints(b *testing.B) {
	tols, taints := benchTolerations()
	if len(tols) != 10 || len(taints) != 5 {
		b.Fatalf("fixture has %d tolerations, %d taints", len(tols), len(taints))
	}
	s := CompileTolerations(tols)
	if sched, keep := s.CheckTaints(taints); !sched || !keep {
		b.Fatal("fixture should be tolerated")
	}
	b.ReportAllocs()
	for b.Loop() {
		s.CheckTaints(taints)
	}
}

func BenchmarkParse(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Parse("kubernetes.io/os=linux,kubernetes.io/arch in (amd64,arm64),disktype!=hdd,topology.kubernetes.io/zone,!example.com/drain"); err != nil {
			b.Fatal(err)
		}
	}
}

// TestMatchingAllocatesNothing holds the package's promise outside of benchmarks, so that
// `go test` catches a regression.
func TestMatchingAllocatesNothing(t *testing.T) {
	labels := benchNodeLabels()
	s, err := Parse("kubernetes.io/os=linux,kubernetes.io/arch in (amd64,arm64),disktype!=hdd,cpus>4,cpus<16,!example.com/drain")
	noErr(t, err)
	gt, err := Parse("kubernetes.io/hostname>3") // a label that is not a number: no error allocated
	noErr(t, err)
	p := benchPlacement()
	tols, taints := benchTolerations()
	ts := CompileTolerations(tols)
	untolerated := append([]Taint{{Key: "x", Effect: NoSchedule}}, taints...)
	cmp := TolerationOptions{ComparisonOperators: true}.CompileTolerations([]Toleration{{Key: "k", Operator: TolerationGt, Value: "5"}})
	checks := map[string]func(){
		"Selector.Matches":            func() { s.Matches(labels) },
		"Selector.Matches Gt on text": func() { gt.Matches(labels) },
		"NodePlacement.Matches":       func() { p.Matches("node-17", labels) },
		"NodePlacement.Matches miss":  func() { p.Matches("node-3", map[string]string{"kubernetes.io/os": "linux"}) },
		"TolerationSet.Tolerates":     func() { ts.Tolerates(taints[0]) },
		"TolerationSet.CheckTaints":   func() { ts.CheckTaints(untolerated) },
		"comparison operators":        func() { cmp.Tolerates(Taint{Key: "k", Value: "abc"}) },
	}
	for name, f := range checks {
		if n := testing.AllocsPerRun(100, f); n != 0 {
			t.Errorf("%s allocates %v times per run", name, n)
		}
	}
}
