package simulate

import (
	"container/heap"
	"math/bits"
	"slices"
	"time"

	"github.com/daemonkit/daemonkit/daemonset"
	"github.com/daemonkit/daemonkit/rollout"
	"github.com/daemonkit/daemonkit/selector"
)

// fastView is the controller's incremental reconcile: per-node summaries of the informer view,
// kept up to date as changes are delivered, and cluster-wide counters and name-ordered sets built
// from them, so that a sync costs O(changed nodes + decisions) instead of O(nodes + pods).
//
// It covers the regular cluster of a rollout: every pod owned by the DaemonSet and matched by its
// selector, running (not Failed or Succeeded), aimed at a known node that should run it, at most
// one pod of each revision per node (one in all without surge), no failed-pod backoff in memory,
// production observe mode. On anything else (a pod on a vanished node, a duplicate, a failed pod,
// a node that may keep but not get a pod...) the sync falls back to daemonset.Plan on the whole
// view, so the decisions are always Plan's; TestFastMatchesPlan checks that traces are identical.
type fastView struct {
	s  *sim
	in *informer

	names   []string         // view nodes in ascending name order
	rank    map[string]int32 // name -> index in names
	nodes   []fastNode
	rebuild bool
	dirty   []int32
	stray   map[string]bool // pods whose target node is not in the view (or that have none)

	// Compiled once per DaemonSet change.
	elig        *daemonset.EligibilityChecker
	sel         selector.Selector
	selErr      bool
	surge       bool
	dsIrregular bool
	minReady    int32

	// Sums over the node summaries.
	desired, current, ready, avail, updated  int32
	numUnav, numSurge, cand, irregular       int
	createSet, handoverSet, replSet, candSet bitset

	wakes wakeHeap
}

type fastNode struct {
	name      string
	run, keep bool
	check     bool // the node changed: evaluate its eligibility again
	sum       summary
}

// summary is one node's contribution to the sums and sets.
type summary struct {
	irregular                               bool
	desired, current, ready, avail, updated bool
	unav, surgeWait, create, handover, repl bool
	cand                                    bool
	// createLeft: the create is for a node whose pods are all terminating (surge mode), not
	// for an empty node; oldNotReady: the handover is because the old pod is not ready.
	createLeft, oldNotReady bool
	oldPod                  string
}

// createReason words the node's create as Plan's manage does.
func (sm *summary) createReason() string {
	if sm.createLeft {
		return daemonset.ReasonCreateSurgeNoPod
	}
	return daemonset.ReasonCreateNoPod
}

// handoverReason words the node's surge handover as Plan's manage does.
func (sm *summary) handoverReason() string {
	if sm.oldNotReady {
		return daemonset.ReasonHandoverOldNotReady
	}
	return daemonset.ReasonHandoverNewAvailable
}

func (f *fastView) init(s *sim) {
	f.s, f.in = s, &s.inf
	f.stray = map[string]bool{}
	f.rebuild = true
	f.dsChanged()
}

// dsChanged recompiles what depends on the DaemonSet and marks every node for a recount.
func (f *fastView) dsChanged() {
	ds := &f.in.ds
	// The only error is a nil DaemonSet, and ds is never nil.
	f.elig, _ = daemonset.NewEligibilityChecker(ds)
	sel, err := selector.FromLabelSelector(ds.Selector)
	f.sel, f.selErr = sel, err != nil
	_, _, surge, ok := budgetOf(ds, 1)
	f.surge = surge
	f.dsIrregular = !ok || ds.DeletionTimestamp != nil || ds.Selector == nil ||
		(len(ds.Selector.MatchLabels) == 0 && len(ds.Selector.MatchExpressions) == 0) || f.selErr
	f.minReady = ds.MinReadySeconds
	f.rebuild = true
}

func (f *fastView) nodeChanged(name string, added bool) {
	if added {
		f.rebuild = true
		return
	}
	if r, ok := f.rank[name]; ok && !f.rebuild {
		f.nodes[r].check = true
		f.mark(r)
	}
}

func (f *fastView) nodeRemoved() { f.rebuild = true }

func (f *fastView) podChanged(p *daemonset.Pod, removed bool) {
	if f.rebuild {
		return
	}
	target, ok := daemonset.TargetNode(p)
	r, known := f.rank[target]
	if !ok || !known {
		if removed {
			delete(f.stray, p.Name)
		} else {
			f.stray[p.Name] = true
		}
		return
	}
	f.mark(r)
	if !removed && f.minReady > 0 && p.Ready == daemonset.ConditionTrue {
		heap.Push(&f.wakes, wake{at: p.ReadySince.Add(time.Duration(f.minReady) * time.Second), node: r})
	}
}

