package harness

import (
	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"
)

// DefaultNamespace is the namespace given to objects that name none.
const DefaultNamespace = "default"

// Cluster is the state one sync reads: the node list, the DaemonSet, the pods in its namespace
// (owned, orphaned or owned by others) and its ControllerRevisions.
type Cluster struct {
	Nodes     []*corev1.Node
	DaemonSet *appsv1.DaemonSet
	Pods      []*corev1.Pod
	Revisions []*appsv1.ControllerRevision
}

// UIDFor is the UID Normalize gives an object that has none: "uid-<name>". It is deterministic so
// that the same scenario gives the same UIDs (and the same failed-pod backoff keys) every time.
func UIDFor(name string) types.UID { return types.UID("uid-" + name) }

// Normalize returns a deep copy of c as the API server would store it: every object defaulted,
// a namespace on namespaced objects, a UID on the DaemonSet and pods, generation at least 1 on the
// DaemonSet, and owner references that name this DaemonSet (kind DaemonSet, same name) without a
// UID pointing at its UID. Scenario files leave these out; both upstream and daemonkit must see
// the same filled-in values. Normalize is idempotent.
func Normalize(c Cluster) Cluster {
	out := Cluster{}
	var ds *appsv1.DaemonSet
	if c.DaemonSet != nil {
		ds = c.DaemonSet.DeepCopy()
		if ds.Namespace == "" {
			ds.Namespace = DefaultNamespace
		}
		if ds.UID == "" {
			ds.UID = UIDFor(ds.Name)
		}
		if ds.Generation == 0 {
			ds.Generation = 1
		}
		ds.TypeMeta = metav1.TypeMeta{APIVersion: "apps/v1", Kind: "DaemonSet"}
		Default(ds)
		out.DaemonSet = ds
	}
	for _, n := range c.Nodes {
		n = n.DeepCopy()
		n.TypeMeta = metav1.TypeMeta{APIVersion: "v1", Kind: "Node"}
		if n.UID == "" {
			n.UID = UIDFor(n.Name)
		}
		Default(n)
		out.Nodes = append(out.Nodes, n)
	}
	for _, p := range c.Pods {
		p = p.DeepCopy()
		p.TypeMeta = metav1.TypeMeta{APIVersion: "v1", Kind: "Pod"}
		if p.Namespace == "" {
			p.Namespace = DefaultNamespace
		}
		if p.UID == "" {
			p.UID = UIDFor(p.Name)
		}
		fillOwnerUIDs(p.OwnerReferences, ds)
		Default(p)
		out.Pods = append(out.Pods, p)
	}
	for _, r := range c.Revisions {
		r = r.DeepCopy()
		r.TypeMeta = metav1.TypeMeta{APIVersion: "apps/v1", Kind: "ControllerRevision"}
		if r.Namespace == "" {
			r.Namespace = DefaultNamespace
		}
		if r.UID == "" {
			r.UID = UIDFor(r.Name)
		}
		fillOwnerUIDs(r.OwnerReferences, ds)
		out.Revisions = append(out.Revisions, r)
	}
	return out
}

// fillOwnerUIDs gives owner references without a UID one: the DaemonSet's own when the reference
// names it, else the deterministic UID of the named owner.
func fillOwnerUIDs(refs []metav1.OwnerReference, ds *appsv1.DaemonSet) {
	for i := range refs {
		r := &refs[i]
		if r.UID != "" {
			continue
		}
		if ds != nil && r.Kind == "DaemonSet" && r.Name == ds.Name {
			r.UID = ds.UID
			continue
		}
		r.UID = UIDFor(r.Name)
	}
}
