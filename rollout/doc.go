// Package rollout is the update-strategy math of a DaemonSet, as pure functions: the
// IntOrPercent values of maxUnavailable and maxSurge with upstream's rounding, the rolling-update
// budget, one rolling-update pass over a per-node view of old and new pods, and the revision
// history (which revision is current, which old ones to clean up, which one a rollback picks).
//
// The package imports only the standard library and internal/field (the validation error type).
// It reads no clock: availability is computed by the caller (Ready for minReadySeconds at its own
// now) and handed in on each PodView.
//
// # One pass
//
// A controller builds one NodeView per node that has daemon pods or should run one, after its pod
// loop has run, and asks Decide what the strategy wants now:
//
//	s := rollout.Strategy{Type: rollout.RollingUpdate, HasRollingUpdate: true}
//	mu := rollout.FromString("25%")
//	s.MaxUnavailable = &mu
//	d, err := rollout.Decide(s, desired, views)
//	if err != nil {
//		return err // nothing is decided: the pass fails as a whole
//	}
//	for _, del := range d.Deletes {
//		deletePod(del.Pod) // del.Reason says why
//	}
//	for _, c := range d.Creates {
//		createPod(c.Node)
//	}
//
// # Modes and the order contract
//
// When the scaled maxSurge is 0, Decide deletes old pods and creates nothing (the pod loop
// recreates them with the new template): every lone old pod that is not available goes at once,
// and available old pods go while fewer than maxUnavailable desired nodes lack an available pod.
// When maxSurge is positive, Decide creates new pods beside old ones, up to maxSurge at a time
// (a lone old pod that is not available gets its new pod outside that limit), and deletes an old
// pod once the new pod beside it is available.
//
// The numbers match the upstream controller exactly. Where upstream chooses among equal
// candidates in Go map order, rollout chooses in ascending node name, so the nodes that are
// updated first are the ones whose names sort first; the output slices are sorted by node name.
// The same input in any order gives the same Decision.
//
// # History
//
// CurrentRevision, NextRevisionNumber, RevisionsToDelete and Rollback work on Revision values
// (the fields of a ControllerRevision that matter). The template hash is an input: computing it
// byte for byte like upstream is the kube package's job.
package rollout
