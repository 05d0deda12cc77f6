package daemonset

import (
	"fmt"
	"time"

	"github.com/daemonkit/daemonkit/rollout"
	"github.com/daemonkit/daemonkit/selector"
)

// chooser hands out the small choices a generated cluster is made of: next(n) is in [0, n).
type chooser interface {
	next(n int) int
}

// flag is a coin toss from c.
func flag(c chooser) bool { return c.next(2) == 1 }

// byteReader hands out choices from fuzz bytes; once the bytes run out every choice is 0, so any
// byte string decodes to some cluster.
type byteReader struct {
	b []byte
	i int
}

func (r *byteReader) next(n int) int {
	if r.i >= len(r.b) || n <= 1 {
		r.i++
		return 0
	}
	v := int(r.b[r.i]) % n
	r.i++
	return v
}

const (
	genHash = "h2" // the current revision in generated clusters
	oldHash = "h1"
)

// decodeCluster turns bytes into a cluster of up to 8 nodes and 16 pods that exercises every
// branch Plan has: strategies, nodeSelector, taints and tolerations, orphans and pods of other
// controllers (one with the DaemonSet's UID under another kind), vanished and unbound pods,
// terminal and deleting pods, finalizers, and old revisions.
func decodeCluster(b []byte) Input { return generateCluster(&byteReader{b: b}) }

// generateCluster builds the cluster decodeCluster describes from the choices of r.
func generateCluster(r chooser) Input {
	ds := &DaemonSet{Name: "ds", Namespace: "ns", UID: "uid-ds", Generation: int64(1 + r.next(3)),
		Selector: &selector.LabelSelector{MatchLabels: map[string]string{"app": "d"}},
		Template: PodTemplate{Labels: map[string]string{"app": "d"}, RestartPolicy: "Always"}}
	switch r.next(4) {
	case 0:
		ds.UpdateStrategy = UpdateStrategy{Type: OnDeleteStrategy}
	case 1, 2:
		mu := rollout.FromInt(int32(1 + r.next(3)))
		if flag(r) {
			mu = rollout.FromString([]string{"25%", "50%", "100%"}[r.next(3)])
		}
		ms := rollout.FromInt(0)
		ds.UpdateStrategy = UpdateStrategy{Type: RollingUpdateStrategy, RollingUpdate: &RollingUpdate{MaxUnavailable: &mu, MaxSurge: &ms}}
	case 3:
		mu, ms := rollout.FromInt(0), rollout.FromInt(int32(1+r.next(3)))
		ds.UpdateStrategy = UpdateStrategy{Type: RollingUpdateStrategy, RollingUpdate: &RollingUpdate{MaxUnavailable: &mu, MaxSurge: &ms}}
	}
	if flag(r) {
		ds.Template.NodeSelector = map[string]string{"zone": "a"}
	}
	if flag(r) {
		ds.Template.Tolerations = []selector.Toleration{{Key: "k", Operator: selector.TolerationExists}}
	}
	if flag(r) {
		ds.MinReadySeconds = 10
	}
	if flag(r) {
		ds.Annotations = map[string]string{TemplateGenerationAnnotation: "2"}
	}
	taints := []selector.Taint{
		{Key: "k", Effect: selector.NoSchedule},
		{Key: "k", Effect: selector.NoExecute},
		{Key: "x", Effect: selector.NoSchedule},
		{Key: "x", Effect: selector.NoExecute},
		{Key: "x", Effect: selector.PreferNoSchedule},
		{Key: "node.kubernetes.io/not-ready", Effect: selector.NoExecute},
	}
	nodes := make([]Node, r.next(9))
	for i := range nodes {
		nodes[i] = Node{Name: fmt.Sprintf("n%d", i), Labels: map[string]string{"zone": []string{"a", "b"}[r.next(2)]}}
		if r.next(3) == 0 {
			nodes[i].Taints = []selector.Taint{taints[r.next(len(taints))]}
		}
	}
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	pods := make([]Pod, r.next(17))
	for i := range pods {
		p := Pod{Name: fmt.Sprintf("p%d", i), Namespace: "ns", UID: fmt.Sprintf("u%d", i),
			Labels:            map[string]string{"app": "d", RevisionHashLabel: []string{oldHash, genHash}[r.next(2)]},
			Phase:             []PodPhase{PodRunning, PodRunning, PodPending, PodFailed, PodSucceeded, PodUnknown}[r.next(6)],
			CreationTimestamp: now.Add(-time.Duration(r.next(4)) * time.Minute)}
		node := "gone"
		if len(nodes) > 0 && r.next(4) != 0 {
			node = nodes[r.next(len(nodes))].Name
		}
		switch r.next(5) {
		case 0: // unbound, targeted by affinity
			p.RequiredNodeAffinity = &selector.NodeSelector{Terms: []selector.NodeSelectorTerm{{
				MatchFields: []selector.Requirement{{Key: selector.NodeNameField, Operator: selector.OpIn, Values: []string{node}}}}}}
		case 1:
			if flag(r) {
				// no target node at all
				break
			}
			p.NodeName = node
		default:
			p.NodeName = node
		}
		switch r.next(8) {
		case 0:
			p.Controller = nil
		case 1:
			p.Controller = &OwnerRef{Kind: "DaemonSet", Name: "other", UID: "uid-other"}
		case 2:
			// The DaemonSet's UID under another kind: someone else's, as in upstream's index.
			p.Controller = &OwnerRef{Kind: "ReplicaSet", Name: ds.Name, UID: ds.UID}
		default:
			p.Controller = ownerRef(ds)
		}
		if r.next(8) == 0 {
			// Kept by the API server after a delete, which decides whether an adopted orphan
			// deleted in the same sync still counts in the status.
			p.Finalizers = []string{"example.com/keep"}
		}
		if r.next(6) == 0 {
			p.Labels["app"] = "other"
		}
		if r.next(8) == 0 {
			p.Namespace = "elsewhere"
		}
		if flag(r) {
			p.Ready = ConditionTrue
			p.ReadySince = now.Add(-time.Duration(r.next(30)) * time.Second)
		}
		if r.next(6) == 0 {
			t := now.Add(-time.Second)
			p.DeletionTimestamp = &t
		}
		pods[i] = p
	}
	return Input{DaemonSet: ds, Nodes: nodes, Pods: pods, Hash: genHash, Now: now}
}
