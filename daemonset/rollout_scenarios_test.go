package daemonset_test

import (
	"bufio"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/daemonkit/daemonkit/daemonset"
	"github.com/daemonkit/daemonkit/rollout"
	"github.com/daemonkit/daemonkit/selector"
	"pgregory.net/rapid"
)

// The rollout scenarios are files in testdata/rollout in the style of cockroachdb/datadriven: a
// command line, "----", the expected output, then a blank line. `go test -run
// TestRolloutScenarios ./daemonset -rewrite` writes the actual output back into the files for
// review. Every sync runs in upstream's unit-test mode (ObserveImmediate), with pods created
// unready and bound at once, as upstream's fake pod control does.
//
// Commands:
//
//	nodes N                               add N nodes named node-<i>, numbered after the existing ones
//	taint NODE KEY:EFFECT                 add a taint to a node
//	daemonset [strategy=S] [maxUnavailable=V] [maxSurge=V] [minReadySeconds=N] [tolerate=KEY|-] [image=I]
//	                                      create DaemonSet foo (OnDelete, image v1) or change it
//	update image=I                        change the template's image (a new revision hash)
//	clock SECONDS                         set now to the epoch plus SECONDS
//	sync [brief] [expect=C,D]             one Plan + Apply; prints creates and deletes (brief: only
//	                                      their numbers). With expect,
//	                                      a count that differs from upstream's (C creates, D
//	                                      deletes) is printed as MISMATCH and fails the test even
//	                                      under -rewrite
//	mark-ready [count=N] [match=all|new|old|old-alone] [ready=false]
//	                                      set the Ready condition (at now) of pods in (node, name)
//	                                      order, skipping deleting pods and pods already so
//	set-pods from=A to=B [hash=IMAGE] [ready=true|false]
//	                                      change the pods at positions [A, B) in (node, name) order
//	status                                the DaemonSet status
//	pods                                  every pod, by node
func init() {
	if flag.Lookup("rewrite") == nil {
		flag.Bool("rewrite", false, "rewrite the expected output of scenario files")
	}
}

func rewriting() bool {
	f := flag.Lookup("rewrite")
	return f != nil && f.Value.String() == "true"
}

var scenarioEpoch = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)

// block is one command of a scenario file with the lines before it and its expected output.
type block struct {
	pre      []string // comments and blank lines before the command
	cmd      string
	line     int
	expected []string
}

func readScenario(path string) ([]block, []string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, nil, err
	}
	defer f.Close()
	var blocks []block
	var pre []string
	sc := bufio.NewScanner(f)
	lineNo := 0
	next := func() (string, bool) {
		if !sc.Scan() {
			return "", false
		}
		lineNo++
		return sc.Text(), true
	}
	for {
		l, ok := next()
		if !ok {
			break
		}
		if strings.TrimSpace(l) == "" || strings.HasPrefix(l, "#") {
			pre = append(pre, l)
			continue
		}
		b := block{pre: pre, cmd: l, line: lineNo}
		pre = nil
		sep, ok := next()
		if !ok || sep != "----" {
			return nil, nil, fmt.Errorf("%s:%d: want ---- after %q", path, lineNo, l)
		}
		for {
			o, ok := next()
			if !ok || o == "" {
				break
			}
			b.expected = append(b.expected, o)
		}
		blocks = append(blocks, b)
	}
	return blocks, pre, sc.Err()
}

func writeScenario(path string, blocks []block, outputs [][]string, tail []string) error {
	var b strings.Builder
	for i, bl := range blocks {
		for _, l := range bl.pre {
			b.WriteString(l + "\n")
		}
		b.WriteString(bl.cmd + "\n----\n")
		for _, o := range outputs[i] {
			b.WriteString(o + "\n")
		}
		b.WriteString("\n")
	}
	for _, l := range tail {
		b.WriteString(l + "\n")
	}
	return os.WriteFile(path, []byte(strings.TrimRight(b.String(), "\n")+"\n"), 0o644)
}

