package simulate

import (
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/daemonkit/daemonkit/daemonset"
)

// Result is what one run produced.
type Result struct {
	Scenario string
	Seed     uint64
	// End is the virtual time the run stopped at, Steps the number of events it played.
	End   time.Duration
	Steps int
	// Converged is true when the run ended with exactly one current, available pod on every node
	// that should run one and no pod where none may stay.
	Converged bool
	Metrics   Metrics
	// Outcome is how the rollout ended: the class of the run and the nodes left without an
	// available pod, and why.
	Outcome Outcome
	// Violation is the first invariant broken, nil when none was.
	Violation *Violation
	// Stalls explains, node by node, why the run did not converge (first 20 in node order).
	Stalls []Stall
	// FinalStatus is the last status the controller wrote.
	FinalStatus daemonset.Status
	// Syncs, Trace and Timeline are filled when the scenario asks for them.
	Syncs    []SyncRecord
	Trace    []TraceEvent
	Timeline *Timeline
}

// Metrics are the run's figures.
type Metrics struct {
	// Rollout is set when the run updated the template. Start is the offset of the last template
	// update, End the offset at which the cluster had converged on it; Duration is their
	// difference. Completed is false when it never converged (a stall); End and Duration are 0.
	Rollout   bool
	Start     time.Duration
	End       time.Duration
	Duration  time.Duration
	Completed bool
	// AllUpdated is set once every desired node ran pods of the new revision only, available or
	// not; UpdatedDuration is the time from the start of the rollout to the first such moment.
	// A completed rollout was all updated no later than its End; a rollout whose new pods
	// crash-loop may be all updated and never complete.
	AllUpdated      bool
	UpdatedDuration time.Duration
	// Waves counts the syncs that created or deleted pods during the rollout.
	Waves int
	// Syncs counts the controller syncs begun (one still waiting for its API calls when the run
	// ends counts); Plans the calls to the planner on the whole view and FastPlans the syncs
	// decided by the incremental reconcile (syncs with nothing new are neither), so
	// Plans+FastPlans <= Syncs.
	Syncs     int
	Plans     int
	FastPlans int
	// MaxUnavailable is the most desired nodes without an available pod at once during the
	// rollout (faults included); MaxControllerUnavailable counts only the nodes the controller
	// took down; Budget is maxUnavailable scaled at the start of the rollout.
	MaxUnavailable           int
	MaxControllerUnavailable int
	MaxSurge                 int
	Budget                   int
	SurgeBudget              int
	// Pod and API counts over the whole run.
	PodsCreated int
	PodsDeleted int
	PodsFailed  int
	APICalls    int
	APIErrors   int
	// Downtime is per node (sorted by name) the time during the rollout the node was desired and
	// had no available pod; only nodes with some downtime are listed.
	Downtime []NodeDowntime

	rolling bool
	startAt time.Time
}

// NodeDowntime is one node's downtime during the rollout.
type NodeDowntime struct {
	Node     string
	Downtime time.Duration
}

// Stall is one node that kept the run from converging, and why.
type Stall struct {
	Node  string
	Cause string
}

// String words the stall as a person would: "waiting on node-17: new pod not available,
// crash-looping".
func (st Stall) String() string { return "waiting on " + st.Node + ": " + st.Cause }

// SyncRecord is one controller sync.
type SyncRecord struct {
	Sync int
	// At is the offset of the sync from the start.
	At      time.Duration
	Creates int
	Deletes int
	// Status is the status the sync computed (the last one when the sync was skipped).
	Status daemonset.Status
	// Unavailable, Surge and UpdatedAvailable describe the cluster once the sync's writes are
	// done: desired nodes without an available pod, nodes with two live pods, and desired nodes
	// whose available pod is of the current revision.
	Unavailable      int
	Surge            int
	UpdatedAvailable int
	// Waiting: expectations were not met, the controller did nothing. Skipped: nothing new, the
	// planner was not called. Error: the planner's error.
	Waiting bool   `json:",omitempty"`
	Skipped bool   `json:",omitempty"`
	Error   string `json:",omitempty"`
}

func (m *Metrics) startRollout(now time.Time) {
	m.Rollout = true
	m.rolling = true
	m.startAt = now
	m.Completed = false
	m.AllUpdated = false
	m.UpdatedDuration = 0
	m.Waves = 0
	m.MaxUnavailable = 0
	m.MaxControllerUnavailable = 0
	m.MaxSurge = 0
}

// endSync closes a sync: records it, counts waves and checks for the end of the rollout and of
// the run.
func (s *sim) endSync(rec *SyncRecord) {
	m := &s.metrics
	rec.Unavailable = s.counters.unavail
	rec.Surge = s.countSurgeNodes()
	rec.UpdatedAvailable = s.counters.good
	wrote := rec.Creates > 0 || rec.Deletes > 0
	if m.rolling && wrote {
		m.Waves++
	}
	if s.sc.RecordSyncs {
		s.syncs = append(s.syncs, *rec)
	}
	conv := s.converged()
	if m.rolling && conv && !wrote {
		s.markUpdated()
		m.rolling = false
		m.Completed = true
		m.End = s.now.Sub(s.sc.Start)
		m.Start = m.startAt.Sub(s.sc.Start)
		m.Duration = m.End - m.Start
		s.closeDowntime()
	}
	if conv && !wrote && !s.sc.KeepRunning && !s.now.Before(s.lastScripted) && s.counters.deleting == 0 {
		s.ended = true
	}
}

