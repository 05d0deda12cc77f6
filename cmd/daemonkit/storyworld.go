package main

import (
	"fmt"
	"io"
	"maps"
	"slices"
	"strconv"
	"time"

	"github.com/daemonkit/daemonkit/daemonset"
)

// storyWorld is the small virtual cluster the default run plays on: nodes, DaemonSets and their
// pods, and a virtual clock. It is driven by daemonset.Plan and daemonset.Apply, iterated once per
// virtual second as a controller with a one-second sync period; the kubelet is modelled as "a pod
// is Running and Ready readyAfter after its creation, a deleted pod is gone terminateAfter later".
// Nothing in it reads the wall clock, so every run prints the same thing.
type storyWorld struct {
	out            io.Writer
	start, now     time.Time
	nodes          []daemonset.Node
	sets           []*storySet
	readyAfter     time.Duration
	terminateAfter time.Duration
	// ips, by pod UID, are handed out per node in creation order, as a CNI plugin with a /24 per node would.
	nodeIndex map[string]int
	ipSeq     map[string]int
	ips       map[string]string
}

// storySet is one DaemonSet of the story with its pods and the controller's memory for it.
type storySet struct {
	ds      *daemonset.DaemonSet
	hash    string
	created time.Time
	pods    []daemonset.Pod
	memory  daemonset.Memory
	planner daemonset.Planner
	// unavailablePeak is the most eligible nodes seen at once without an available pod of this
	// DaemonSet since the peak was last reset.
	unavailablePeak int
}

func newStoryWorld(out io.Writer, start time.Time, nodes []daemonset.Node) *storyWorld {
	w := &storyWorld{
		out: out, start: start, now: start,
		readyAfter: 5 * time.Second, terminateAfter: 2 * time.Second,
		nodeIndex: map[string]int{}, ipSeq: map[string]int{}, ips: map[string]string{},
	}
	for _, n := range nodes {
		w.addNode(n)
	}
	return w
}

func (w *storyWorld) addNode(n daemonset.Node) {
	w.nodeIndex[n.Name] = len(w.nodeIndex) + 1
	w.nodes = append(w.nodes, n)
}

// labelNode sets labels on the named node, copying its map so that no earlier value changes.
func (w *storyWorld) labelNode(name string, labels map[string]string) error {
	for i := range w.nodes {
		if w.nodes[i].Name == name {
			l := maps.Clone(w.nodes[i].Labels)
			if l == nil {
				l = map[string]string{}
			}
			maps.Copy(l, labels)
			w.nodes[i].Labels = l
			return nil
		}
	}
	return fmt.Errorf("story: no node %q to label", name)
}

// addSet creates a DaemonSet now.
func (w *storyWorld) addSet(ds daemonset.DaemonSet, hash string) *storySet {
	s := &storySet{ds: &ds, hash: hash, created: w.now}
	w.sets = append(w.sets, s)
	return s
}

// updateTemplate replaces s's template (and strategy) with next's, as `kubectl apply` of a new
// manifest does: the generation and the template generation go up by one, status stays.
func (w *storyWorld) updateTemplate(s *storySet, next daemonset.DaemonSet, hash string) {
	ds := *s.ds
	ds.Template = next.Template
	ds.UpdateStrategy = next.UpdateStrategy
	ds.MinReadySeconds = next.MinReadySeconds
	ds.Generation++
	if g, ok := daemonset.TemplateGeneration(&ds); ok {
		ds.Annotations = maps.Clone(ds.Annotations)
		ds.Annotations[daemonset.TemplateGenerationAnnotation] = strconv.FormatInt(g+1, 10)
	}
	s.ds = &ds
	s.hash = hash
}

// clock prints the virtual time since the start as h:mm:ss.
func (w *storyWorld) clock() string {
	d := w.now.Sub(w.start)
	return fmt.Sprintf("%d:%02d:%02d", int(d.Hours()), int(d.Minutes())%60, int(d.Seconds())%60)
}

// tick advances the clock by one second: the kubelets move pods along, then the controller syncs
// every DaemonSet once. It reports whether anything happened.
func (w *storyWorld) tick() (bool, error) {
	w.now = w.now.Add(time.Second)
	changed := w.kubelets()
	for _, s := range w.sets {
		c, err := w.sync(s)
		if err != nil {
			return false, err
		}
		changed = changed || c
	}
	return changed, nil
}

// kubelets moves each pod along its life: Pending to Running and Ready readyAfter after creation,
// deleting to gone terminateAfter after its deletion.
func (w *storyWorld) kubelets() bool {
	changed := false
	for _, s := range w.sets {
		kept := s.pods[:0:0]
		for _, p := range s.pods {
			if p.DeletionTimestamp != nil && !w.now.Before(p.DeletionTimestamp.Add(w.terminateAfter)) {
				changed = true
				continue
			}
			if p.DeletionTimestamp == nil && p.Phase == daemonset.PodPending && !w.now.Before(p.CreationTimestamp.Add(w.readyAfter)) {
				p.Phase = daemonset.PodRunning
				p.Ready = daemonset.ConditionTrue
				p.ReadySince = p.CreationTimestamp.Add(w.readyAfter)
				w.assignIP(p)
				changed = true
			}
			kept = append(kept, p)
		}
		s.pods = kept
	}
	return changed
}

