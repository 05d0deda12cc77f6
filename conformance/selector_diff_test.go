package conformance_test

import (
	"fmt"
	"maps"
	"math/rand/v2"
	"reflect"
	"slices"
	"testing"

	"github.com/go-logr/logr"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	metav1validation "k8s.io/apimachinery/pkg/apis/meta/v1/validation"
	"k8s.io/apimachinery/pkg/labels"
	k8sfield "k8s.io/apimachinery/pkg/util/validation/field"
	"k8s.io/component-helpers/scheduling/corev1/nodeaffinity"
	"k8s.io/kubernetes/pkg/apis/core"
	corev1conv "k8s.io/kubernetes/pkg/apis/core/v1"
	corevalidation "k8s.io/kubernetes/pkg/apis/core/validation"
	daemonutil "k8s.io/kubernetes/pkg/controller/daemon/util"

	"github.com/daemonkit/daemonkit/internal/field"
	"github.com/daemonkit/daemonkit/selector"
)

// Iteration counts: large enough to hit every generator branch many times, small enough that the
// whole file runs in about a second.
const (
	selectorCases = 4000
	matchesPerSel = 8
)

// tally counts agreements per feature and logs them.
type tally struct {
	t      *testing.T
	counts map[string][2]int
	order  []string
	// sides counts, per feature, how often upstream answered true and false, so that a
	// generator that only ever produces one answer is caught rather than trusted.
	sides map[string][2]int
}

func newTally(t *testing.T) *tally {
	return &tally{t: t, counts: map[string][2]int{}, sides: map[string][2]int{}}
}

// side records upstream's answer for a boolean feature.
func (ty *tally) side(feature string, upstream bool) {
	c := ty.sides[feature]
	if upstream {
		c[0]++
	} else {
		c[1]++
	}
	ty.sides[feature] = c
}

// check records one comparison; a disagreement fails the test with the case printed.
func (ty *tally) check(feature string, agree bool, format string, args ...any) {
	ty.t.Helper()
	c, ok := ty.counts[feature]
	if !ok {
		ty.order = append(ty.order, feature)
	}
	c[1]++
	if agree {
		c[0]++
	} else if c[1]-c[0] <= 5 {
		ty.t.Errorf("%s disagrees with upstream: "+format, append([]any{feature}, args...)...)
	}
	ty.counts[feature] = c
}

// log prints the agreement counts, and fails when a boolean feature saw one answer in fewer
// than 2% of its cases (the comparison would then prove little).
func (ty *tally) log() {
	for _, f := range ty.order {
		c := ty.counts[f]
		ty.t.Logf("%-40s %d/%d agree", f, c[0], c[1])
	}
	for _, f := range slices.Sorted(maps.Keys(ty.sides)) {
		c := ty.sides[f]
		n := c[0] + c[1]
		ty.t.Logf("%-40s upstream said true %d, false %d", f, c[0], c[1])
		if c[0]*50 < n || c[1]*50 < n {
			ty.t.Errorf("%s: the generated cases are lopsided (true %d, false %d)", f, c[0], c[1])
		}
	}
}

// TestSelectorParseAgainstUpstream: selector.Parse accepts exactly what labels.Parse accepts; an
// accepted selector prints as upstream prints it, matches the same label sets, and reads back.
func TestSelectorParseAgainstUpstream(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	ty := newTally(t)
	defer ty.log()
	for range selectorCases {
		s := selectorString(r)
		up, upErr := labels.Parse(s)
		dk, dkErr := selector.Parse(s)
		ty.side("parse accepts", upErr == nil)
		ty.check("parse accept/reject", (upErr == nil) == (dkErr == nil), "%q: upstream err %v, daemonkit err %v", s, upErr, dkErr)
		if upErr != nil || dkErr != nil {
			continue
		}
		ty.check("parse String", up.String() == dk.String(), "%q: upstream %q, daemonkit %q", s, up.String(), dk.String())
		back, err := selector.Parse(dk.String())
		ty.check("parse round trip", err == nil && back.String() == dk.String(), "%q printed %q: %v", s, dk.String(), err)
		for range matchesPerSel {
			m := labelSet(r)
			ty.side("parse Matches", up.Matches(labels.Set(m)))
			ty.check("parse Matches", up.Matches(labels.Set(m)) == dk.Matches(m), "%q on %v: upstream %v", s, m, up.Matches(labels.Set(m)))
		}
	}
}

