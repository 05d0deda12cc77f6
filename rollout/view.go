package rollout

// PodView is what the rolling update needs to know about one daemon pod. The caller computes each
// field, so that this package needs neither labels nor clocks.
type PodView struct {
	Name string
	// Updated is true when the pod runs the current revision: its controller-revision-hash label
	// equals the current hash, or its legacy pod-template-generation label equals the DaemonSet's
	// template generation.
	Updated bool
	// Available is Ready for at least minReadySeconds at the caller's now. Readiness alone plays
	// no part in the rolling update, and neither does the pods' order on a node: a node with two
	// pods of one kind is skipped whatever their order.
	Available bool
	// Deleting is true when the pod has a deletionTimestamp; the rolling update ignores such pods.
	Deleting bool
}

// NodeView is one node as the rolling update sees it.
type NodeView struct {
	Node string
	// Known is true when the node is in the node list; false for a vanished node that still has
	// daemon pods.
	Known bool
	// ShouldRun is true when a daemon pod should run on the node (it counts in desired).
	ShouldRun bool
	// Pods are all the DaemonSet's pods on the node (after the caller's filtering of terminal
	// deleting pods); empty for a wanted node without a pod.
	Pods []PodView
}

// inPodMap reports whether the controller's node-to-pods map has an entry for the node: it has
// pods, or it is a wanted node (which gets an empty entry).
func (n *NodeView) inPodMap() bool { return len(n.Pods) > 0 || n.ShouldRun }

// split finds the node's new and old pod among the pods that are not being deleted. ok is false
// when there are two pods of one kind (an excess node, which the pod loop prunes first); newPod and
// oldPod are -1 when absent.
func (n *NodeView) split() (newPod, oldPod int, ok bool) {
	newPod, oldPod = -1, -1
	for i := range n.Pods {
		p := &n.Pods[i]
		if p.Deleting {
			continue
		}
		if p.Updated {
			if newPod >= 0 {
				return -1, -1, false
			}
			newPod = i
		} else {
			if oldPod >= 0 {
				return -1, -1, false
			}
			oldPod = i
		}
	}
	return newPod, oldPod, true
}
