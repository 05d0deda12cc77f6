package harness

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/go-logr/logr"
	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/client-go/informers"
	"k8s.io/client-go/kubernetes/fake"
	k8stesting "k8s.io/client-go/testing"
	"k8s.io/client-go/tools/cache"
	"k8s.io/client-go/tools/record"
	"k8s.io/client-go/util/flowcontrol"
	"k8s.io/klog/v2"
	"k8s.io/kubernetes/pkg/controller/daemon"
	testingclock "k8s.io/utils/clock/testing"
)

// Observe says whether a sync sees its own pod writes.
type Observe int

const (
	// ObserveNone is production: creates and deletes reach the API only; the informer stores do
	// not change during the sync, so expectations stay unsatisfied and the rolling update runs
	// only when manage wrote nothing.
	ObserveNone Observe = iota
	// ObserveImmediate is upstream's unit-test mode: each create or delete is put into (removed
	// from) the pod store and observed at once.
	ObserveImmediate
)

// String names the mode as the scenario files do.
func (o Observe) String() string {
	if o == ObserveImmediate {
		return "immediate"
	}
	return "none"
}

// The failed-pod backoff kube-controller-manager uses.
const (
	BackoffInitial = time.Second
	BackoffMax     = 15 * time.Minute
)

// Backoff is the failed-pod backoff memory of a controller, with the fake clock it reads. A
// Session carries one across syncs; a single Sync makes a fresh one.
type Backoff struct {
	Clock   *testingclock.FakeClock
	Backoff *flowcontrol.Backoff
}

// NewBackoff returns an empty backoff whose clock reads now.
func NewBackoff(now time.Time) *Backoff {
	clk := testingclock.NewFakeClock(now)
	return &Backoff{Clock: clk, Backoff: flowcontrol.NewFakeBackOff(BackoffInitial, BackoffMax, clk)}
}

// Options configure one sync.
type Options struct {
	// Now is the controller's clock (availability and the failed-pod backoff read it).
	Now     time.Time
	Observe Observe
	// CreateQuota, when non-nil, is the number of pod creates the API accepts in this sync; later
	// ones fail with Forbidden, as a ResourceQuota would make them.
	CreateQuota *int
	// Backoff carries failed-pod backoff memory from earlier syncs; nil means none.
	Backoff *Backoff
}

// Outcome is what one upstream sync did.
type Outcome struct {
	// Creates holds the target node of each pod created, sorted (a node appears once per pod).
	Creates []string
	// CreatedPods are the pods the API accepted, in the order the creates arrived, with what the
	// API server fills in (name, UID, creationTimestamp now, phase Pending).
	CreatedPods []*corev1.Pod
	// SentPods are the same pods exactly as the controller sent them (generateName, no name).
	SentPods []*corev1.Pod
	// CreatesFailed counts create calls the API rejected.
	CreatesFailed int
	// Deletes holds the names of the pods deleted, sorted.
	Deletes []string
	// StatusWritten says whether the sync wrote the DaemonSet status; Status is the status it
	// wrote last, or the input status when it wrote none.
	StatusWritten bool
	Status        appsv1.DaemonSetStatus
	// Hash is the controller-revision-hash of the current revision ("" if history failed).
	Hash string
	// Adopted and Released name the pods the sync patched to add, or remove, its controller
	// reference (sorted, each once, although the controller claims pods several times a sync).
	Adopted  []string
	Released []string
	// RevisionsCreated names the ControllerRevisions created, sorted; CreatedRevisions holds them.
	RevisionsCreated []string
	CreatedRevisions []*appsv1.ControllerRevision
	// Events are the events the controller recorded through its own recorder ("Type Reason
	// Message"), in order: FailedDaemonPod, SucceededDaemonPod, SelectingAll. The pod writes'
	// events (SuccessfulCreate, FailedCreate, SuccessfulDelete) go through the pod control's
	// recorder and are not captured; Creates, CreatesFailed and Deletes report those writes.
	Events []string
	// Err is the error the sync returned.
	Err error
}