// countSurgeNodes counts nodes with two or more live pods (exempt or not), for the sync record.
func (s *sim) countSurgeNodes() int { return s.counters.multi }

// converged: every desired node runs exactly one live pod, current and available, and no node
// runs a pod it may not keep.
func (s *sim) converged() bool {
	c := &s.counters
	return c.good == c.desired && c.extra == 0
}

func (s *sim) closeDowntime() {
	for _, n := range s.allNodes {
		if n.desired && !n.avail {
			n.downtime += s.now.Sub(n.downSince)
			n.downSince = s.now
		}
	}
}

// observe updates the running maxima after every event.
func (s *sim) observe() {
	m := &s.metrics
	if !m.rolling {
		return
	}
	s.markUpdated()
	m.MaxUnavailable = max(m.MaxUnavailable, s.counters.unavail)
	m.MaxControllerUnavailable = max(m.MaxControllerUnavailable, s.counters.ctlDown)
	m.MaxSurge = max(m.MaxSurge, s.counters.surge)
}

// markUpdated notes the first moment of the rollout at which every desired node runs pods of
// the current revision only.
func (s *sim) markUpdated() {
	m := &s.metrics
	if m.AllUpdated || s.counters.updated != s.counters.desired {
		return
	}
	m.AllUpdated = true
	m.UpdatedDuration = s.now.Sub(m.startAt)
}

func (s *sim) result() *Result {
	r := &Result{
		Scenario:    s.sc.Name,
		Seed:        s.seed,
		End:         s.now.Sub(s.sc.Start),
		Steps:       s.steps,
		Violation:   s.violation,
		FinalStatus: s.ds.Status,
		Syncs:       s.syncs,
	}
	if s.metrics.rolling {
		s.closeDowntime()
		s.metrics.Start = s.metrics.startAt.Sub(s.sc.Start)
	}
	r.Converged = s.converged()
	r.Outcome = s.outcome()
	m := s.metrics
	m.Budget, m.SurgeBudget = s.budget.maxUnavailable, s.budget.maxSurge
	for _, n := range s.allNodes {
		if n.downtime > 0 {
			m.Downtime = append(m.Downtime, NodeDowntime{Node: n.name, Downtime: n.downtime})
		}
	}
	sort.Slice(m.Downtime, func(i, j int) bool { return m.Downtime[i].Node < m.Downtime[j].Node })
	r.Metrics = m
	if !r.Converged {
		r.Stalls = s.stalls(20)
	}
	if s.sc.RecordTrace {
		r.Trace = s.trace
	}
	if s.timeline != nil {
		s.timeline.close(s.now)
		r.Timeline = s.timeline
	}
	return r
}

// stalls explains why nodes are not converged, in node name order, at most limit of them.
func (s *sim) stalls(limit int) []Stall {
	var out []Stall
	nodes := append([]*simNode(nil), s.allNodes...)
	sort.Slice(nodes, func(i, j int) bool { return nodes[i].name < nodes[j].name })
	for _, n := range nodes {
		if n.good || (!n.desired && !n.extra) {
			continue
		}
		out = append(out, Stall{Node: n.name, Cause: s.cause(n)})
		if len(out) == limit {
			break
		}
	}
	return out
}

// cause words why node n is not where it should be.
func (s *sim) cause(n *simNode) string {
	if n.extra {
		if !n.exists {
			return "node is gone, its pod is still there"
		}
		return "pod on a node that may not keep it, not yet deleted"
	}
	if n.down {
		return CauseNodeDown
	}
	var parts []string
	hasNew := false
	for _, p := range n.pods {
		if !p.isLive() {
			continue
		}
		if p.hash == s.hash {
			hasNew = true
			if !s.available(p) {
				switch {
				case p.crash:
					parts = append(parts, CauseNewCrashLoop)
				case p.flap:
					parts = append(parts, CauseNewFlapping)
				case p.p.NodeName == "":
					parts = append(parts, CauseNewUnscheduled)
				default:
					parts = append(parts, CauseNewStarting)
				}
			}
		}
	}
	if !hasNew {
		switch {
		case s.paused:
			parts = append(parts, "rollout paused")
		case s.ds.UpdateStrategy.Type == daemonset.OnDeleteStrategy && n.live > 0:
			parts = append(parts, "OnDelete: the old pod waits for someone to delete it")
		case n.live == 0:
			parts = append(parts, CauseNoPod)
		default:
			parts = append(parts, fmt.Sprintf("old pod waits for the budget (%d of %d nodes unavailable)", s.counters.unavail, s.budget.maxUnavailable))
		}
	}
	if n.live > 1 {
		parts = append(parts, fmt.Sprintf("%d pods on the node", n.live))
	}
	return strings.Join(parts, "; ")
}
