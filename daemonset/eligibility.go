package daemonset

import (
	"github.com/daemonkit/daemonkit/selector"
)

// placement is a DaemonSet's node rules compiled once, so that checking a node allocates nothing.
type placement struct {
	nodeName    string
	nodes       selector.NodePlacement
	tolerations selector.TolerationSet
}

func compilePlacement(ds *DaemonSet) placement {
	t := &ds.Template
	return placement{
		nodeName:    t.NodeName,
		nodes:       selector.CompileNodePlacement(t.NodeSelector, t.RequiredNodeAffinity),
		tolerations: selector.CompileTolerations(selector.DaemonTolerations(t.Tolerations, t.HostNetwork)),
	}
}

// check is section 1.1: the template's nodeName, then nodeSelector and required affinity, then the
// NoSchedule and NoExecute taints against the template's tolerations plus the daemon defaults.
func (pl *placement) check(n *Node) (shouldRun, shouldContinue bool) {
	if pl.nodeName != "" && pl.nodeName != n.Name {
		return false, false
	}
	if !pl.nodes.Matches(n.Name, n.Labels) {
		return false, false
	}
	return pl.tolerations.CheckTaints(n.Taints)
}

// explain lists every rule the node fails, in the order nodeName, nodeSelector/affinity, taints.
func (pl *placement) explain(n *Node) []selector.Reason {
	var rs []selector.Reason
	if pl.nodeName != "" && pl.nodeName != n.Name {
		rs = append(rs, selector.Reason{
			Kind:      selector.ReasonNodeName,
			Key:       selector.NodeNameField,
			Operator:  selector.OpIn,
			Values:    []string{pl.nodeName},
			NodeValue: n.Name,
			Present:   true,
			Message:   "the pod template names node " + pl.nodeName + ", not " + n.Name,
		})
	}
	rs = append(rs, pl.nodes.Explain(n.Name, n.Labels)...)
	rs = append(rs, pl.tolerations.ExplainTaints(n.Taints)...)
	return rs
}

// CheckNode says whether the DaemonSet should run a pod on node and whether an existing one may
// stay (section 1 of the semantics), with every failing rule as a reason. Taints are checked
// against the template's tolerations plus the tolerations the controller adds to every daemon pod;
// node conditions, spec.unschedulable and resources play no part.
func CheckNode(ds *DaemonSet, node Node) Eligibility {
	pl := compilePlacement(ds)
	run, keep := pl.check(&node)
	e := Eligibility{ShouldRun: run, ShouldContinueRunning: keep}
	if !run {
		e.Reasons = pl.explain(&node)
	}
	return e
}
