package daemonset

import (
	"fmt"
	"syscall"
	"testing"
	"time"
)

// benchCluster is n plain nodes; steady gives every node one ready, current pod.
func benchCluster(n int, steady bool) Input {
	ds := newDS("RollingUpdate")
	nodes := make([]Node, n)
	for i := range nodes {
		nodes[i] = Node{Name: fmt.Sprintf("node-%06d", i), Labels: map[string]string{"kubernetes.io/hostname": fmt.Sprintf("node-%06d", i)}}
	}
	in := input(ds, nodes, nil)
	if steady {
		labels := copyMap(simpleLabels)
		labels[RevisionHashLabel] = testHash
		in.Pods = make([]Pod, n)
		for i := range in.Pods {
			in.Pods[i] = Pod{Name: fmt.Sprintf("foo-%06d", i), Namespace: "default", Labels: labels,
				Controller: ownerRef(ds), NodeName: nodes[i].Name, Phase: PodRunning, Ready: ConditionTrue,
				ReadySince: t0, CreationTimestamp: t0}
		}
		ds.Status = Status{DesiredNumberScheduled: int32(n), CurrentNumberScheduled: int32(n), NumberReady: int32(n),
			UpdatedNumberScheduled: int32(n), NumberAvailable: int32(n), ObservedGeneration: ds.Generation}
	}
	return in
}

func BenchmarkPlan(b *testing.B) {
	for _, steady := range []bool{true, false} {
		kind := "fresh"
		if steady {
			kind = "steady"
		}
		for _, n := range []int{1000, 5000, 100000} {
			b.Run(fmt.Sprintf("%s/nodes=%d", kind, n), func(b *testing.B) {
				in := benchCluster(n, steady)
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
					if steady && !r.Empty() {
						b.Fatalf("steady cluster gave %+v", r)
					}
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
