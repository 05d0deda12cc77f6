package simulate

import (
	"container/heap"
	"time"

	"github.com/daemonkit/daemonkit/daemonset"
)

// expectationsTTL is how long the controller waits to observe its own writes before it acts
// again regardless (upstream's ExpectationsTimeout).
const expectationsTTL = 5 * time.Minute

// apiCall is one create or delete the controller sends.
type apiCall struct {
	create bool
	node   string
	pod    string
	// availInView is whether the controller saw the pod available when it decided (deletes).
	availInView bool
	kind        daemonset.DeleteKind
	// exempt: the controller saw no available pod on the node when it decided to create (a
	// replacement outside the surge budget).
	exempt bool
	batch  *batch
	failed bool
}

// batch is a group of calls sent in parallel; the sync goes on when all are done.
type batch struct {
	pending int
	failed  bool
}

// controller is the DaemonSet controller: its sync loop, its client and its memory.
type controller struct {
	s *sim

	memory daemonset.Memory
	// expectations: creates and deletes issued and not yet observed.
	expAdds, expDels int
	expAt            time.Time

	busy        bool
	pending     bool // a sync was asked for while busy
	queued      bool // a sync is in the work queue
	requeueAt   time.Time
	lastVersion uint64
	lastEmpty   bool
	lastActed   bool // the last plan asked for creates or deletes
	planned     bool
	wakes       timeHeap

	bucket bucket
	// viewBudget is the largest maxUnavailable the controller acted on (as it saw the DaemonSet)
	// since it last had no node down: with informer lag it may act on a budget already changed.
	viewBudget int

	// The sync in flight.
	cur      *SyncRecord
	creates  []daemonset.Create
	exempt   []bool
	deletes  []daemonset.Delete
	next     int // next create to send
	size     int // next batch size
	status   *daemonset.Status
	inflight *batch

	syncN int
	// syncErr: the sync in flight had an error (a failed call or a planner error); failures
	// counts consecutive failed syncs for the work queue's retry backoff.
	syncErr  bool
	failures int
}

func (c *controller) init(s *sim) {
	c.s = s
	c.bucket = bucket{qps: s.sc.API.QPS, burst: float64(s.sc.API.Burst), tokens: float64(s.sc.API.Burst), last: s.now}
	cm := s.sc.Controller
	if cm.SyncPeriod > 0 {
		s.schedule(s.now, &event{kind: evSync, idx: -1})
	} else {
		c.trigger()
		if cm.ResyncPeriod > 0 {
			s.schedule(s.now.Add(cm.ResyncPeriod), &event{kind: evSync, idx: -2})
		}
	}
}

// trigger adds the DaemonSet to the work queue: a sync runs EventDelay later, unless one is
// already queued (the queue holds a key once, as client-go's work queue does).
func (c *controller) trigger() {
	if c.queued || c.s.sc.Controller.SyncPeriod > 0 {
		return
	}
	c.queued = true
	c.s.schedule(c.s.now.Add(c.s.sc.Controller.EventDelay), &event{kind: evSync, idx: 0})
}

// triggerAt adds the DaemonSet to the work queue at at (a requeue after a delay).
func (c *controller) triggerAt(at time.Time) {
	if c.s.sc.Controller.SyncPeriod > 0 {
		return
	}
	c.s.schedule(at, &event{kind: evSync, idx: -3})
}

// poke asks for a sync soon (after a change the informer does not carry, such as a resume).
func (c *controller) poke() {
	c.lastVersion = ^uint64(0)
	c.trigger()
}

// observed is the informer's callback for every delivered change.
func (c *controller) observed(sn *snapshot) {
	s := c.s
	switch {
	case sn.pod != nil:
		if sn.pod.Controller != nil && sn.pod.Controller.UID == s.inf.ds.UID {
			if sn.pod.DeletionTimestamp != nil {
				c.expDels--
			}
		}
		if m := s.inf.ds.MinReadySeconds; m > 0 && sn.pod.Ready == daemonset.ConditionTrue {
			// Upstream requeues minReadySeconds + 1 s after a pod turns Ready; the skip check
			// wakes up exactly when the pod becomes available.
			at := sn.pod.ReadySince.Add(time.Duration(m) * time.Second)
			heap.Push(&c.wakes, at)
			c.triggerAt(at.Add(time.Second))
		}
	case sn.removed && sn.node == nil:
		c.expDels--
	}
	c.trigger()
}

