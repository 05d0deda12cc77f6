// Package harness drives the upstream Kubernetes DaemonSet controller
// (k8s.io/kubernetes/pkg/controller/daemon, v1.37.2) for exactly one sync on a cluster state given
// as ordinary API objects, and reports what it decided: the pods it created (by node), the pods it
// deleted, the status it wrote and the revision hash it used.
//
// The controller runs against a fake clientset whose informers are never started: the harness
// fills their stores directly, so a sync sees exactly the given state. Objects are defaulted as the
// API server would default them first, because the controller relies on those defaults.
//
// Two observation modes exist. ObserveNone is production: the sync does not see its own writes,
// so the rolling update runs only when manage wrote nothing and the status counts the input pods.
// ObserveImmediate is upstream's unit-test mode: every create and delete is reflected in the pod
// store at once, so the rolling update runs on the post-manage state in the same sync.
//
//	out, err := harness.Sync(harness.Cluster{Nodes: nodes, DaemonSet: ds, Pods: pods},
//		harness.Options{Now: now, Observe: harness.ObserveNone})
//	fmt.Println(out.Creates, out.Deletes, out.Status)
package harness