// Sync runs one sync of the upstream DaemonSet controller on c (normalized first) and reports
// what it did. The error is about the harness itself; the sync's own error is Outcome.Err.
func Sync(c Cluster, opt Options) (Outcome, error) {
	c = Normalize(c)
	if c.DaemonSet == nil {
		return Outcome{}, errors.New("harness: the cluster has no DaemonSet")
	}
	bo := opt.Backoff
	if bo == nil {
		bo = NewBackoff(opt.Now)
	}
	bo.Clock.SetTime(opt.Now)

	var objects []runtime.Object
	objects = append(objects, c.DaemonSet)
	for _, n := range c.Nodes {
		objects = append(objects, n)
	}
	for _, p := range c.Pods {
		objects = append(objects, p)
	}
	for _, r := range c.Revisions {
		objects = append(objects, r)
	}
	// The plain object tracker: NewClientset's field-managed tracker rebuilds a REST mapper on
	// every create, which makes a 250-pod sync take seconds.
	client := fake.NewSimpleClientset(objects...)
	b, err := build(c, client, bo)
	if err != nil {
		return Outcome{}, err
	}
	defer b.in.close()
	ctx, in, podStore := b.ctx, b.in, b.podStore
	recorder := b.recorder

	key := c.DaemonSet.Namespace + "/" + c.DaemonSet.Name
	rec := &recorderState{opt: opt, now: opt.Now, key: key, in: in, podStore: podStore,
		tracker: client.Tracker(), logger: klog.FromContext(ctx), taken: map[string]bool{}}
	for _, p := range c.Pods {
		rec.taken[p.Name] = true
	}
	client.PrependReactor("create", "pods", rec.createPod)
	client.PrependReactor("delete", "pods", rec.deletePod)

	syncErr := in.sync(ctx, key)

	out := Outcome{Err: syncErr, Status: c.DaemonSet.Status}
	rec.mu.Lock()
	out.CreatedPods = rec.created
	out.SentPods = rec.sent
	out.CreatesFailed = rec.failed
	out.Deletes = append([]string(nil), rec.deleted...)
	rec.mu.Unlock()
	for _, p := range out.CreatedPods {
		out.Creates = append(out.Creates, TargetNode(p))
	}
	sort.Strings(out.Creates)
	sort.Strings(out.Deletes)
	for _, a := range client.Actions() {
		switch {
		case a.Matches("update", "daemonsets") && a.GetSubresource() == "status":
			ds := a.(k8stesting.UpdateAction).GetObject().(*appsv1.DaemonSet)
			out.StatusWritten = true
			out.Status = *ds.Status.DeepCopy()
		case a.Matches("patch", "pods"):
			patch := a.(k8stesting.PatchAction)
			// A release deletes the owner reference; an adoption adds it.
			if strings.Contains(string(patch.GetPatch()), `"$patch":"delete"`) {
				out.Released = appendOnce(out.Released, patch.GetName())
			} else {
				out.Adopted = appendOnce(out.Adopted, patch.GetName())
			}
		case a.Matches("create", "controllerrevisions"):
			r := a.(k8stesting.CreateAction).GetObject().(*appsv1.ControllerRevision)
			out.RevisionsCreated = append(out.RevisionsCreated, r.Name)
			out.CreatedRevisions = append(out.CreatedRevisions, r.DeepCopy())
		}
	}
	sort.Strings(out.RevisionsCreated)
	sort.Strings(out.Adopted)
	sort.Strings(out.Released)
	out.Hash, err = currentHash(client, c.DaemonSet)
	if err != nil {
		return Outcome{}, err
	}
	close(recorder.Events)
	for e := range recorder.Events {
		out.Events = append(out.Events, e)
	}
	return out, nil
}

// built is a controller on a fake clientset with its informer stores filled.
type built struct {
	ctx      context.Context
	in       internals
	podStore cache.Indexer
	recorder *record.FakeRecorder
}