// createdObserved lowers the create expectation when the informer first sees a pod of ours.
func (c *controller) createdObserved() { c.expAdds-- }

func (c *controller) satisfied() bool {
	if c.expAdds <= 0 && c.expDels <= 0 {
		return true
	}
	return c.s.now.Sub(c.expAt) >= expectationsTTL
}

// sync is one run of the sync loop for the DaemonSet.
func (c *controller) sync(e *event) {
	s := c.s
	switch e.idx {
	case -1: // the periodic tick
		s.schedule(s.now.Add(s.sc.Controller.SyncPeriod), &event{kind: evSync, idx: -1})
	case -2:
		s.schedule(s.now.Add(s.sc.Controller.ResyncPeriod), &event{kind: evSync, idx: -2})
	case -3: // a requeue timer: add to the queue
		if c.queued {
			return
		}
	default:
		c.queued = false
	}
	if c.busy {
		c.pending = true
		return
	}
	c.syncN++
	s.metrics.Syncs++
	rec := SyncRecord{Sync: c.syncN, At: s.now.Sub(s.sc.Start)}
	c.cur = &rec
	if !c.satisfied() {
		rec.Waiting = true
		c.finish()
		return
	}
	for len(c.wakes) > 0 && !c.wakes[0].After(s.now) {
		heap.Pop(&c.wakes)
		c.lastVersion = ^uint64(0)
	}
	if c.planned && s.inf.version == c.lastVersion && c.lastEmpty && (c.requeueAt.IsZero() || s.now.Before(c.requeueAt)) {
		// Nothing new to see and nothing due: the plan would be the last one, which was empty.
		rec.Status = s.inf.ds.Status
		rec.Skipped = true
		c.finish()
		return
	}
	in := daemonset.Input{
		DaemonSet: &s.inf.ds,
		Nodes:     s.inf.nodes,
		Pods:      s.inf.pods,
		Hash:      s.inf.hash,
		Now:       s.now,
		Memory:    c.memory,
	}
	opts := daemonset.Options{BurstReplicas: s.sc.Controller.BurstReplicas}
	if s.sc.Controller.Observe == ObserveImmediate {
		opts.Observe = daemonset.ObserveImmediate
	}
	c.lastVersion = s.inf.version
	c.planned = true
	var res daemonset.Result
	var err error
	fast := false
	if s.sc.Planner == nil && !s.sc.Controller.FullPlan && opts.Observe == daemonset.ObserveNone {
		res, fast = s.inf.fast.plan(&in, s.sc.Controller.BurstReplicas)
	}
	if fast {
		s.metrics.FastPlans++
		if s.sc.crossCheck {
			s.crossCheckFast(in, opts, res)
		}
	} else {
		res, err = s.planner.Plan(in, opts)
		s.metrics.Plans++
	}
	if err != nil {
		rec.Error = err.Error()
		c.syncErr = true
		s.planErr = true
	} else {
		s.planErr = false
	}
	c.memory = res.Memory
	c.requeueAt = time.Time{}
	if res.RequeueAfter > 0 {
		c.requeueAt = s.now.Add(res.RequeueAfter)
		c.triggerAt(c.requeueAt)
	}
	creates, deletes := res.Creates, res.Deletes
	if s.paused {
		creates, deletes = c.pauseFilter(creates, deletes)
	}
	c.lastActed = len(creates) > 0 || len(deletes) > 0
	c.lastEmpty = !c.lastActed && !res.StatusWrite
	rec.Creates, rec.Deletes = len(creates), len(deletes)
	rec.Status = res.Status
	if len(creates) > 0 || len(deletes) > 0 {
		s.record(TraceEvent{Kind: "Sync", Detail: syncDetail(len(creates), len(deletes))})
	}
	c.creates, c.deletes = creates, deletes
	// Which creates go beside a pod that is not available, as the controller sees it now: those
	// are replacements outside the surge budget.
	c.exempt = c.exempt[:0]
	for _, cr := range creates {
		c.exempt = append(c.exempt, s.inf.noneAvailable(cr.Node, s.now))
	}
	c.next, c.size = 0, 1
	if s.sc.Controller.NoSlowStart {
		c.size = len(creates)
	}
	if res.StatusWrite {
		st := res.Status
		c.status = &st
	}
	if len(deletes) > 0 {
		mu, _, _ := scaleBudget(&s.inf.ds, int(res.Status.DesiredNumberScheduled))
		c.viewBudget = max(c.viewBudget, mu)
	}
	// Expectations are replaced by what this sync issues.
	c.expAdds, c.expDels, c.expAt = len(creates), len(deletes), s.now
	c.busy = true
	c.sendCreates()
}

