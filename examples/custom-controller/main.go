// Command custom-controller is the reconcile loop a controller writes around daemonset.Plan, with
// client-go informers. It runs against a fake clientset by default: three nodes (one tainted), the
// node-exporter DaemonSet, a kubelet played by the program, and a new image rolled out half way.
//
// Pointed at a real cluster it is read-only: it plans one sync of a DaemonSet and prints what the
// controller would do, without writing anything:
//
//	go run ./examples/custom-controller -kubeconfig ~/.kube/config -namespace monitoring -daemonset node-exporter
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"sort"
	"time"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/equality"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/labels"
	"k8s.io/client-go/informers"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/tools/clientcmd"

	"github.com/daemonkit/daemonkit/daemonset"
	"github.com/daemonkit/daemonkit/kube"
)

func main() {
	kubeconfig := flag.String("kubeconfig", "", "plan against this cluster (read-only) instead of the built-in fake one")
	namespace := flag.String("namespace", "default", "namespace of the DaemonSet (with -kubeconfig)")
	name := flag.String("daemonset", "", "name of the DaemonSet (with -kubeconfig)")
	flag.Parse()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	var err error
	if *kubeconfig != "" {
		err = planRealCluster(ctx, os.Stdout, *kubeconfig, *namespace, *name)
	} else {
		err = runFake(ctx, os.Stdout)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "custom-controller:", err)
		os.Exit(1)
	}
}

// controller is the reconcile loop's state: a client to write with, listers to read from (the
// informers' caches), and the memory Plan carries from one sync to the next.
type controller struct {
	client  kubernetes.Interface
	factory informers.SharedInformerFactory
	planner daemonset.Planner
	memory  daemonset.Memory
	out     io.Writer
	clock   func() time.Time
	syncs   int
}

func newController(client kubernetes.Interface, out io.Writer, clock func() time.Time) *controller {
	return &controller{client: client, factory: informers.NewSharedInformerFactory(client, 0), out: out, clock: clock}
}

// start runs the informers and waits for their caches.
func (c *controller) start(ctx context.Context) error {
	c.factory.Core().V1().Nodes().Informer()
	c.factory.Core().V1().Pods().Informer()
	c.factory.Apps().V1().DaemonSets().Informer()
	c.factory.Start(ctx.Done())
	for typ, ok := range c.factory.WaitForCacheSync(ctx.Done()) {
		if !ok {
			return fmt.Errorf("cache of %v did not sync", typ)
		}
	}
	return nil
}

// observe reads one DaemonSet and its world from the caches and converts it for Plan.
func (c *controller) observe(namespace, name string) (daemonset.Input, *appsv1.DaemonSet, error) {
	kds, err := c.factory.Apps().V1().DaemonSets().Lister().DaemonSets(namespace).Get(name)
	if err != nil {
		return daemonset.Input{}, nil, err
	}
	kds = kds.DeepCopy()
	kube.DefaultDaemonSet(kds)
	ds, err := kube.DaemonSetFromKube(kds)
	if err != nil {
		return daemonset.Input{}, nil, err
	}
	knodes, err := c.factory.Core().V1().Nodes().Lister().List(labels.Everything())
	if err != nil {
		return daemonset.Input{}, nil, err
	}
	kpods, err := c.factory.Core().V1().Pods().Lister().Pods(namespace).List(labels.Everything())
	if err != nil {
		return daemonset.Input{}, nil, err
	}
	in := daemonset.Input{DaemonSet: ds, Now: c.clock(), Memory: c.memory,
		// The revision hash as upstream computes it. A full controller would also keep
		// ControllerRevisions (rollout.CurrentRevision); this one only needs the hash.
		Hash: kube.ComputeHash(&kds.Spec.Template, kds.Status.CollisionCount)}
	for _, n := range knodes {
		node, err := kube.NodeFromKube(n)
		if err != nil {
			return daemonset.Input{}, nil, err
		}
		in.Nodes = append(in.Nodes, node)
	}
	for _, p := range kpods {
		pod, err := kube.PodFromKube(p)
		if err != nil {
			return daemonset.Input{}, nil, err
		}
		in.Pods = append(in.Pods, pod)
	}
	return in, kds, nil
}

