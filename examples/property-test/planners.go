package main

import (
	"github.com/daemonkit/daemonkit/daemonset"
)

// These are "your" planners: the decision functions of a custom controller, with the signature
// of daemonset.Plan so that the simulator can drive them (simulate.PlanFunc).

// carefulPlan is a planner with a house rule on top of daemonkit's: during a rolling update it
// deletes at most one pod per sync, whatever maxUnavailable allows. A stricter budget is still
// within the budget, so every invariant must hold.
func carefulPlan(in daemonset.Input, opts daemonset.Options) (daemonset.Result, error) {
	res, err := daemonset.Plan(in, opts)
	if err != nil {
		return res, err
	}
	kept := res.Deletes[:0:0]
	rolling := 0
	for _, d := range res.Deletes {
		if d.Kind == daemonset.DeleteRollingUpdate {
			if rolling == 1 {
				continue
			}
			rolling++
		}
		kept = append(kept, d)
	}
	res.Deletes = kept
	return res, nil
}

// hastyPlan has a bug a reviewer could miss: to finish rollouts sooner it deletes every pod of an
// old revision as soon as nothing else is happening, forgetting maxUnavailable.
func hastyPlan(in daemonset.Input, opts daemonset.Options) (daemonset.Result, error) {
	res, err := daemonset.Plan(in, opts)
	if err != nil || len(res.Creates)+len(res.Deletes) > 0 {
		return res, err
	}
	for _, p := range in.Pods {
		if p.DeletionTimestamp == nil && p.Labels[daemonset.RevisionHashLabel] != in.Hash {
			res.Deletes = append(res.Deletes, daemonset.Delete{Pod: p.Name, Node: p.NodeName,
				Kind: daemonset.DeleteRollingUpdate, Reason: "old revision"})
		}
	}
	return res, nil
}