// pauseFilter drops what the rolling update wants while the DaemonSet is paused: its deletes, and
// surge creates (creates on nodes that still run a live pod in the controller's view).
func (c *controller) pauseFilter(creates []daemonset.Create, deletes []daemonset.Delete) ([]daemonset.Create, []daemonset.Delete) {
	busyNodes := map[string]bool{}
	for i := range c.s.inf.pods {
		p := &c.s.inf.pods[i]
		if p.DeletionTimestamp == nil && p.Phase != daemonset.PodFailed && p.Phase != daemonset.PodSucceeded {
			if n, ok := daemonset.TargetNode(p); ok {
				busyNodes[n] = true
			}
		}
	}
	var cs []daemonset.Create
	for _, cr := range creates {
		if !busyNodes[cr.Node] {
			cs = append(cs, cr)
		}
	}
	var ds []daemonset.Delete
	for _, d := range deletes {
		if d.Kind != daemonset.DeleteRollingUpdate {
			ds = append(ds, d)
		}
	}
	return cs, ds
}

// sendCreates sends the next slow-start batch of creates, or moves on to the deletes.
func (c *controller) sendCreates() {
	if c.next >= len(c.creates) {
		c.sendDeletes()
		return
	}
	n := min(c.size, len(c.creates)-c.next)
	b := &batch{pending: n}
	c.inflight = b
	for i := 0; i < n; i++ {
		cr := c.creates[c.next+i]
		c.send(&apiCall{create: true, node: cr.Node, batch: b, exempt: c.exempt[c.next+i]}, c.s.sc.API.CreateLatency)
	}
	c.next += n
	c.size = min(2*n, len(c.creates)-c.next)
	if c.size == 0 {
		c.size = 1
	}
}

func (c *controller) sendDeletes() {
	if len(c.deletes) == 0 {
		c.sendStatus()
		return
	}
	b := &batch{pending: len(c.deletes)}
	c.inflight = b
	for _, d := range c.deletes {
		call := &apiCall{node: d.Node, pod: d.Pod, batch: b, kind: d.Kind}
		if p, ok := c.s.inf.pod(d.Pod); ok {
			// The delete takes the node down, as the controller sees it, when the pod is available
			// and no other pod on the node is.
			call.availInView = daemonset.IsPodAvailable(p, c.s.inf.ds.MinReadySeconds, c.s.now) &&
				!c.s.inf.otherAvailable(d.Node, d.Pod, c.s.now)
		}
		c.send(call, c.s.sc.API.DeleteLatency)
	}
	c.deletes = nil
}

func (c *controller) sendStatus() {
	s := c.s
	if c.status != nil {
		st := *c.status
		c.status = nil
		s.inf.ds.Status = st
		s.ds.Status = st
		if !s.sc.API.NoStatusCall {
			s.metrics.APICalls++
			start := c.bucket.take(s.now)
			if start.After(s.now) {
				b := &batch{pending: 1}
				c.inflight = b
				s.schedule(start, &event{kind: evCallDone, call: &apiCall{batch: b, node: ""}})
				return
			}
		}
	}
	c.finish()
}

// send takes a token and schedules the call's completion.
func (c *controller) send(call *apiCall, lat Dist) {
	s := c.s
	s.metrics.APICalls++
	start := c.bucket.take(s.now)
	done := start.Add(lat.Sample(s.rLat))
	s.schedule(done, &event{kind: evCallDone, call: call})
}

