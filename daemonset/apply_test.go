package daemonset

import (
	"regexp"
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
