package main

import (
	"sort"
	"time"

	"github.com/daemonkit/daemonkit/cmd/daemonkit/internal/chart"
	"github.com/daemonkit/daemonkit/simulate"
)

// chartOf turns a simulation timeline into the chart's input. "New" is the last revision the run
// saw (the rollout's target), every other revision is "old". The timeline counts nodes, by the
// revision and availability of their first live pod, so the chart's areas are nodes too.
func chartOf(title string, budget int, tl *simulate.Timeline) chart.Chart {
	c := chart.Chart{Title: title, Budget: budget, End: tl.End, YLabel: "nodes, by their daemon pod"}
	newRev := ""
	if n := len(tl.Revisions); n > 0 {
		newRev = tl.Revisions[n-1]
	}
	state := func(s simulate.Segment) chart.State {
		switch {
		case s.Pods == 0:
			return chart.Empty
		case s.Revision == newRev && s.Available:
			return chart.NewAvailable
		case s.Revision == newRev:
			return chart.NewUnavailable
		case s.Available:
			return chart.OldAvailable
		default:
			return chart.OldUnavailable
		}
	}
	// Each segment adds one node to its state (and to the unavailable count when it is desired
	// and not available) at From and takes it away at To; a sweep over the sorted changes gives
	// the samples in O(segments log segments).
	type change struct {
		at    time.Duration
		state chart.State
		down  bool
		delta int
	}
	var changes []change
	for _, n := range tl.Nodes {
		lane := chart.Lane{Node: n.Node}
		for _, s := range n.Segments {
			st := state(s)
			lane.Spans = append(lane.Spans, chart.Span{From: s.From, To: s.To, State: st})
			down := s.Desired && !s.Available
			changes = append(changes, change{s.From, st, down, +1})
			if s.To > s.From {
				changes = append(changes, change{s.To, st, down, -1})
			}
		}
		c.Lanes = append(c.Lanes, lane)
	}
	sort.SliceStable(changes, func(i, j int) bool { return changes[i].at < changes[j].at })
	// Zoom on the action: a run that idles for hours after converging would squash it into a
	// sliver. The axis ends a little after the last change of any node.
	var last time.Duration
	for _, n := range tl.Nodes {
		if k := len(n.Segments); k > 0 {
			last = max(last, n.Segments[k-1].From)
		}
	}
	c.End = min(tl.End, last+max(last/10, 5*time.Second))
	var cur chart.Sample
	for i, ch := range changes {
		switch ch.state {
		case chart.OldAvailable:
			cur.OldAvailable += ch.delta
		case chart.OldUnavailable:
			cur.OldUnavailable += ch.delta
		case chart.NewAvailable:
			cur.NewAvailable += ch.delta
		case chart.NewUnavailable:
			cur.NewUnavailable += ch.delta
		}
		if ch.down {
			cur.NodesUnavailable += ch.delta
		}
		if (i+1 == len(changes) || changes[i+1].at != ch.at) && ch.at <= c.End {
			cur.At = ch.at
			c.Samples = append(c.Samples, cur)
		}
	}
	return c
}