// build makes the controller the way kube-controller-manager wires it, on client and informers
// that are never started, and fills the informer stores with the objects of c.
func build(c Cluster, client *fake.Clientset, bo *Backoff) (*built, error) {
	factory := informers.NewSharedInformerFactory(client, 0)
	// The controller logs every step; the harness reports outcomes instead.
	ctx := klog.NewContext(context.Background(), logr.Discard())
	dsc, err := daemon.NewDaemonSetsController(ctx,
		factory.Apps().V1().DaemonSets(),
		factory.Apps().V1().ControllerRevisions(),
		factory.Core().V1().Pods(),
		factory.Core().V1().Nodes(),
		client, bo.Backoff)
	if err != nil {
		return nil, fmt.Errorf("harness: build the controller: %w", err)
	}
	b := &built{ctx: ctx, in: reach(dsc), podStore: factory.Core().V1().Pods().Informer().GetIndexer()}
	b.recorder = record.NewFakeRecorder(len(c.Pods) + 64)
	*b.in.recorder = b.recorder

	stores := []struct {
		store cache.Store
		objs  []runtime.Object
	}{
		{factory.Apps().V1().DaemonSets().Informer().GetStore(), []runtime.Object{c.DaemonSet}},
		{factory.Core().V1().Nodes().Informer().GetStore(), asObjects(c.Nodes)},
		{b.podStore, asObjects(c.Pods)},
		{factory.Apps().V1().ControllerRevisions().Informer().GetStore(), asObjects(c.Revisions)},
	}
	for _, s := range stores {
		for _, o := range s.objs {
			if err := s.store.Add(o.DeepCopyObject()); err != nil {
				b.in.close()
				return nil, fmt.Errorf("harness: fill the informer store: %w", err)
			}
		}
	}
	return b, nil
}

func appendOnce(list []string, s string) []string {
	if slices.Contains(list, s) {
		return list
	}
	return append(list, s)
}

func asObjects[T runtime.Object](in []T) []runtime.Object {
	out := make([]runtime.Object, len(in))
	for i, o := range in {
		out[i] = o
	}
	return out
}

// currentHash reads the hash of the current revision after a sync: the controller gives the
// current revision the highest revision number (a new one gets max+1, an existing one is raised
// to it), so it is the owned revision with the highest number.
func currentHash(client *fake.Clientset, ds *appsv1.DaemonSet) (string, error) {
	list, err := client.AppsV1().ControllerRevisions(ds.Namespace).List(context.Background(), metav1.ListOptions{})
	if err != nil {
		return "", fmt.Errorf("harness: list revisions: %w", err)
	}
	var best *appsv1.ControllerRevision
	for i := range list.Items {
		r := &list.Items[i]
		ref := metav1.GetControllerOf(r)
		if ref == nil || ref.UID != ds.UID {
			continue
		}
		if best == nil || r.Revision > best.Revision {
			best = r
		}
	}
	if best == nil {
		return "", nil
	}
	return best.Labels[appsv1.DefaultDaemonSetUniqueLabelKey], nil
}

// TargetNode is the node a daemon pod is for: spec.nodeName, else the single value of the first
// matchFields metadata.name In requirement of its required node affinity ("" when neither).
func TargetNode(p *corev1.Pod) string {
	if p.Spec.NodeName != "" {
		return p.Spec.NodeName
	}
	a := p.Spec.Affinity
	if a == nil || a.NodeAffinity == nil || a.NodeAffinity.RequiredDuringSchedulingIgnoredDuringExecution == nil {
		return ""
	}
	for _, t := range a.NodeAffinity.RequiredDuringSchedulingIgnoredDuringExecution.NodeSelectorTerms {
		for _, r := range t.MatchFields {
			if r.Key == metav1.ObjectNameField && r.Operator == corev1.NodeSelectorOpIn && len(r.Values) == 1 {
				return r.Values[0]
			}
		}
	}
	return ""
}

// recorderState handles the pod writes of one sync: it names created pods (the fake tracker
// ignores generateName), enforces the create quota, records every write, and in
// ObserveImmediate mode reflects the write in the pod store and tells the expectations.
type recorderState struct {
	opt      Options
	now      time.Time
	key      string
	in       internals
	podStore cache.Store
	tracker  k8stesting.ObjectTracker
	logger   klog.Logger

	mu      sync.Mutex
	seq     int
	taken   map[string]bool // pod names in use or used
	created []*corev1.Pod
	sent    []*corev1.Pod
	failed  int
	deleted []string
}

