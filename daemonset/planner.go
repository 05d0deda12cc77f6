package daemonset

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/daemonkit/daemonkit/rollout"
	"github.com/daemonkit/daemonkit/selector"
)

// Plan runs one reconcile of in.DaemonSet (section 2 of the semantics) and returns what the
// controller does: creates, deletes, adoptions and releases, the status to write, the controller
// memory to carry on and a requeue hint. It is a pure function of in and opts.
//
// Plan answers what upstream's syncDaemonSet does once the current revision is known: the skip
// cases (a non-nil empty selector, a DaemonSet being deleted), the ownership claim, manage (missing
// pods, failed and succeeded pods with the failed-pod backoff, duplicates, surge pruning, unbound
// pods of vanished nodes), the burst cap, the rolling update of the strategy, and status.
//
// Where upstream's choice depends on list or map order, Plan decides in ascending node name: the
// first BurstReplicas creates of manage are those of the nodes whose names sort first; its deletes
// are capped in the order of their nodes' names (within a node: failed and succeeded pods in claim
// order, then duplicates in the controller's pod order), then the unbound pods of vanished nodes,
// again by node name. The rolling update's picks are those of rollout.Decide, capped the same way.
//
// Claim order is the order in which upstream's manage walks a node's pods when it looks for failed
// and succeeded ones: its claim lists the pods the DaemonSet owns before the orphans it adopts
// (controller.FilterPodsByOwner), each group in the pod indexer's order, which is unspecified and
// which Plan takes to be by name. It decides one thing: the failed-pod backoff lets one failed pod
// per node go in a sync, the first in claim order, so of an owned and an adopted Failed pod the
// owned one goes. Everything else manage and the status choose among a node's pods (duplicates,
// surge pairs, the pod that represents the node) follows the pod order PodLess, as upstream sorts
// there.
//
// In ObserveNone the status counts the input pods (the sync has not observed its own writes) but
// for one case: an orphan this sync adopts and deletes, when the API server removes it at once
// (it is unbound or has terminated, and has no finalizers). Upstream computes the status after
// claiming the pods again from its cache, where that pod still looks like an orphan; the second
// adoption patch finds no pod, and the claim leaves it out. A pod deleted gracefully (bound and
// not terminated, or with finalizers) still exists, so it is adopted again and counted.
//
// Bad input is an error, never a panic: a nil DaemonSet, two nodes with one name, two pods with one
// name on one node, a negative BurstReplicas, an invalid selector. The Result is then empty. When
// the rolling update fails (an invalid maxUnavailable, a lone old pod on a vanished node in surge
// mode) the error says so and the Result still holds manage's decisions and the status, as upstream
// issues them.
func Plan(in Input, opts Options) (Result, error) {
	var p Planner
	return p.Plan(in, opts)
}

// Planner runs Plan with scratch buffers kept between calls, so that repeated reconciles of a
// steady cluster allocate nothing per node or pod. A Planner is not safe for concurrent use; the
// Results it returns never share memory with it.
type Planner struct {
	// The node index. A controller hands in the same node list sync after sync, so it is kept
	// and rebuilt only when the names (or their order) change.
	names []string
	index map[string]int32
	order []int32 // node indices in ascending name order

	nodes    []nodeState // per input node
	podNode  []int32     // per input pod: its node index, or noNode / onVanished
	removed  []bool      // per input pod: deleted in the immediate view
	flags    []podFlags  // per claimed pod
	hint     []int32     // per input pod: the node index its target had in the previous call
	flat     []int32     // claimed pods of known nodes grouped by node, each group in pod order
	fill     []int32     // groupByNode's cursor per node
	vanished []vanishedPod

	mCreates []int32 // node indices
	terminal []int32 // manageKept's scratch: one node's failed and succeeded pods
	mDeletes []pendingDelete
	views    []rollout.NodeView
	podViews []rollout.PodView
	backoff  backoff

	// noShortcut makes Plan hand even a settled cluster to rollout.Decide (tests cross-check).
	noShortcut bool
}

// podFlags caches what the rolling update and status read of a claimed pod, so that its labels
// and conditions are looked at once per call.
type podFlags uint8

