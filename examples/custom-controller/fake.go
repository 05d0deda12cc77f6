package main

import (
	"context"
	"fmt"
	"io"
	"time"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/labels"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/client-go/kubernetes/fake"
)

// runFake plays the controller against a fake clientset: first the DaemonSet is created, then its
// image changes. The program plays the scheduler and kubelet too, binding each new pod and making
// it Running and Ready before the next sync, and advances a virtual clock one second per sync.
func runFake(ctx context.Context, out io.Writer) error {
	client := fake.NewSimpleClientset(fakeObjects()...)
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	clock := func() time.Time { return now }
	c := newController(client, out, clock)
	if err := c.start(ctx); err != nil {
		return err
	}
	const ns, name = "monitoring", "node-exporter"

	converge := func(title string) error {
		fmt.Fprintf(out, "%s\n", title)
		for range 30 {
			now = now.Add(time.Second)
			wrote, err := c.sync(ctx, ns, name)
			if err != nil {
				return err
			}
			if err := c.catchUp(ctx, ns); err != nil {
				return err
			}
			if err := kubelet(ctx, client, ns, now); err != nil {
				return err
			}
			if err := c.catchUp(ctx, ns); err != nil {
				return err
			}
			if !wrote {
				fmt.Fprintf(out, "  sync %d: nothing to do, converged\n", c.syncs)
				for _, p := range c.podSummary(ns) {
					fmt.Fprintf(out, "  pod %s\n", p)
				}
				return nil
			}
		}
		return fmt.Errorf("%s: did not converge in 30 syncs", title)
	}
	if err := converge("== node-exporter created (node-3 is tainted dedicated=db:NoSchedule)"); err != nil {
		return err
	}
	ds, err := client.AppsV1().DaemonSets(ns).Get(ctx, name, metav1.GetOptions{})
	if err != nil {
		return err
	}
	ds.Spec.Template.Spec.Containers[0].Image = "prom/node-exporter:v1.8.2"
	ds.Generation++
	if _, err := client.AppsV1().DaemonSets(ns).Update(ctx, ds, metav1.UpdateOptions{}); err != nil {
		return err
	}
	if err := waitFor(ctx, func() bool {
		got, err := c.factory.Apps().V1().DaemonSets().Lister().DaemonSets(ns).Get(name)
		return err == nil && got.Generation == ds.Generation
	}); err != nil {
		return err
	}
	return converge("== new image prom/node-exporter:v1.8.2, maxUnavailable 1")
}

// catchUp waits until the pod cache holds the pods the API holds, as they are there (node,
// phase, conditions): the demo's stand-in for upstream's expectations.
func (c *controller) catchUp(ctx context.Context, ns string) error {
	key := func(p *corev1.Pod) string {
		return fmt.Sprintf("%s|%s|%s|%v", p.Name, p.Spec.NodeName, p.Status.Phase, p.Status.Conditions)
	}
	return waitFor(ctx, func() bool {
		api, err := c.client.CoreV1().Pods(ns).List(ctx, metav1.ListOptions{})
		if err != nil {
			return false
		}
		cached, _ := c.factory.Core().V1().Pods().Lister().Pods(ns).List(labels.Everything())
		if len(api.Items) != len(cached) {
			return false
		}
		want := map[string]bool{}
		for i := range api.Items {
			want[key(&api.Items[i])] = true
		}
		for _, p := range cached {
			if !want[key(p)] {
				return false
			}
		}
		return true
	})
}

// kubelet binds every pending pod to the node its affinity names and makes it Running and Ready.
func kubelet(ctx context.Context, client *fake.Clientset, ns string, now time.Time) error {
	pods, err := client.CoreV1().Pods(ns).List(ctx, metav1.ListOptions{})
	if err != nil {
		return err
	}
	for i := range pods.Items {
		p := &pods.Items[i]
		if p.Status.Phase == corev1.PodRunning {
			continue
		}
		p.Spec.NodeName = p.Spec.Affinity.NodeAffinity.RequiredDuringSchedulingIgnoredDuringExecution.NodeSelectorTerms[0].MatchFields[0].Values[0]
		p.Status.Phase = corev1.PodRunning
		p.Status.Conditions = []corev1.PodCondition{{Type: corev1.PodReady, Status: corev1.ConditionTrue, LastTransitionTime: metav1.NewTime(now)}}
		if _, err := client.CoreV1().Pods(ns).Update(ctx, p, metav1.UpdateOptions{}); err != nil {
			return err
		}
	}
	return nil
}

func fakeObjects() []runtime.Object {
	node := func(name string, taints ...corev1.Taint) *corev1.Node {
		return &corev1.Node{ObjectMeta: metav1.ObjectMeta{Name: name, Labels: map[string]string{"kubernetes.io/hostname": name}},
			Spec: corev1.NodeSpec{Taints: taints}}
	}
	labels := map[string]string{"app": "node-exporter"}
	ds := &appsv1.DaemonSet{
		ObjectMeta: metav1.ObjectMeta{Name: "node-exporter", Namespace: "monitoring", UID: "uid-node-exporter", Generation: 1},
		Spec: appsv1.DaemonSetSpec{
			Selector: &metav1.LabelSelector{MatchLabels: labels},
			Template: corev1.PodTemplateSpec{
				ObjectMeta: metav1.ObjectMeta{Labels: labels},
				Spec:       corev1.PodSpec{Containers: []corev1.Container{{Name: "node-exporter", Image: "prom/node-exporter:v1.7.0"}}},
			},
		},
	}
	return []runtime.Object{
		node("node-1"), node("node-2"),
		node("node-3", corev1.Taint{Key: "dedicated", Value: "db", Effect: corev1.TaintEffectNoSchedule}),
		ds,
	}
}
