package daemonset

import (
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"pgregory.net/rapid"
)

func TestPodLess(t *testing.T) {
	old, young := t0, t0.Add(time.Second)
	sameInstant := t0.In(time.FixedZone("UTC+2", 2*60*60))
	cases := []struct {
		name string
		a, b Pod
		less bool // PodLess(a, b); PodLess(b, a) is checked to be false whenever this is true
	}{
		{"bound before unbound, even when younger",
			Pod{Name: "b", NodeName: "n1", CreationTimestamp: young}, Pod{Name: "a", CreationTimestamp: old}, true},
		{"older first", Pod{Name: "z", NodeName: "n1", CreationTimestamp: old}, Pod{Name: "a", NodeName: "n1", CreationTimestamp: young}, true},
		{"older first among unbound", Pod{Name: "z", CreationTimestamp: old}, Pod{Name: "a", CreationTimestamp: young}, true},
		{"same time: smaller name first", Pod{Name: "a", NodeName: "n1", CreationTimestamp: old}, Pod{Name: "b", NodeName: "n2", CreationTimestamp: old}, true},
		{"same instant in another zone counts as the same time",
			Pod{Name: "a", NodeName: "n1", CreationTimestamp: sameInstant}, Pod{Name: "b", NodeName: "n1", CreationTimestamp: old}, true},
		{"which node it is bound to plays no part", Pod{Name: "a", NodeName: "z", CreationTimestamp: old}, Pod{Name: "b", NodeName: "a", CreationTimestamp: old}, true},
		{"a pod is not before itself", Pod{Name: "a", NodeName: "n1", CreationTimestamp: old}, Pod{Name: "a", NodeName: "n1", CreationTimestamp: old}, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			require.Equal(t, c.less, PodLess(&c.a, &c.b))
			if c.less {
				require.False(t, PodLess(&c.b, &c.a), "reverse")
			}
		})
	}
}

// PodLess is a strict total order on pods with distinct names: exactly one of a<b, b<a holds for
// two distinct pods, and it is transitive, so sorting by it gives one answer whatever the input
// order.
func TestPropertyPodLessIsStrictTotalOrder(t *testing.T) {
	podGen := func(i int) *rapid.Generator[Pod] {
		return rapid.Custom(func(t *rapid.T) Pod {
			p := Pod{Name: fmt.Sprintf("p%d", i),
				CreationTimestamp: t0.Add(time.Duration(rapid.IntRange(0, 3).Draw(t, "age")) * time.Second)}
			if rapid.Bool().Draw(t, "bound") {
				p.NodeName = "n"
			}
			return p
		})
	}
	rapid.Check(t, func(t *rapid.T) {
		n := rapid.IntRange(1, 8).Draw(t, "n")
		pods := make([]Pod, n)
		for i := range pods {
			pods[i] = podGen(i).Draw(t, "pod")
		}
		for i := range pods {
			require.False(t, PodLess(&pods[i], &pods[i]), "irreflexive")
			for j := range pods {
				if i != j {
					require.NotEqual(t, PodLess(&pods[i], &pods[j]), PodLess(&pods[j], &pods[i]), "total and asymmetric")
				}
				for k := range pods {
					if PodLess(&pods[i], &pods[j]) && PodLess(&pods[j], &pods[k]) {
						require.True(t, PodLess(&pods[i], &pods[k]), "transitive")
					}
				}
			}
		}
		cmp := func(a, b Pod) int {
			if PodLess(&a, &b) {
				return -1
			}
			if PodLess(&b, &a) {
				return 1
			}
			return 0
		}
		sorted := slices.SortedFunc(slices.Values(pods), cmp)
		shuffled := rapid.Permutation(pods).Draw(t, "shuffled")
		require.Equal(t, sorted, slices.SortedFunc(slices.Values(shuffled), cmp))
	})
}