const (
	podIsUpdated podFlags = 1 << iota
	podIsReady
	podIsAvailable
	settledPod = podIsUpdated | podIsAvailable
)

const (
	noNode     = -1
	onVanished = -2
)

type nodeState struct {
	start, count int32
	run, keep    bool
	created      bool
}

type vanishedPod struct {
	target string
	pod    int32
}

type pendingDelete struct {
	pod    int32
	node   string
	kind   DeleteKind
	reason string
}

// plan is one call: what it reads, compiled once (newPlan), and what it accumulates.
type plan struct {
	in        *Input
	ds        *DaemonSet // in.DaemonSet
	elig      EligibilityChecker
	sel       selector.Selector
	strategy  rollout.Strategy
	surge     bool
	gen       string
	burst     int
	newBound  bool // pods created from the template are bound (the template names a node)
	requeue   time.Duration
	events    []Event
	dsKey     string
	res       *Result
	rollErr   error
	desired   int  // nodes that should run a pod
	newUpdate bool // a pod created now counts as updated
	// settled is true when every node that should run a pod has exactly one, running, updated and
	// available, and no other node (known or vanished) has any: the rolling update then has
	// nothing to do, whatever the strategy, and only its budget can fail.
	settled bool

	// backoffPrefix is BackoffKey without the node, built once per call.
	backoffPrefix string
}

// Plan is the package-level Plan with the Planner's buffers.
func (p *Planner) Plan(in Input, opts Options) (Result, error) {
	if err := checkCall(&in, opts); err != nil {
		return Result{}, err
	}
	if res, ok := skip(&in); ok {
		return res, nil
	}
	sel, err := selector.FromLabelSelector(in.DaemonSet.Selector)
	if err != nil {
		return Result{}, fmt.Errorf("plan: spec.selector: %w", err)
	}
	if err := p.indexNodes(in.Nodes); err != nil {
		return Result{}, fmt.Errorf("plan: %w", err)
	}
	var res Result
	pc := newPlan(&in, opts, sel, &res)
	p.evaluateNodes(&pc)
	if err := p.claim(&pc); err != nil {
		return Result{}, fmt.Errorf("plan: %w", err)
	}
	p.backoff.reset(in.Memory.Backoff)
	p.manage(&pc)

	immediate := opts.Observe == ObserveImmediate
	creates, deletes := p.issueManage(&pc, immediate)
	if pc.strategy.Type == rollout.RollingUpdate && (immediate || len(creates)+len(deletes) == 0) {
		var err error
		if pc.settled && len(creates)+len(deletes) == 0 && !p.noShortcut {
			// Nothing to roll: only the budget can still fail, and checking it alone spares
			// the steady cluster the per-node views.
			_, _, err = pc.strategy.Budget(pc.desired)
		} else {
			creates, deletes, err = p.rollingUpdate(&pc, creates, deletes, immediate)
		}
		if err != nil {
			pc.rollErr = fmt.Errorf("plan: rolling update: %w", err)
		}
	}

	if !immediate && len(res.Adopted) > 0 && len(deletes) > 0 {
		p.dropAdoptedGone(&pc, deletes)
	}
	p.status(&pc)
	res.Memory = p.backoff.memory(in.Now)
	sortActions(creates, deletes)
	res.Creates, res.Deletes = creates, deletes
	slices.Sort(res.Adopted)
	slices.Sort(res.Released)
	res.Events = pc.events
	res.RequeueAfter = pc.requeue
	return res, pc.rollErr
}

// checkCall rejects what Plan cannot work with at all.
func checkCall(in *Input, opts Options) error {
	if in.DaemonSet == nil {
		return errors.New("plan: no DaemonSet")
	}
	if opts.BurstReplicas < 0 {
		return fmt.Errorf("plan: BurstReplicas is %d, want >= 0", opts.BurstReplicas)
	}
	if opts.Observe != ObserveNone && opts.Observe != ObserveImmediate {
		return fmt.Errorf("plan: unknown observe mode %d", int(opts.Observe))
	}
	return nil
}

