package simulate

import (
	"fmt"
	"math/rand/v2"
	"strconv"
	"time"

	"github.com/daemonkit/daemonkit/daemonset"
)

// simNode is one node of the cluster as it really is, plus what the invariants and metrics keep
// about it incrementally.
type simNode struct {
	name      string
	idx       int
	n         daemonset.Node
	exists    bool
	removedAt time.Time
	// down is true while the node is NotReady or Unreachable (a fault): its pods are not ready.
	down bool
	// pods are the daemon pods aimed at this node (bound or not) that still exist.
	pods []*simPod

	// run and keep are the DaemonSet's eligibility for the node (daemonset.CheckNode).
	run, keep bool

	// Incremental classification (see refresh).
	live        int  // pods not deleting and not terminal
	avail       bool // a live pod is available
	good        bool // desired, exactly one live pod, current and available
	updated     bool // desired, with live pods, all of the current revision (available or not)
	desired     bool // exists and run
	surge       bool // a counted surge node (two live pods, not exempt)
	extra       bool // has live pods it may not keep
	surgeExempt bool // a second pod came while the first was not available
	ctlDown     bool // the controller took its only available pod away
	downSince   time.Time
	downtime    time.Duration

	tl *nodeTimeline
}

// simPod is one daemon pod as it really is.
type simPod struct {
	p         daemonset.Pod
	node      *simNode
	gen       uint32
	hash      string
	crash     bool
	ready     bool // the container passed its readiness probe (faults aside)
	flap      bool // readiness is flapping down (a fault)
	flapArmed bool // a flap is scheduled
	gone      bool
	listed    bool // came from Scenario.Pods: keeps its readiness
}

func (p *simPod) deleting() bool { return p.p.DeletionTimestamp != nil }
func (p *simPod) terminal() bool {
	return p.p.Phase == daemonset.PodFailed || p.p.Phase == daemonset.PodSucceeded
}
func (p *simPod) isLive() bool { return !p.gone && !p.deleting() && !p.terminal() }

// sim is one run.
type sim struct {
	sc   Scenario
	seed uint64
	now  time.Time

	queue eventQueue
	seq   uint64
	steps int

	rLat, rFault, rChurn *rand.Rand

	ds daemonset.DaemonSet
	// elig is ds's node rules compiled; nil until the first node is evaluated after a change of
	// ds (see eligibility and dsChanged).
	elig   *daemonset.EligibilityChecker
	hash   string
	revs   map[string]Revision
	paused bool

	nodes    map[string]*simNode
	allNodes []*simNode
	pods     map[string]*simPod
	podSeq   int
	joinSeq  int

	// removed are nodes deleted while pods still aimed at them (orphan invariant).
	removed []*simNode

	ctl      controller
	inf      informer
	planner  Planner
	counters counters
	budget   budget
	metrics  Metrics
	hist     history
	trace    []TraceEvent
	timeline *Timeline
	syncs    []SyncRecord

	lastScripted time.Time
	ended        bool
	planErr      bool
	violation    *Violation
}

// counters are the cluster-wide sums the invariants read, kept up to date by refresh.
type counters struct {
	desired, good, unavail, ctlDown, surge, extra int
	updated                                       int // desired nodes whose live pods are all current
	triple                                        int // nodes with three or more live pods
	multi                                         int // nodes with two or more live pods
	deleting                                      int
}

func newSim(sc Scenario, seed uint64) *sim {
	s := &sim{
		sc:     sc,
		seed:   seed,
		now:    sc.Start,
		rLat:   newStream(seed, streamLatency),
		rFault: newStream(seed, streamFaults),
		rChurn: newStream(seed, streamChurn),
		nodes:  make(map[string]*simNode, len(sc.Nodes)),
		pods:   make(map[string]*simPod, len(sc.Nodes)),
		revs:   map[string]Revision{},
	}
	s.hist.init(sc.HistoryLength)
	s.planner = sc.Planner
	if s.planner == nil {
		s.planner = DaemonSetPlanner()
	}
	if sc.RecordTimeline {
		s.timeline = &Timeline{Start: sc.Start}
	}
	return s
}

