package daemonset

import (
	"testing"
)

// FuzzPlan decodes random bytes into a cluster and plans it in both observe modes with a small
// burst cap: Plan must not panic, must only delete pods it was given, and Apply must take the
// result.
func FuzzPlan(f *testing.F) {
	f.Add([]byte{})
	f.Add([]byte{3, 1, 1, 0, 1, 1, 8, 1, 0, 2, 1, 1, 0, 0, 16, 1, 1, 3, 0, 0, 1, 2, 2, 1, 9})
	f.Add([]byte{1, 0, 2, 0, 0, 0, 0, 0, 5, 1, 2, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16})
	f.Add([]byte("a surge rollout over a few nodes with failed and vanished pods in it"))
	f.Fuzz(func(t *testing.T, b []byte) {
		in := decodeCluster(b)
		var p Planner
		for _, mode := range modes {
			for _, burst := range []int{0, 1} {
				r, _ := p.Plan(in, Options{Observe: mode, BurstReplicas: burst})
				checkDeletesGiven(t, in, r)
				_ = Apply(in, r, ApplyOptions{MarkDeleting: burst == 1})
			}
		}
	})
}
