package simulate

import (
	"strings"
	"testing"

	"github.com/daemonkit/daemonkit/daemonset"
	"github.com/daemonkit/daemonkit/rollout"
	"github.com/daemonkit/daemonkit/selector"
)

// testDS is a DaemonSet named name selecting app=name, with a rolling update of maxUnavailable mu
// (or maxSurge ms when ms > 0).
func testDS(name string, mu, ms int32) daemonset.DaemonSet {
	ru := &daemonset.RollingUpdate{}
	u := rollout.FromInt(mu)
	s := rollout.FromInt(ms)
	ru.MaxUnavailable, ru.MaxSurge = &u, &s
	return daemonset.DaemonSet{
		Name:           name,
		Namespace:      "default",
		UID:            "uid-" + name,
		Generation:     1,
		Selector:       &selector.LabelSelector{MatchLabels: map[string]string{"app": name}},
		Template:       daemonset.PodTemplate{Labels: map[string]string{"app": name}, RestartPolicy: "Always"},
		UpdateStrategy: daemonset.UpdateStrategy{Type: daemonset.RollingUpdateStrategy, RollingUpdate: ru},
	}
}

// livePods fails the test when the run violated an invariant, printing the history.
func livePods(t *testing.T, r *Result) {
	t.Helper()
	if r.Violation != nil {
		t.Fatalf("violation: %v\nhistory: %+v", r.Violation, r.Violation.History)
	}
}

func mustRun(t *testing.T, sc Scenario, seed uint64) *Result {
	t.Helper()
	r, err := Run(sc, seed)
	if err != nil {
		t.Fatal(err)
	}
	livePods(t, r)
	return r
}

func containsStr(s, sub string) bool { return strings.Contains(s, sub) }

// TaintOf is a taint with key and effect.
func TaintOf(key, effect string) selector.Taint {
	return selector.Taint{Key: key, Effect: selector.TaintEffect(effect)}
}