// setup builds the starting cluster and queues the scripted and drawn events.
func (s *sim) setup() error {
	ds := s.sc.DaemonSet
	if ds.UID == "" {
		ds.UID = "uid-" + ds.Name
	}
	if ds.Namespace == "" {
		ds.Namespace = "default"
	}
	if ds.Generation == 0 {
		ds.Generation = 1
	}
	s.ds = ds
	s.hash = s.sc.Revision.hash()
	s.revs[s.hash] = s.sc.Revision
	if s.sc.Revision.Template != nil {
		s.ds.Template = *s.sc.Revision.Template
	}
	s.paused = s.sc.Controller.Paused
	s.ds.Status.ObservedGeneration = s.ds.Generation
	for _, n := range s.sc.Nodes {
		s.addNode(n)
	}
	switch s.sc.InitialPods {
	case PodsConverged:
		for _, n := range s.allNodes {
			if n.run {
				s.addInitialPod(n)
			}
		}
	case PodsListed:
		for _, p := range s.sc.Pods {
			if err := s.addListedPod(p); err != nil {
				return err
			}
		}
	}
	for _, n := range s.allNodes {
		// Duplicates present at the start are not the controller's doing.
		n.surgeExempt = true
		s.refresh(n)
	}
	s.inf.init(s)
	// Scripted events go into the queue before the controller's first sync, so that an event at
	// offset 0 is seen by the sync at offset 0. A run without events settles from its start.
	s.lastScripted = s.sc.Start
	for i := range s.sc.Events {
		at := s.sc.Start.Add(s.sc.Events[i].At)
		s.schedule(at, &event{kind: evScript, idx: i})
		if at.After(s.lastScripted) {
			s.lastScripted = at
		}
		if f := s.sc.Events[i].For; f > 0 && at.Add(f).After(s.lastScripted) {
			s.lastScripted = at.Add(f)
		}
	}
	for i, r := range s.sc.Rates {
		s.scheduleRate(i, s.sc.Start.Add(r.From))
		end := s.rateEnd(r)
		if end.After(s.lastScripted) {
			s.lastScripted = end
		}
	}
	s.ctl.init(s)
	s.schedule(s.sc.Start.Add(s.sc.Duration), &event{kind: evEnd})
	s.checkInvariants()
	return nil
}

func (s *sim) rateEnd(r Rate) time.Time {
	if r.To > 0 {
		return s.sc.Start.Add(r.To)
	}
	return s.sc.Start.Add(s.sc.Duration)
}

// addInitialPod puts a Ready, available pod of the starting revision on n, made a day before the
// start.
func (s *sim) addInitialPod(n *simNode) {
	born := s.sc.Start.Add(-24 * time.Hour)
	p := s.newPod(n, born)
	p.p.NodeName = n.name
	p.p.Phase = daemonset.PodRunning
	p.p.Ready = daemonset.ConditionTrue
	p.p.ReadySince = born
	p.ready = true
	s.attachPod(p)
}

func (s *sim) addListedPod(in daemonset.Pod) error {
	node, ok := daemonset.TargetNode(&in)
	if !ok {
		return fmt.Errorf("pods: pod %q has no target node (spec.nodeName or a metadata.name affinity)", in.Name)
	}
	if _, dup := s.pods[in.Name]; dup {
		return fmt.Errorf("pods: duplicate pod %q", in.Name)
	}
	n := s.nodes[node]
	if n == nil {
		// A pod on a node that is not in the cluster: keep it on a removed placeholder node.
		n = &simNode{name: node, idx: len(s.allNodes), removedAt: s.now}
		s.allNodes = append(s.allNodes, n)
		s.removed = append(s.removed, n)
		s.schedule(s.now.Add(s.sc.NodeModel.PodGCDelay), &event{kind: evPodGC, node: n})
	}
	p := &simPod{p: in, node: n, hash: in.Labels[daemonset.RevisionHashLabel], listed: true}
	if p.p.Namespace == "" {
		p.p.Namespace = s.ds.Namespace
	}
	p.ready = p.p.Ready == daemonset.ConditionTrue
	s.attachPod(p)
	return nil
}

// newPod makes a daemon pod of the current revision aimed at n, as the controller creates it.
func (s *sim) newPod(n *simNode, born time.Time) *simPod {
	s.podSeq++
	name := s.ds.Name + "-" + pad(s.podSeq)
	labels := make(map[string]string, len(s.ds.Template.Labels)+2)
	for k, v := range s.ds.Template.Labels {
		labels[k] = v
	}
	labels[daemonset.RevisionHashLabel] = s.hash
	if g, ok := daemonset.TemplateGeneration(&s.ds); ok {
		labels[daemonset.TemplateGenerationLabel] = strconv.FormatInt(g, 10)
	}
	p := &simPod{
		node: n,
		hash: s.hash,
		p: daemonset.Pod{
			Name:                 name,
			Namespace:            s.ds.Namespace,
			UID:                  "uid-" + name,
			Labels:               labels,
			Controller:           &daemonset.OwnerRef{APIVersion: "apps/v1", Kind: "DaemonSet", Name: s.ds.Name, UID: s.ds.UID},
			RequiredNodeAffinity: nameAffinity(n.name),
			Phase:                daemonset.PodPending,
			CreationTimestamp:    born,
		},
	}
	return p
}

