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
// are capped in the order of their nodes' names (within a node: failed and succeeded pods, then
// duplicates, each in the controller's pod order), then the unbound pods of vanished nodes, again
// by node name. The rolling update's picks are those of rollout.Decide, capped the same way.
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
	// The node index, rebuilt only when the node names change.
	names []string
	index map[string]int32
	order []int32 // node indices in ascending name order

	nodes    []nodeState
	podNode  []int32 // per input pod: its node index, or noNode / onVanished
	removed  []bool  // per input pod: deleted in the immediate view
	flags    []podFlags
	hint     []int32 // per input pod: the node index its target had in the previous call
	flat     []int32 // claimed pods of known nodes grouped by node, each group in pod order
	vanished []vanishedPod
	fill     []int32

	mCreates []int32 // node indices
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

// plan holds what one call reads, compiled once.
type plan struct {
	in        *Input
	ds        *DaemonSet
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
	desired   int
	newUpdate bool // a pod created now counts as updated
	// settled is true when every node that should run a pod has exactly one, running, updated and
	// available, and no other node (known or vanished) has any: the rolling update then has
	// nothing to do, whatever the strategy, and only its budget can fail.
	settled bool
}

// Plan is the package-level Plan with the Planner's buffers.
func (p *Planner) Plan(in Input, opts Options) (Result, error) {
	var res Result
	ds := in.DaemonSet
	if ds == nil {
		return res, errors.New("plan: no DaemonSet")
	}
	if opts.BurstReplicas < 0 {
		return res, fmt.Errorf("plan: BurstReplicas is %d, want >= 0", opts.BurstReplicas)
	}
	if opts.Observe != ObserveNone && opts.Observe != ObserveImmediate {
		return res, fmt.Errorf("plan: unknown observe mode %d", int(opts.Observe))
	}
	res.Status = ds.Status
	dsKey := ds.Namespace + "/" + ds.Name
	if ds.Selector != nil && len(ds.Selector.MatchLabels) == 0 && len(ds.Selector.MatchExpressions) == 0 {
		res.Skipped = SkippedSelectingAll
		res.Memory = cloneMemory(in.Memory)
		res.Events = []Event{{Type: EventWarning, Reason: ReasonSelectingAll, Object: dsKey,
			Message: "This daemon set is selecting all pods. A non-empty selector is required."}}
		return res, nil
	}
	if ds.DeletionTimestamp != nil {
		res.Skipped = SkippedDeleting
		res.Memory = cloneMemory(in.Memory)
		return res, nil
	}
	sel, err := selector.FromLabelSelector(ds.Selector)
	if err != nil {
		return Result{}, fmt.Errorf("plan: spec.selector: %w", err)
	}
	if err := p.indexNodes(in.Nodes); err != nil {
		return Result{}, fmt.Errorf("plan: %w", err)
	}
	pc := plan{in: &in, ds: ds, elig: compileEligibility(ds), sel: sel, dsKey: dsKey, res: &res,
		burst: opts.BurstReplicas}
	if pc.burst == 0 {
		pc.burst = DefaultBurstReplicas
	}
	pc.strategy = ds.UpdateStrategy.Rollout()
	pc.surge = pc.strategy.AllowsSurge()
	g, ok := TemplateGeneration(ds)
	pc.gen = genLabel(g, ok)
	pc.newUpdate = in.Hash != "" || ok
	pc.newBound = ds.Template.NodeName != ""

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
			_, _, err = pc.strategy.Budget(pc.desired)
		} else {
			creates, deletes, err = p.rollingUpdate(&pc, creates, deletes, immediate)
		}
		if err != nil {
			pc.rollErr = fmt.Errorf("plan: rolling update: %w", err)
		}
	}

	p.status(&pc)
	res.Memory = p.backoff.memory(in.Now)
	slices.SortFunc(creates, func(a, b Create) int { return strings.Compare(a.Node, b.Node) })
	slices.SortFunc(deletes, func(a, b Delete) int {
		if c := strings.Compare(a.Node, b.Node); c != 0 {
			return c
		}
		return strings.Compare(a.Pod, b.Pod)
	})
	res.Creates, res.Deletes = creates, deletes
	slices.Sort(res.Adopted)
	slices.Sort(res.Released)
	res.Events = pc.events
	res.RequeueAfter = pc.requeue
	return res, pc.rollErr
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
			p.names = p.names[:0]
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

func resize[T any](s []T, n int) []T {
	if cap(s) < n {
		return make([]T, n)
	}
	return s[:n]
}