func TestRolloutScenarios(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("testdata", "rollout", "*.txt"))
	if err != nil {
		t.Fatal(err)
	}
	if len(files) == 0 {
		t.Fatal("no scenario files")
	}
	for _, path := range files {
		t.Run(strings.TrimSuffix(filepath.Base(path), ".txt"), func(t *testing.T) {
			blocks, tail, err := readScenario(path)
			if err != nil {
				t.Fatal(err)
			}
			s := &scenario{now: scenarioEpoch, t: t}
			outputs := make([][]string, len(blocks))
			for i, b := range blocks {
				s.where = fmt.Sprintf("%s:%d", path, b.line)
				out := s.run(b.cmd)
				outputs[i] = out
				if !rewriting() && !slices.Equal(out, b.expected) {
					t.Errorf("%s:%d: %s\nwant:\n%s\ngot:\n%s", path, b.line, b.cmd,
						strings.Join(b.expected, "\n"), strings.Join(out, "\n"))
				}
			}
			if rewriting() {
				if err := writeScenario(path, blocks, outputs, tail); err != nil {
					t.Fatal(err)
				}
			}
		})
	}
}

// scenario is the cluster a scenario file drives.
type scenario struct {
	nodes   []daemonset.Node
	pods    []daemonset.Pod
	ds      *daemonset.DaemonSet
	image   string
	now     time.Time
	memory  daemonset.Memory
	planner daemonset.Planner
	t       *testing.T
	where   string
}

func (s *scenario) hash() string {
	h := s.image
	for _, t := range s.ds.Template.Tolerations {
		h += "+" + t.Key
	}
	return h
}

func (s *scenario) input() daemonset.Input {
	return daemonset.Input{DaemonSet: s.ds, Nodes: s.nodes, Pods: s.pods, Hash: s.hash(), Now: s.now, Memory: s.memory}
}

// args splits a command line into its name, positional arguments and key=value arguments.
func args(line string) (string, []string, map[string]string) {
	fields := strings.Fields(line)
	kv := map[string]string{}
	var pos []string
	for _, f := range fields[1:] {
		if k, v, ok := strings.Cut(f, "="); ok {
			kv[k] = v
		} else {
			pos = append(pos, f)
		}
	}
	return fields[0], pos, kv
}

func (s *scenario) run(line string) []string {
	name, pos, kv := args(line)
	var out []string
	var err error
	switch name {
	case "nodes":
		err = s.addNodes(pos)
	case "taint":
		err = s.taint(pos)
	case "daemonset", "update":
		err = s.changeDaemonSet(kv)
	case "clock":
		var sec int
		if len(pos) != 1 {
			err = fmt.Errorf("clock SECONDS")
		} else if sec, err = strconv.Atoi(pos[0]); err == nil {
			s.now = scenarioEpoch.Add(time.Duration(sec) * time.Second)
		}
	case "sync":
		out = s.sync(kv["expect"], slices.Contains(pos, "brief"))
	case "mark-ready":
		err = s.markReady(kv)
	case "set-pods":
		err = s.setPods(kv)
	case "status":
		out = s.status()
	case "pods":
		out = s.listPods()
	default:
		err = fmt.Errorf("unknown command %q", name)
	}
	if err != nil {
		return []string{"error: " + err.Error()}
	}
	if len(out) == 0 {
		return []string{"ok"}
	}
	return out
}

func (s *scenario) addNodes(pos []string) error {
	if len(pos) != 1 {
		return fmt.Errorf("nodes N")
	}
	n, err := strconv.Atoi(pos[0])
	if err != nil {
		return err
	}
	start := len(s.nodes)
	for i := start; i < start+n; i++ {
		s.nodes = append(s.nodes, daemonset.Node{Name: "node-" + strconv.Itoa(i)})
	}
	return nil
}

func (s *scenario) taint(pos []string) error {
	if len(pos) != 2 {
		return fmt.Errorf("taint NODE KEY:EFFECT")
	}
	key, effect, _ := strings.Cut(pos[1], ":")
	for i := range s.nodes {
		if s.nodes[i].Name == pos[0] {
			s.nodes[i].Taints = append(slices.Clone(s.nodes[i].Taints), selector.Taint{Key: key, Effect: selector.TaintEffect(effect)})
			return nil
		}
	}
	return fmt.Errorf("no node %q", pos[0])
}

