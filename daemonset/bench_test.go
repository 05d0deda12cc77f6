package daemonset

import (
	"fmt"
	"syscall"
	"testing"
	"time"

	"github.com/daemonkit/daemonkit/rollout"
)

// Kinds of benchmark cluster.
const (
	benchSteady  = "steady"  // every node runs one ready pod of the current revision: nothing to do
	benchFresh   = "fresh"   // no pod yet: a create for every node (capped by the burst)
	benchRollout = "rollout" // mid-rollout at maxUnavailable 10%: the first half of the nodes run
	// the current revision, the rest the old one, all available: the rolling update picks deletes
	benchFailed = "failed" // a crash wave: every node's pod has failed and no node is in backoff yet
	// the template gains a nodeSelector no node matches: every node's pod is misscheduled
	benchMisscheduled = "misscheduled"
)

// benchCluster is n plain nodes in the given state.
func benchCluster(n int, kind string) Input {
	ds := newDS("RollingUpdate")
	nodes := make([]Node, n)
	for i := range nodes {
		nodes[i] = Node{Name: fmt.Sprintf("node-%06d", i), Labels: map[string]string{"kubernetes.io/hostname": fmt.Sprintf("node-%06d", i)}}
	}
	in := input(ds, nodes, nil)
	if kind == benchFresh {
		return in
	}
	current := copyMap(simpleLabels)
	current[RevisionHashLabel] = testHash
	old := copyMap(simpleLabels)
	old[RevisionHashLabel] = "old"
	updated := n
	if kind == benchRollout {
		updated = n / 2
		tenPercent := rollout.FromString("10%")
		ds.UpdateStrategy.RollingUpdate.MaxUnavailable = &tenPercent
	}
	if kind == benchMisscheduled {
		ds.Template.NodeSelector = map[string]string{"disktype": "ssd"}
	}
	phase := PodRunning
	if kind == benchFailed {
		phase = PodFailed
	}
	in.Pods = make([]Pod, n)
	for i := range in.Pods {
		labels := current
		if i >= updated {
			labels = old
		}
		in.Pods[i] = Pod{Name: fmt.Sprintf("foo-%06d", i), Namespace: "default", Labels: labels,
			Controller: ownerRef(ds), NodeName: nodes[i].Name, Phase: phase, Ready: ConditionTrue,
			ReadySince: t0, CreationTimestamp: t0}
	}
	ds.Status = Status{DesiredNumberScheduled: int32(n), CurrentNumberScheduled: int32(n), NumberReady: int32(n),
		UpdatedNumberScheduled: int32(updated), NumberAvailable: int32(n), ObservedGeneration: ds.Generation}
	return in
}

func BenchmarkPlan(b *testing.B) {
	for _, kind := range []string{benchSteady, benchFresh, benchRollout, benchFailed, benchMisscheduled} {
		for _, n := range []int{1000, 5000, 100000} {
			b.Run(fmt.Sprintf("%s/nodes=%d", kind, n), func(b *testing.B) {
				in := benchCluster(n, kind)
				var p Planner
				if _, err := p.Plan(in, Options{}); err != nil {
					b.Fatal(err)
				}
				b.ReportAllocs()
				var start syscall.Rusage
				_ = syscall.Getrusage(syscall.RUSAGE_SELF, &start)
				b.ResetTimer()
				for range b.N {
					r, err := p.Plan(in, Options{})
					if err != nil {
						b.Fatal(err)
					}
					checkBenchResult(b, kind, n, r)
				}
				b.StopTimer()
				// CPU time of the process per Plan, less sensitive than wall time to other
				// processes on a shared machine.
				var end syscall.Rusage
				_ = syscall.Getrusage(syscall.RUSAGE_SELF, &end)
				cpu := time.Duration(end.Utime.Nano() + end.Stime.Nano() - start.Utime.Nano() - start.Stime.Nano())
				b.ReportMetric(float64(cpu.Nanoseconds())/float64(b.N), "cpu-ns/op")
			})
		}
	}
}

// checkBenchResult fails the benchmark when Plan does not do what the cluster calls for.
func checkBenchResult(b *testing.B, kind string, n int, r Result) {
	switch kind {
	case benchSteady:
		if !r.Empty() {
			b.Fatalf("steady cluster gave %+v", r)
		}
	case benchFresh:
		if want := min(n, DefaultBurstReplicas); len(r.Creates) != want || len(r.Deletes) != 0 {
			b.Fatalf("fresh cluster: %d creates, %d deletes, want %d creates", len(r.Creates), len(r.Deletes), want)
		}
	case benchRollout:
		if want := min((n+9)/10, DefaultBurstReplicas); len(r.Deletes) != want || len(r.Creates) != 0 {
			b.Fatalf("mid-rollout cluster: %d creates, %d deletes, want %d deletes", len(r.Creates), len(r.Deletes), want)
		}
	case benchMisscheduled:
		if want := min(n, DefaultBurstReplicas); len(r.Deletes) != want || len(r.Creates) != 0 ||
			r.Deferred.Deletes != n-want || r.Deletes[0].Kind != DeleteMisscheduled {
			b.Fatalf("misscheduled cluster: %d creates, %d deletes (%d deferred), want %d deletes", len(r.Creates), len(r.Deletes), r.Deferred.Deletes, want)
		}
	case benchFailed:
		// Every node's failed pod goes (capped by the burst), each with its event, and every node
		// starts a backoff.
		if want := min(n, DefaultBurstReplicas); len(r.Deletes) != want || len(r.Creates) != 0 ||
			len(r.Events) != n || len(r.Memory.Backoff) != n {
			b.Fatalf("crash wave: %d creates, %d deletes, %d events, %d backoff entries, want %d deletes and %d of the others",
				len(r.Creates), len(r.Deletes), len(r.Events), len(r.Memory.Backoff), want, n)
		}
	}
}
