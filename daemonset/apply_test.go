package daemonset

import (
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

var generatedName = regexp.MustCompile(`^foo-[bcdfghjklmnpqrstvwxz2456789]{5}$`)

// Apply names created pods as generateName "<ds>-" would: a fixed-length suffix, the same for the
// same input, and different for the pod that replaces a deleted one on the same node.
func TestApplyNamesPodsLikeGenerateName(t *testing.T) {
	in := Input{DaemonSet: newDS("RollingUpdate"), Hash: "v1", Now: t0,
		Nodes: []Node{{Name: "node-1"}, {Name: "node-2"}, {Name: "node-3"}}}
	res := Result{Creates: []Create{{Node: "node-1"}, {Node: "node-2"}, {Node: "node-3"}}}
	first := Apply(in, res, ApplyOptions{})
	require.Len(t, first.Pods, 3)
	seen := map[string]bool{}
	for _, p := range first.Pods {
		require.Regexp(t, generatedName, p.Name)
		require.False(t, seen[p.Name], "duplicate name %s", p.Name)
		seen[p.Name] = true
	}
	require.Equal(t, first.Pods, Apply(in, res, ApplyOptions{}).Pods, "the same input gives the same names")

	// The replacement on node-1 (a new revision, a later time) is a new name, not the old one's.
	old := first.Pods[0]
	in2 := first
	in2.Hash, in2.Now = "v2", t0.Add(10*time.Second)
	second := Apply(in2, Result{Deletes: []Delete{{Pod: old.Name, Node: "node-1"}}, Creates: []Create{{Node: "node-1"}}}, ApplyOptions{})
	require.Len(t, second.Pods, 3)
	repl := second.Pods[2]
	require.Regexp(t, generatedName, repl.Name)
	require.NotEqual(t, old.Name, repl.Name)
	require.Equal(t, "node-1", repl.NodeName)
}

// A name taken by a pod of the namespace is skipped for the next attempt; a pod of another
// namespace does not take it.
func TestApplyNameCollisionsTryAgain(t *testing.T) {
	ds := newDS("RollingUpdate")
	in := Input{DaemonSet: ds, Hash: "v1", Now: t0, Nodes: []Node{{Name: "node-1"}}}
	res := Result{Creates: []Create{{Node: "node-1"}}}
	want := Apply(in, res, ApplyOptions{}).Pods[0].Name

	in.Pods = []Pod{{Name: want, Namespace: "elsewhere"}}
	require.Equal(t, want, Apply(in, res, ApplyOptions{}).Pods[1].Name, "another namespace's pod does not collide")

	in.Pods = []Pod{{Name: want, Namespace: ds.Namespace}}
	got := Apply(in, res, ApplyOptions{}).Pods[1].Name
	require.Regexp(t, generatedName, got)
	require.NotEqual(t, want, got)

	// Taking every name a run of attempts gives pushes the name to the first free one.
	taken := map[string]bool{}
	var names []string
	for range 50 {
		n := generateName("foo", "node-1", "v1", t0, taken)
		require.False(t, taken[n])
		taken[n] = true
		names = append(names, n)
	}
	require.Len(t, taken, 50)
	require.Equal(t, want, names[0])
}

// Many creates in one Apply over pods that already hold some of the names: all unique.
func TestApplyNamesAreUnique(t *testing.T) {
	ds := newDS("RollingUpdate")
	in := Input{DaemonSet: ds, Hash: "v1", Now: t0}
	var res Result
	for i := range 2000 {
		res.Creates = append(res.Creates, Create{Node: "node-" + strconv.Itoa(i)})
	}
	pre := Apply(in, res, ApplyOptions{})
	in.Pods = pre.Pods[:1000] // the same input again: every first attempt of the first 1000 is taken
	out := Apply(in, res, ApplyOptions{})
	seen := map[string]bool{}
	for _, p := range out.Pods {
		require.False(t, seen[p.Name], "duplicate name %s", p.Name)
		seen[p.Name] = true
		require.Regexp(t, generatedName, p.Name)
	}
	require.Len(t, seen, 3000)
}

func TestGenerateNameCutsALongPrefix(t *testing.T) {
	long := strings.Repeat("a", 70)
	n := generateName(long, "node-1", "v1", t0, map[string]bool{})
	require.Len(t, n, 63)
	require.True(t, strings.HasPrefix(n, strings.Repeat("a", 58)))
}

// With MarkDeleting, Apply deletes as the API server does: a bound running pod, or one with
// finalizers, stays with a deletionTimestamp; an unbound or terminated pod without finalizers goes.
func TestApplyMarkDeletingFollowsTheAPIServer(t *testing.T) {
	ds := newDS("RollingUpdate")
	mk := func(name, node string, phase PodPhase, finalizers ...string) Pod {
		return Pod{Name: name, Namespace: ds.Namespace, NodeName: node, Phase: phase, Finalizers: finalizers,
			Controller: &OwnerRef{Kind: "DaemonSet", Name: ds.Name, UID: ds.UID}}
	}
	in := Input{DaemonSet: ds, Now: t0, Nodes: []Node{{Name: "node-1"}}, Pods: []Pod{
		mk("running", "node-1", PodRunning),
		mk("unbound", "", PodPending),
		mk("failed", "node-1", PodFailed),
		mk("failed-finalizer", "node-1", PodFailed, "example.com/keep"),
		mk("unbound-finalizer", "", PodPending, "example.com/keep"),
	}}
	var res Result
	for _, p := range in.Pods {
		res.Deletes = append(res.Deletes, Delete{Pod: p.Name, Node: "node-1"})
	}
	left := map[string]bool{}
	for _, p := range Apply(in, res, ApplyOptions{MarkDeleting: true}).Pods {
		require.NotNil(t, p.DeletionTimestamp, p.Name)
		require.Equal(t, t0, *p.DeletionTimestamp, p.Name)
		left[p.Name] = true
	}
	require.Equal(t, map[string]bool{"running": true, "failed-finalizer": true, "unbound-finalizer": true}, left)
	require.Empty(t, Apply(in, res, ApplyOptions{}).Pods, "without MarkDeleting every deleted pod goes")
}

// Apply carries out every part of a Result: adoptions and releases change only the DaemonSet's
// namespace, created pods carry the template's labels, the revision labels, a controller
// reference and an affinity naming their node, Unbound leaves them unbound, status and memory are
// replaced, and the input is left as it was.
func TestApplyCarriesOutTheResult(t *testing.T) {
	ds := newDS("RollingUpdate")
	ds.Annotations = map[string]string{TemplateGenerationAnnotation: "3"}
	orphan := Pod{Name: "orphan", Namespace: ds.Namespace, Labels: copyMap(simpleLabels), NodeName: "node-1"}
	owned := Pod{Name: "owned", Namespace: ds.Namespace, Labels: copyMap(otherLabels), NodeName: "node-1", Controller: ownerRef(ds)}
	twin := Pod{Name: "orphan", Namespace: "elsewhere", NodeName: "node-1"}
	in := Input{DaemonSet: ds, Hash: "h9", Now: t0, Nodes: []Node{{Name: "node-1"}, {Name: "node-2"}},
		Pods: []Pod{orphan, owned, twin}}
	before := in
	before.Pods = slices.Clone(in.Pods)
	dsBefore := *ds
	res := Result{
		Creates: []Create{{Node: "node-2"}}, Adopted: []string{"orphan"}, Released: []string{"owned"},
		Status: Status{DesiredNumberScheduled: 2, ObservedGeneration: 1},
		Memory: Memory{Backoff: []BackoffEntry{{Key: "k", Delay: time.Second, LastUpdate: t0}}},
	}
	for _, unbound := range []bool{false, true} {
		out := Apply(in, res, ApplyOptions{Unbound: unbound})
		require.Equal(t, before, in, "input changed")
		require.Equal(t, dsBefore, *in.DaemonSet, "input DaemonSet changed")
		require.Equal(t, res.Status, out.DaemonSet.Status)
		require.Equal(t, res.Memory, out.Memory)
		require.NotSame(t, &res.Memory.Backoff[0], &out.Memory.Backoff[0], "memory shared with the result")

		require.Len(t, out.Pods, 4)
		require.Equal(t, ownerRef(ds), out.Pods[0].Controller, "adopted")
		require.Nil(t, out.Pods[1].Controller, "released")
		require.Nil(t, out.Pods[2].Controller, "a pod of another namespace with the adopted name")

		c := out.Pods[3]
		wantLabels := copyMap(simpleLabels)
		wantLabels[RevisionHashLabel] = "h9"
		wantLabels[TemplateGenerationLabel] = "3"
		require.Equal(t, wantLabels, c.Labels)
		require.Equal(t, ownerRef(ds), c.Controller)
		require.Equal(t, ds.Namespace, c.Namespace)
		require.Equal(t, PodPending, c.Phase)
		require.Equal(t, t0, c.CreationTimestamp)
		require.Empty(t, c.Ready)
		target, ok := TargetNode(&Pod{RequiredNodeAffinity: c.RequiredNodeAffinity})
		require.True(t, ok)
		require.Equal(t, "node-2", target)
		if unbound {
			require.Empty(t, c.NodeName)
		} else {
			require.Equal(t, "node-2", c.NodeName)
		}
		c.Labels["x"] = "y"
		require.NotContains(t, ds.Template.Labels, "x", "created pod shares the template's labels")
	}
}