func (f *fastView) mark(r int32) {
	f.dirty = append(f.dirty, r)
}

// refresh brings the sums up to date at now.
func (f *fastView) refresh(now time.Time) {
	if f.rebuild {
		f.rebuildAll(now)
		return
	}
	for len(f.wakes) > 0 && !f.wakes[0].at.After(now) {
		w := heap.Pop(&f.wakes).(wake)
		if int(w.node) < len(f.nodes) {
			f.dirty = append(f.dirty, w.node)
		}
	}
	for _, r := range f.dirty {
		f.update(r, now)
	}
	f.dirty = f.dirty[:0]
}

func (f *fastView) rebuildAll(now time.Time) {
	f.rebuild = false
	f.dirty = f.dirty[:0]
	f.wakes = f.wakes[:0]
	f.names = f.names[:0]
	for i := range f.in.nodes {
		f.names = append(f.names, f.in.nodes[i].Name)
	}
	slices.Sort(f.names)
	f.rank = make(map[string]int32, len(f.names))
	for i, n := range f.names {
		f.rank[n] = int32(i)
	}
	f.nodes = make([]fastNode, len(f.names))
	f.desired, f.current, f.ready, f.avail, f.updated = 0, 0, 0, 0, 0
	f.numUnav, f.numSurge, f.cand, f.irregular = 0, 0, 0, 0
	k := len(f.names)
	f.createSet.reset(k)
	f.handoverSet.reset(k)
	f.replSet.reset(k)
	f.candSet.reset(k)
	for i := range f.in.nodes {
		n := &f.in.nodes[i]
		r := f.rank[n.Name]
		run, keep := f.elig.ShouldRun(*n)
		f.nodes[r] = fastNode{name: n.Name, run: run, keep: keep}
	}
	clear(f.stray)
	for i := range f.in.pods {
		p := &f.in.pods[i]
		target, ok := daemonset.TargetNode(p)
		if _, known := f.rank[target]; !ok || !known {
			f.stray[p.Name] = true
		}
		if f.minReady > 0 && p.Ready == daemonset.ConditionTrue && ok {
			if r, known := f.rank[target]; known {
				heap.Push(&f.wakes, wake{at: p.ReadySince.Add(time.Duration(f.minReady) * time.Second), node: r})
			}
		}
	}
	for r := range f.nodes {
		f.update(int32(r), now)
	}
}

// update recomputes node r's summary and moves the sums by the difference.
func (f *fastView) update(r int32, now time.Time) {
	n := &f.nodes[r]
	if i, ok := f.in.nodeIdx[n.name]; ok && n.check {
		n.check = false
		n.run, n.keep = f.elig.ShouldRun(f.in.nodes[i])
	}
	f.apply(&n.sum, r, -1)
	n.sum = f.summarize(n, now)
	f.apply(&n.sum, r, 1)
}

func (f *fastView) apply(sm *summary, r int32, d int) {
	b := func(v bool) int {
		if v {
			return d
		}
		return 0
	}
	f.irregular += b(sm.irregular)
	f.desired += int32(b(sm.desired))
	f.current += int32(b(sm.current))
	f.ready += int32(b(sm.ready))
	f.avail += int32(b(sm.avail))
	f.updated += int32(b(sm.updated))
	f.numUnav += b(sm.unav)
	f.numSurge += b(sm.surgeWait)
	f.cand += b(sm.cand)
	on := d > 0
	if sm.create {
		f.createSet.set(r, on)
	}
	if sm.handover {
		f.handoverSet.set(r, on)
	}
	if sm.repl {
		f.replSet.set(r, on)
	}
	if sm.cand {
		f.candSet.set(r, on)
	}
}

