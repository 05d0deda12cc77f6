// Package selector answers "does this selector pick that object?" with the exact semantics of
// upstream Kubernetes v1.37 (k8s.io/apimachinery labels, component-helpers node affinity, the
// core/v1 toleration helpers), quirks included, so that a decision made here is the one the
// DaemonSet controller and the API server would make.
//
// It covers three things:
//
//   - Label selectors. Parse reads the kubectl syntax ("app=agent,tier in (node,edge),!canary",
//     also ==, !=, notin, bare keys, > and <) and accepts and rejects exactly what upstream does;
//     FromLabelSelector compiles a metav1-style selector (nil selects nothing, empty selects
//     everything). String prints upstream's canonical form, sorted by key, which Parse reads back.
//   - Node placement. CompileNodePlacement combines a pod template's nodeSelector map with its
//     required node affinity: terms ORed, requirements ANDed, empty terms dropped, a term that
//     does not parse skipped while later terms may still match, Gt/Lt on integers, matchFields on
//     metadata.name (skipped for a node with no name).
//   - Taints and tolerations. CompileTolerations builds a TolerationSet whose CheckTaints gives the
//     controller's two answers for a node: may a daemon pod be scheduled there (every NoSchedule and
//     NoExecute taint tolerated) and may a running one stay (every NoExecute taint tolerated).
//     DaemonTolerations adds the tolerations the controller gives every daemon pod, merged the
//     way upstream merges them.
//
// Everything is compiled once and matched many times: Selector, NodePlacement and TolerationSet are
// immutable values, safe to share, and Matches, Tolerates and CheckTaints allocate nothing. When the
// answer is no, Explain and ExplainTaints return Reason values — a kind, the rule and what the
// node has — that print as sentences such as "label disktype=hdd does not satisfy disktype in (ssd)"
// or "taint dedicated=gpu:NoSchedule is not tolerated". Validation (ValidateLabelSelector,
// ValidateNodeSelector, ValidateTolerations) returns every problem at once as a field.List whose
// entries name their path, in the API server's words.
//
// A typical placement check, compiled once per DaemonSet and run per node:
//
//	place := selector.CompileNodePlacement(tmpl.NodeSelector, tmpl.RequiredAffinity)
//	tols := selector.CompileTolerations(selector.DaemonTolerations(tmpl.Tolerations, tmpl.HostNetwork))
//	for _, n := range nodes {
//		if !place.Matches(n.Name, n.Labels) {
//			fmt.Println(n.Name, place.Explain(n.Name, n.Labels))
//			continue
//		}
//		shouldRun, shouldContinueRunning := tols.CheckTaints(n.Taints)
//		fmt.Println(n.Name, shouldRun, shouldContinueRunning)
//	}
//
// The package imports only the standard library and internal/field; it has no globals, no clock
// and no goroutines. Where a map feeds an output (matchLabels, nodeSelector) its keys are sorted.
package selector