// callDone is a call's answer coming back: the API server has (or has not) done it.
func (c *controller) callDone(call *apiCall) {
	s := c.s
	b := call.batch
	switch {
	case call.create:
		if r := s.sc.API.CreateErrorRate; r > 0 && s.rFault.Float64() < r {
			call.failed = true
			c.expAdds--
			s.metrics.APIErrors++
			s.record(TraceEvent{Kind: "CreateFailed", Node: call.node})
			break
		}
		p := s.createPod(call.node, call.exempt)
		s.record(TraceEvent{Kind: "PodCreated", Node: call.node, Pod: p.p.Name})
	case call.pod != "":
		if r := s.sc.API.DeleteErrorRate; r > 0 && s.rFault.Float64() < r {
			call.failed = true
			c.expDels--
			s.metrics.APIErrors++
			s.record(TraceEvent{Kind: "DeleteFailed", Node: call.node, Pod: call.pod})
			break
		}
		p := s.pods[call.pod]
		if p == nil || p.gone || p.deleting() {
			// NotFound (or already going): the expectation is lowered all the same.
			c.expDels--
			break
		}
		n := p.node
		wasAvail := s.available(p)
		onlyAvail := wasAvail && n.desired && countAvailable(s, n) == 1
		s.metrics.PodsDeleted++
		s.startDelete(p, true)
		// Only deletes made while the node should run the pod count against the budget: a pod
		// deleted because the node may no longer keep it (misscheduled, failed) is not a rollout's
		// doing, even when the node turns eligible again before the delete lands.
		budgeted := call.kind == daemonset.DeleteRollingUpdate || call.kind == daemonset.DeleteDuplicate || call.kind == daemonset.DeleteSurgeHandover
		if budgeted && onlyAvail && call.availInView && !n.avail && n.desired {
			n.ctlDown = true
			s.counters.ctlDown++
		}
		s.record(TraceEvent{Kind: "PodDeleted", Node: n.name, Pod: call.pod})
	}
	if call.failed {
		b.failed = true
		c.syncErr = true
	}
	b.pending--
	if b.pending > 0 {
		return
	}
	c.inflight = nil
	switch {
	case call.create && b.failed:
		// Slow start: a failed batch stops this sync's creates; the rest wait for a later sync.
		skipped := len(c.creates) - c.next
		c.expAdds -= skipped
		c.next = len(c.creates)
		c.sendDeletes()
	case call.create:
		c.sendCreates()
	case call.pod != "":
		c.sendStatus()
	default:
		c.finish()
	}
}

func countAvailable(s *sim, n *simNode) int {
	k := 0
	for _, p := range n.pods {
		if p.isLive() && s.available(p) {
			k++
		}
	}
	return k
}

// finish ends the sync in flight: the controller is free again.
func (c *controller) finish() {
	s := c.s
	c.busy = false
	rec := c.cur
	c.cur = nil
	s.endSync(rec)
	if c.syncErr {
		// A sync that failed goes back to the queue with the work queue's per-item backoff:
		// 5 ms doubling up to 1000 s.
		c.syncErr = false
		d := 5 * time.Millisecond << min(c.failures, 20)
		c.failures++
		c.triggerAt(s.now.Add(min(d, 1000*time.Second)))
		c.lastVersion = ^uint64(0)
	} else if rec != nil && !rec.Waiting {
		c.failures = 0
	}
	if c.pending {
		c.pending = false
		c.trigger()
	}
}

// bucket is the client's token bucket: QPS tokens a second, at most Burst saved. A call reserves a
// token and starts when the token is there (the client waits, it does not fail).
type bucket struct {
	qps    float64
	burst  float64
	tokens float64
	last   time.Time
}

// take reserves one token and returns when the call may start.
func (b *bucket) take(now time.Time) time.Time {
	if b.qps <= 0 {
		return now
	}
	if now.After(b.last) {
		b.tokens += now.Sub(b.last).Seconds() * b.qps
		if b.tokens > b.burst {
			b.tokens = b.burst
		}
		b.last = now
	}
	b.tokens--
	if b.tokens >= 0 {
		return b.last
	}
	wait := time.Duration(-b.tokens / b.qps * float64(time.Second))
	return b.last.Add(wait)
}

// timeHeap is a min-heap of times.
type timeHeap []time.Time

func (h timeHeap) Len() int           { return len(h) }
func (h timeHeap) Less(i, j int) bool { return h[i].Before(h[j]) }
func (h timeHeap) Swap(i, j int)      { h[i], h[j] = h[j], h[i] }
func (h *timeHeap) Push(x any)        { *h = append(*h, x.(time.Time)) }
func (h *timeHeap) Pop() any {
	old := *h
	t := old[len(old)-1]
	*h = old[:len(old)-1]
	return t
}