func randomLabelSelector(r *rand.Rand) *metav1.LabelSelector {
	switch r.IntN(10) {
	case 0:
		return nil
	case 1:
		return &metav1.LabelSelector{}
	}
	ls := &metav1.LabelSelector{}
	if r.IntN(2) == 0 {
		ls.MatchLabels = map[string]string{}
		for range 1 + r.IntN(3) {
			ls.MatchLabels[key(r, 0.1)] = value(r, 0.1)
		}
	}
	ops := []metav1.LabelSelectorOperator{"In", "NotIn", "Exists", "DoesNotExist", "Gt", "in", ""}
	for range r.IntN(4) {
		e := metav1.LabelSelectorRequirement{Key: key(r, 0.1), Operator: pick(r, ops)}
		if r.IntN(10) == 0 {
			e.Operator = pick(r, ops[:4])
		}
		n := r.IntN(4)
		if e.Operator == "Exists" || e.Operator == "DoesNotExist" {
			if r.IntN(4) != 0 {
				n = 0
			}
		} else if r.IntN(6) != 0 && n == 0 {
			n = 1
		}
		for range n {
			e.Values = append(e.Values, value(r, 0.1))
		}
		ls.MatchExpressions = append(ls.MatchExpressions, e)
	}
	return ls
}

// errorKeys turns validation errors into sorted "path: type" strings, so the two sides can be
// compared without depending on the wording of details.
func errorKeys[E any](errs []E, key func(E) string) []string {
	out := make([]string, 0, len(errs))
	for _, e := range errs {
		out = append(out, key(e))
	}
	slices.Sort(out)
	return out
}

func upstreamKey(e *k8sfield.Error) string { return e.Field + ": " + e.Type.String() }
func daemonkitKey(e *field.Error) string   { return e.Path + ": " + string(e.Type) }

// TestLabelSelectorAgainstUpstream: FromLabelSelector accepts and compiles what
// metav1.LabelSelectorAsSelector does (same String, same matches), and ValidateLabelSelector
// reports errors on the same fields, of the same types, as the API server's validation.
func TestLabelSelectorAgainstUpstream(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	ty := newTally(t)
	defer ty.log()
	for range selectorCases {
		ls := randomLabelSelector(r)
		up, upErr := metav1.LabelSelectorAsSelector(ls)
		dk, dkErr := selector.FromLabelSelector(toLabelSelector(ls))
		ty.side("FromLabelSelector accepts", upErr == nil)
		ty.check("FromLabelSelector accept/reject", (upErr == nil) == (dkErr == nil), "%+v: upstream err %v, daemonkit err %v", ls, upErr, dkErr)
		upV := errorKeys(metav1validation.ValidateLabelSelector(ls, metav1validation.LabelSelectorValidationOptions{}, k8sfield.NewPath("spec", "selector")), upstreamKey)
		dkV := errorKeys(selector.ValidateLabelSelector(toLabelSelector(ls), "spec.selector"), daemonkitKey)
		ty.check("ValidateLabelSelector", slices.Equal(upV, dkV), "%+v: upstream %v, daemonkit %v", ls, upV, dkV)
		if upErr != nil || dkErr != nil {
			continue
		}
		ty.check("FromLabelSelector String", up.String() == dk.String(), "%+v: upstream %q, daemonkit %q", ls, up.String(), dk.String())
		for range matchesPerSel {
			m := labelSet(r)
			ty.side("FromLabelSelector Matches", up.Matches(labels.Set(m)))
			ty.check("FromLabelSelector Matches", up.Matches(labels.Set(m)) == dk.Matches(m), "%+v on %v", ls, m)
		}
	}
}

var nodeNames = []string{"node-a", "node-b", "node-c", "", "Node_A"}