func (r *recorderState) createPod(action k8stesting.Action) (bool, runtime.Object, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	pod := action.(k8stesting.CreateAction).GetObject().(*corev1.Pod).DeepCopy()
	sent := pod.DeepCopy()
	if pod.Name == "" && pod.GenerateName != "" {
		// The next name not used by any pod of the input or of this sync (a pod deleted in
		// this sync keeps its name to itself, as the API server's random suffixes would).
		for {
			r.seq++
			pod.Name = fmt.Sprintf("%s%05d", pod.GenerateName, r.seq)
			if !r.taken[pod.Name] {
				break
			}
		}
	}
	if q := r.opt.CreateQuota; q != nil && len(r.created) >= *q {
		r.failed++
		return true, nil, apierrors.NewForbidden(corev1.Resource("pods"), pod.Name,
			fmt.Errorf("exceeded quota: harness-quota, requested: pods=1, limited: pods=%d", *q))
	}
	// What the API server fills in on create.
	pod.Namespace = action.GetNamespace()
	pod.UID = UIDFor(pod.Name)
	pod.CreationTimestamp = metav1.NewTime(r.now)
	pod.Status.Phase = corev1.PodPending
	if err := r.tracker.Create(corev1.SchemeGroupVersion.WithResource("pods"), pod, pod.Namespace); err != nil {
		return true, nil, err
	}
	r.taken[pod.Name] = true
	r.created = append(r.created, pod.DeepCopy())
	r.sent = append(r.sent, sent)
	if r.opt.Observe == ObserveImmediate {
		if err := r.podStore.Add(pod.DeepCopy()); err != nil {
			return true, nil, err
		}
		r.in.expectations.CreationObserved(r.logger, r.key)
	}
	return true, pod, nil
}

func (r *recorderState) deletePod(action k8stesting.Action) (bool, runtime.Object, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	name := action.(k8stesting.DeleteAction).GetName()
	ns := action.GetNamespace()
	r.deleted = append(r.deleted, name)
	err := r.apiDelete(ns, name)
	if r.opt.Observe == ObserveImmediate {
		if obj, ok, _ := r.podStore.GetByKey(ns + "/" + name); ok {
			if err := r.podStore.Delete(obj); err != nil {
				return true, nil, err
			}
		}
		r.in.expectations.DeletionObserved(r.logger, r.key)
	}
	return true, nil, err
}

// apiDelete deletes a pod the way the API server does: a pod bound to a node that has not
// terminated is deleted gracefully (it stays, with a deletionTimestamp, until the kubelet stops
// it), and so is any pod with finalizers; an unbound or terminated pod without finalizers goes at
// once. The difference shows when the controller patches the pod again in the same sync (an
// orphan adopted, deleted, then claimed again for the status).
func (r *recorderState) apiDelete(ns, name string) error {
	gvr := corev1.SchemeGroupVersion.WithResource("pods")
	obj, err := r.tracker.Get(gvr, ns, name)
	if err != nil {
		return err
	}
	pod := obj.(*corev1.Pod).DeepCopy()
	terminal := pod.Status.Phase == corev1.PodSucceeded || pod.Status.Phase == corev1.PodFailed
	if (pod.Spec.NodeName == "" || terminal) && len(pod.Finalizers) == 0 {
		return r.tracker.Delete(gvr, ns, name)
	}
	if pod.DeletionTimestamp == nil {
		now := metav1.NewTime(r.now)
		pod.DeletionTimestamp = &now
		grace := int64(corev1.DefaultTerminationGracePeriodSeconds)
		if g := pod.Spec.TerminationGracePeriodSeconds; g != nil {
			grace = *g
		}
		pod.DeletionGracePeriodSeconds = &grace
	}
	return r.tracker.Update(gvr, pod, ns)
}

func klogFrom(b *built) klog.Logger { return klog.FromContext(b.ctx) }
