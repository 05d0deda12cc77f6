package daemonset

import (
	"fmt"
	"testing"
	"time"

	"github.com/daemonkit/daemonkit/rollout"
	"github.com/daemonkit/daemonkit/selector"
	"github.com/stretchr/testify/require"
)

// Fixtures in the shape of upstream's unit tests: DaemonSet foo in default, selector and template
// labels {name: simple-daemon, type: production}, revisionHistoryLimit 2.
var (
	simpleLabels = map[string]string{"name": "simple-daemon", "type": "production"}
	otherLabels  = map[string]string{"type": "test"}
	nodeLabels   = map[string]string{"color": "blue", "speed": "fast"}
	t0           = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
)

const testHash = "abc123"

func newDS(strategy string) *DaemonSet {
	ds := &DaemonSet{
		Name: "foo", Namespace: "default", UID: "uid-foo", Generation: 1,
		Selector: &selector.LabelSelector{MatchLabels: copyMap(simpleLabels)},
		Template: PodTemplate{Labels: copyMap(simpleLabels)},
	}
	switch strategy {
	case "OnDelete":
		ds.UpdateStrategy = UpdateStrategy{Type: OnDeleteStrategy}
	case "RollingUpdate":
		one := rollout.FromInt(1)
		ds.UpdateStrategy = UpdateStrategy{Type: RollingUpdateStrategy, RollingUpdate: &RollingUpdate{MaxUnavailable: &one}}
	case "Surge":
		zero, one := rollout.FromInt(0), rollout.FromInt(1)
		ds.UpdateStrategy = UpdateStrategy{Type: RollingUpdateStrategy, RollingUpdate: &RollingUpdate{MaxUnavailable: &zero, MaxSurge: &one}}
	default:
		panic(strategy)
	}
	limit := int32(2)
	ds.RevisionHistoryLimit = &limit
	ds.Template.RestartPolicy = "Always"
	return ds
}

// strategies are the two configurations upstream runs most cases under.
var strategies = []string{"OnDelete", "RollingUpdate"}

func copyMap(m map[string]string) map[string]string {
	if m == nil {
		return nil
	}
	out := make(map[string]string, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}

func addNodes(nodes []Node, start, n int, labels map[string]string) []Node {
	for i := start; i < start+n; i++ {
		nodes = append(nodes, Node{Name: fmt.Sprintf("node-%d", i), Labels: copyMap(labels)})
	}
	return nodes
}

// podSeq makes pod names unique within a test.
type podSeq struct{ n int }

// pod returns a pod owned by ds on node with the given labels, created at t0 plus its sequence
// number in seconds, carrying the current hash when its labels are the DaemonSet's.
func (s *podSeq) pod(ds *DaemonSet, node string, labels map[string]string) Pod {
	s.n++
	l := copyMap(labels)
	if l == nil {
		l = map[string]string{}
	}
	l[RevisionHashLabel] = testHash
	return Pod{
		Name: fmt.Sprintf("%s-%s-%d", ds.Name, node, s.n), Namespace: ds.Namespace, UID: fmt.Sprintf("pod-uid-%d", s.n),
		Labels: l, Controller: ownerRef(ds), NodeName: node, Phase: PodRunning,
		CreationTimestamp: t0.Add(time.Duration(s.n) * time.Second),
	}
}

func (s *podSeq) pods(ds *DaemonSet, node string, n int, labels map[string]string) []Pod {
	var out []Pod
	for range n {
		out = append(out, s.pod(ds, node, labels))
	}
	return out
}

func input(ds *DaemonSet, nodes []Node, pods []Pod) Input {
	return Input{DaemonSet: ds, Nodes: nodes, Pods: pods, Hash: testHash, Now: t0.Add(time.Hour)}
}

// syncCounts runs one sync in upstream's unit-test mode and checks (creates, deletes, events).
func syncCounts(t *testing.T, in Input, creates, deletes, events int) Result {
	t.Helper()
	r, err := Plan(in, Options{Observe: ObserveImmediate})
	require.NoError(t, err)
	require.Len(t, r.Creates, creates, "creates: %v", r.Creates)
	require.Len(t, r.Deletes, deletes, "deletes: %v", r.Deletes)
	require.Len(t, r.Events, events, "events: %v", r.Events)
	return r
}
