package daemonset

import (
	"testing"
	"time"

	"github.com/daemonkit/daemonkit/selector"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// orphan returns p without its controller reference: a matching orphan the DaemonSet adopts.
func orphan(p Pod) Pod {
	p.Controller = nil
	return p
}

func withPhase(p Pod, phase PodPhase) Pod {
	p.Phase = phase
	return p
}

// unbound returns p pending on its node through the required node affinity the controller gives
// its pods, instead of spec.nodeName.
func unbound(p Pod) Pod {
	node := p.NodeName
	p.NodeName = ""
	p.RequiredNodeAffinity = &selector.NodeSelector{Terms: []selector.NodeSelectorTerm{{
		MatchFields: []selector.Requirement{{Key: selector.NodeNameField, Operator: selector.OpIn, Values: []string{node}}},
	}}}
	return p
}

// Upstream claims a DaemonSet's pods from the pod indexer, owned pods first, then orphans
// (controller.FilterPodsByOwner), and manage walks each node's pods in that order. The failed-pod
// backoff lets one failed pod go per node and sync, so that walk decides which: an owned one
// before an adopted orphan; within each group Plan takes them by name.
func TestFailedPodBackoffDeletesOwnedBeforeAdoptedOrphan(t *testing.T) {
	ds := newDS("OnDelete")
	var q podSeq
	mk := func(name string, owned bool, phase PodPhase) Pod {
		p := q.pod(ds, "node-0", simpleLabels)
		p.Name = name
		p.Phase = phase
		if !owned {
			p = orphan(p)
		}
		return p
	}
	cases := []struct {
		name    string
		pods    []Pod
		memory  bool // the node's backoff is running already
		deleted []string
		events  []string // reasons
	}{
		{"owned failed, orphan failed sorting first: the owned one goes",
			[]Pod{mk("a-orphan", false, PodFailed), mk("b-owned", true, PodFailed)},
			false, []string{"b-owned"}, []string{ReasonFailedDaemonPod}},
		{"the same, listed the other way round",
			[]Pod{mk("b-owned", true, PodFailed), mk("a-orphan", false, PodFailed)},
			false, []string{"b-owned"}, []string{ReasonFailedDaemonPod}},
		{"the orphan is older: pod order does not decide",
			[]Pod{func() Pod { p := mk("z-orphan", false, PodFailed); p.CreationTimestamp = t0.Add(-time.Hour); return p }(), mk("c-owned", true, PodFailed)},
			false, []string{"c-owned"}, []string{ReasonFailedDaemonPod}},
		{"two owned and an orphan: the owned one first by name",
			[]Pod{mk("a-orphan", false, PodFailed), mk("d-owned", true, PodFailed), mk("c-owned", true, PodFailed)},
			false, []string{"c-owned"}, []string{ReasonFailedDaemonPod}},
		{"two orphans: the first by name",
			[]Pod{mk("y-orphan", false, PodFailed), mk("x-orphan", false, PodFailed)},
			false, []string{"x-orphan"}, []string{ReasonFailedDaemonPod}},
		{"succeeded pods all go, the failed owned one beside them",
			[]Pod{mk("a-orphan", false, PodSucceeded), mk("b-orphan", false, PodFailed), mk("c-owned", true, PodFailed), mk("d-owned", true, PodSucceeded)},
			false, []string{"a-orphan", "c-owned", "d-owned"},
			[]string{ReasonFailedDaemonPod, ReasonSucceededDaemonPod, ReasonSucceededDaemonPod}},
		{"in backoff: neither goes",
			[]Pod{mk("a-orphan", false, PodFailed), mk("b-owned", true, PodFailed)},
			true, nil, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			for _, mode := range []ObserveMode{ObserveNone, ObserveImmediate} {
				in := input(ds, addNodes(nil, 0, 1, nil), c.pods)
				if c.memory {
					in.Memory.Backoff = []BackoffEntry{{Key: BackoffKey(ds, "node-0"), Delay: time.Minute, LastUpdate: in.Now.Add(-time.Second)}}
				}
				r, err := Plan(in, Options{Observe: mode})
				require.NoError(t, err)
				assert.Equal(t, c.deleted, deletedNames(r), mode.String())
				var reasons []string
				for _, e := range r.Events {
					reasons = append(reasons, e.Reason)
				}
				assert.Equal(t, c.events, reasons, mode.String())
				// The failed pods that stay wait for the backoff.
				assert.Positive(t, r.RequeueAfter, mode.String())
			}
		})
	}
}

