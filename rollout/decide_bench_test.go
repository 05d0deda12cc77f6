package rollout

import (
	"strconv"
	"testing"
)

// midRollout builds n wanted nodes, sorted by name, a quarter of the way through a rollout:
// updated nodes run an available new pod, a few surge or wait, the rest run an available old pod.
func midRollout(n int, surge bool) []NodeView {
	nodes := make([]NodeView, n)
	pods := make([]PodView, 0, n+n/50)
	for i := range nodes {
		name := "node-" + pad(i)
		start := len(pods)
		switch {
		case i%4 == 0:
			pods = append(pods, PodView{Name: name + "-new", Updated: true, Available: true})
		case i%100 == 1 && surge:
			pods = append(pods, PodView{Name: name + "-old", Available: true},
				PodView{Name: name + "-new", Updated: true})
		case i%100 == 1:
			pods = append(pods, PodView{Name: name + "-new", Updated: true})
		default:
			pods = append(pods, PodView{Name: name + "-old", Available: true})
		}
		nodes[i] = NodeView{Node: name, Known: true, ShouldRun: true, Pods: pods[start:len(pods):len(pods)]}
	}
	return nodes
}

func pad(i int) string {
	s := strconv.Itoa(i)
	for len(s) < 6 {
		s = "0" + s
	}
	return s
}

func BenchmarkDecide(b *testing.B) {
	for _, n := range []int{5000, 100000} {
		for _, mode := range []string{"maxUnavailable", "surge"} {
			surge := mode == "surge"
			nodes := midRollout(n, surge)
			s := rolling(ptr(FromString("10%")), nil)
			if surge {
				s = rolling(ptr(FromInt(0)), ptr(FromString("10%")))
			}
			b.Run(mode+"/"+strconv.Itoa(n), func(b *testing.B) {
				// The pass must do what the cluster calls for, or the figure measures nothing:
				// a budget of 10% with the 1% of nodes whose new pod is not available using it.
				d, err := Decide(s, n, nodes)
				if err != nil {
					b.Fatal(err)
				}
				want := n/10 - n/100
				got, other, kind := len(d.Deletes), len(d.Creates), "deletes"
				if surge {
					got, other, kind = other, got, "creates"
				}
				if got != want || other != 0 {
					b.Fatalf("%d deletes and %d creates, want %d %s", len(d.Deletes), len(d.Creates), want, kind)
				}
				b.ReportAllocs()
				for b.Loop() {
					if _, err := Decide(s, n, nodes); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}

// TestDecideAllocationsDoNotGrowWithNodes: a pass allocates its output slices and reason buffers,
// a fixed number of allocations, whatever the cluster size.
func TestDecideAllocationsDoNotGrowWithNodes(t *testing.T) {
	for _, surge := range []bool{false, true} {
		s := rolling(ptr(FromString("10%")), nil)
		if surge {
			s = rolling(ptr(FromInt(0)), ptr(FromString("10%")))
		}
		var allocs []float64
		for _, n := range []int{1000, 20000} {
			nodes := midRollout(n, surge)
			allocs = append(allocs, testing.AllocsPerRun(5, func() {
				if _, err := Decide(s, n, nodes); err != nil {
					t.Fatal(err)
				}
			}))
		}
		if allocs[0] != allocs[1] || allocs[1] > 6 {
			t.Errorf("surge=%v: allocations %v at 1,000 and 20,000 nodes", surge, allocs)
		}
	}
}