func (w *storyWorld) assignIP(p daemonset.Pod) {
	w.ipSeq[p.NodeName]++
	w.ips[p.UID] = fmt.Sprintf("10.244.%d.%d", w.nodeIndex[p.NodeName], w.ipSeq[p.NodeName]+1)
}

// sync runs one reconcile of s and carries it out, printing each create and delete.
func (w *storyWorld) sync(s *storySet) (bool, error) {
	in := daemonset.Input{DaemonSet: s.ds, Nodes: w.nodes, Pods: s.pods, Hash: s.hash, Now: w.now, Memory: s.memory}
	res, err := s.planner.Plan(in, daemonset.Options{})
	if err != nil {
		return false, fmt.Errorf("story: plan %s at %s: %w", s.ds.Name, w.clock(), err)
	}
	before := make(map[string]bool, len(s.pods))
	for _, p := range s.pods {
		before[p.Name] = true
	}
	next := daemonset.Apply(in, res, daemonset.ApplyOptions{MarkDeleting: w.terminateAfter > 0})
	for _, d := range res.Deletes {
		fmt.Fprintf(w.out, "  %s  %-14s delete %s: %s\n", w.clock(), s.ds.Name, d.Pod, d.Reason)
	}
	created := map[string]string{}
	for _, p := range next.Pods {
		if !before[p.Name] {
			created[p.NodeName] = p.Name
		}
	}
	for _, c := range res.Creates {
		fmt.Fprintf(w.out, "  %s  %-14s create %s: %s\n", w.clock(), s.ds.Name, created[c.Node], c.Reason)
	}
	s.ds, s.pods, s.memory = next.DaemonSet, next.Pods, next.Memory
	s.unavailablePeak = max(s.unavailablePeak, w.unavailableNodes(s))
	return len(res.Creates)+len(res.Deletes) > 0 || res.StatusWrite, nil
}

// unavailableNodes counts the nodes that should run s's pod and have no available one.
func (w *storyWorld) unavailableNodes(s *storySet) int {
	n := 0
	for _, node := range w.nodes {
		if !daemonset.CheckNode(s.ds, node).ShouldRun {
			continue
		}
		avail := slices.ContainsFunc(s.pods, func(p daemonset.Pod) bool {
			return p.NodeName == node.Name && p.DeletionTimestamp == nil &&
				daemonset.IsPodAvailable(&p, s.ds.MinReadySeconds, w.now)
		})
		if !avail {
			n++
		}
	}
	return n
}

// settle ticks until a whole second passes in which nothing happens and no pod is starting or
// terminating, or until limit has passed (an error: the story should always converge).
func (w *storyWorld) settle(limit time.Duration) error {
	deadline := w.now.Add(limit)
	for w.now.Before(deadline) {
		changed, err := w.tick()
		if err != nil {
			return err
		}
		if !changed && w.quiet() {
			return nil
		}
	}
	return fmt.Errorf("story: the cluster did not settle within %s (at %s)", limit, w.clock())
}

// tickUntil ticks until cond holds, or fails once limit has passed.
func (w *storyWorld) tickUntil(limit time.Duration, cond func() bool) error {
	deadline := w.now.Add(limit)
	for w.now.Before(deadline) {
		if _, err := w.tick(); err != nil {
			return err
		}
		if cond() {
			return nil
		}
	}
	return fmt.Errorf("story: the expected moment did not come within %s (at %s)", limit, w.clock())
}

// hasPending reports whether a pod of revision hash is still starting.
func (s *storySet) hasPending(hash string) bool {
	return slices.ContainsFunc(s.pods, func(p daemonset.Pod) bool {
		return p.Phase == daemonset.PodPending && p.Labels[daemonset.RevisionHashLabel] == hash
	})
}

// quiet reports that no pod is pending or terminating.
func (w *storyWorld) quiet() bool {
	for _, s := range w.sets {
		for _, p := range s.pods {
			if p.DeletionTimestamp != nil || p.Phase != daemonset.PodRunning {
				return false
			}
		}
	}
	return true
}

// printDaemonSets prints `kubectl get daemonsets` for every DaemonSet of the story.
func (w *storyWorld) printDaemonSets() error {
	fmt.Fprintf(w.out, "\n$ kubectl get daemonsets                                      # at %s\n", w.clock())
	rows := make([]daemonSetRow, 0, len(w.sets))
	for _, s := range w.sets {
		rows = append(rows, daemonSetRowOf(*s.ds, s.created))
	}
	return printDaemonSets(w.out, w.now, rows)
}

// printPods prints `kubectl get pods -o wide -L controller-revision-hash` for every pod.
func (w *storyWorld) printPods() error {
	fmt.Fprintf(w.out, "\n$ kubectl get pods -o wide -L controller-revision-hash       # at %s\n", w.clock())
	var rows []podRow
	for _, s := range w.sets {
		for _, p := range s.pods {
			r := podRowOf(p)
			r.IP = w.ips[p.UID]
			rows = append(rows, r)
		}
	}
	return printPodsWide(w.out, w.now, rows, daemonset.RevisionHashLabel)
}

// nodesWithPods lists, sorted, the nodes that run a pod of s that is not being deleted.
func (s *storySet) nodesWithPods() []string {
	var out []string
	for _, p := range s.pods {
		if p.DeletionTimestamp == nil && !slices.Contains(out, p.NodeName) {
			out = append(out, p.NodeName)
		}
	}
	slices.Sort(out)
	return out
}
