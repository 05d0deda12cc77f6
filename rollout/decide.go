package rollout

import (
	"errors"
	"fmt"
	"slices"
	"strings"
)

// Delete is a pod the rolling update deletes, with the reason in words.
type Delete struct {
	Pod, Node, Reason string
}

// Create is a node on which the rolling update creates a pod of the current revision now.
type Create struct {
	Node, Reason string
}

// Decision is the outcome of one rolling-update pass.
type Decision struct {
	// Deletes are sorted by node name; a pass deletes at most one pod per node.
	Deletes []Delete
	// Creates are sorted by node name. Only surge mode creates; in maxUnavailable mode the pod
	// loop recreates pods on emptied nodes in a later pass.
	Creates []Create
	// MaxUnavailable and MaxSurge are the budget used (see Strategy.Budget).
	MaxUnavailable, MaxSurge int
	// Surge is true when the pass ran in surge mode (MaxSurge != 0).
	Surge bool
	// NumUnavailable is maxUnavailable mode's tally of nodes already without an available pod of
	// either kind: excess nodes, empty wanted nodes, nodes with only deleting pods, nodes with both
	// an old and a new pod, nodes with an unavailable new pod, and nodes with an unavailable old pod.
	NumUnavailable int
	// NumSurge is surge mode's tally of nodes using surge: excess nodes and nodes with an old pod
	// beside a new pod that is not available yet.
	NumSurge int
	// NumAvailable is surge mode's tally of nodes whose old pod (or, without one, new pod) is
	// available; it decides whether pods on nodes that should not run them may go.
	NumAvailable int
	// Candidates is the number of nodes with only an available old pod (maxUnavailable mode: their
	// pods may be deleted; surge mode: wanted nodes that may get a new pod beside it).
	Candidates int
}

// ErrUnknownNode is wrapped by Decide's error when, in surge mode, a node that is not in the node
// list holds a lone old pod: upstream cannot tell whether that node should run the pod, and fails
// the whole pass.
var ErrUnknownNode = errors.New("node is not in the node list")

// Decide runs one rolling-update pass over the node views: maxUnavailable mode when the scaled
// maxSurge is 0, surge mode otherwise. desired must be the number of views with ShouldRun. Views
// of nodes without pods that should not run one may be left out; every other node must appear
// once. nodes is not modified, and its order does not matter.
//
// The counts are upstream's: in maxUnavailable mode every lone old pod that is not available is
// deleted, outside the budget, and min(max(0, maxUnavailable-NumUnavailable), Candidates) available
// old pods are deleted; in surge mode a new pod goes next to every unavailable lone old pod on a
// wanted node, min(max(0, maxSurge-NumSurge), Candidates) more go next to available old pods, old
// pods next to an available new pod are deleted, and old pods on nodes that should not run them
// go while the available count exceeds desired.
//
// Where upstream picks among equal candidates in map order, Decide picks in ascending node name
// (byte order): the available old pods deleted, the nodes surged onto, and the pods removed from
// nodes that should not run them are those on the nodes whose names sort first. Decide is
// fastest when nodes is already sorted by name.
//
// OnDelete, and any type other than RollingUpdate, gives an empty Decision. An invalid budget
// (nil maxUnavailable, a string that is not a percentage), an inconsistent input, or, in surge
// mode, a lone old pod on an unknown node returns an error and no decisions at all.
func Decide(s Strategy, desired int, nodes []NodeView) (Decision, error) {
	if s.Type != RollingUpdate {
		return Decision{}, nil
	}
	order, err := nameOrder(nodes, desired)
	if err != nil {
		return Decision{}, err
	}
	maxSurge, maxUnavailable, err := s.Budget(desired)
	if err != nil {
		return Decision{}, fmt.Errorf("budget: %w", err)
	}
	d := Decision{MaxSurge: maxSurge, MaxUnavailable: maxUnavailable, Surge: maxSurge != 0}
	w := walker{nodes: nodes, order: order}
	if d.Surge {
		if err := decideSurge(&d, desired, w); err != nil {
			return Decision{}, err
		}
		return d, nil
	}
	decideUnavailable(&d, w)
	return d, nil
}