func randomNodeSelectorTerm(r *rand.Rand) corev1.NodeSelectorTerm {
	var t corev1.NodeSelectorTerm
	if r.IntN(8) == 0 {
		return t // empty: dropped by the matcher
	}
	ops := []corev1.NodeSelectorOperator{"In", "NotIn", "Exists", "DoesNotExist", "Gt", "Lt", "Bogus"}
	for range r.IntN(3) {
		e := corev1.NodeSelectorRequirement{Key: key(r, 0.08), Operator: pick(r, ops[:6])}
		if r.IntN(20) == 0 {
			e.Operator = "Bogus"
		}
		n := 1 + r.IntN(2)
		switch e.Operator {
		case "Exists", "DoesNotExist":
			n = 0
			if r.IntN(10) == 0 {
				n = 1
			}
		case "Gt", "Lt":
			if r.IntN(10) == 0 {
				n = 2
			}
		default:
			if r.IntN(12) == 0 {
				n = 0
			}
		}
		for range n {
			if e.Operator == "Gt" || e.Operator == "Lt" {
				e.Values = append(e.Values, pick(r, intValues))
			} else {
				e.Values = append(e.Values, value(r, 0.08))
			}
		}
		t.MatchExpressions = append(t.MatchExpressions, e)
	}
	for range r.IntN(2) {
		e := corev1.NodeSelectorRequirement{Key: "metadata.name", Operator: pick(r, []corev1.NodeSelectorOperator{"In", "NotIn", "In", "NotIn", "Exists"})}
		if r.IntN(10) == 0 {
			e.Key = pick(r, []string{"metadata.namespace", "spec.foo"})
		}
		n := 1
		if r.IntN(8) == 0 {
			n = r.IntN(3)
		}
		for range n {
			e.Values = append(e.Values, pick(r, nodeNames))
		}
		t.MatchFields = append(t.MatchFields, e)
	}
	return t
}

func randomRequiredAffinity(r *rand.Rand) *corev1.NodeSelector {
	if r.IntN(4) == 0 {
		return nil
	}
	ns := &corev1.NodeSelector{}
	n := 1 + r.IntN(3)
	if r.IntN(15) == 0 {
		n = 0
	}
	for range n {
		ns.NodeSelectorTerms = append(ns.NodeSelectorTerms, randomNodeSelectorTerm(r))
	}
	return ns
}

func randomNodeSelectorMap(r *rand.Rand) map[string]string {
	if r.IntN(2) == 0 {
		return nil
	}
	m := map[string]string{}
	for range r.IntN(3) {
		m[key(r, 0.05)] = value(r, 0.05)
	}
	return m
}

// TestNodePlacementAgainstUpstream: CompileNodePlacement(...).Matches decides exactly as the
// scheduler helper the DaemonSet controller calls (nodeaffinity.GetRequiredNodeAffinity(pod).Match,
// errors ignored), invalid terms and empty names included; ValidateNodeSelector flags the same
// fields as the API server's validation.
func TestNodePlacementAgainstUpstream(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	ty := newTally(t)
	defer ty.log()
	for range selectorCases {
		nsMap := randomNodeSelectorMap(r)
		req := randomRequiredAffinity(r)
		pod := &corev1.Pod{Spec: corev1.PodSpec{NodeSelector: nsMap}}
		if req != nil {
			pod.Spec.Affinity = &corev1.Affinity{NodeAffinity: &corev1.NodeAffinity{RequiredDuringSchedulingIgnoredDuringExecution: req}}
		}
		upMatcher := nodeaffinity.GetRequiredNodeAffinity(pod)
		placement := selector.CompileNodePlacement(nsMap, toNodeSelector(req))
		for range matchesPerSel {
			node := &corev1.Node{ObjectMeta: metav1.ObjectMeta{Name: pick(r, nodeNames), Labels: labelSet(r)}}
			if r.IntN(3) == 0 && len(nsMap) > 0 {
				node.Labels = map[string]string{}
				for k, v := range nsMap {
					node.Labels[k] = v
				}
			}
			want, _ := upMatcher.Match(node)
			got := placement.Matches(node.Name, node.Labels)
			ty.side("node placement Matches", want)
			ty.check("node placement Matches", want == got, "nodeSelector %v affinity %+v node %q %v: upstream %v", nsMap, req, node.Name, node.Labels, want)
		}
		if req == nil {
			continue
		}
		var internal core.NodeSelector
		if err := corev1conv.Convert_v1_NodeSelector_To_core_NodeSelector(req, &internal, nil); err != nil {
			t.Fatal(err)
		}
		upV := errorKeys(corevalidation.ValidateNodeSelector(&internal, false, k8sfield.NewPath("required")), upstreamKey)
		dkV := errorKeys(selector.ValidateNodeSelector(toNodeSelector(req), "required"), daemonkitKey)
		ty.side("ValidateNodeSelector valid", len(upV) == 0)
		ty.check("ValidateNodeSelector", slices.Equal(upV, dkV), "%+v: upstream %v, daemonkit %v", req, upV, dkV)
	}
}

var (
	effects     = []corev1.TaintEffect{"", "NoSchedule", "PreferNoSchedule", "NoExecute", "Bogus"}
	tolOps      = []corev1.TolerationOperator{"", "Equal", "Exists", "Lt", "Gt", "bogus"}
	taintKeys   = []string{"dedicated", "gpu", "node.kubernetes.io/not-ready", "node.kubernetes.io/unreachable", "node.kubernetes.io/unschedulable", "node.kubernetes.io/network-unavailable", "node.kubernetes.io/disk-pressure", ""}
	taintValues = []string{"", "db", "user1", "5", "-3", "007", "10", "9223372036854775808"}
)

