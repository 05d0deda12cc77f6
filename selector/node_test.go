package selector

import (
	"fmt"
	"testing"
)

func req(key string, op Operator, values ...string) Requirement {
	return Requirement{Key: key, Operator: op, Values: values}
}

func exprTerm(rs ...Requirement) NodeSelectorTerm { return NodeSelectorTerm{MatchExpressions: rs} }

func affinity(terms ...NodeSelectorTerm) *NodeSelector { return &NodeSelector{Terms: terms} }

// TestNodeShouldRunDaemonPod keeps the cases of upstream's test of that name that are about
// matching: node "test-node" labelled {name: simple-daemon, type: production}.
func TestNodeShouldRunDaemonPod(t *testing.T) {
	nodeLabels := map[string]string{"name": "simple-daemon", "type": "production"}
	cases := []struct {
		name         string
		nodeSelector map[string]string
		required     *NodeSelector
		want         bool
	}{
		{"no constraints", nil, nil, true},
		{"nodeSelector does not match", map[string]string{"name": "simple-daemon", "type": "test"}, nil, false},
		{"nodeSelector matches", map[string]string{"name": "simple-daemon", "type": "production"}, nil, true},
		{"required affinity does not match", nil, affinity(exprTerm(req("type", OpIn, "test"))), false},
		{"required affinity matches", nil, affinity(exprTerm(req("type", OpIn, "production"))), true},
	}
	for _, c := range cases {
		p := CompileNodePlacement(c.nodeSelector, c.required)
		eq(t, p.Matches("test-node", nodeLabels), c.want, c.name)
		eq(t, p.Explain("test-node", nodeLabels) == nil, c.want, c.name, "Explain")
	}
}

// The fixtures of upstream's daemon_controller_test.go: nodes node-0..node-(plain-1) without labels,
// then labelled ones with {color: blue, speed: fast}. count returns how many match.
func countMatching(p NodePlacement, plain, labelled int) (n int, names []string) {
	for i := 0; i < plain+labelled; i++ {
		name := fmt.Sprintf("node-%d", i)
		var labels map[string]string
		if i >= plain {
			labels = map[string]string{"color": "blue", "speed": "fast"}
		}
		if p.Matches(name, labels) {
			n++
			names = append(names, name)
		}
	}
	return n, names
}

func TestSelectorDaemonLaunchesPods(t *testing.T) {
	n, names := countMatching(CompileNodePlacement(map[string]string{"color": "blue", "speed": "fast"}, nil), 4, 3)
	eq(t, n, 3)
	eq(t, names, []string{"node-4", "node-5", "node-6"})
}

func TestBadSelectorDaemonDoesNothing(t *testing.T) {
	n, _ := countMatching(CompileNodePlacement(map[string]string{"color": "red", "speed": "fast"}, nil), 4, 3)
	eq(t, n, 0)
}

func TestNodeAffinityDaemonLaunchesPods(t *testing.T) {
	n, _ := countMatching(CompileNodePlacement(nil, affinity(exprTerm(req("color", OpIn, "blue")))), 4, 3)
	eq(t, n, 3)
}

// TestDeleteUnscheduledPodForNotExistingNode: affinity "metadata.name In [node-2]" picks only node-2.
func TestDeleteUnscheduledPodForNotExistingNode(t *testing.T) {
	p := CompileNodePlacement(nil, affinity(NodeSelectorTerm{MatchFields: []Requirement{req(NodeNameField, OpIn, "node-2")}}))
	_, names := countMatching(p, 5, 0)
	eq(t, names, []string{"node-2"})
}

// TestReplaceDaemonSetPodNodeNameNodeAffinity: the affinity upstream builds for a target node
// (one term, matchFields metadata.name In [host_1]) matches that node and no other.
func TestReplaceDaemonSetPodNodeNameNodeAffinity(t *testing.T) {
	p := CompileNodePlacement(nil, affinity(NodeSelectorTerm{MatchFields: []Requirement{req(NodeNameField, OpIn, "host_1")}}))
	isTrue(t, p.Matches("host_1", nil))
	isFalse(t, p.Matches("host_2", map[string]string{"kubernetes.io/hostname": "host_1"}))
}

