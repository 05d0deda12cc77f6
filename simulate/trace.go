package simulate

import (
	"bytes"
	"encoding/json"
	"io"
	"sort"
	"strings"
	"time"
)

// TraceEvent is one thing that happened in a run. A trace is the list of them in the order they
// happened; it is the same, byte for byte, for the same scenario and seed.
type TraceEvent struct {
	// Step is the index of the simulator event that caused it; At its offset from the start.
	Step   int           `json:"step"`
	At     time.Duration `json:"at"`
	Kind   string        `json:"kind"`
	Node   string        `json:"node,omitempty"`
	Pod    string        `json:"pod,omitempty"`
	Detail string        `json:"detail,omitempty"`
}

// record stamps e with the current step and time and keeps it.
func (s *sim) record(e TraceEvent) {
	e.Step = s.steps
	e.At = s.now.Sub(s.sc.Start)
	s.hist.add(e)
	if s.sc.RecordTrace {
		s.trace = append(s.trace, e)
	}
}

// traceEvent describes a scenario event; ok false marks one that did not apply.
func traceEvent(e *Event, ok bool) TraceEvent {
	te := TraceEvent{Kind: string(e.Kind), Node: e.Node}
	if e.NewNode != nil {
		te.Node = e.NewNode.Name
	}
	var parts []string
	for _, k := range sortedKeys(e.Labels) {
		parts = append(parts, k+"="+e.Labels[k])
	}
	if e.Taint.Key != "" {
		parts = append(parts, "taint "+e.Taint.Key+"="+e.Taint.Value+":"+string(e.Taint.Effect))
	}
	if e.Revision != nil {
		parts = append(parts, "revision "+e.Revision.Name+" "+e.Revision.hash())
	}
	if e.Strategy != nil {
		parts = append(parts, "strategy "+string(e.Strategy.Type))
	}
	if !ok {
		parts = append(parts, "(skipped: no such node)")
	}
	te.Detail = strings.Join(parts, " ")
	return te
}

// WriteJSONL writes events as JSON lines, one event per line.
func WriteJSONL(w io.Writer, events []TraceEvent) error {
	enc := json.NewEncoder(w)
	for i := range events {
		if err := enc.Encode(&events[i]); err != nil {
			return err
		}
	}
	return nil
}

// JSONL returns events as JSON lines.
func JSONL(events []TraceEvent) []byte {
	var b bytes.Buffer
	_ = WriteJSONL(&b, events)
	return b.Bytes()
}

// Segment is a span of time during which a node's state did not change.
type Segment struct {
	// From and To are offsets from the start of the run.
	From time.Duration `json:"from"`
	To   time.Duration `json:"to"`
	// Revision is the hash of the node's first live pod ("" for none), Available whether a live
	// pod was available, Pods how many live pods it ran, Desired whether it should run one.
	Revision  string `json:"revision"`
	Available bool   `json:"available"`
	Pods      int    `json:"pods"`
	Desired   bool   `json:"desired"`
}

// NodeTimeline is one node's segments, in time order.
type NodeTimeline struct {
	Node     string    `json:"node"`
	Segments []Segment `json:"segments"`
}

// Timeline is the per-node history of a run, for charts: which revision each node ran and whether
// it was available, over time. Nodes are in the order they joined the run (scenario order first).
type Timeline struct {
	Start time.Time      `json:"start"`
	End   time.Duration  `json:"end"`
	Nodes []NodeTimeline `json:"nodes"`
	// Revisions lists the revision hashes in the order they appeared.
	Revisions []string `json:"revisions"`
}

type nodeTimeline struct {
	i int
}

func (t *Timeline) addNode(name string) *nodeTimeline {
	t.Nodes = append(t.Nodes, NodeTimeline{Node: name})
	return &nodeTimeline{i: len(t.Nodes) - 1}
}

// mark records n's state at now, opening a new segment if it changed.
func (t *Timeline) mark(n *simNode, now time.Time, rev string) {
	at := now.Sub(t.Start)
	nt := &t.Nodes[n.tl.i]
	seg := Segment{From: at, To: at, Revision: rev, Available: n.avail, Pods: n.live, Desired: n.desired}
	if rev != "" && !contains(t.Revisions, rev) {
		t.Revisions = append(t.Revisions, rev)
	}
	if k := len(nt.Segments); k > 0 {
		last := &nt.Segments[k-1]
		if last.Revision == seg.Revision && last.Available == seg.Available && last.Pods == seg.Pods && last.Desired == seg.Desired {
			return
		}
		last.To = at
		if last.From == at {
			nt.Segments[k-1] = seg
			return
		}
	}
	nt.Segments = append(nt.Segments, seg)
}

func (t *Timeline) close(now time.Time) {
	t.End = now.Sub(t.Start)
	for i := range t.Nodes {
		if k := len(t.Nodes[i].Segments); k > 0 {
			t.Nodes[i].Segments[k-1].To = t.End
		}
	}
}

// Downtime returns, per node in name order, the total time the node was desired and had no
// available pod.
func (t *Timeline) Downtime() []NodeDowntime {
	var out []NodeDowntime
	for _, n := range t.Nodes {
		var d time.Duration
		for _, s := range n.Segments {
			if s.Desired && !s.Available {
				d += s.To - s.From
			}
		}
		if d > 0 {
			out = append(out, NodeDowntime{Node: n.Node, Downtime: d})
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Node < out[j].Node })
	return out
}

func contains(xs []string, x string) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}
