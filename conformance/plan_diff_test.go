package conformance_test

import (
	"fmt"
	"maps"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/go-logr/logr"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/labels"
	"k8s.io/kubernetes/pkg/controller/daemon"

	"github.com/daemonkit/daemonkit/conformance/harness"
	"github.com/daemonkit/daemonkit/conformance/scenario"
	"github.com/daemonkit/daemonkit/daemonset"
	"github.com/daemonkit/daemonkit/kube"
)

const (
	// planClusters random clusters are compared, each in both observe modes.
	planClusters = 700
	// Where the first upstream run differs from daemonkit, upstream is run again, until one run
	// equals daemonkit's outcome, or the set of choices stops growing for choiceStale runs, or
	// maxChoiceRuns runs were made.
	maxChoiceRuns = 400
	choiceStale   = 80
	// maxReported disagreements are printed and written out; the rest are only counted.
	maxReported = 50
)

// syncOutcome is what both sides are compared on.
type syncOutcome struct {
	Creates       []string // target nodes, sorted
	Deletes       []string // pod names, sorted
	Status        scenario.Counters
	StatusWritten bool
	// ObservedGeneration is compared only when the status is written.
	ObservedGeneration int64
	Err                bool
	// Events are the controller's own events as "Type Reason Message", sorted. A message names
	// the pod it is about, which may be one of upstream's map-order choices, so events are
	// compared with the run whose choices daemonkit's equal.
	Events []string
	// Adopted and Released name the pods the sync adopted or released, sorted.
	Adopted, Released []string
}

func (o syncOutcome) String() string {
	return fmt.Sprintf("creates %v deletes %v status %+v written %v observedGeneration %d error %v events %q adopted %v released %v",
		o.Creates, o.Deletes, o.Status, o.StatusWritten, o.ObservedGeneration, o.Err, o.Events, o.Adopted, o.Released)
}

func (o syncOutcome) equal(p syncOutcome) bool {
	return slices.Equal(o.Creates, p.Creates) && slices.Equal(o.Deletes, p.Deletes) && slices.Equal(o.Events, p.Events) &&
		o.sameCounts(p)
}

// sameCounts: everything but the identity of the pods and nodes chosen (events are compared by
// type and reason only; adoptions and releases do not depend on map order and are compared).
func (o syncOutcome) sameCounts(p syncOutcome) bool {
	return len(o.Creates) == len(p.Creates) && len(o.Deletes) == len(p.Deletes) && o.Status == p.Status &&
		o.StatusWritten == p.StatusWritten && o.Err == p.Err &&
		(!o.StatusWritten || o.ObservedGeneration == p.ObservedGeneration) &&
		slices.Equal(eventKinds(o.Events), eventKinds(p.Events)) &&
		slices.Equal(o.Adopted, p.Adopted) && slices.Equal(o.Released, p.Released)
}

// diff describes how o differs from p in words, for failure messages.
func (o syncOutcome) diff(p syncOutcome) string {
	var parts []string
	only := func(a, b []string) []string {
		var out []string
		for _, x := range a {
			if !slices.Contains(b, x) {
				out = append(out, x)
			}
		}
		return out
	}
	if x, y := only(o.Creates, p.Creates), only(p.Creates, o.Creates); len(x)+len(y) > 0 {
		parts = append(parts, fmt.Sprintf("creates only daemonkit %v only upstream %v", x, y))
	}
	if x, y := only(o.Deletes, p.Deletes), only(p.Deletes, o.Deletes); len(x)+len(y) > 0 {
		parts = append(parts, fmt.Sprintf("deletes only daemonkit %v only upstream %v", x, y))
	}
	if o.Status != p.Status {
		parts = append(parts, fmt.Sprintf("status daemonkit %+v upstream %+v", o.Status, p.Status))
	}
	if o.StatusWritten != p.StatusWritten {
		parts = append(parts, fmt.Sprintf("status written daemonkit %v upstream %v", o.StatusWritten, p.StatusWritten))
	}
	if o.StatusWritten && o.ObservedGeneration != p.ObservedGeneration {
		parts = append(parts, fmt.Sprintf("observedGeneration daemonkit %d upstream %d", o.ObservedGeneration, p.ObservedGeneration))
	}
	if o.Err != p.Err {
		parts = append(parts, fmt.Sprintf("error daemonkit %v upstream %v", o.Err, p.Err))
	}
	if !slices.Equal(o.Events, p.Events) {
		parts = append(parts, fmt.Sprintf("events daemonkit %q upstream %q", o.Events, p.Events))
	}
	if !slices.Equal(o.Adopted, p.Adopted) || !slices.Equal(o.Released, p.Released) {
		parts = append(parts, fmt.Sprintf("adopted daemonkit %v upstream %v; released daemonkit %v upstream %v", o.Adopted, p.Adopted, o.Released, p.Released))
	}
	return strings.Join(parts, "; ")
}