// TestNodeAffinityRules holds every rule of section 1.2 and 1.3 of the semantics document.
func TestNodeAffinityRules(t *testing.T) {
	labels := map[string]string{"zone": "a", "cpus": "8", "neg": "-3", "empty": "", "word": "abc", "zero": "007"}
	cases := []struct {
		name     string
		nodeSel  map[string]string
		required *NodeSelector
		nodeName string
		want     bool
	}{
		// 1.2 nodeSelector map
		{"nodeSelector empty map", map[string]string{}, nil, "n", true},
		{"nodeSelector entry with empty value needs the label", map[string]string{"empty": ""}, nil, "n", true},
		{"nodeSelector empty value, label absent", map[string]string{"missing": ""}, nil, "n", false},
		{"nodeSelector keys are not validated", map[string]string{"not a key!": "x"}, nil, "n", false},
		{"nodeSelector and affinity both needed", map[string]string{"zone": "b"}, affinity(exprTerm(req("zone", OpIn, "a"))), "n", false},
		// 1.3 terms
		{"nil affinity matches all", nil, nil, "n", true},
		{"no terms match nothing", nil, affinity(), "n", false},
		{"only empty terms match nothing", nil, affinity(NodeSelectorTerm{}, NodeSelectorTerm{MatchExpressions: []Requirement{}}), "n", false},
		{"empty term dropped, later term matches", nil, affinity(NodeSelectorTerm{}, exprTerm(req("zone", OpIn, "a"))), "n", true},
		{"terms are ORed", nil, affinity(exprTerm(req("zone", OpIn, "b")), exprTerm(req("zone", OpIn, "a"))), "n", true},
		{"expressions in a term are ANDed", nil, affinity(exprTerm(req("zone", OpIn, "a"), req("cpus", OpIn, "4"))), "n", false},
		{"parse error skips the term, later term matches", nil, affinity(exprTerm(req("zone", "Bogus", "a")), exprTerm(req("zone", OpExists))), "n", true},
		{"parse error anywhere in the term spoils it", nil, affinity(exprTerm(req("zone", OpIn, "a"), req("cpus", OpGt, "x"))), "n", false},
		{"invalid key is a parse error", nil, affinity(exprTerm(req("-zone", OpDoesNotExist))), "n", false},
		{"In with no values is a parse error", nil, affinity(exprTerm(req("zone", OpNotIn))), "n", false},
		{"Exists with values is a parse error", nil, affinity(exprTerm(req("zone", OpExists, "a"))), "n", false},
		{"invalid label value is a parse error", nil, affinity(exprTerm(req("zone", OpNotIn, "b c"))), "n", false},
		// operators
		{"In", nil, affinity(exprTerm(req("zone", OpIn, "x", "a"))), "n", true},
		{"In absent", nil, affinity(exprTerm(req("missing", OpIn, "a"))), "n", false},
		{"NotIn absent label matches", nil, affinity(exprTerm(req("missing", OpNotIn, "a"))), "n", true},
		{"NotIn", nil, affinity(exprTerm(req("zone", OpNotIn, "a"))), "n", false},
		{"Exists with empty value", nil, affinity(exprTerm(req("empty", OpExists))), "n", true},
		{"DoesNotExist", nil, affinity(exprTerm(req("empty", OpDoesNotExist))), "n", false},
		{"DoesNotExist absent", nil, affinity(exprTerm(req("missing", OpDoesNotExist))), "n", true},
		// Gt and Lt
		{"Gt", nil, affinity(exprTerm(req("cpus", OpGt, "4"))), "n", true},
		{"Gt is strict", nil, affinity(exprTerm(req("cpus", OpGt, "8"))), "n", false},
		{"Lt", nil, affinity(exprTerm(req("cpus", OpLt, "9"))), "n", true},
		{"Gt leading zeros", nil, affinity(exprTerm(req("cpus", OpGt, "007"))), "n", true},
		{"node label with leading zeros", nil, affinity(exprTerm(req("zero", OpLt, "8"))), "n", true},
		{"node label with a sign", nil, affinity(exprTerm(req("neg", OpLt, "0"))), "n", true},
		{"Gt +1 is not a label value", nil, affinity(exprTerm(req("cpus", OpGt, "+1"))), "n", false},
		{"Lt -1 is not a label value", nil, affinity(exprTerm(req("neg", OpLt, "-1"))), "n", false},
		{"Gt needs one value", nil, affinity(exprTerm(req("cpus", OpGt, "1", "2"))), "n", false},
		{"Gt with no value", nil, affinity(exprTerm(req("cpus", OpGt))), "n", false},
		{"Gt beyond int64", nil, affinity(exprTerm(req("cpus", OpLt, "9223372036854775808"))), "n", false},
		{"Gt non-integer node label", nil, affinity(exprTerm(req("word", OpGt, "1"))), "n", false},
		{"Gt missing node label", nil, affinity(exprTerm(req("missing", OpGt, "1"))), "n", false},
		// matchFields
		{"matchFields In", nil, affinity(NodeSelectorTerm{MatchFields: []Requirement{req(NodeNameField, OpIn, "n")}}), "n", true},
		{"matchFields In other", nil, affinity(NodeSelectorTerm{MatchFields: []Requirement{req(NodeNameField, OpIn, "m")}}), "n", false},
		{"matchFields NotIn", nil, affinity(NodeSelectorTerm{MatchFields: []Requirement{req(NodeNameField, OpNotIn, "n")}}), "n", false},
		{"matchFields two values is a parse error", nil, affinity(NodeSelectorTerm{MatchFields: []Requirement{req(NodeNameField, OpIn, "n", "m")}}), "n", false},
		{"matchFields Exists is a parse error", nil, affinity(NodeSelectorTerm{MatchFields: []Requirement{req(NodeNameField, OpExists)}}), "n", false},
		{"matchFields other key reads empty (In)", nil, affinity(NodeSelectorTerm{MatchFields: []Requirement{req("metadata.foo", OpIn, "")}}), "n", true},
		{"matchFields other key reads empty (NotIn)", nil, affinity(NodeSelectorTerm{MatchFields: []Requirement{req("metadata.foo", OpNotIn, "n")}}), "n", true},
		{"matchFields other key reads empty (NotIn \"\")", nil, affinity(NodeSelectorTerm{MatchFields: []Requirement{req("metadata.foo", OpNotIn, "")}}), "n", false},
		{"empty node name skips matchFields", nil, affinity(NodeSelectorTerm{MatchFields: []Requirement{req(NodeNameField, OpIn, "m")}}), "", true},
		{"empty node name still checks expressions", nil, affinity(NodeSelectorTerm{MatchExpressions: []Requirement{req("zone", OpIn, "b")},
			MatchFields: []Requirement{req(NodeNameField, OpIn, "m")}}), "", false},
		{"empty node name: a malformed field term still never matches", nil, affinity(NodeSelectorTerm{MatchFields: []Requirement{req(NodeNameField, OpLt, "m")}}), "", false},
		{"fields and expressions ANDed", nil, affinity(NodeSelectorTerm{MatchExpressions: []Requirement{req("zone", OpIn, "a")},
			MatchFields: []Requirement{req(NodeNameField, OpIn, "m")}}), "n", false},
	}
	for _, c := range cases {
		p := CompileNodePlacement(c.nodeSel, c.required)
		eq(t, p.Matches(c.nodeName, labels), c.want, c.name)
		explain := p.Explain(c.nodeName, labels)
		eq(t, explain == nil, c.want, c.name, "Explain")
	}
}

