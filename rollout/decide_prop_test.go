package rollout

import (
	"errors"
	"fmt"
	"slices"
	"strconv"
	"testing"

	"pgregory.net/rapid"
)

// genPod draws a daemon pod: old or new, deleting or not, and available unless a draw
// from 0 to 9 falls below sick (so each test picks how healthy its cluster is).
func genPod(t *rapid.T, name string, sick int) PodView {
	avail := rapid.IntRange(0, 9).Draw(t, "health") >= sick
	return PodView{
		Name:      name,
		Updated:   rapid.Bool().Draw(t, "updated"),
		Available: avail,
		Deleting:  rapid.IntRange(0, 9).Draw(t, "deleting") == 0,
	}
}

// genNodes draws a cluster mid-rollout: mostly known wanted nodes with 0 to 2 pods, some unwanted
// and some vanished nodes. vanishedOK false leaves vanished nodes out.
func genNodes(t *rapid.T, vanishedOK bool) []NodeView {
	n := rapid.IntRange(0, 25).Draw(t, "nodes")
	sick := rapid.SampledFrom([]int{0, 1, 5, 9}).Draw(t, "sick")
	nodes := make([]NodeView, 0, n)
	for i := range n {
		name := "node-" + strconv.Itoa(i)
		v := NodeView{Node: name, Known: true, ShouldRun: true}
		switch rapid.IntRange(0, 9).Draw(t, "kind") {
		case 0:
			v.ShouldRun = false
		case 1:
			if vanishedOK {
				v.Known, v.ShouldRun = false, false
			}
		}
		pods := rapid.IntRange(0, 3).Draw(t, "pods")
		if rapid.IntRange(0, 3).Draw(t, "simple") > 0 {
			pods = min(pods, 1)
		}
		for j := range pods {
			v.Pods = append(v.Pods, genPod(t, name+"-p"+strconv.Itoa(j), sick))
		}
		nodes = append(nodes, v)
	}
	return nodes
}

func genIntOrPercent(t *rapid.T, label string) IntOrPercent {
	if rapid.Bool().Draw(t, label+"-percent") {
		return FromString(strconv.Itoa(rapid.IntRange(0, 100).Draw(t, label+"-p")) + "%")
	}
	return FromInt(int32(rapid.IntRange(0, 6).Draw(t, label+"-n")))
}

func genStrategy(t *rapid.T) Strategy {
	mu := genIntOrPercent(t, "maxUnavailable")
	if !rapid.Bool().Draw(t, "surge") {
		return rolling(&mu, ptr(FromInt(0)))
	}
	ms := genIntOrPercent(t, "maxSurge")
	return rolling(ptr(FromInt(0)), &ms)
}

// upstreamPass follows the upstream rolling update step by step, visiting the nodes in the order
// given by perm (standing in for Go map order). It is the oracle Decide's counts are held to.
func upstreamPass(s Strategy, desired int, nodes []NodeView, perm []int) (deletes, creates []string, err error) {
	maxSurge, maxUnavailable, err := s.Budget(desired)
	if err != nil {
		return nil, nil, err
	}
	if maxSurge == 0 {
		var numUnavailable int
		var allowed, candidates []string
		for _, i := range perm {
			n := &nodes[i]
			if !n.inPodMap() {
				continue
			}
			nw, old, ok := n.split()
			switch {
			case !ok, nw < 0 && old < 0, nw >= 0 && old >= 0:
				numUnavailable++
			case nw >= 0:
				if !n.Pods[nw].Available {
					numUnavailable++
				}
			case !n.Pods[old].Available:
				allowed = append(allowed, n.Pods[old].Name)
				numUnavailable++
			case numUnavailable >= maxUnavailable:
			default:
				candidates = append(candidates, n.Pods[old].Name)
			}
		}
		r := min(max(maxUnavailable-numUnavailable, 0), len(candidates))
		return append(allowed, candidates[:r]...), nil, nil
	}
	var oldToDelete, notRun, candidates, allowed []string
	var numSurge, numAvailable int
	for _, i := range perm {
		n := &nodes[i]
		if !n.inPodMap() {
			continue
		}
		nw, old, ok := n.split()
		if !ok {
			numSurge++
			continue
		}
		if old >= 0 {
			if n.Pods[old].Available {
				numAvailable++
			}
		} else if nw >= 0 && n.Pods[nw].Available {
			numAvailable++
		}
		switch {
		case old < 0:
		case nw < 0:
			if !n.Known {
				return nil, nil, ErrUnknownNode
			}
			switch {
			case !n.Pods[old].Available && !n.ShouldRun:
				oldToDelete = append(oldToDelete, n.Pods[old].Name)
			case !n.Pods[old].Available:
				allowed = append(allowed, n.Node)
			case !n.ShouldRun:
				notRun = append(notRun, n.Pods[old].Name)
			case numSurge >= maxSurge:
			default:
				candidates = append(candidates, n.Node)
			}
		default:
			if !n.Pods[nw].Available {
				numSurge++
			} else {
				oldToDelete = append(oldToDelete, n.Pods[old].Name)
			}
		}
	}
	if k := numAvailable - desired; k > 0 {
		oldToDelete = append(oldToDelete, notRun[:min(k, len(notRun))]...)
	}
	r := min(max(maxSurge-numSurge, 0), len(candidates))
	return oldToDelete, append(allowed, candidates[:r]...), nil
}

