package daemonset

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/daemonkit/daemonkit/rollout"
	"github.com/daemonkit/daemonkit/selector"

	"github.com/stretchr/testify/require"
	"pgregory.net/rapid"
)

var modes = []ObserveMode{ObserveNone, ObserveImmediate}

// clusterGen draws each choice of generateCluster from rapid, so that clusters have several nodes
// and pods and shrink choice by choice. (A rapid byte slice fed to decodeCluster is mostly short
// or zero and gives clusters of less than one node on average; TestClusterGenIsNotTrivial holds
// the line.)
func clusterGen() *rapid.Generator[Input] {
	return rapid.Custom(func(t *rapid.T) Input {
		return generateCluster(rapidChooser{t})
	})
}

// rapidChooser draws every choice of a generated cluster from rapid.
type rapidChooser struct{ t *rapid.T }

func (c rapidChooser) next(n int) int {
	if n <= 1 {
		return 0
	}
	return rapid.IntRange(0, n-1).Draw(c.t, "choice")
}

// TestClusterGenIsNotTrivial keeps the properties below honest: the clusters they run on must
// have nodes and pods, and Plan must have work to do on many of them.
func TestClusterGenIsNotTrivial(t *testing.T) {
	var clusters, nodes, pods, creates, deletes int
	rapid.Check(t, func(rt *rapid.T) {
		in := clusterGen().Draw(rt, "cluster")
		r, _ := Plan(in, Options{})
		clusters++
		nodes += len(in.Nodes)
		pods += len(in.Pods)
		creates += len(r.Creates)
		deletes += len(r.Deletes)
	})
	perCluster := func(n int) float64 { return float64(n) / float64(clusters) }
	t.Logf("%d clusters; per cluster: %.1f nodes, %.1f pods, %.1f creates, %.1f deletes",
		clusters, perCluster(nodes), perCluster(pods), perCluster(creates), perCluster(deletes))
	if perCluster(nodes) < 2 || perCluster(pods) < 3 || perCluster(creates) < 0.5 || perCluster(deletes) < 0.5 {
		t.Fatal("the generated clusters are too small to test anything")
	}
}

// checkDeletesGiven asserts that every delete names a pod of the DaemonSet's namespace that was
// in the input, on the node the pod is for.
func checkDeletesGiven(t require.TestingT, in Input, r Result) {
	for _, d := range r.Deletes {
		// Names are unique per node, not per namespace, in what Plan accepts.
		i := slices.IndexFunc(in.Pods, func(p Pod) bool {
			node, ok := TargetNode(&p)
			return p.Name == d.Pod && p.Namespace == in.DaemonSet.Namespace && ok && node == d.Node
		})
		require.GreaterOrEqual(t, i, 0, "deleted pod %q on %s was not given", d.Pod, d.Node)
	}
}

func TestPropertyShuffleGivesSameResult(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		in := clusterGen().Draw(t, "cluster")
		mode := rapid.SampledFrom(modes).Draw(t, "mode")
		want, werr := Plan(in, Options{Observe: mode})
		checkDeletesGiven(t, in, want)
		shuffled := in
		shuffled.Nodes = rapid.Permutation(in.Nodes).Draw(t, "nodes")
		shuffled.Pods = rapid.Permutation(in.Pods).Draw(t, "pods")
		var p Planner
		// The same Planner twice: its caches must not change the answer.
		for range 2 {
			got, gerr := p.Plan(shuffled, Options{Observe: mode})
			require.Equal(t, werr, gerr)
			require.Equal(t, want, got)
		}
	})
}

// kubelet plays the rest of the cluster between two syncs: terminating pods finish, pods bound to
// vanished nodes are collected, and every other live pod runs and is Ready from now on.
func kubelet(in Input) Input {
	known := map[string]bool{}
	for _, n := range in.Nodes {
		known[n.Name] = true
	}
	out := in.Pods[:0:0]
	for _, p := range in.Pods {
		if p.DeletionTimestamp != nil || (p.NodeName != "" && !known[p.NodeName]) {
			continue
		}
		if p.Phase != PodFailed && p.Phase != PodSucceeded && p.Ready != ConditionTrue {
			p.Phase = PodRunning
			p.Ready = ConditionTrue
			p.ReadySince = in.Now
		}
		out = append(out, p)
	}
	in.Pods = out
	return in
}