// pad writes n in base 10 with at least six digits, so that pod names sort in creation order.
func pad(n int) string {
	s := strconv.Itoa(n)
	for len(s) < 6 {
		s = "0" + s
	}
	return s
}

func (s *sim) attachPod(p *simPod) {
	s.pods[p.p.Name] = p
	p.node.pods = append(p.node.pods, p)
	s.inf.podChanged(p)
}

// removePod takes a pod out of the cluster for good.
func (s *sim) removePod(p *simPod) {
	if p.gone {
		return
	}
	p.gone = true
	p.gen++
	if p.deleting() {
		s.counters.deleting--
	}
	delete(s.pods, p.p.Name)
	ps := p.node.pods
	for i, q := range ps {
		if q == p {
			copy(ps[i:], ps[i+1:])
			ps[len(ps)-1] = nil
			p.node.pods = ps[:len(ps)-1]
			break
		}
	}
	s.inf.podRemoved(p)
	s.refresh(p.node)
}

// Run simulates sc with seed and returns what happened. The same scenario and seed give the same
// Result, trace included, byte for byte. An error means the scenario itself is invalid; an
// invariant violation is not an error but Result.Violation.
func Run(sc Scenario, seed uint64) (*Result, error) {
	if err := sc.Validate(); err != nil {
		return nil, fmt.Errorf("scenario %q: %w", sc.Name, err)
	}
	sc = sc.Defaulted()
	s := newSim(sc, seed)
	if err := s.setup(); err != nil {
		return nil, fmt.Errorf("scenario %q: %w", sc.Name, err)
	}
	for !s.ended && s.violation == nil {
		e := s.next()
		if e == nil {
			break
		}
		s.now = e.at
		s.steps++
		s.dispatch(e)
		if s.violation == nil {
			s.checkInvariants()
		}
		if sc.Progress != nil && s.steps%ProgressEvery == 0 {
			sc.Progress(s.progress(false))
		}
	}
	s.finalChecks()
	if sc.Progress != nil {
		sc.Progress(s.progress(true))
	}
	return s.result(), nil
}

// Progress is how far a run has got, for a progress display (Scenario.Progress). Nothing in it
// goes into the result or the trace.
type Progress struct {
	// Now is the virtual time played so far; Horizon is the scenario's Duration, the latest the
	// run can end (most runs end earlier, once converged).
	Now, Horizon time.Duration
	// Steps is the number of events played.
	Steps int
	// Desired counts the nodes that should run a daemon pod and Settled those that run exactly
	// one current, available pod: during a rollout Settled climbs to Desired.
	Desired, Settled int
	// Done is set on the last call, once the run is over.
	Done bool
}

// ProgressEvery is how many events a run plays between two calls of Scenario.Progress: often
// enough for a display to move smoothly, rarely enough to cost nothing.
const ProgressEvery = 1024

func (s *sim) progress(done bool) Progress {
	return Progress{Now: s.now.Sub(s.sc.Start), Horizon: s.sc.Duration, Steps: s.steps,
		Desired: s.counters.desired, Settled: s.counters.good, Done: done}
}

func (s *sim) dispatch(e *event) {
	switch e.kind {
	case evScript:
		s.playScript(e.idx)
	case evRate:
		s.playRate(e.idx)
	case evSync:
		s.ctl.sync(e)
	case evCallDone:
		s.ctl.callDone(e.call)
	case evPodScheduled, evPodPulled, evPodReady, evPodCrash, evPodFlapDown, evPodFlapUp, evPodGone, evAvailable:
		if e.pod.gen != e.gen || e.pod.gone {
			return
		}
		s.podEvent(e)
	case evNodeJoinReady:
		s.joinReady(e.node)
	case evPodGC:
		s.podGC(e.node)
	case evObserve:
		s.inf.deliver(e)
	case evEnd:
		s.ended = true
	case evUndo:
		s.undo(e)
	}
}
