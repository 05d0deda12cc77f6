package chart

import (
	"fmt"
	"time"
)

// Chart is everything one picture shows. Either part may be empty; an empty part is not drawn.
type Chart struct {
	Title string
	// YLabel names what the timeline counts (default "nodes").
	YLabel string
	// Budget is the number of nodes the rollout may leave without an available pod
	// (maxUnavailable, scaled); 0 draws no budget line.
	Budget int
	// Samples is the state of the cluster over time, in increasing At; each sample holds until the
	// next one (a step function).
	Samples []Sample
	// Lanes is one lane per node, drawn top to bottom in the order given.
	Lanes []Lane
	// End is where the time axis stops; zero means the last sample or span end.
	End time.Duration
	// MaxLanes caps how many lanes are drawn (evenly spread over Lanes, first and last kept);
	// zero means 40.
	MaxLanes int
}

// Sample counts pods by revision and availability at one moment, and the eligible nodes that had no
// available daemon pod then.
type Sample struct {
	At             time.Duration
	OldAvailable   int
	OldUnavailable int
	NewAvailable   int
	NewUnavailable int
	// NodesUnavailable is the number of eligible nodes without an available pod: the quantity the
	// maxUnavailable budget bounds.
	NodesUnavailable int
}

// State is what a node's lane shows during a span.
type State int

// The lane states, in the order the legend lists them.
const (
	Empty State = iota
	OldAvailable
	OldUnavailable
	NewUnavailable
	NewAvailable
	Terminating
)

var stateNames = [...]string{"no pod", "old, available", "old, not available", "new, not available", "new, available", "terminating"}

// String names the state as the legend prints it.
func (s State) String() string {
	if s < 0 || int(s) >= len(stateNames) {
		return fmt.Sprintf("State(%d)", int(s))
	}
	return stateNames[s]
}

// Lane is one node's history.
type Lane struct {
	Node  string
	Spans []Span
}

// Span is a stretch of time [From, To) during which a node was in one state.
type Span struct {
	From, To time.Duration
	State    State
}

// end returns where the time axis stops.
func (c Chart) end() time.Duration {
	if c.End > 0 {
		return c.End
	}
	var end time.Duration
	if n := len(c.Samples); n > 0 {
		end = c.Samples[n-1].At
	}
	for _, l := range c.Lanes {
		for _, s := range l.Spans {
			end = max(end, s.To)
		}
	}
	return end
}

// shownLanes picks at most max lanes, evenly spread, keeping the first and the last.
func shownLanes(lanes []Lane, maxLanes int) []Lane {
	if maxLanes <= 0 {
		maxLanes = 40
	}
	if len(lanes) <= maxLanes {
		return lanes
	}
	out := make([]Lane, 0, maxLanes)
	for i := range maxLanes {
		out = append(out, lanes[i*(len(lanes)-1)/(maxLanes-1)])
	}
	return out
}

// uses reports whether the picture shows state s: the four pod states always (the timeline's areas
// and the lanes share them), Terminating and Empty only when a lane has such a span.
func (c Chart) uses(s State) bool {
	if s != Terminating && s != Empty {
		return true
	}
	for _, l := range c.Lanes {
		for _, sp := range l.Spans {
			if sp.State == s && sp.To > sp.From {
				return true
			}
		}
	}
	return false
}