// podIndex maps each pod name to its node and the pod itself.
type podAt struct {
	node string
	pod  PodView
	view *NodeView
}

func indexPods(nodes []NodeView) map[string]podAt {
	m := map[string]podAt{}
	for i := range nodes {
		for _, p := range nodes[i].Pods {
			m[p.Name] = podAt{node: nodes[i].Node, pod: p, view: &nodes[i]}
		}
	}
	return m
}

// TestPropDecideMatchesUpstream: for random clusters and strategies, Decide deletes and creates
// exactly as many as the upstream loop in a random order, the forced decisions (unavailable
// old pods deleted or surged beside, old pods beside available new ones deleted) are the same
// sets, and the chosen deletes and creates are candidates upstream could have picked.
func TestPropDecideMatchesUpstream(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		nodes := genNodes(t, true)
		s := genStrategy(t)
		desired := countShouldRun(nodes)
		perm := rapid.Permutation(seq(len(nodes))).Draw(t, "map order")
		d, err := Decide(s, desired, nodes)
		refDel, refCreate, refErr := upstreamPass(s, desired, nodes, perm)
		if (err != nil) != (refErr != nil) {
			t.Fatalf("Decide error %v, upstream error %v", err, refErr)
		}
		if err != nil {
			if !errors.Is(err, ErrUnknownNode) || !d.Empty() {
				t.Fatalf("unexpected error %v or decisions on error %+v", err, d)
			}
			return
		}
		if len(d.Deletes) != len(refDel) || len(d.Creates) != len(refCreate) {
			t.Fatalf("Decide (%d deletes, %d creates), upstream (%d, %d)\n%+v", len(d.Deletes), len(d.Creates), len(refDel), len(refCreate), d)
		}
		pods := indexPods(nodes)
		// Forced decisions match as sets; chosen ones are of the right kind.
		for _, x := range d.Deletes {
			at, ok := pods[x.Pod]
			if !ok || at.node != x.Node || at.pod.Deleting {
				t.Fatalf("deleted %+v, which was not given (or is deleting) on that node", x)
			}
		}
		forcedDel := func(name string) bool {
			at := pods[name]
			nw, old, _ := at.view.split()
			if d.Surge {
				return !at.pod.Available && at.view.Known && !at.view.ShouldRun && nw < 0 || nw >= 0 && at.view.Pods[nw].Available
			}
			return old >= 0 && nw < 0 && !at.pod.Available
		}
		var got, want []string
		for _, x := range d.Deletes {
			if forcedDel(x.Pod) {
				got = append(got, x.Pod)
			}
		}
		for _, p := range refDel {
			if forcedDel(p) {
				want = append(want, p)
			}
		}
		slices.Sort(want)
		if !slices.Equal(got, want) {
			t.Fatalf("forced deletes: Decide %v, upstream %v", got, want)
		}
		// A chosen delete takes a lone available old pod: any node's in maxUnavailable mode, one
		// on a node that should not run it in surge mode.
		for _, x := range d.Deletes {
			if forcedDel(x.Pod) {
				continue
			}
			at := pods[x.Pod]
			nw, old, ok := at.view.split()
			if !ok || nw >= 0 || old < 0 || at.view.Pods[old].Name != x.Pod || !at.pod.Available || d.Surge && at.view.ShouldRun {
				t.Fatalf("deleted %+v, which is not a candidate (surge %v)", x, d.Surge)
			}
		}
		// Every create goes to a known wanted node whose only live pod is old; those beside an
		// unavailable old pod are forced and match upstream's as a set.
		views := map[string]*NodeView{}
		for i := range nodes {
			views[nodes[i].Node] = &nodes[i]
		}
		forcedCreate := func(node string) bool {
			v := views[node]
			_, old, _ := v.split()
			return old >= 0 && !v.Pods[old].Available
		}
		got, want = nil, nil
		for _, c := range d.Creates {
			v := views[c.Node]
			if v == nil {
				t.Fatalf("created on %s, which was not given", c.Node)
			}
			nw, old, ok := v.split()
			if !ok || nw >= 0 || old < 0 || !v.Known || !v.ShouldRun {
				t.Fatalf("created on %s, which is not a node with a lone old pod that should run one", c.Node)
			}
			if forcedCreate(c.Node) {
				got = append(got, c.Node)
			}
		}
		for _, node := range refCreate {
			if forcedCreate(node) {
				want = append(want, node)
			}
		}
		slices.Sort(want)
		if !slices.Equal(got, want) {
			t.Fatalf("forced creates: Decide %v, upstream %v", got, want)
		}
	})
}