// sync is one reconcile: observe, plan, carry the plan out. It reports whether it wrote anything.
func (c *controller) sync(ctx context.Context, namespace, name string) (bool, error) {
	c.syncs++
	in, kds, err := c.observe(namespace, name)
	if err != nil {
		return false, err
	}
	res, err := c.planner.Plan(in, daemonset.Options{})
	if err != nil {
		// The result still holds what may be carried out; a real controller logs and requeues.
		fmt.Fprintf(c.out, "  plan: %v\n", err)
	}
	c.memory = res.Memory
	for _, cr := range res.Creates {
		pod := newDaemonPod(kds, in.Hash, cr.Node)
		if _, err := c.client.CoreV1().Pods(namespace).Create(ctx, pod, metav1.CreateOptions{}); err != nil {
			return false, fmt.Errorf("create pod on %s: %w", cr.Node, err)
		}
		fmt.Fprintf(c.out, "  sync %d: create %s (%s)\n", c.syncs, pod.Name, cr.Reason)
	}
	for _, d := range res.Deletes {
		if err := c.client.CoreV1().Pods(namespace).Delete(ctx, d.Pod, metav1.DeleteOptions{}); err != nil {
			return false, fmt.Errorf("delete pod %s: %w", d.Pod, err)
		}
		fmt.Fprintf(c.out, "  sync %d: delete %s (%s)\n", c.syncs, d.Pod, d.Reason)
	}
	if res.StatusWrite {
		upd := kds.DeepCopy()
		upd.Status = kube.StatusToKube(res.Status)
		if _, err := c.client.AppsV1().DaemonSets(namespace).UpdateStatus(ctx, upd, metav1.UpdateOptions{}); err != nil {
			return false, fmt.Errorf("update status: %w", err)
		}
		// Do not plan again before the cache has seen the write, or the next sync would compute
		// the same status from a stale copy and write it again.
		if err := waitFor(ctx, func() bool {
			got, err := c.factory.Apps().V1().DaemonSets().Lister().DaemonSets(namespace).Get(name)
			return err == nil && equality.Semantic.DeepEqual(got.Status, upd.Status)
		}); err != nil {
			return false, err
		}
	}
	return len(res.Creates)+len(res.Deletes) > 0 || res.StatusWrite, nil
}

// newDaemonPod builds the pod the controller creates for node: the template, the revision hash
// label, a controller reference, and node affinity on metadata.name, as upstream does. A real
// controller sets GenerateName; the fake clientset does not generate names, so this one names
// the pod after the revision and the node.
func newDaemonPod(ds *appsv1.DaemonSet, hash, node string) *corev1.Pod {
	t := ds.Spec.Template.DeepCopy()
	lbls := map[string]string{daemonset.RevisionHashLabel: hash}
	for k, v := range t.Labels {
		lbls[k] = v
	}
	isController := true
	pod := &corev1.Pod{
		ObjectMeta: metav1.ObjectMeta{
			Name:      ds.Name + "-" + hash + "-" + node,
			Namespace: ds.Namespace,
			Labels:    lbls,
			OwnerReferences: []metav1.OwnerReference{{APIVersion: "apps/v1", Kind: "DaemonSet", Name: ds.Name,
				UID: ds.UID, Controller: &isController}},
		},
		Spec: t.Spec,
	}
	pod.Spec.Affinity = &corev1.Affinity{NodeAffinity: &corev1.NodeAffinity{
		RequiredDuringSchedulingIgnoredDuringExecution: &corev1.NodeSelector{NodeSelectorTerms: []corev1.NodeSelectorTerm{{
			MatchFields: []corev1.NodeSelectorRequirement{{Key: "metadata.name", Operator: corev1.NodeSelectorOpIn, Values: []string{node}}},
		}}},
	}}
	return pod
}

// waitFor polls cond until it holds: the informers see writes a moment after they are made, and
// a controller must not plan on a cache that has not caught up (upstream calls these expectations).
func waitFor(ctx context.Context, cond func() bool) error {
	for !cond() {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(5 * time.Millisecond):
		}
	}
	return nil
}

// planRealCluster reads one DaemonSet's world from a real cluster and prints the plan. It writes
// nothing.
func planRealCluster(ctx context.Context, out io.Writer, kubeconfig, namespace, name string) error {
	if name == "" {
		return fmt.Errorf("-daemonset is required with -kubeconfig")
	}
	cfg, err := clientcmd.BuildConfigFromFlags("", kubeconfig)
	if err != nil {
		return err
	}
	client, err := kubernetes.NewForConfig(cfg)
	if err != nil {
		return err
	}
	c := newController(client, out, time.Now)
	if err := c.start(ctx); err != nil {
		return err
	}
	in, _, err := c.observe(namespace, name)
	if err != nil {
		return err
	}
	res, err := c.planner.Plan(in, daemonset.Options{})
	if err != nil {
		fmt.Fprintf(out, "plan: %v\n", err)
	}
	fmt.Fprintf(out, "DaemonSet %s/%s, revision %s, %d nodes, %d pods in the namespace (dry run: nothing is written)\n",
		namespace, name, in.Hash, len(in.Nodes), len(in.Pods))
	for _, cr := range res.Creates {
		fmt.Fprintf(out, "would create a pod on %s: %s\n", cr.Node, cr.Reason)
	}
	for _, d := range res.Deletes {
		fmt.Fprintf(out, "would delete %s on %s: %s\n", d.Pod, d.Node, d.Reason)
	}
	fmt.Fprintf(out, "status: desired %d, current %d, up-to-date %d, available %d\n", res.Status.DesiredNumberScheduled,
		res.Status.CurrentNumberScheduled, res.Status.UpdatedNumberScheduled, res.Status.NumberAvailable)
	return nil
}

// podSummary lists the pods in the cache, sorted, for printing.
func (c *controller) podSummary(namespace string) []string {
	pods, _ := c.factory.Core().V1().Pods().Lister().Pods(namespace).List(labels.Everything())
	var out []string
	for _, p := range pods {
		ready := "not ready"
		for _, cond := range p.Status.Conditions {
			if cond.Type == corev1.PodReady && cond.Status == corev1.ConditionTrue {
				ready = "ready"
			}
		}
		out = append(out, fmt.Sprintf("%s on %s, %s", p.Name, p.Spec.NodeName, ready))
	}
	sort.Strings(out)
	return out
}