func (s *scenario) changeDaemonSet(kv map[string]string) error {
	if s.ds == nil {
		labels := map[string]string{"name": "simple-daemon", "type": "production"}
		limit := int32(10)
		s.ds = &daemonset.DaemonSet{
			Name: "foo", Namespace: "default", UID: "uid-foo",
			Selector:             &selector.LabelSelector{MatchLabels: labels},
			Template:             daemonset.PodTemplate{Labels: labels, RestartPolicy: "Always"},
			UpdateStrategy:       daemonset.UpdateStrategy{Type: daemonset.OnDeleteStrategy},
			RevisionHistoryLimit: &limit,
		}
		s.image = "v1"
	}
	ds := *s.ds // change a copy: Apply's results share the old one
	ds.Generation++
	us := ds.UpdateStrategy
	if us.RollingUpdate != nil {
		ru := *us.RollingUpdate
		us.RollingUpdate = &ru
	}
	for k, v := range kv {
		switch k {
		case "strategy":
			us.Type = daemonset.StrategyType(v)
			if us.Type == daemonset.RollingUpdateStrategy && us.RollingUpdate == nil {
				us.RollingUpdate = &daemonset.RollingUpdate{}
			}
		case "maxUnavailable", "maxSurge":
			iop, err := rollout.ParseIntOrPercent(v)
			if err != nil {
				return fmt.Errorf("%s: %w", k, err)
			}
			if us.RollingUpdate == nil {
				us.RollingUpdate = &daemonset.RollingUpdate{}
			}
			if k == "maxUnavailable" {
				us.RollingUpdate.MaxUnavailable = &iop
			} else {
				us.RollingUpdate.MaxSurge = &iop
			}
		case "minReadySeconds":
			n, err := strconv.Atoi(v)
			if err != nil {
				return fmt.Errorf("minReadySeconds: %w", err)
			}
			ds.MinReadySeconds = int32(n)
		case "tolerate":
			if v == "-" {
				ds.Template.Tolerations = nil
			} else {
				ds.Template.Tolerations = []selector.Toleration{{Key: v, Operator: selector.TolerationExists}}
			}
		case "image":
			s.image = v
		default:
			return fmt.Errorf("unknown argument %q", k)
		}
	}
	ds.UpdateStrategy = us
	s.ds = &ds
	return nil
}

// sortedPods returns the indices of the pods in (node, name) order.
func (s *scenario) sortedPods() []int {
	idx := make([]int, len(s.pods))
	for i := range idx {
		idx[i] = i
	}
	slices.SortFunc(idx, func(a, b int) int {
		if c := strings.Compare(s.pods[a].NodeName, s.pods[b].NodeName); c != 0 {
			return c
		}
		return strings.Compare(s.pods[a].Name, s.pods[b].Name)
	})
	return idx
}

func (s *scenario) setReady(p *daemonset.Pod, ready bool) {
	p.Ready = daemonset.ConditionFalse
	if ready {
		p.Ready = daemonset.ConditionTrue
	}
	p.ReadySince = s.now
}

func (s *scenario) markReady(kv map[string]string) error {
	count := -1
	if v, ok := kv["count"]; ok {
		n, err := strconv.Atoi(v)
		if err != nil {
			return err
		}
		count = n
	}
	ready := kv["ready"] != "false"
	match := kv["match"]
	hash := s.hash()
	hasNew := map[string]bool{}
	for _, p := range s.pods {
		if p.Labels[daemonset.RevisionHashLabel] == hash {
			hasNew[p.NodeName] = true
		}
	}
	s.pods = slices.Clone(s.pods)
	marked := 0
	for _, i := range s.sortedPods() {
		if count >= 0 && marked == count {
			break
		}
		p := &s.pods[i]
		isNew := p.Labels[daemonset.RevisionHashLabel] == hash
		if p.DeletionTimestamp != nil || daemonset.IsPodReady(p) == ready {
			continue
		}
		switch match {
		case "", "all":
		case "new":
			if !isNew {
				continue
			}
		case "old":
			if isNew {
				continue
			}
		case "old-alone":
			if isNew || hasNew[p.NodeName] {
				continue
			}
		default:
			return fmt.Errorf("unknown match %q", match)
		}
		s.setReady(p, ready)
		marked++
	}
	if count >= 0 && marked < count {
		return fmt.Errorf("marked only %d of %d pods", marked, count)
	}
	return nil
}