// claim is section 2.2: which pods are the DaemonSet's, and on which node each one is.
func (p *Planner) claim(pc *plan) error {
	ds, pods := pc.ds, pc.in.Pods
	p.podNode = resize(p.podNode, len(pods))
	p.removed = resize(p.removed, len(pods))
	clear(p.removed)
	p.flags = resize(p.flags, len(pods))
	if len(p.hint) != len(pods) {
		p.hint = resize(p.hint, len(pods))
		for i := range p.hint {
			p.hint[i] = noNode
		}
	}
	nodes := pc.in.Nodes
	p.vanished = p.vanished[:0]
	claimed := 0
	for i := range pods {
		p.podNode[i] = noNode
		pod := &pods[i]
		if pod.Namespace != ds.Namespace {
			continue
		}
		// Ownership is decided by the controller's UID alone, as upstream's claim does (two empty
		// UIDs are equal).
		if c := pod.Controller; c != nil {
			if c.UID != ds.UID {
				continue
			}
			if !pc.sel.Matches(pod.Labels) {
				pc.res.Released = append(pc.res.Released, pod.Name)
				continue
			}
		} else {
			if pod.DeletionTimestamp != nil || !pc.sel.Matches(pod.Labels) {
				continue
			}
			pc.res.Adopted = append(pc.res.Adopted, pod.Name)
		}
		if pod.DeletionTimestamp != nil && isTerminal(pod) {
			continue
		}
		target, ok := TargetNode(pod)
		if !ok {
			continue
		}
		var f podFlags
		if podUpdated(pod, pc.in.Hash, pc.gen) {
			f |= podIsUpdated
		}
		if IsPodReady(pod) {
			f |= podIsReady
			if IsPodAvailable(pod, ds.MinReadySeconds, pc.in.Now) {
				f |= podIsAvailable
			}
		}
		p.flags[i] = f
		ni := p.hint[i]
		if ni < 0 || int(ni) >= len(nodes) || nodes[ni].Name != target {
			var ok bool
			if ni, ok = p.index[target]; !ok {
				ni = noNode
			}
			p.hint[i] = ni
		}
		if ni >= 0 {
			p.podNode[i] = ni
			p.nodes[ni].count++
			claimed++
		} else {
			p.podNode[i] = onVanished
			p.vanished = append(p.vanished, vanishedPod{target: target, pod: int32(i)})
		}
	}
	// Group the pods of known nodes: a counting sort into one flat slice.
	p.flat = resize(p.flat, claimed)
	p.fill = resize(p.fill, len(p.nodes))
	var at int32
	for i := range p.nodes {
		p.nodes[i].start = at
		p.fill[i] = at
		at += p.nodes[i].count
	}
	for i, ni := range p.podNode {
		if ni >= 0 {
			p.flat[p.fill[ni]] = int32(i)
			p.fill[ni]++
		}
	}
	for i := range p.nodes {
		n := &p.nodes[i]
		if n.count > 1 {
			if err := sortPods(p.flat[n.start:n.start+n.count], pods); err != nil {
				return err
			}
		}
	}
	if len(p.vanished) > 0 {
		slices.SortFunc(p.vanished, func(a, b vanishedPod) int {
			if c := strings.Compare(a.target, b.target); c != 0 {
				return c
			}
			if PodLess(&pods[a.pod], &pods[b.pod]) {
				return -1
			}
			if PodLess(&pods[b.pod], &pods[a.pod]) {
				return 1
			}
			return 0
		})
		for i := 1; i < len(p.vanished); i++ {
			a, b := p.vanished[i-1], p.vanished[i]
			if a.target == b.target && pods[a.pod].Name == pods[b.pod].Name {
				return fmt.Errorf("pod %q appears more than once", pods[b.pod].Name)
			}
		}
	}
	return nil
}

// sortPods puts one node's pods in the controller's pod order (section 2.4). Two pods of one name
// would make the order depend on the input, so they are an error.
func sortPods(idx []int32, pods []Pod) error {
	if len(idx) <= 16 {
		for i := 1; i < len(idx); i++ {
			for j := i; j > 0 && PodLess(&pods[idx[j]], &pods[idx[j-1]]); j-- {
				idx[j], idx[j-1] = idx[j-1], idx[j]
			}
		}
	} else {
		slices.SortFunc(idx, func(a, b int32) int {
			if PodLess(&pods[a], &pods[b]) {
				return -1
			}
			if PodLess(&pods[b], &pods[a]) {
				return 1
			}
			return 0
		})
	}
	for i := 1; i < len(idx); i++ {
		if pods[idx[i]].Name == pods[idx[i-1]].Name {
			return fmt.Errorf("pod %q appears more than once", pods[idx[i]].Name)
		}
	}
	return nil
}

func (p *Planner) group(ni int32) []int32 {
	n := &p.nodes[ni]
	return p.flat[n.start : n.start+n.count]
}