// summarize classifies one node as Plan would: status, manage and the rolling update's tallies.
func (f *fastView) summarize(n *fastNode, now time.Time) summary {
	var sm summary
	names := f.in.onNode[n.name]
	if !n.run {
		sm.irregular = len(names) > 0
		return sm
	}
	if !n.keep {
		sm.irregular = true
		return sm
	}
	sm.desired = true
	ds := &f.in.ds
	hash := f.in.hash
	var first, oldP, newP *daemonset.Pod
	live := 0
	for _, name := range names {
		p, ok := f.in.pod(name)
		if !ok {
			continue
		}
		if p.Phase == daemonset.PodFailed || p.Phase == daemonset.PodSucceeded ||
			p.Controller == nil || p.Controller.UID != ds.UID || !f.sel.Matches(p.Labels) {
			sm.irregular = true
			return sm
		}
		if first == nil || daemonset.PodLess(p, first) {
			first = p
		}
		if p.DeletionTimestamp != nil {
			continue
		}
		live++
		if daemonset.IsPodUpdated(p, hash, ds) {
			if newP != nil {
				sm.irregular = true
				return sm
			}
			newP = p
		} else {
			if oldP != nil {
				sm.irregular = true
				return sm
			}
			oldP = p
		}
	}
	if live > 1 && !f.surge {
		sm.irregular = true
		return sm
	}
	available := func(p *daemonset.Pod) bool { return daemonset.IsPodAvailable(p, f.minReady, now) }
	if first != nil {
		sm.current = true
		if daemonset.IsPodReady(first) {
			sm.ready = true
			sm.avail = available(first)
		}
		sm.updated = daemonset.IsPodUpdated(first, hash, ds)
	}
	// manage
	switch {
	case first == nil:
		sm.create = true
	case f.surge && live == 0:
		sm.create, sm.createLeft = true, true
	case f.surge && oldP != nil && newP != nil:
		sm.oldNotReady = !daemonset.IsPodReady(oldP)
		sm.handover = sm.oldNotReady || available(newP)
	}
	if oldP != nil {
		sm.oldPod = oldP.Name
	}
	// rolling update tallies
	if !f.surge {
		switch {
		case live == 0, oldP != nil && newP != nil:
			sm.unav = true
		case newP != nil:
			sm.unav = !available(newP)
		case !available(oldP):
			sm.unav, sm.repl = true, true
		default:
			sm.cand = true
		}
		return sm
	}
	switch {
	case oldP == nil:
	case newP == nil:
		if !available(oldP) {
			sm.repl = true
		} else {
			sm.cand = true
		}
	case !available(newP):
		sm.surgeWait = true
	}
	return sm
}

// budgetOf is the controller's budget for desired nodes (rollout.Strategy.Budget) and whether it
// surges, with ok false when the fast path leaves the sync to Plan: an unscalable value (Plan
// reports the error), or a strategy that is neither OnDelete nor a RollingUpdate with its block.
func budgetOf(ds *daemonset.DaemonSet, desired int) (maxUnav, maxSurge int, surgeMode, ok bool) {
	st := ds.UpdateStrategy
	if st.Type == daemonset.OnDeleteStrategy {
		return 0, 0, false, true
	}
	if st.Type != daemonset.RollingUpdateStrategy || st.RollingUpdate == nil {
		return 0, 0, false, false
	}
	s := st.Rollout()
	maxSurge, maxUnav, err := s.Budget(desired)
	if err != nil {
		return 0, 0, false, false
	}
	return maxUnav, maxSurge, s.AllowsSurge(), true
}

