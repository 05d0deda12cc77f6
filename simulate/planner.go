package simulate

import (
	"github.com/daemonkit/daemonkit/daemonset"
)

// Planner is the controller's decision function: one reconcile from the controller's view to
// creates, deletes and status. The simulator calls it at every sync. The default is daemonset's
// own (DaemonSetPlanner); tests plug in broken planners to show the invariants catch them.
type Planner interface {
	Plan(in daemonset.Input, opts daemonset.Options) (daemonset.Result, error)
}

// PlanFunc turns a function into a Planner.
type PlanFunc func(in daemonset.Input, opts daemonset.Options) (daemonset.Result, error)

// Plan calls f.
func (f PlanFunc) Plan(in daemonset.Input, opts daemonset.Options) (daemonset.Result, error) {
	return f(in, opts)
}

// DaemonSetPlanner returns daemonset's reusable planner (a new one per run: it is not safe for
// concurrent use, and Forecast runs seeds in parallel).
func DaemonSetPlanner() Planner { return &daemonset.Planner{} }
