package daemonset

import (
	"testing"

	"github.com/stretchr/testify/require"
)

func TestSimpleDaemonSetLaunchesPods(t *testing.T) {
	for _, s := range strategies {
		t.Run(s, func(t *testing.T) {
			ds := newDS(s)
			syncCounts(t, input(ds, addNodes(nil, 0, 5, nil), nil), 5, 0, 0)
		})
	}
}

func TestDealsWithExistingPods(t *testing.T) {
	for _, s := range strategies {
		t.Run(s, func(t *testing.T) {
			ds := newDS(s)
			var q podSeq
			var pods []Pod
			pods = append(pods, q.pods(ds, "node-1", 1, simpleLabels)...)
			pods = append(pods, q.pods(ds, "node-2", 2, simpleLabels)...)
			pods = append(pods, q.pods(ds, "node-3", 5, simpleLabels)...)
			pods = append(pods, q.pods(ds, "node-4", 2, otherLabels)...)
			r := syncCounts(t, input(ds, addNodes(nil, 0, 5, nil), pods), 2, 5, 0)
			require.Equal(t, []Create{{Node: "node-0", Reason: reasonNoPod}, {Node: "node-4", Reason: reasonNoPod}}, r.Creates)
			require.Len(t, r.Released, 2)
		})
	}
}

func TestSelectorDaemonLaunchesPods(t *testing.T) {
	ds := newDS("OnDelete")
	ds.Template.NodeSelector = copyMap(nodeLabels)
	nodes := addNodes(addNodes(nil, 0, 4, nil), 4, 3, nodeLabels)
	syncCounts(t, input(ds, nodes, nil), 3, 0, 0)
}