func randomToleration(r *rand.Rand) corev1.Toleration {
	t := corev1.Toleration{Key: pick(r, taintKeys), Operator: pick(r, tolOps), Value: pick(r, taintValues), Effect: pick(r, effects[:4])}
	if r.IntN(20) == 0 {
		t.Effect = "Bogus"
	}
	if r.IntN(15) == 0 {
		t.Key = pick(r, invalidKeys)
	}
	if r.IntN(4) == 0 {
		s := int64(r.IntN(3) * 150)
		t.TolerationSeconds = &s
	}
	return t
}

func randomTaint(r *rand.Rand) corev1.Taint {
	return corev1.Taint{Key: pick(r, taintKeys[:7]), Value: pick(r, taintValues), Effect: pick(r, effects[1:4])}
}

// TestTolerationsAgainstUpstream: ToleratesTaint agrees with corev1 Toleration.ToleratesTaint with
// the comparison-operator gate off and on; ValidateTolerations flags the same fields as the API
// server; DaemonTolerations gives every daemon pod exactly the tolerations upstream's
// AddOrUpdateDaemonPodTolerations does, in the same order, tolerationSeconds included.
func TestTolerationsAgainstUpstream(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 8))
	ty := newTally(t)
	defer ty.log()
	logger := logr.Discard()
	for range selectorCases {
		tol, taint := randomToleration(r), randomTaint(r)
		if r.IntN(2) == 0 { // aimed at the taint, so that tolerating is common enough to test
			tol.Key, tol.Value = taint.Key, taint.Value
			if r.IntN(3) != 0 {
				tol.Effect = taint.Effect
			}
		}
		for _, gate := range []bool{false, true} {
			want := tol.ToleratesTaint(logger, &taint, gate)
			got := selector.TolerationOptions{ComparisonOperators: gate}.ToleratesTaint(toToleration(tol), toTaint(taint))
			ty.side(fmt.Sprintf("ToleratesTaint (gate %v)", gate), want)
			ty.check(fmt.Sprintf("ToleratesTaint (gate %v)", gate), want == got, "%+v vs %+v: upstream %v", tol, taint, want)
		}
		if !taint.MatchTaint(&taint) { // keep MatchTaint honest: a taint always matches itself
			t.Fatalf("upstream MatchTaint is not reflexive on %+v", taint)
		}

		var tmpl []corev1.Toleration
		for range r.IntN(5) {
			tt := randomToleration(r)
			if r.IntN(3) == 0 { // often shaped like a default, to exercise the in-place replacement
				tt = corev1.Toleration{Key: pick(r, taintKeys[2:7]), Operator: pick(r, []corev1.TolerationOperator{"Exists", "Equal", ""}),
					Effect: pick(r, effects[1:4]), TolerationSeconds: tt.TolerationSeconds}
			}
			tmpl = append(tmpl, tt)
		}
		hostNetwork := r.IntN(3) == 0
		spec := &corev1.PodSpec{Tolerations: slices.Clone(tmpl), HostNetwork: hostNetwork}
		daemonutil.AddOrUpdateDaemonPodTolerations(spec)
		got := selector.DaemonTolerations(toTolerations(tmpl), hostNetwork)
		ty.check("DaemonTolerations", reflect.DeepEqual(toTolerations(spec.Tolerations), got), "template %+v hostNetwork %v:\nupstream  %+v\ndaemonkit %+v", tmpl, hostNetwork, spec.Tolerations, got)

		var internal []core.Toleration
		for _, tt := range tmpl {
			var it core.Toleration
			if err := corev1conv.Convert_v1_Toleration_To_core_Toleration(&tt, &it, nil); err != nil {
				t.Fatal(err)
			}
			internal = append(internal, it)
		}
		upV := errorKeys(corevalidation.ValidateTolerations(internal, k8sfield.NewPath("tolerations"), corevalidation.PodValidationOptions{}), upstreamKey)
		dkV := errorKeys(selector.ValidateTolerations(toTolerations(tmpl), "tolerations"), daemonkitKey)
		ty.side("ValidateTolerations valid", len(upV) == 0)
		ty.check("ValidateTolerations", slices.Equal(upV, dkV), "%+v: upstream %v, daemonkit %v", tmpl, upV, dkV)
	}
}