// Upstream writes the status after claiming the pods again from an informer cache that has not
// seen the sync's own writes (ObserveNone). An orphan adopted and deleted in the sync still looks
// like an orphan there; when the API server removed it at once (unbound or terminated, without
// finalizers) the second adoption patch finds no pod and the claim leaves it out of the status. A
// pod deleted gracefully, or one that was owned already, is still counted. In ObserveImmediate the
// deletes are observed, so no deleted pod is counted.
func TestObserveNoneStatusLeavesOutAdoptedOrphanDeletedAtOnce(t *testing.T) {
	var q podSeq
	type counts struct{ current, misscheduled int32 }
	cases := []struct {
		name string
		// node-0 should run the pod; node-1 may not keep one (nodeSelector). With node-0 empty,
		// manage creates a pod there, which ObserveImmediate counts.
		strategy  string
		pod       func(ds *DaemonSet) Pod
		none, imm counts
	}{
		{"adopted bound Failed pod: gone at once, not counted", "OnDelete",
			func(ds *DaemonSet) Pod { return orphan(withPhase(q.pod(ds, "node-0", simpleLabels), PodFailed)) },
			counts{0, 0}, counts{0, 0}},
		{"adopted bound Succeeded pod: gone at once, not counted", "OnDelete",
			func(ds *DaemonSet) Pod { return orphan(withPhase(q.pod(ds, "node-0", simpleLabels), PodSucceeded)) },
			counts{0, 0}, counts{0, 0}},
		{"owned bound Failed pod: the claim does not patch it, counted", "OnDelete",
			func(ds *DaemonSet) Pod { return withPhase(q.pod(ds, "node-0", simpleLabels), PodFailed) },
			counts{1, 0}, counts{0, 0}},
		{"adopted Failed pod with a finalizer: deleted gracefully, counted", "OnDelete",
			func(ds *DaemonSet) Pod {
				p := orphan(withPhase(q.pod(ds, "node-0", simpleLabels), PodFailed))
				p.Finalizers = []string{"example.com/hold"}
				return p
			},
			counts{1, 0}, counts{0, 0}},
		{"adopted running pod on a node it may not stay on: deleted gracefully, counted", "OnDelete",
			func(ds *DaemonSet) Pod { return orphan(q.pod(ds, "node-1", simpleLabels)) },
			counts{0, 1}, counts{1, 0}},
		{"adopted unbound pod for a node it may not stay on: gone at once, not counted", "OnDelete",
			func(ds *DaemonSet) Pod { return orphan(unbound(q.pod(ds, "node-1", simpleLabels))) },
			counts{0, 0}, counts{1, 0}},
		{"owned unbound pod for a node it may not stay on: counted", "OnDelete",
			func(ds *DaemonSet) Pod { return unbound(q.pod(ds, "node-1", simpleLabels)) },
			counts{0, 1}, counts{1, 0}},
		{"adopted unbound old pod the rolling update deletes: gone at once, not counted", "RollingUpdate",
			func(ds *DaemonSet) Pod {
				p := orphan(unbound(q.pod(ds, "node-0", simpleLabels)))
				p.Labels[RevisionHashLabel] = "old"
				return p
			},
			counts{0, 0}, counts{0, 0}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			ds := newDS(c.strategy)
			ds.Template.NodeSelector = map[string]string{"color": "blue"}
			nodes := []Node{{Name: "node-0", Labels: map[string]string{"color": "blue"}}, {Name: "node-1"}}
			pod := c.pod(ds)
			in := input(ds, nodes, []Pod{pod})
			for _, m := range []struct {
				mode ObserveMode
				want counts
			}{{ObserveNone, c.none}, {ObserveImmediate, c.imm}} {
				r, err := Plan(in, Options{Observe: m.mode})
				require.NoError(t, err)
				require.Equal(t, []string{pod.Name}, deletedNames(r), "%s: the pod is deleted", m.mode)
				if pod.Controller == nil {
					require.Equal(t, []string{pod.Name}, r.Adopted, "%s: the pod is adopted", m.mode)
				}
				assert.Equal(t, int32(1), r.Status.DesiredNumberScheduled, m.mode.String())
				assert.Equal(t, m.want, counts{r.Status.CurrentNumberScheduled, r.Status.NumberMisscheduled}, m.mode.String())
			}
		})
	}
}

// Upstream finds a DaemonSet's pods through an index keyed by the controller reference's kind,
// name and UID: a reference with the DaemonSet's UID but another kind or name is someone else's,
// so its pod is neither counted, deleted, adopted nor released, and the node gets a pod of its own.
func TestControllerReferenceMustNameTheDaemonSet(t *testing.T) {
	ds := newDS("OnDelete")
	var q podSeq
	cases := []struct {
		name  string
		owner OwnerRef
		ours  bool
	}{
		{"kind, name and UID match", OwnerRef{Kind: "DaemonSet", Name: ds.Name, UID: ds.UID}, true},
		{"another kind with the same UID", OwnerRef{Kind: "ReplicaSet", Name: ds.Name, UID: ds.UID}, false},
		{"another name with the same UID", OwnerRef{Kind: "DaemonSet", Name: "other", UID: ds.UID}, false},
		{"another UID", OwnerRef{Kind: "DaemonSet", Name: ds.Name, UID: "uid-other"}, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p := q.pod(ds, "node-0", simpleLabels)
			owner := c.owner
			p.Controller = &owner
			r, err := Plan(input(ds, addNodes(nil, 0, 1, nil), []Pod{p}), Options{})
			require.NoError(t, err)
			assert.Empty(t, r.Deletes)
			assert.Empty(t, r.Adopted)
			assert.Empty(t, r.Released)
			if c.ours {
				assert.Empty(t, r.Creates, "the node already runs the DaemonSet's pod")
				assert.Equal(t, int32(1), r.Status.CurrentNumberScheduled)
			} else {
				require.Len(t, r.Creates, 1, "the pod is someone else's: the node still needs one")
				assert.Equal(t, int32(0), r.Status.CurrentNumberScheduled)
			}
		})
	}
}