// plan is one sync on the fast path; ok false means "use Plan".
func (f *fastView) plan(in *daemonset.Input, burst int) (daemonset.Result, bool) {
	f.refresh(in.Now)
	ds := in.DaemonSet
	if f.dsIrregular || f.irregular > 0 || len(f.stray) > 0 || len(in.Memory.Backoff) > 0 {
		return daemonset.Result{}, false
	}
	rolling := ds.UpdateStrategy.Type == daemonset.RollingUpdateStrategy
	maxUnav, maxSurge, _, ok := budgetOf(ds, int(f.desired))
	if !ok || (rolling && (maxSurge != 0) != f.surge) {
		return daemonset.Result{}, false
	}
	var res daemonset.Result
	// The reasons are Plan's own words (daemonset.ReasonCreateNoPod and the like), so that a
	// fast sync's Result is the one Plan returns, reasons included (TestFastMatchesPlan).
	for r := f.createSet.next(0); r >= 0 && len(res.Creates) < burst; r = f.createSet.next(r + 1) {
		res.Creates = append(res.Creates, daemonset.Create{Node: f.names[r], Reason: f.nodes[r].sum.createReason()})
	}
	for r := f.handoverSet.next(0); r >= 0 && len(res.Deletes) < burst; r = f.handoverSet.next(r + 1) {
		res.Deletes = append(res.Deletes, daemonset.Delete{Pod: f.nodes[r].sum.oldPod, Node: f.names[r],
			Kind: daemonset.DeleteSurgeHandover, Reason: f.nodes[r].sum.handoverReason()})
	}
	if rolling && len(res.Creates) == 0 && len(res.Deletes) == 0 {
		if f.surge {
			remaining := min(max(0, maxSurge-f.numSurge), f.cand)
			taken := 0
			for r := f.replSet.or(&f.candSet, 0); r >= 0 && len(res.Creates) < burst; r = f.replSet.or(&f.candSet, r+1) {
				if f.replSet.has(r) {
					res.Creates = append(res.Creates, daemonset.Create{Node: f.names[r], Reason: rollout.ReasonSurgeUnavailable})
				} else if taken < remaining {
					taken++
					res.Creates = append(res.Creates, daemonset.Create{Node: f.names[r], Reason: rollout.SurgeReason(f.numSurge+taken, maxSurge)})
				} else if f.replSet.next(r) < 0 {
					break
				}
			}
		} else {
			remaining := min(max(0, maxUnav-f.numUnav), f.cand)
			taken := 0
			for r := f.replSet.or(&f.candSet, 0); r >= 0 && len(res.Deletes) < burst; r = f.replSet.or(&f.candSet, r+1) {
				if f.replSet.has(r) {
					res.Deletes = append(res.Deletes, daemonset.Delete{Pod: f.nodes[r].sum.oldPod, Node: f.names[r],
						Kind: daemonset.DeleteRollingUpdate, Reason: rollout.ReasonReplaceUnavailable})
				} else if taken < remaining {
					taken++
					res.Deletes = append(res.Deletes, daemonset.Delete{Pod: f.nodes[r].sum.oldPod, Node: f.names[r],
						Kind: daemonset.DeleteRollingUpdate, Reason: rollout.BudgetReason(f.numUnav+taken, maxUnav)})
				} else if f.replSet.next(r) < 0 {
					break
				}
			}
		}
	}
	old := ds.Status
	st := daemonset.Status{
		DesiredNumberScheduled: f.desired,
		CurrentNumberScheduled: f.current,
		NumberReady:            f.ready,
		UpdatedNumberScheduled: f.updated,
		NumberAvailable:        f.avail,
		NumberUnavailable:      f.desired - f.avail,
		ObservedGeneration:     old.ObservedGeneration,
		CollisionCount:         old.CollisionCount,
	}
	if st.NeedsWrite(old, ds.Generation) {
		res.StatusWrite = true
		st.ObservedGeneration = ds.Generation
	}
	res.Status = st
	if f.minReady > 0 && f.ready != f.avail {
		res.RequeueAfter = time.Duration(f.minReady) * time.Second
	}
	return res, true
}

// bitset is a set of node ranks.
type bitset []uint64

func (b *bitset) reset(n int) {
	w := (n + 63) / 64
	if cap(*b) >= w {
		*b = (*b)[:w]
		clear(*b)
		return
	}
	*b = make(bitset, w)
}

func (b bitset) set(i int32, on bool) {
	if on {
		b[i>>6] |= 1 << (uint(i) & 63)
	} else {
		b[i>>6] &^= 1 << (uint(i) & 63)
	}
}

func (b bitset) has(i int32) bool { return b[i>>6]&(1<<(uint(i)&63)) != 0 }

// next returns the first member >= i, or -1.
func (b bitset) next(i int32) int32 {
	return b.or(nil, i)
}

// or returns the first member >= i of b, or of b and o together when o is not nil; -1 if none.
func (b bitset) or(o *bitset, i int32) int32 {
	w := int(i >> 6)
	if i < 0 || w >= len(b) {
		return -1
	}
	word := b[w]
	if o != nil {
		word |= (*o)[w]
	}
	word &= ^uint64(0) << (uint(i) & 63)
	for {
		if word != 0 {
			return int32(w<<6 + bits.TrailingZeros64(word))
		}
		w++
		if w >= len(b) {
			return -1
		}
		word = b[w]
		if o != nil {
			word |= (*o)[w]
		}
	}
}

type wake struct {
	at   time.Time
	node int32
}

type wakeHeap []wake

func (h wakeHeap) Len() int           { return len(h) }
func (h wakeHeap) Less(i, j int) bool { return h[i].at.Before(h[j].at) }
func (h wakeHeap) Swap(i, j int)      { h[i], h[j] = h[j], h[i] }
func (h *wakeHeap) Push(x any)        { *h = append(*h, x.(wake)) }
func (h *wakeHeap) Pop() any {
	old := *h
	w := old[len(old)-1]
	*h = old[:len(old)-1]
	return w
}
