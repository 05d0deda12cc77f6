package simulate

import (
	"fmt"
	"reflect"

	"github.com/daemonkit/daemonkit/daemonset"
)

// crossCheckFast decides the sync in again with the planner on the whole view and reports any
// difference from fast, the incremental reconcile's Result, as an InvBookkeeping violation: the
// creates and deletes (reasons included), the status and whether it is written. Deferred counts,
// memory and events are Plan's alone (the fast path runs only where they are empty).
func (s *sim) crossCheckFast(in daemonset.Input, opts daemonset.Options, fast daemonset.Result) {
	full, err := s.planner.Plan(in, opts)
	if err != nil {
		s.violate(InvBookkeeping, "incremental reconcile decided a sync on which Plan fails: "+err.Error())
		return
	}
	if d := resultDiff(fast, full); d != "" {
		s.violate(InvBookkeeping, "incremental reconcile differs from Plan: "+d)
	}
}

// resultDiff words the first difference between a (incremental) and b (Plan), "" when none.
func resultDiff(a, b daemonset.Result) string {
	switch {
	case !reflect.DeepEqual(a.Creates, b.Creates) && (len(a.Creates) > 0 || len(b.Creates) > 0):
		return fmt.Sprintf("creates %v, Plan %v", a.Creates, b.Creates)
	case !reflect.DeepEqual(a.Deletes, b.Deletes) && (len(a.Deletes) > 0 || len(b.Deletes) > 0):
		return fmt.Sprintf("deletes %v, Plan %v", a.Deletes, b.Deletes)
	case a.Status != b.Status:
		return fmt.Sprintf("status %+v, Plan %+v", a.Status, b.Status)
	case a.StatusWrite != b.StatusWrite:
		return fmt.Sprintf("status write %v, Plan %v", a.StatusWrite, b.StatusWrite)
	case a.RequeueAfter != b.RequeueAfter:
		return fmt.Sprintf("requeue after %s, Plan %s", a.RequeueAfter, b.RequeueAfter)
	}
	return ""
}
