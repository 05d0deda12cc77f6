package daemonset

import (
	"errors"

	"github.com/daemonkit/daemonkit/selector"
)

// EligibilityChecker is a DaemonSet's node rules compiled once: the template's nodeName, its
// nodeSelector and required node affinity, and its tolerations plus the ones the controller adds
// to every daemon pod. Checking a node against it costs a few map lookups and allocates nothing
// unless reasons are asked for.
//
// A checker holds copies of what it read: changing the DaemonSet afterwards does not change the
// checker, so compile a new one after a template change. It is immutable and safe for concurrent
// use.
type EligibilityChecker struct {
	nodeName    string
	nodes       selector.NodePlacement
	tolerations selector.TolerationSet
}

// NewEligibilityChecker compiles ds's node rules. It never fails on the rules themselves: an
// invalid affinity term simply matches no node, as upstream (Validate reports it). The only error
// is a nil ds.
func NewEligibilityChecker(ds *DaemonSet) (*EligibilityChecker, error) {
	if ds == nil {
		return nil, errors.New("eligibility: no DaemonSet")
	}
	c := compileEligibility(ds)
	return &c, nil
}

func compileEligibility(ds *DaemonSet) EligibilityChecker {
	t := &ds.Template
	return EligibilityChecker{
		nodeName:    t.NodeName,
		nodes:       selector.CompileNodePlacement(t.NodeSelector, t.RequiredNodeAffinity),
		tolerations: selector.CompileTolerations(selector.DaemonTolerations(t.Tolerations, t.HostNetwork)),
	}
}

// ShouldRun gives section 1.1's two answers for node: run when a new daemon pod belongs there,
// keep when an existing one may stay. keep is true whenever run is; a node with an untolerated
// NoSchedule taint (and nothing else against it) is the one case of keep without run. It
// allocates nothing.
func (c *EligibilityChecker) ShouldRun(node Node) (run, keep bool) {
	return c.check(&node)
}

// check is ShouldRun without the copy of the node: the rules in the controller's order, nodeName
// first, then nodeSelector and affinity, then taints.
func (c *EligibilityChecker) check(n *Node) (run, keep bool) {
	if c.nodeName != "" && c.nodeName != n.Name {
		return false, false
	}
	if !c.nodes.Matches(n.Name, n.Labels) {
		return false, false
	}
	return c.tolerations.CheckTaints(n.Taints)
}

// Check is ShouldRun with the reasons: when the node should not get a pod, Reasons lists every
// rule it fails, in the order nodeName, nodeSelector and affinity, taints. An eligible node costs
// no more than ShouldRun.
func (c *EligibilityChecker) Check(node Node) Eligibility {
	run, keep := c.check(&node)
	e := Eligibility{ShouldRun: run, ShouldContinueRunning: keep}
	if !run {
		e.Reasons = c.explain(&node)
	}
	return e
}

// explain lists every rule the node fails. It looks at all of them, not only the first that
// decided check's answer, so that a person fixes everything in one go.
func (c *EligibilityChecker) explain(n *Node) []selector.Reason {
	var rs []selector.Reason
	if c.nodeName != "" && c.nodeName != n.Name {
		rs = append(rs, selector.Reason{
			Kind:      selector.ReasonNodeName,
			Key:       selector.NodeNameField,
			Operator:  selector.OpIn,
			Values:    []string{c.nodeName},
			NodeValue: n.Name,
			Present:   true,
			Message:   "the pod template names node " + c.nodeName + ", not " + n.Name,
		})
	}
	rs = append(rs, c.nodes.Explain(n.Name, n.Labels)...)
	rs = append(rs, c.tolerations.ExplainTaints(n.Taints)...)
	return rs
}

// CheckNode says whether the DaemonSet should run a pod on node and whether an existing one may
// stay (section 1 of the semantics), with every failing rule as a reason. Taints are checked
// against the template's tolerations plus the tolerations the controller adds to every daemon pod;
// node conditions, spec.unschedulable and resources play no part.
//
// CheckNode compiles ds's rules on every call; to check many nodes, compile them once with
// NewEligibilityChecker.
func CheckNode(ds *DaemonSet, node Node) Eligibility {
	c := compileEligibility(ds)
	return c.Check(node)
}