func (s *scenario) setPods(kv map[string]string) error {
	from, err := strconv.Atoi(kv["from"])
	if err != nil {
		return fmt.Errorf("from: %w", err)
	}
	to, err := strconv.Atoi(kv["to"])
	if err != nil {
		return fmt.Errorf("to: %w", err)
	}
	order := s.sortedPods()
	if from < 0 || to > len(order) || from > to {
		return fmt.Errorf("range [%d, %d) outside %d pods", from, to, len(order))
	}
	s.pods = slices.Clone(s.pods)
	for _, i := range order[from:to] {
		p := &s.pods[i]
		if h, ok := kv["hash"]; ok {
			labels := make(map[string]string, len(p.Labels))
			for k, v := range p.Labels {
				labels[k] = v
			}
			labels[daemonset.RevisionHashLabel] = h
			p.Labels = labels
		}
		if r, ok := kv["ready"]; ok {
			s.setReady(p, r == "true")
		}
	}
	return nil
}

func (s *scenario) sync(expect string, brief bool) []string {
	in := s.input()
	res, err := s.planner.Plan(in, daemonset.Options{Observe: daemonset.ObserveImmediate})
	out := []string{fmt.Sprintf("creates=%d deletes=%d", len(res.Creates), len(res.Deletes))}
	for _, c := range res.Creates {
		if !brief {
			out = append(out, fmt.Sprintf("  create on %s: %s", c.Node, c.Reason))
		}
	}
	for _, d := range res.Deletes {
		if !brief {
			out = append(out, fmt.Sprintf("  delete %s (%s): %s", d.Pod, d.Kind, d.Reason))
		}
	}
	if res.Deferred != (daemonset.Deferred{}) {
		out = append(out, fmt.Sprintf("  deferred: creates=%d deletes=%d", res.Deferred.Creates, res.Deferred.Deletes))
	}
	if err != nil {
		out = append(out, "  error: "+err.Error())
	}
	if expect != "" {
		if got := fmt.Sprintf("%d,%d", len(res.Creates), len(res.Deletes)); got != expect {
			out = append(out, fmt.Sprintf("  MISMATCH: upstream expects (creates,deletes) = (%s), got (%s)", expect, got))
			s.t.Errorf("%s: upstream expects (creates,deletes) = (%s), got (%s)", s.where, expect, got)
		}
	}
	next := daemonset.Apply(in, res, daemonset.ApplyOptions{})
	s.ds, s.pods, s.memory = next.DaemonSet, next.Pods, next.Memory
	return out
}

func (s *scenario) status() []string {
	st := s.ds.Status
	return []string{fmt.Sprintf("desired=%d current=%d misscheduled=%d ready=%d available=%d updated=%d unavailable=%d",
		st.DesiredNumberScheduled, st.CurrentNumberScheduled, st.NumberMisscheduled, st.NumberReady,
		st.NumberAvailable, st.UpdatedNumberScheduled, st.NumberUnavailable)}
}

func (s *scenario) listPods() []string {
	var out []string
	hash := s.hash()
	for _, i := range s.sortedPods() {
		p := &s.pods[i]
		rev := "old"
		if p.Labels[daemonset.RevisionHashLabel] == hash {
			rev = "new"
		}
		ready := "unready"
		if daemonset.IsPodReady(p) {
			ready = "ready"
			if daemonset.IsPodAvailable(p, s.ds.MinReadySeconds, s.now) {
				ready = "available"
			}
		}
		out = append(out, fmt.Sprintf("%s: %s %s(%s) %s", p.NodeName, p.Name, rev, p.Labels[daemonset.RevisionHashLabel], ready))
	}
	return out
}