func seq(n int) []int {
	s := make([]int, n)
	for i := range s {
		s[i] = i
	}
	return s
}

// TestPropClosedForm holds the closed-form counts of sections 3.4 and 3.5, computed from a
// direct per-node census, and the rule that every lone unavailable old pod is deleted.
func TestPropClosedForm(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		nodes := genNodes(t, false)
		s := genStrategy(t)
		desired := countShouldRun(nodes)
		d, err := Decide(s, desired, nodes)
		if err != nil {
			t.Fatal(err)
		}
		// Census: kind of each node, by counting its live pods.
		var unavailable, candidates, loneUnavailOld, surgeUsed, surgeCandidates, allowed int
		loneUnavail := map[string]bool{}
		for _, n := range nodes {
			if len(n.Pods) == 0 && !n.ShouldRun {
				continue
			}
			var news, olds []PodView
			for _, p := range n.Pods {
				if p.Deleting {
					continue
				}
				if p.Updated {
					news = append(news, p)
				} else {
					olds = append(olds, p)
				}
			}
			excess := len(news) > 1 || len(olds) > 1
			switch {
			case excess || len(news)+len(olds) == 0 || len(news) == 1 && len(olds) == 1:
				unavailable++
			case len(news) == 1:
				if !news[0].Available {
					unavailable++
				}
			case !olds[0].Available:
				unavailable++
				loneUnavailOld++
				loneUnavail[olds[0].Name] = true
			default:
				candidates++
			}
			switch {
			case excess, len(news) == 1 && len(olds) == 1 && !news[0].Available:
				surgeUsed++
			case len(olds) == 1 && len(news) == 0 && n.ShouldRun:
				if olds[0].Available {
					surgeCandidates++
				} else {
					allowed++
				}
			}
		}
		if d.Surge {
			want := allowed + min(max(0, d.MaxSurge-surgeUsed), surgeCandidates)
			if len(d.Creates) != want || d.NumSurge != surgeUsed {
				t.Fatalf("surge creates %d (numSurge %d), want %d (numSurge %d)", len(d.Creates), d.NumSurge, want, surgeUsed)
			}
			return
		}
		if len(d.Creates) != 0 {
			t.Fatalf("maxUnavailable mode created %v", d.Creates)
		}
		availableDeleted := 0
		for _, x := range d.Deletes {
			if !loneUnavail[x.Pod] {
				availableDeleted++
			}
			delete(loneUnavail, x.Pod)
		}
		if len(loneUnavail) != 0 {
			t.Fatalf("lone unavailable old pods not deleted: %v", loneUnavail)
		}
		if want := min(max(0, d.MaxUnavailable-unavailable), candidates); availableDeleted != want || d.NumUnavailable != unavailable {
			t.Fatalf("available old pods deleted %d (numUnavailable %d), want %d (numUnavailable %d)",
				availableDeleted, d.NumUnavailable, want, unavailable)
		}
	})
}

// TestPropOrderIndependentAndSorted: shuffling the views gives the same Decision, whose slices are
// sorted by node name, and in which the chosen candidates are the first by name.
func TestPropOrderIndependentAndSorted(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		nodes := genNodes(t, true)
		s := genStrategy(t)
		desired := countShouldRun(nodes)
		d, err := Decide(s, desired, nodes)
		perm := rapid.Permutation(seq(len(nodes))).Draw(t, "shuffle")
		shuffled := make([]NodeView, len(nodes))
		for i, j := range perm {
			shuffled[i] = nodes[j]
		}
		d2, err2 := Decide(s, desired, shuffled)
		if fmt.Sprint(err) != fmt.Sprint(err2) || fmt.Sprintf("%#v", d) != fmt.Sprintf("%#v", d2) {
			t.Fatalf("order changed the result:\n%v %+v\n%v %+v", err, d, err2, d2)
		}
		if !slices.IsSortedFunc(d.Deletes, func(a, b Delete) int { return cmpStr(a.Node, b.Node) }) ||
			!slices.IsSortedFunc(d.Creates, func(a, b Create) int { return cmpStr(a.Node, b.Node) }) {
			t.Fatalf("output not sorted: %+v", d)
		}
		// Candidates taken are a prefix by name: no skipped candidate sorts before a taken one.
		if err == nil && !d.Surge {
			lastTaken := ""
			for _, x := range d.Deletes {
				if !strings2Reason(x.Reason) {
					lastTaken = x.Node
				}
			}
			for _, n := range nodes {
				nw, old, ok := n.split()
				if ok && nw < 0 && old >= 0 && n.Pods[old].Available && n.inPodMap() && n.Node < lastTaken {
					found := false
					for _, x := range d.Deletes {
						found = found || x.Pod == n.Pods[old].Name
					}
					if !found {
						t.Fatalf("candidate on %s skipped while %s was taken", n.Node, lastTaken)
					}
				}
			}
		}
	})
}

func strings2Reason(r string) bool { return r == reasonReplaceUnavailable }

func cmpStr(a, b string) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}
