package harness

import (
	"errors"
	"fmt"
	"sync/atomic"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/client-go/kubernetes/fake"
	k8stesting "k8s.io/client-go/testing"
)

// Controller is an upstream controller built once on a cluster, for timing its decisions over
// and over: its informer stores hold the cluster, and every API call it makes is answered at
// once without storing anything, so a sync costs what the controller's own logic costs. The
// cluster never changes between syncs (writes are not observed).
type Controller struct {
	b   *built
	key string
	// creates and deletes count the pod writes of the current sync (the controller writes from
	// several goroutines).
	creates, deletes atomic.Int64
}

// NewController builds a Controller on c (normalized first) with the clock at opt.Now. Put the
// DaemonSet's current ControllerRevision in c.Revisions, or every sync will create it again.
func NewController(c Cluster, opt Options) (*Controller, error) {
	c = Normalize(c)
	if c.DaemonSet == nil {
		return nil, errors.New("harness: the cluster has no DaemonSet")
	}
	bo := opt.Backoff
	if bo == nil {
		bo = NewBackoff(opt.Now)
	}
	bo.Clock.SetTime(opt.Now)
	client := fake.NewSimpleClientset()
	ds := c.DaemonSet
	ctrl := &Controller{key: ds.Namespace + "/" + ds.Name}
	client.PrependReactor("*", "*", func(a k8stesting.Action) (bool, runtime.Object, error) {
		if a.GetResource().Resource == "pods" {
			switch a.GetVerb() {
			case "create":
				ctrl.creates.Add(1)
			case "delete":
				ctrl.deletes.Add(1)
			}
		}
		switch a.GetVerb() {
		case "create", "update":
			// Answer with the object sent (create and update actions carry one).
			return true, a.(k8stesting.CreateAction).GetObject(), nil
		case "get":
			if a.GetResource().Resource == "daemonsets" {
				return true, ds.DeepCopy(), nil
			}
		}
		return true, nil, nil
	})
	b, err := build(c, client, bo)
	if err != nil {
		return nil, err
	}
	// The recorder would fill up over many syncs; events are not timed.
	b.recorder.Events = nil
	ctrl.b = b
	return ctrl, nil
}

// Sync runs one sync of the DaemonSet, after forgetting the expectations of the previous one
// (whose writes the stores never see).
func (c *Controller) Sync() error {
	c.creates.Store(0)
	c.deletes.Store(0)
	c.b.in.expectations.DeleteExpectations(klogFrom(c.b), c.key)
	if err := c.b.in.sync(c.b.ctx, c.key); err != nil {
		return fmt.Errorf("harness: upstream sync: %w", err)
	}
	return nil
}

// Writes reports how many pods the last sync created and deleted, so that a benchmark can check
// that the controller decided what the cluster calls for.
func (c *Controller) Writes() (creates, deletes int) {
	return int(c.creates.Load()), int(c.deletes.Load())
}

// Close stops the controller's background goroutines.
func (c *Controller) Close() { c.b.in.close() }

// CurrentRevision returns the ControllerRevision upstream makes for ds (normalized first) on its
// first sync, for Controller's cluster.
func CurrentRevision(ds *appsv1.DaemonSet, opt Options) (*appsv1.ControllerRevision, error) {
	out, err := Sync(Cluster{DaemonSet: ds, Nodes: []*corev1.Node{}}, opt)
	if err != nil {
		return nil, err
	}
	if len(out.CreatedRevisions) != 1 {
		return nil, fmt.Errorf("harness: upstream created %d revisions, want 1 (error %v)", len(out.CreatedRevisions), out.Err)
	}
	return out.CreatedRevisions[0], nil
}