// walker visits the views in ascending node name without copying them: order is nil when the
// caller's slice is already sorted.
type walker struct {
	nodes []NodeView
	order []int32
}

func (w walker) len() int { return len(w.nodes) }

func (w walker) at(i int) *NodeView {
	if w.order == nil {
		return &w.nodes[i]
	}
	return &w.nodes[w.order[i]]
}

// nameOrder checks the views and returns nil when they are sorted by name, else a permutation
// that sorts them. Duplicate names, a ShouldRun view of an unknown node, or a desired count that
// differs from the views' are errors.
func nameOrder(nodes []NodeView, desired int) ([]int32, error) {
	want, sorted := 0, true
	for i := range nodes {
		n := &nodes[i]
		if n.ShouldRun {
			want++
			if !n.Known {
				return nil, fmt.Errorf("node %q: ShouldRun is set but the node is not known", n.Node)
			}
		}
		if i > 0 && nodes[i-1].Node >= n.Node {
			sorted = false
		}
	}
	if want != desired {
		return nil, fmt.Errorf("desired is %d but %d node views have ShouldRun", desired, want)
	}
	if sorted {
		return nil, nil
	}
	order := make([]int32, len(nodes))
	for i := range order {
		order[i] = int32(i)
	}
	slices.SortFunc(order, func(a, b int32) int { return strings.Compare(nodes[a].Node, nodes[b].Node) })
	for i := 1; i < len(order); i++ {
		if nodes[order[i-1]].Node == nodes[order[i]].Node {
			return nil, fmt.Errorf("node %q appears more than once", nodes[order[i]].Node)
		}
	}
	return order, nil
}

// Reasons that carry no numbers, shared by every decision that uses them.
const (
	reasonReplaceUnavailable = "rolling update: old pod not available, replaced outside the budget"
	reasonSurgeUnavailable   = "surge: old pod not available, new pod created outside the surge budget"
	reasonSurgeDone          = "surge: new pod available, old pod replaced"
	reasonSurgeNotWanted     = "surge: old pod not available on a node that should not run it"
)

// decideUnavailable is maxUnavailable mode: tally first (the counts do not depend on order), then
// walk in name order and delete.
func decideUnavailable(d *Decision, w walker) {
	replacements := 0
	for i := range w.len() {
		n := w.at(i)
		if !n.inPodMap() {
			continue
		}
		newPod, oldPod, ok := n.split()
		switch {
		case !ok, newPod < 0 && oldPod < 0, newPod >= 0 && oldPod >= 0:
			d.NumUnavailable++
		case newPod >= 0:
			if !n.Pods[newPod].Available {
				d.NumUnavailable++
			}
		case !n.Pods[oldPod].Available:
			replacements++
			d.NumUnavailable++
		default:
			d.Candidates++
		}
	}
	remaining := min(max(0, d.MaxUnavailable-d.NumUnavailable), d.Candidates)
	if replacements+remaining == 0 {
		return
	}
	want := replacements + remaining
	d.Deletes = make([]Delete, 0, want)
	reasons := newNumbered(budgetPrefix, budgetSuffix, d.NumUnavailable+1, remaining, d.MaxUnavailable)
	taken := 0
	// Every delete is known from the tally: stop at the last one rather than walk every node.
	for i := 0; i < w.len() && len(d.Deletes) < want; i++ {
		n := w.at(i)
		if !n.inPodMap() {
			continue
		}
		newPod, oldPod, ok := n.split()
		if !ok || newPod >= 0 || oldPod < 0 {
			continue
		}
		old := &n.Pods[oldPod]
		switch {
		case !old.Available:
			d.Deletes = append(d.Deletes, Delete{Pod: old.Name, Node: n.Node, Reason: reasonReplaceUnavailable})
		case taken < remaining:
			taken++
			d.Deletes = append(d.Deletes, Delete{Pod: old.Name, Node: n.Node, Reason: reasons.take()})
		}
	}
}