// TestPropRolloutBudgetAndProgress: from a fully available cluster, a template change rolls out
// without ever leaving more than maxUnavailable desired nodes without an available pod, or more
// than maxSurge nodes with two pods, and finishes within ceil(desired/budget)+2 waves, a wave being
// syncs until one issues nothing, after which every pod becomes ready. Both observe modes.
func TestPropRolloutBudgetAndProgress(t *testing.T) {
	rapid.Check(t, func(rt *rapid.T) {
		n := rapid.IntRange(1, 25).Draw(rt, "nodes")
		s := &scenario{now: scenarioEpoch, t: t}
		must := func(line string) {
			if out := s.run(line); len(out) > 0 && strings.HasPrefix(out[0], "error") {
				rt.Fatalf("%s: %v", line, out)
			}
		}
		must("nodes " + strconv.Itoa(n))
		must("daemonset strategy=OnDelete")
		mode := daemonset.ObserveNone
		if rapid.Bool().Draw(rt, "immediate") {
			mode = daemonset.ObserveImmediate
		}
		syncOnce := func() bool {
			in := s.input()
			res, err := s.planner.Plan(in, daemonset.Options{Observe: mode})
			if err != nil {
				rt.Fatalf("plan: %v", err)
			}
			next := daemonset.Apply(in, res, daemonset.ApplyOptions{})
			s.ds, s.pods, s.memory = next.DaemonSet, next.Pods, next.Memory
			return len(res.Creates)+len(res.Deletes) > 0
		}
		for syncOnce() {
		}
		must("mark-ready")

		value := func(label string) string {
			if rapid.Bool().Draw(rt, label+" percent") {
				return strconv.Itoa(rapid.IntRange(1, 100).Draw(rt, label+" %")) + "%"
			}
			return strconv.Itoa(rapid.IntRange(1, 6).Draw(rt, label))
		}
		surge := rapid.Bool().Draw(rt, "surge")
		if surge {
			must("update image=v2 strategy=RollingUpdate maxUnavailable=0 maxSurge=" + value("maxSurge"))
		} else {
			must("update image=v2 strategy=RollingUpdate maxUnavailable=" + value("maxUnavailable"))
		}
		ru := s.ds.UpdateStrategy.RollingUpdate
		strat := rollout.Strategy{Type: rollout.RollingUpdate, HasRollingUpdate: true, MaxUnavailable: ru.MaxUnavailable, MaxSurge: ru.MaxSurge}
		maxSurge, maxUnavailable, err := strat.Budget(n)
		if err != nil {
			rt.Fatal(err)
		}
		budget := max(maxSurge, maxUnavailable)
		check := func(when string) {
			perNode := map[string][]*daemonset.Pod{}
			for i := range s.pods {
				perNode[s.pods[i].NodeName] = append(perNode[s.pods[i].NodeName], &s.pods[i])
			}
			withoutAvailable, withTwo := 0, 0
			for _, node := range s.nodes {
				avail := false
				for _, p := range perNode[node.Name] {
					avail = avail || daemonset.IsPodAvailable(p, s.ds.MinReadySeconds, s.now)
				}
				if !avail {
					withoutAvailable++
				}
				if len(perNode[node.Name]) >= 2 {
					withTwo++
				}
			}
			if withoutAvailable > maxUnavailable {
				rt.Fatalf("%s: %d nodes without an available pod, maxUnavailable %d\n%s", when, withoutAvailable, maxUnavailable, strings.Join(s.listPods(), "\n"))
			}
			if withTwo > maxSurge {
				rt.Fatalf("%s: %d nodes with two pods, maxSurge %d\n%s", when, withTwo, maxSurge, strings.Join(s.listPods(), "\n"))
			}
		}
		done := func() bool {
			if len(s.pods) != n {
				return false
			}
			for i := range s.pods {
				if s.pods[i].Labels[daemonset.RevisionHashLabel] != s.hash() || !daemonset.IsPodReady(&s.pods[i]) {
					return false
				}
			}
			return true
		}
		limit := (n+budget-1)/budget + 2
		waves := 0
		for !done() {
			waves++
			if waves > limit {
				rt.Fatalf("not done after %d waves (n=%d, budget %d, surge %v, %s)\n%s", limit, n, budget, surge, mode, strings.Join(s.listPods(), "\n"))
			}
			for i := 0; ; i++ {
				if i == 10 {
					rt.Fatalf("wave %d does not settle", waves)
				}
				acted := syncOnce()
				check(fmt.Sprintf("wave %d sync %d", waves, i+1))
				if !acted {
					break
				}
			}
			must("mark-ready")
		}
	})
}
