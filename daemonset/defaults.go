package daemonset

import "github.com/daemonkit/daemonkit/rollout"

// DefaultRevisionHistoryLimit is the API server's default spec.revisionHistoryLimit.
const DefaultRevisionHistoryLimit = 10

// Default applies the API server's defaults (section 0 of the semantics) to ds in place: an empty
// update strategy type becomes RollingUpdate; a RollingUpdate strategy gets a rollingUpdate block
// with maxUnavailable 1 and maxSurge 0 where they are missing (OnDelete gets none);
// revisionHistoryLimit becomes 10 and the template's restartPolicy "Always" when unset. Values
// already set are kept, valid or not.
func Default(ds *DaemonSet) {
	if ds == nil {
		return
	}
	us := &ds.UpdateStrategy
	if us.Type == "" {
		us.Type = RollingUpdateStrategy
	}
	if us.Type == RollingUpdateStrategy {
		if us.RollingUpdate == nil {
			us.RollingUpdate = &RollingUpdate{}
		}
		if us.RollingUpdate.MaxUnavailable == nil {
			v := rollout.FromInt(1)
			us.RollingUpdate.MaxUnavailable = &v
		}
		if us.RollingUpdate.MaxSurge == nil {
			v := rollout.FromInt(0)
			us.RollingUpdate.MaxSurge = &v
		}
	}
	if ds.RevisionHistoryLimit == nil {
		v := int32(DefaultRevisionHistoryLimit)
		ds.RevisionHistoryLimit = &v
	}
	if ds.Template.RestartPolicy == "" {
		ds.Template.RestartPolicy = "Always"
	}
}