// skip is the result of a sync in which the controller refuses to act (a non-nil empty selector)
// or has nothing to do (the DaemonSet is being deleted): the status and memory as they came in.
func skip(in *Input) (Result, bool) {
	ds := in.DaemonSet
	res := Result{Status: ds.Status}
	switch {
	case ds.Selector != nil && len(ds.Selector.MatchLabels) == 0 && len(ds.Selector.MatchExpressions) == 0:
		res.Skipped = SkippedSelectingAll
		res.Events = []Event{{Type: EventWarning, Reason: ReasonSelectingAll, Object: dsKey(ds),
			Message: "This daemon set is selecting all pods. A non-empty selector is required."}}
	case ds.DeletionTimestamp != nil:
		res.Skipped = SkippedDeleting
	default:
		return Result{}, false
	}
	res.Memory = cloneMemory(in.Memory)
	return res, true
}

// newPlan compiles what the call reads of the DaemonSet.
func newPlan(in *Input, opts Options, sel selector.Selector, res *Result) plan {
	ds := in.DaemonSet
	gen, hasGen := TemplateGeneration(ds)
	pc := plan{
		in: in, ds: ds, res: res, dsKey: dsKey(ds), backoffPrefix: backoffPrefix(ds),
		elig:      compileEligibility(ds),
		sel:       sel,
		strategy:  ds.UpdateStrategy.Rollout(),
		gen:       genLabel(gen, hasGen),
		burst:     opts.BurstReplicas,
		newUpdate: in.Hash != "" || hasGen,
		newBound:  ds.Template.NodeName != "",
	}
	if pc.burst == 0 {
		pc.burst = DefaultBurstReplicas
	}
	pc.surge = pc.strategy.AllowsSurge()
	return pc
}

// dsKey is "namespace/name", the form events use to name the DaemonSet.
func dsKey(ds *DaemonSet) string { return ds.Namespace + "/" + ds.Name }

// sortActions puts creates and deletes in the order Result documents.
func sortActions(creates []Create, deletes []Delete) {
	slices.SortFunc(creates, func(a, b Create) int { return strings.Compare(a.Node, b.Node) })
	slices.SortFunc(deletes, func(a, b Delete) int {
		if c := strings.Compare(a.Node, b.Node); c != 0 {
			return c
		}
		return strings.Compare(a.Pod, b.Pod)
	})
}

func cloneMemory(m Memory) Memory {
	if len(m.Backoff) == 0 {
		return Memory{}
	}
	return Memory{Backoff: slices.Clone(m.Backoff)}
}

// indexNodes maps node names to their input index and sorts them by name; when the names are the
// ones of the previous call, in the same order, the index is reused as is.
func (p *Planner) indexNodes(nodes []Node) error {
	if p.index != nil && len(p.names) == len(nodes) {
		same := true
		for i := range nodes {
			if nodes[i].Name != p.names[i] {
				same = false
				break
			}
		}
		if same {
			return nil
		}
	}
	if p.index == nil {
		p.index = make(map[string]int32, len(nodes))
	} else {
		clear(p.index)
	}
	p.names = p.names[:0]
	p.order = p.order[:0]
	sorted := true
	for i := range nodes {
		name := nodes[i].Name
		if _, dup := p.index[name]; dup {
			// Leave no half-built index behind: the next call must not take it for its own.
			p.names, p.order = p.names[:0], p.order[:0]
			clear(p.index)
			return fmt.Errorf("node %q appears more than once", name)
		}
		p.index[name] = int32(i)
		p.names = append(p.names, name)
		p.order = append(p.order, int32(i))
		if i > 0 && nodes[i-1].Name > name {
			sorted = false
		}
	}
	if !sorted {
		slices.SortFunc(p.order, func(a, b int32) int { return strings.Compare(p.names[a], p.names[b]) })
	}
	return nil
}

// evaluateNodes is section 1 for every node, and resets the per-node state of the call.
func (p *Planner) evaluateNodes(pc *plan) {
	nodes := pc.in.Nodes
	p.nodes = resize(p.nodes, len(nodes))
	for i := range nodes {
		run, keep := pc.elig.check(&nodes[i])
		p.nodes[i] = nodeState{run: run, keep: keep}
		if run {
			pc.desired++
		}
	}
}

// resize returns s with length n, reusing its array when it is large enough; the contents are
// whatever was there.
func resize[T any](s []T, n int) []T {
	if cap(s) < n {
		return make([]T, n)
	}
	return s[:n]
}