func TestCompileNodePlacementDoesNotAliasInput(t *testing.T) {
	sel := map[string]string{"a": "1"}
	aff := affinity(exprTerm(req("b", OpIn, "2")))
	p := CompileNodePlacement(sel, aff)
	sel["a"] = "x"
	aff.Terms[0].MatchExpressions[0].Values[0] = "x"
	isTrue(t, p.Matches("n", map[string]string{"a": "1", "b": "2"}))
	isTrue(t, NodePlacement{}.Matches("n", nil))
	isTrue(t, NodePlacement{}.MatchesAll())
	isFalse(t, p.MatchesAll())
}

func TestNodePlacementExplain(t *testing.T) {
	p := CompileNodePlacement(map[string]string{"disktype": "ssd", "arch": "amd64", "os": "linux"}, affinity(
		exprTerm(req("disktype", OpIn, "ssd"), req("gpu", OpExists)),
		NodeSelectorTerm{},
		exprTerm(req("cpus", OpGt, "+1")),
		NodeSelectorTerm{MatchExpressions: []Requirement{req("cpus", OpGt, "16"), req("canary", OpDoesNotExist)},
			MatchFields: []Requirement{req(NodeNameField, OpNotIn, "node-1")}},
	))
	got := p.Explain("node-1", map[string]string{"disktype": "hdd", "os": "linux", "cpus": "4", "canary": "yes"})
	var words []string
	for _, r := range got {
		words = append(words, string(r.Kind)+": "+r.String())
	}
	want := []string{
		"NodeSelector: node has no label arch (nodeSelector arch=amd64)",
		"NodeSelector: label disktype=hdd does not match nodeSelector disktype=ssd",
		"NodeAffinity: nodeSelectorTerms[0]: label disktype=hdd does not satisfy disktype in (ssd)",
		"NodeAffinity: nodeSelectorTerms[0]: node has no label gpu (node affinity requires it)",
		`NodeAffinity: nodeSelectorTerms[2]: invalid, so it never matches: matchExpressions[0]: value "+1": ` + msgValueShape,
		"NodeAffinity: nodeSelectorTerms[3]: label cpus=4 does not satisfy cpus>16",
		"NodeAffinity: nodeSelectorTerms[3]: label canary=yes is present (node affinity !canary)",
		"NodeAffinity: nodeSelectorTerms[3]: field metadata.name=node-1 does not satisfy metadata.name notin (node-1)",
	}
	eq(t, words, want)
	eq(t, got[2].Term, 0)
	eq(t, got[2].Key, "disktype")
	eq(t, got[2].NodeValue, "hdd")
	isTrue(t, got[2].Present)
	eq(t, got[2].Values, []string{"ssd"})
	isTrue(t, got[7].Field)

	one := CompileNodePlacement(nil, affinity(exprTerm(req("disktype", OpIn, "ssd"))))
	eq(t, one.Explain("n", map[string]string{"disktype": "hdd"})[0].String(), "label disktype=hdd does not satisfy disktype in (ssd)")
	none := CompileNodePlacement(nil, affinity(NodeSelectorTerm{}))
	eq(t, len(none.Explain("n", nil)), 1)
	eq(t, none.Explain("n", nil)[0].Term, -1)
	// The affinity matches, so only the nodeSelector is explained.
	sel := CompileNodePlacement(map[string]string{"a": "1"}, affinity(exprTerm(req("b", OpExists))))
	eq(t, len(sel.Explain("n", map[string]string{"b": ""})), 1)
}

