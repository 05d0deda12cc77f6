// Package selector decides which objects a Kubernetes selector picks, with upstream's exact
// semantics: label selectors (matchLabels, matchExpressions and the kubectl string syntax), a pod
// template's node placement (its nodeSelector map and required node affinity), and taints against
// tolerations, including the tolerations the DaemonSet controller adds to every daemon pod.
//
// Everything is compiled once and matched many times: Selector, NodePlacement and TolerationSet
// are immutable values whose Matches, Tolerates and CheckTaints allocate nothing. When a node
// does not match, Explain and ExplainTaints say why, as Reason values that a caller can inspect
// and print.
//
//	sel, err := selector.Parse("app=agent,tier in (node,edge)")
//	if err != nil {
//		return err
//	}
//	place := selector.CompileNodePlacement(map[string]string{"disktype": "ssd"}, nil)
//	tols := selector.CompileTolerations(selector.DaemonTolerations(tmplTolerations, false))
//	for _, n := range nodes {
//		schedule, keep := tols.CheckTaints(n.Taints)
//		if place.Matches(n.Name, n.Labels) && schedule { ... }
//		_ = keep
//	}
//	_ = sel.Matches(podLabels)
//
// The package imports only the standard library and internal/field; it has no globals and starts
// no goroutines.
package selector