// awaitsPodGC reports whether p is bound to a node that is not in the cluster.
func awaitsPodGC(in Input, p Pod) bool {
	return p.NodeName != "" && !slices.ContainsFunc(in.Nodes, func(n Node) bool { return n.Name == p.NodeName })
}

func TestPropertyConverges(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		in := clusterGen().Draw(t, "cluster")
		mode := rapid.SampledFrom(modes).Draw(t, "mode")
		opts := Options{Observe: mode}
		var p Planner
		converged := false
		for step := 0; step < 40; step++ {
			r, err := p.Plan(in, opts)
			if err != nil {
				// Upstream's one rolling-update error a valid cluster can cause: in surge mode a
				// lone old pod bound to a vanished node (pod GC removes it, see kubelet).
				require.ErrorIs(t, err, rollout.ErrUnknownNode, "step %d", step)
			}

			checkDeletesGiven(t, in, r)
			// A fixed point: nothing to do, and nothing to wait for (a backoff, minReadySeconds).
			// Pods still terminating are something to wait for too; so are pods bound to a
			// vanished node (pod GC removes them, and until then they count in the rolling
			// update's budget as upstream counts them), and Ready pods not yet available, for
			// which upstream's pod event handler requeues after minReadySeconds (Plan's own hint
			// follows the status rule, which sees only each node's first pod).
			if err == nil && len(r.Creates) == 0 && len(r.Deletes) == 0 && len(r.Adopted) == 0 && len(r.Released) == 0 && r.RequeueAfter == 0 &&
				!slices.ContainsFunc(in.Pods, func(p Pod) bool {
					return p.DeletionTimestamp != nil || awaitsPodGC(in, p) ||
						(IsPodReady(&p) && !IsPodAvailable(&p, in.DaemonSet.MinReadySeconds, in.Now))
				}) {
				in = Apply(in, r, ApplyOptions{})
				converged = true
				break
			}
			in = Apply(in, r, ApplyOptions{})
			in.Now = in.Now.Add(20 * time.Minute) // past any backoff and minReadySeconds
			in = kubelet(in)
		}
		require.True(t, converged, "no fixed point after 40 syncs")

		// At the fixed point: a Plan is empty (the status was written by the last Apply).
		r, err := p.Plan(in, opts)
		require.NoError(t, err)
		require.True(t, r.Empty(), "converged cluster gave %+v", r)

		// Every node that should run a pod has exactly one, of the current revision unless the
		// strategy is OnDelete (which never replaces a pod), and no node that may not keep one
		// has any.
		ds := in.DaemonSet
		for _, n := range in.Nodes {
			e := CheckNode(ds, n)
			var mine, current int
			for i := range in.Pods {
				pod := &in.Pods[i]
				if pod.Namespace != ds.Namespace || pod.Controller == nil || *pod.Controller != *ownerRef(ds) {
					continue
				}
				if target, ok := TargetNode(pod); !ok || target != n.Name || (pod.DeletionTimestamp != nil && isTerminal(pod)) {
					continue
				}
				mine++
				if IsPodUpdated(pod, in.Hash, ds) && !isTerminal(pod) {
					current++
				}
			}
			if e.ShouldRun {
				require.Equal(t, 1, mine, "node %s pods", n.Name)
				if ds.UpdateStrategy.Type != OnDeleteStrategy {
					require.Equal(t, 1, current, "node %s current pods", n.Name)
				}
			}
			if !e.ShouldContinueRunning {
				require.Zero(t, mine, "node %s may not keep a pod", n.Name)
			}
		}
	})
}