func TestValidateNodeSelector(t *testing.T) {
	eq(t, len(ValidateNodeSelector(nil, "x")), 0)
	eq(t, errStrings(ValidateNodeSelector(affinity(), "spec.affinity")), []string{"spec.affinity.nodeSelectorTerms | Required value"})
	ns := affinity(
		exprTerm(req("a", OpIn), req("b", OpExists, "x"), req("c", OpGt, "1", "2"), req("d", "Bogus"), req("-e", OpLt, "1"), req("f", OpIn, "-1")),
		NodeSelectorTerm{MatchFields: []Requirement{req(NodeNameField, OpIn, "a", "b"), req(NodeNameField, OpExists), req("metadata.foo", OpIn, "x"),
			req(NodeNameField, OpNotIn, "Bad_Name"), req(NodeNameField, OpIn, "good.name")}},
		NodeSelectorTerm{},
	)
	p := "spec.template.spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution"
	got := errStrings(ValidateNodeSelector(ns, p))
	t0 := p + ".nodeSelectorTerms[0]"
	t1 := p + ".nodeSelectorTerms[1]"
	want := []string{
		t0 + ".matchExpressions[0].values | Required value",
		t0 + ".matchExpressions[1].values | Forbidden",
		t0 + ".matchExpressions[2].values | Required value",
		t0 + ".matchExpressions[3].operator | Invalid value",
		t0 + ".matchExpressions[4].key | Invalid value",
		t0 + ".matchExpressions[5].values[0] | Invalid value",
		t1 + ".matchFields[0].values | Required value",
		t1 + ".matchFields[1].operator | Invalid value",
		t1 + ".matchFields[2].key | Invalid value",
		t1 + ".matchFields[3].values[0] | Invalid value",
	}
	eq(t, got, want)
}