func counters(desired, current, mis, ready, updated, available, unavailable int32) scenario.Counters {
	return scenario.Counters{DesiredNumberScheduled: desired, CurrentNumberScheduled: current, NumberMisscheduled: mis,
		NumberReady: ready, UpdatedNumberScheduled: updated, NumberAvailable: available, NumberUnavailable: unavailable}
}

func fromUpstream(o harness.Outcome) syncOutcome {
	s := o.Status
	return syncOutcome{
		Creates: nonNil(o.Creates), Deletes: nonNil(o.Deletes),
		Status: counters(s.DesiredNumberScheduled, s.CurrentNumberScheduled, s.NumberMisscheduled, s.NumberReady,
			s.UpdatedNumberScheduled, s.NumberAvailable, s.NumberUnavailable),
		StatusWritten: o.StatusWritten, ObservedGeneration: s.ObservedGeneration, Err: o.Err != nil,
		Events:  slices.Sorted(slices.Values(nonNil(o.Events))),
		Adopted: nonNil(o.Adopted), Released: nonNil(o.Released),
	}
}

func fromDaemonkit(res daemonset.Result, err error, input daemonset.Status) syncOutcome {
	out := syncOutcome{Creates: []string{}, Deletes: []string{}, StatusWritten: res.StatusWrite, Err: err != nil,
		Events: []string{}, Adopted: nonNil(slices.Clone(res.Adopted)), Released: nonNil(slices.Clone(res.Released))}
	for _, e := range res.Events {
		out.Events = append(out.Events, e.Type+" "+e.Reason+" "+e.Message)
	}
	slices.Sort(out.Events)
	slices.Sort(out.Adopted)
	slices.Sort(out.Released)
	for _, c := range res.Creates {
		out.Creates = append(out.Creates, c.Node)
	}
	for _, d := range res.Deletes {
		out.Deletes = append(out.Deletes, d.Pod)
	}
	slices.Sort(out.Creates)
	slices.Sort(out.Deletes)
	s := res.Status
	if !res.StatusWrite {
		// Nothing written: the DaemonSet keeps the status it had, as upstream's does.
		s = input
	}
	out.Status = counters(s.DesiredNumberScheduled, s.CurrentNumberScheduled, s.NumberMisscheduled, s.NumberReady,
		s.UpdatedNumberScheduled, s.NumberAvailable, s.NumberUnavailable)
	out.ObservedGeneration = s.ObservedGeneration
	return out
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// planInput converts a normalized cluster to daemonset.Plan's input.
func planInput(t testing.TB, c harness.Cluster, hash string) daemonset.Input {
	t.Helper()
	ds, err := kube.DaemonSetFromKube(c.DaemonSet)
	if err != nil {
		t.Fatal(err)
	}
	in := daemonset.Input{DaemonSet: ds, Hash: hash, Now: planNow}
	for _, n := range c.Nodes {
		node, err := kube.NodeFromKube(n)
		if err != nil {
			t.Fatal(err)
		}
		in.Nodes = append(in.Nodes, node)
	}
	for _, p := range c.Pods {
		pod, err := kube.PodFromKube(p)
		if err != nil {
			t.Fatal(err)
		}
		in.Pods = append(in.Pods, pod)
	}
	return in
}

func toObserve(m harness.Observe) daemonset.ObserveMode {
	if m == harness.ObserveImmediate {
		return daemonset.ObserveImmediate
	}
	return daemonset.ObserveNone
}

// verdict is how one comparison ended.
type verdict int

const (
	agreeExact   verdict = iota // the first upstream run gave daemonkit's outcome
	agreeRerun                  // a later upstream run gave exactly daemonkit's outcome
	agreeChoices                // same counts and status as an upstream run, every choice one upstream made
	disagree
)

// judge compares daemonkit's outcome with upstream's on c, running upstream again where its
// choices depend on Go map order. It returns upstream's first run as the harness reported it,
// and on a disagreement every run's outcome.
func judge(t *testing.T, c harness.Cluster, opt harness.Options, dk syncOutcome) (verdict, []syncOutcome, harness.Outcome) {
	t.Helper()
	// The order in which the informer stores list nodes and pods is no part of the cluster, but
	// the harness fills them in one order, and Go iterates a small map as a rotation of the order
	// it was filled in: with a fixed fill order some of upstream's map-order choices never come
	// up. So every run after the first lists the nodes and pods in a fresh (seeded) order.
	shuffle := rand.New(rand.NewPCG(uint64(len(c.Pods)), uint64(len(c.Nodes))))
	reruns := 0
	var firstRun harness.Outcome
	run := func() syncOutcome {
		cc := c
		if reruns > 0 {
			cc.Nodes, cc.Pods = slices.Clone(c.Nodes), slices.Clone(c.Pods)
			shuffle.Shuffle(len(cc.Nodes), func(i, j int) { cc.Nodes[i], cc.Nodes[j] = cc.Nodes[j], cc.Nodes[i] })
			shuffle.Shuffle(len(cc.Pods), func(i, j int) { cc.Pods[i], cc.Pods[j] = cc.Pods[j], cc.Pods[i] })
		}
		reruns++
		o, err := harness.Sync(cc, opt)
		if err != nil {
			t.Fatal(err)
		}
		if reruns == 1 {
			firstRun = o
		}
		return fromUpstream(o)
	}
	first := run()
	if first.equal(dk) {
		return agreeExact, nil, firstRun
	}
	runs := []syncOutcome{first}
	creates, deletes := map[string]bool{}, map[string]bool{}
	grow := func(o syncOutcome) bool {
		grew := false
		for _, n := range o.Creates {
			grew = grew || !creates[n]
			creates[n] = true
		}
		for _, p := range o.Deletes {
			grew = grew || !deletes[p]
			deletes[p] = true
		}
		return grew
	}
	grow(first)
	stale := 0
	for len(runs) < maxChoiceRuns && stale < choiceStale {
		o := run()
		if o.equal(dk) {
			return agreeRerun, nil, firstRun
		}
		runs = append(runs, o)
		if grow(o) {
			stale = 0
		} else {
			stale++
		}
	}
	within := true
	for _, n := range dk.Creates {
		within = within && creates[n]
	}
	for _, p := range dk.Deletes {
		within = within && deletes[p]
	}
	if within && slices.ContainsFunc(runs, dk.sameCounts) {
		return agreeChoices, nil, firstRun
	}
	return disagree, runs, firstRun
}

// counts tallies scenario verdicts per feature.
type counts struct {
	agree, total map[string]int
	verdicts     [4]int
}

func (c *counts) add(features []string, ok bool) {
	for _, f := range features {
		c.total[f]++
		if ok {
			c.agree[f]++
		}
	}
}

func (c *counts) log(t *testing.T) {
	keys := make([]string, 0, len(c.total))
	for k := range c.total {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		t.Logf("%-48s %d/%d agree", k, c.agree[k], c.total[k])
	}
	t.Logf("verdicts: %d exact on the first upstream run, %d exact on a later run, %d within upstream's choices, %d disagree",
		c.verdicts[agreeExact], c.verdicts[agreeRerun], c.verdicts[agreeChoices], c.verdicts[disagree])
}

// TestPlanAgainstUpstream builds random clusters and compares daemonset.Plan with one sync of the
// real controller in both observe modes: creates and deletes as sets where upstream is
// deterministic, the seven status counters, whether the status is written and its
// observedGeneration, and whether the sync fails. Where upstream picks in Go map order, upstream
// is run again, with nodes and pods listed in a fresh order: daemonkit agrees when a run produces
// exactly its outcome, or when its counts and status equal a run's and each of its picks is one
// upstream made. Nothing is excused: the syncs that exercise the two cases Plan once decided
// differently (an owned and an orphan Failed pod on one node; an orphan adopted and deleted at
// once) are counted as features and must keep coming up. Each node's placement is
// compared with upstream's NodeShouldRunDaemonPod too. A disagreement is written out as a
// scenario folder (path printed) to become a regression test.
func TestPlanAgainstUpstream(t *testing.T) {
	clusters := planClusters
	if testing.Short() {
		clusters /= 5
	}
	seed := uint64(21)
	// CONFORMANCE_SEED and CONFORMANCE_CLUSTERS explore beyond the fixed CI run.
	if v := os.Getenv("CONFORMANCE_SEED"); v != "" {
		n, err := strconv.ParseUint(v, 10, 64)
		if err != nil {
			t.Fatalf("CONFORMANCE_SEED: %v", err)
		}
		seed = n
	}
	if v := os.Getenv("CONFORMANCE_CLUSTERS"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n <= 0 {
			t.Fatalf("CONFORMANCE_CLUSTERS: want a positive integer, got %q", v)
		}
		clusters = n
	}
	t.Logf("seed %d, %d clusters", seed, clusters)
	r := rand.New(rand.NewPCG(seed, seed+1))
	tally := &counts{agree: map[string]int{}, total: map[string]int{}}
	defer tally.log(t)
	// seen counts, per sync (per node for placement), the states upstream's first run reached, so
	// that a generator that stops producing them fails the test (see requireCoverage).
	seen := map[string]int{}
	placementAgree, placementTotal, hashAgree, hashTotal := 0, 0, 0, 0
	failures := 0
	for i := range clusters {
		g := randomCluster(r)
		in := planInput(t, g.cluster, g.hash)

		for _, n := range g.cluster.Nodes {
			run, keep := daemon.NodeShouldRunDaemonPod(logr.Discard(), n, g.cluster.DaemonSet)
			e := daemonset.CheckNode(in.DaemonSet, mustNode(t, n))
			placementTotal++
			seen[fmt.Sprintf("placement: shouldRun %v, shouldContinueRunning %v", run, keep)]++
			if e.ShouldRun == run && e.ShouldContinueRunning == keep {
				placementAgree++
			} else if placementTotal-placementAgree <= 3 {
				t.Errorf("cluster %d node %s: CheckNode (%v, %v), upstream (%v, %v)", i, n.Name, e.ShouldRun, e.ShouldContinueRunning, run, keep)
			}
		}

		for _, mode := range []harness.Observe{harness.ObserveNone, harness.ObserveImmediate} {
			res, err := daemonset.Plan(in, daemonset.Options{Observe: toObserve(mode)})
			dk := fromDaemonkit(res, err, in.DaemonSet.Status)
			opt := harness.Options{Now: planNow, Observe: mode}
			v, runs, up := judge(t, g.cluster, opt, dk)
			tally.verdicts[v]++
			if up.Hash != "" { // no revision when the DaemonSet is skipped
				hashTotal++
				if up.Hash == g.hash {
					hashAgree++
				}
			}
			features := append([]string{"all scenarios (" + mode.String() + ")"}, g.features...)
			// The two cases that were once known differences, counted per sync.
			if len(failedOwnedAndOrphan(g.cluster)) > 0 {
				features = append(features, featureFailedPair)
			}
			if len(adoptedAndGone(g.cluster, res)) > 0 {
				features = append(features, featureAdoptedGone+" ("+mode.String()+")")
			}
			tally.add(features, v != disagree)
			countStates(seen, fromUpstream(up))
			if v == disagree {
				failures++
				if failures <= maxReported {
					dir := writeDisagreement(t, g.cluster, mode, dk, runs)
					t.Errorf("cluster %d (%s) disagrees with upstream (first of %d runs): %s\nscenario written to %s", i, mode, len(runs), dk.diff(runs[0]), dir)
				}
			}
		}
	}
	t.Logf("%-48s %d/%d agree", "placement (NodeShouldRunDaemonPod)", placementAgree, placementTotal)
	t.Logf("%-48s %d/%d agree", "hash of the current revision", hashAgree, hashTotal)
	if hashAgree != hashTotal {
		t.Errorf("hash: %d of %d syncs differ", hashTotal-hashAgree, hashTotal)
	}
	if placementAgree != placementTotal {
		t.Errorf("placement: %d of %d nodes differ", placementTotal-placementAgree, placementTotal)
	}
	seen["hash compared"] = hashTotal
	for f, n := range tally.total {
		seen["feature: "+f] = n
	}
	requireCoverage(t, seen, 2*clusters)
}

// countStates records in seen which of the states the comparison is meant to cover upstream's
// outcome o reached.
func countStates(seen map[string]int, o syncOutcome) {
	on := func(name string, b bool) {
		if b {
			seen[name]++
		}
	}
	on("syncs that create", len(o.Creates) > 0)
	on("syncs that delete", len(o.Deletes) > 0)
	on("syncs that fail", o.Err)
	on("syncs that write the status", o.StatusWritten)
	on("syncs that write no status", !o.StatusWritten)
	on("syncs that adopt", len(o.Adopted) > 0)
	on("syncs that release", len(o.Released) > 0)
	for _, e := range eventKinds(o.Events) {
		seen["events: "+e]++
	}
	s := o.Status
	for name, v := range map[string]int32{
		"desiredNumberScheduled": s.DesiredNumberScheduled, "currentNumberScheduled": s.CurrentNumberScheduled,
		"numberMisscheduled": s.NumberMisscheduled, "numberReady": s.NumberReady, "updatedNumberScheduled": s.UpdatedNumberScheduled,
		"numberAvailable": s.NumberAvailable, "numberUnavailable": s.NumberUnavailable,
	} {
		on("status with "+name+" > 0", v > 0)
	}
}

// coverageMinimum is, per state of TestPlanAgainstUpstream, how often it must come up, as a share
// of the syncs compared (placement counts nodes, against the same number of syncs): about a third
// of what seed 21 produces (the second column), so that other seeds pass and a generator that
// stops producing a state fails. A state missing from the counts never came up.
var coverageMinimum = map[string]float64{
	"syncs that create":                                       0.15,  // 649 of 1400
	"syncs that delete":                                       0.26,  // 1108
	"syncs that fail":                                         0.012, // 54
	"syncs that write the status":                             0.3,   // 1279
	"syncs that write no status":                              0.028, // 121
	"syncs that adopt":                                        0.14,  // 618
	"syncs that release":                                      0.11,  // 494
	"events: Normal SucceededDaemonPod":                       0.04,  // 182
	"events: Warning FailedDaemonPod":                         0.08,  // 342
	"events: Warning SelectingAll":                            0.004, // 18
	"status with desiredNumberScheduled > 0":                  0.2,   // 876
	"status with currentNumberScheduled > 0":                  0.18,  // 784
	"status with numberMisscheduled > 0":                      0.14,  // 611
	"status with numberReady > 0":                             0.14,  // 589
	"status with updatedNumberScheduled > 0":                  0.16,  // 683
	"status with numberAvailable > 0":                         0.12,  // 541
	"status with numberUnavailable > 0":                       0.18,  // 795
	"hash compared":                                           0.9,   // 1352 (not when the DaemonSet is skipped)
	"placement: shouldRun true, shouldContinueRunning true":   0.4,   // 1696 nodes
	"placement: shouldRun false, shouldContinueRunning true":  0.065, // 277
	"placement: shouldRun false, shouldContinueRunning false": 0.38,  // 1623
	"feature: all scenarios (none)":                           0.5,   // 700, every cluster
	"feature: all scenarios (immediate)":                      0.5,   // 700
	"feature: taints":                                         0.24,  // 1042
	"feature: affinity":                                       0.08,  // 352
	"feature: minReadySeconds":                                0.08,  // 372
	"feature: OnDelete":                                       0.06,  // 266
	"feature: maxUnavailable":                                 0.17,  // 730
	"feature: surge":                                          0.09,  // 404
	"feature: selecting all":                                  0.004, // 18
	"feature: DaemonSet deleting":                             0.007, // 30
	"feature: several pods on a node":                         0.28,  // 1210
	"feature: vanished nodes":                                 0.2,   // 836
	"feature: orphans and foreign pods":                       0.26,  // 1112
	"feature: old revision pods":                              0.28,  // 1188
	"feature: pending pods":                                   0.24,  // 1024
	"feature: failed and succeeded pods":                      0.2,   // 904
	"feature: deleting pods":                                  0.16,  // 674
	"feature: " + featureFailedPair:                           0.035, // 150
	"feature: " + featureAdoptedGone + " (none)":              0.02,  // 102
	"feature: " + featureAdoptedGone + " (immediate)":         0.025, // 114
}

// requireCoverage fails the test for every state of coverageMinimum that came up fewer times than
// its share of syncs (at least once), and logs every count.
func requireCoverage(t *testing.T, seen map[string]int, syncs int) {
	t.Helper()
	names := slices.Sorted(maps.Keys(seen))
	for _, name := range names {
		t.Logf("%-64s %d", name, seen[name])
	}
	for _, name := range slices.Sorted(maps.Keys(coverageMinimum)) {
		want := max(1, int(coverageMinimum[name]*float64(syncs)))
		if seen[name] < want {
			t.Errorf("coverage: %q came up %d times in %d syncs, want at least %d: the generator no longer produces it", name, seen[name], syncs, want)
		}
	}
}

func mustNode(t *testing.T, n *corev1.Node) daemonset.Node {
	t.Helper()
	node, err := kube.NodeFromKube(n)
	if err != nil {
		t.Fatal(err)
	}
	return node
}

// writeDisagreement stores the cluster as a scenario folder, with both outcomes in outcome.txt,
// and returns its path. The folder outlives the test so that it can become a regression test.
func writeDisagreement(t *testing.T, c harness.Cluster, mode harness.Observe, dk syncOutcome, runs []syncOutcome) string {
	t.Helper()
	dir, err := os.MkdirTemp("", "daemonkit-disagreement-")
	if err != nil {
		t.Fatal(err)
	}
	if err := scenario.Write(dir, c); err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	fmt.Fprintf(&b, "observe: %s\nnow: %s\ndaemonkit: %v\n", mode, planNow.Format("2006-01-02T15:04:05Z07:00"), dk)
	for i, o := range runs {
		fmt.Fprintf(&b, "upstream run %d: %v\n", i+1, o)
		if i == 9 {
			fmt.Fprintf(&b, "... %d runs in all\n", len(runs))
			break
		}
	}
	if err := os.WriteFile(filepath.Join(dir, "outcome.txt"), []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	return dir
}

// Two cases Plan once decided differently from upstream, named for the per-feature counts.
const (
	featureFailedPair  = "owned and orphan Failed pod on one node"
	featureAdoptedGone = "orphan adopted and deleted at once"
)

// failedOwnedAndOrphan returns the nodes that hold a Failed pod owned by the DaemonSet and a
// Failed orphan it adopts, neither being deleted: the failed-pod backoff lets one of them go, and
// upstream's claim order (owned pods first) says which.
func failedOwnedAndOrphan(c harness.Cluster) map[string]bool {
	sel, err := metav1.LabelSelectorAsSelector(c.DaemonSet.Spec.Selector)
	if err != nil {
		return nil
	}
	owned, orphan := map[string]bool{}, map[string]bool{}
	for _, p := range c.Pods {
		if p.Status.Phase != corev1.PodFailed || p.DeletionTimestamp != nil || p.Namespace != c.DaemonSet.Namespace {
			continue
		}
		switch ref := metav1.GetControllerOf(p); {
		case ref == nil && sel.Matches(labels.Set(p.Labels)):
			orphan[harness.TargetNode(p)] = true
		case ref != nil && ref.UID == c.DaemonSet.UID:
			owned[harness.TargetNode(p)] = true
		}
	}
	out := map[string]bool{}
	for n := range owned {
		if orphan[n] && n != "" {
			out[n] = true
		}
	}
	return out
}

// adoptedAndGone names the pods daemonkit adopts and deletes in one sync that the API server
// removes at once (unbound or terminated, no finalizers): in ObserveNone upstream's status claim
// no longer finds them, so they are not counted.
func adoptedAndGone(c harness.Cluster, res daemonset.Result) []string {
	var out []string
	for _, p := range c.Pods {
		if !slices.Contains(res.Adopted, p.Name) || !slices.ContainsFunc(res.Deletes, func(d daemonset.Delete) bool { return d.Pod == p.Name }) {
			continue
		}
		terminal := p.Status.Phase == corev1.PodSucceeded || p.Status.Phase == corev1.PodFailed
		if (p.Spec.NodeName == "" || terminal) && len(p.Finalizers) == 0 {
			out = append(out, p.Name)
		}
	}
	return out
}

// eventKinds turns events ("Type Reason Message") into sorted "Type Reason".
func eventKinds(events []string) []string {
	out := []string{}
	for _, e := range events {
		f := strings.Fields(e)
		if len(f) >= 2 {
			out = append(out, f[0]+" "+f[1])
		}
	}
	slices.Sort(out)
	return out
}