// decideSurge is surge mode: tally first, then walk in name order and decide.
func decideSurge(d *Decision, desired int, w walker) error {
	var allowed, deletes, notWanted int
	for i := range w.len() {
		n := w.at(i)
		if !n.inPodMap() {
			continue
		}
		newPod, oldPod, ok := n.split()
		if !ok {
			d.NumSurge++
			continue
		}
		switch {
		case oldPod >= 0:
			if n.Pods[oldPod].Available {
				d.NumAvailable++
			}
		case newPod >= 0:
			if n.Pods[newPod].Available {
				d.NumAvailable++
			}
		}
		switch {
		case oldPod < 0:
		case newPod < 0:
			if !n.Known {
				return fmt.Errorf("couldn't get node for nodeName %q: %w", n.Node, ErrUnknownNode)
			}
			switch {
			case !n.Pods[oldPod].Available && n.ShouldRun:
				allowed++
			case !n.Pods[oldPod].Available:
				deletes++
			case !n.ShouldRun:
				notWanted++
			default:
				d.Candidates++
			}
		case !n.Pods[newPod].Available:
			d.NumSurge++
		default:
			deletes++
		}
	}
	remaining := min(max(0, d.MaxSurge-d.NumSurge), d.Candidates)
	deletable := min(max(0, d.NumAvailable-desired), notWanted)
	if allowed+remaining > 0 {
		d.Creates = make([]Create, 0, allowed+remaining)
	}
	if deletes+deletable > 0 {
		d.Deletes = make([]Delete, 0, deletes+deletable)
	}
	if allowed+remaining+deletes+deletable == 0 {
		return nil
	}
	var notWantedReason string
	if deletable > 0 {
		notWantedReason = fmt.Sprintf("surge: node should not run the pod, %d available pods exceed %d desired",
			d.NumAvailable, desired)
	}
	reasons := newNumbered(surgePrefix, "", d.NumSurge+1, remaining, d.MaxSurge)
	surged, removed := 0, 0
	// Every create and delete is known from the tally: stop at the last one.
	wantCreates, wantDeletes := allowed+remaining, deletes+deletable
	for i := 0; i < w.len() && (len(d.Creates) < wantCreates || len(d.Deletes) < wantDeletes); i++ {
		n := w.at(i)
		if !n.inPodMap() {
			continue
		}
		newPod, oldPod, ok := n.split()
		if !ok || oldPod < 0 {
			continue
		}
		old := &n.Pods[oldPod]
		switch {
		case newPod >= 0:
			if n.Pods[newPod].Available {
				d.Deletes = append(d.Deletes, Delete{Pod: old.Name, Node: n.Node, Reason: reasonSurgeDone})
			}
		case !old.Available && n.ShouldRun:
			d.Creates = append(d.Creates, Create{Node: n.Node, Reason: reasonSurgeUnavailable})
		case !old.Available:
			d.Deletes = append(d.Deletes, Delete{Pod: old.Name, Node: n.Node, Reason: reasonSurgeNotWanted})
		case !n.ShouldRun:
			if removed < deletable {
				removed++
				d.Deletes = append(d.Deletes, Delete{Pod: old.Name, Node: n.Node, Reason: notWantedReason})
			}
		case surged < remaining:
			surged++
			d.Creates = append(d.Creates, Create{Node: n.Node, Reason: reasons.take()})
		}
	}
	return nil
}

// Empty reports whether the decision neither deletes nor creates anything.
func (d Decision) Empty() bool { return len(d.Deletes) == 0 && len(d.Creates) == 0 }