func TestPropertyNeverPanicsOnBadInput(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		in := clusterGen().Draw(t, "cluster")
		// Break things the generator keeps valid.
		if len(in.Nodes) > 1 && rapid.Bool().Draw(t, "dupNode") {
			in.Nodes[1].Name = in.Nodes[0].Name
		}
		if len(in.Pods) > 1 && rapid.Bool().Draw(t, "dupPod") {
			in.Pods[1].Name = in.Pods[0].Name
		}
		ds := *in.DaemonSet
		in.DaemonSet = &ds
		if rapid.Bool().Draw(t, "badStrategy") {
			// No maxUnavailable, or values the API server rejects (not a percentage, negative,
			// beyond int, beyond 100%).
			bad := []string{"", "abc", "5", "-5%", "1.5%", "922337203685477580%", "250%"}
			mu := rapid.SampledFrom(bad).Draw(t, "maxUnavailable")
			ru := &RollingUpdate{}
			if mu != "" {
				v := rollout.FromString(mu)
				ru.MaxUnavailable = &v
			}
			if rapid.Bool().Draw(t, "withSurge") {
				v := rollout.FromString(rapid.SampledFrom(bad[1:]).Draw(t, "maxSurge"))
				ru.MaxSurge = &v
			}
			ds.UpdateStrategy = UpdateStrategy{Type: RollingUpdateStrategy, RollingUpdate: ru}
		}
		switch rapid.IntRange(0, 3).Draw(t, "badSelector") {
		case 1:
			ds.Selector = nil
		case 2:
			ds.Selector = &selector.LabelSelector{MatchExpressions: []selector.Requirement{{Key: "app", Operator: "Bogus"}}}
		}
		if rapid.Bool().Draw(t, "negativeMinReady") {
			ds.MinReadySeconds = -10
		}
		for _, mode := range modes {
			r, err := Plan(in, Options{Observe: mode, BurstReplicas: rapid.IntRange(0, 3).Draw(t, "burst")})
			checkDeletesGiven(t, in, r)
			// Only a failed rolling update keeps manage's decisions; any other error has no result.
			if err != nil && !strings.HasPrefix(err.Error(), "plan: rolling update: ") {
				require.Equal(t, Result{}, r, "error %v came with a result", err)
			}
			_ = Apply(in, r, ApplyOptions{MarkDeleting: true, Unbound: true})
		}
	})
}

// The settled-cluster shortcut (no rollout.Decide when every node has its one available current
// pod) must not change any answer.
func TestPropertySettledShortcutAgreesWithDecide(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		in := kubelet(clusterGen().Draw(t, "cluster"))
		in.Now = in.Now.Add(time.Hour)
		mode := rapid.SampledFrom(modes).Draw(t, "mode")
		var fast, slow Planner
		slow.noShortcut = true
		// Converge a little first so that settled clusters are common.
		for range 6 {
			want, werr := slow.Plan(in, Options{Observe: mode})
			got, gerr := fast.Plan(in, Options{Observe: mode})
			require.Equal(t, werr, gerr)
			require.Equal(t, want, got)
			in = kubelet(Apply(in, got, ApplyOptions{}))
			in.Now = in.Now.Add(time.Hour)
		}
	})
}

// A Planner reused across calls, bad input included, answers every call as a fresh Plan does: its
// caches (the node index, the per-pod node hints) never leak from one call into the next.
func TestPropertyPlannerReuseMatchesFresh(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		var p Planner
		for i := range rapid.IntRange(1, 5).Draw(t, "calls") {
			in := clusterGen().Draw(t, "cluster")
			switch rapid.IntRange(0, 4).Draw(t, "break") {
			case 1:
				if len(in.Nodes) > 1 {
					in.Nodes[len(in.Nodes)-1].Name = in.Nodes[0].Name
				}
			case 2:
				in.Nodes = nil
			case 3:
				if len(in.Pods) > 1 {
					in.Pods[1].Name = in.Pods[0].Name
				}
			}
			opts := Options{Observe: rapid.SampledFrom(modes).Draw(t, "mode")}
			want, werr := Plan(in, opts)
			got, gerr := p.Plan(in, opts)
			require.Equal(t, werr, gerr, "call %d", i)
			require.Equal(t, want, got, "call %d", i)
		}
	})
}
