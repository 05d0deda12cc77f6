package kube

import (
	"errors"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"time"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	"sigs.k8s.io/yaml"

	"github.com/daemonkit/daemonkit/daemonset"
	"github.com/daemonkit/daemonkit/rollout"
	"github.com/daemonkit/daemonkit/selector"
	"github.com/daemonkit/daemonkit/simulate"
)

// ScenarioAPIVersion and ScenarioKind identify a daemonkit scenario file.
const (
	ScenarioAPIVersion = "daemonkit.io/v1alpha1"
	ScenarioKind       = "Scenario"
)

// scenarioFile is the YAML form of a simulate.Scenario. Every field is optional except
// apiVersion, kind and the DaemonSet; unknown fields are errors.
type scenarioFile struct {
	APIVersion string `json:"apiVersion"`
	Kind       string `json:"kind"`
	Metadata   struct {
		Name string `json:"name"`
	} `json:"metadata"`
	// Model is a preset applied before the explicit models: "realCluster" (default) or
	// "upstreamRollouts".
	Model       string             `json:"model,omitempty"`
	Duration    *duration          `json:"duration,omitempty"`
	KeepRunning bool               `json:"keepRunning,omitempty"`
	DaemonSet   fileRef            `json:"daemonset"`
	Nodes       nodesSpec          `json:"nodes"`
	Pods        *fileRef           `json:"pods,omitempty"`
	InitialPods string             `json:"initialPods,omitempty"`
	CrashProb   float64            `json:"crashProbability,omitempty"`
	Controller  *controllerSpec    `json:"controller,omitempty"`
	API         *apiSpec           `json:"api,omitempty"`
	PodModel    *podModelSpec      `json:"podModel,omitempty"`
	NodeModel   *nodeModelSpec     `json:"nodeModel,omitempty"`
	Events      []eventSpec        `json:"events,omitempty"`
	Rates       []rateSpec         `json:"rates,omitempty"`
	Upstream    *upstreamModelSpec `json:"upstreamRollouts,omitempty"`
}

type fileRef struct {
	File string `json:"file"`
}

type nodesSpec struct {
	File     string        `json:"file,omitempty"`
	Generate *generateSpec `json:"generate,omitempty"`
}

// generateSpec makes count nodes named prefix-0 ... The label and taint fractions are applied by
// position, not at random, so the same file always gives the same cluster: a label value with
// weight w goes to a share w of the nodes, in order; a taint with fraction f to every node where
// floor((i+1)f) > floor(if).
type generateSpec struct {
	Count  int               `json:"count"`
	Prefix string            `json:"prefix,omitempty"`
	Labels map[string]string `json:"labels,omitempty"`
	// Distributions maps a label key to value weights, e.g. zone: {a: 2, b: 1}.
	Distributions map[string]map[string]float64 `json:"distributions,omitempty"`
	Taints        []taintSpec                   `json:"taints,omitempty"`
}

type taintSpec struct {
	Key      string  `json:"key"`
	Value    string  `json:"value,omitempty"`
	Effect   string  `json:"effect"`
	Fraction float64 `json:"fraction,omitempty"`
}

type upstreamModelSpec struct {
	SyncPeriod     duration `json:"syncPeriod"`
	ReadyAfter     duration `json:"readyAfter"`
	TerminateAfter duration `json:"terminateAfter,omitempty"`
}

type controllerSpec struct {
	SyncPeriod    *duration `json:"syncPeriod,omitempty"`
	EventDelay    *duration `json:"eventDelay,omitempty"`
	ResyncPeriod  *duration `json:"resyncPeriod,omitempty"`
	BurstReplicas int       `json:"burstReplicas,omitempty"`
	Observe       string    `json:"observe,omitempty"`
	InformerLag   *dist     `json:"informerLag,omitempty"`
	NoSlowStart   bool      `json:"noSlowStart,omitempty"`
	Paused        bool      `json:"paused,omitempty"`
}

type apiSpec struct {
	QPS             *float64 `json:"qps,omitempty"`
	Burst           *int     `json:"burst,omitempty"`
	CreateLatency   *dist    `json:"createLatency,omitempty"`
	DeleteLatency   *dist    `json:"deleteLatency,omitempty"`
	CreateErrorRate float64  `json:"createErrorRate,omitempty"`
	DeleteErrorRate float64  `json:"deleteErrorRate,omitempty"`
}

type podModelSpec struct {
	ScheduleLatency   *dist     `json:"scheduleLatency,omitempty"`
	StartLatency      *dist     `json:"startLatency,omitempty"`
	ReadyLatency      *dist     `json:"readyLatency,omitempty"`
	ReadyFromCreation *duration `json:"readyFromCreation,omitempty"`
	Termination       *dist     `json:"termination,omitempty"`
	CrashProbability  float64   `json:"crashProbability,omitempty"`
	CrashAfter        *dist     `json:"crashAfter,omitempty"`
	FlapRate          float64   `json:"flapRate,omitempty"`
	FlapDuration      *dist     `json:"flapDuration,omitempty"`
}

type nodeModelSpec struct {
	JoinNotReady *dist    `json:"joinNotReady,omitempty"`
	PodGCDelay   duration `json:"podGCDelay,omitempty"`
	UnboundGrace duration `json:"unboundGrace,omitempty"`
}

type eventSpec struct {
	At   duration `json:"at"`
	Kind string   `json:"kind"`
	Node string   `json:"node,omitempty"`
	// Labels and Taints of a joining node, labels to set or remove.
	Labels map[string]string `json:"labels,omitempty"`
	Taints []taintSpec       `json:"taints,omitempty"`
	Taint  *taintSpec        `json:"taint,omitempty"`
	// Update: a new image for the first container (or Container), or a whole new DaemonSet file.
	Image            string        `json:"image,omitempty"`
	Container        string        `json:"container,omitempty"`
	DaemonSet        string        `json:"daemonset,omitempty"`
	CrashProbability float64       `json:"crashProbability,omitempty"`
	Strategy         *strategySpec `json:"strategy,omitempty"`
	MinReadySeconds  int32         `json:"minReadySeconds,omitempty"`
	For              duration      `json:"for,omitempty"`
}

type strategySpec struct {
	Type           string `json:"type"`
	MaxUnavailable string `json:"maxUnavailable,omitempty"`
	MaxSurge       string `json:"maxSurge,omitempty"`
}

type rateSpec struct {
	Kind    string            `json:"kind"`
	PerHour float64           `json:"perHour"`
	From    duration          `json:"from,omitempty"`
	To      duration          `json:"to,omitempty"`
	For     *dist             `json:"for,omitempty"`
	Node    string            `json:"node,omitempty"`
	Labels  map[string]string `json:"labels,omitempty"`
	Taint   *taintSpec        `json:"taint,omitempty"`
}

// duration is a Go duration string ("1m30s") in YAML.
type duration time.Duration

func (d *duration) UnmarshalJSON(b []byte) error {
	s, err := strconv.Unquote(string(b))
	if err != nil {
		return fmt.Errorf("want a duration string such as \"10s\", got %s", b)
	}
	v, err := time.ParseDuration(s)
	if err != nil {
		return err
	}
	*d = duration(v)
	return nil
}

// dist is a latency distribution: a duration string (fixed) or an object.
type dist struct {
	Kind   string     `json:"kind"`
	Value  duration   `json:"value,omitempty"`
	Min    duration   `json:"min,omitempty"`
	Max    duration   `json:"max,omitempty"`
	Median duration   `json:"median,omitempty"`
	Sigma  float64    `json:"sigma,omitempty"`
	Values []duration `json:"values,omitempty"`
}

func (d *dist) UnmarshalJSON(b []byte) error {
	if len(b) > 0 && b[0] == '"' {
		var v duration
		if err := v.UnmarshalJSON(b); err != nil {
			return err
		}
		*d = dist{Kind: string(simulate.DistFixed), Value: v}
		return nil
	}
	type plain dist
	var p plain
	if err := yaml.UnmarshalStrict(b, &p); err != nil {
		return err
	}
	*d = dist(p)
	return nil
}

func (d *dist) model() simulate.Dist {
	if d == nil {
		return simulate.Dist{}
	}
	out := simulate.Dist{Kind: simulate.DistKind(d.Kind), Value: time.Duration(d.Value), Min: time.Duration(d.Min),
		Max: time.Duration(d.Max), Median: time.Duration(d.Median), Sigma: d.Sigma}
	for _, v := range d.Values {
		out.Values = append(out.Values, time.Duration(v))
	}
	return out
}

// LoadScenario reads a scenario file (apiVersion daemonkit.io/v1alpha1, kind Scenario) and the
// manifests it names (paths relative to the file), and returns the scenario simulate runs.
// Revision hashes are upstream's (ComputeHash of the defaulted template), so a rollout to a new
// image gets the hash the real controller would give it.
func LoadScenario(path string) (simulate.Scenario, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return simulate.Scenario{}, fmt.Errorf("scenario: %w", err)
	}
	sc, err := DecodeScenario(path, data, filepath.Dir(path))
	if err != nil {
		return simulate.Scenario{}, err
	}
	return sc, nil
}

// DecodeScenario decodes a scenario file's bytes; dir is where relative manifest paths start.
// name is only used in errors.
func DecodeScenario(name string, data []byte, dir string) (simulate.Scenario, error) {
	// apiVersion and kind first, so that another kind of file (a DaemonSet given by mistake) is
	// named as such rather than reported by its first field a scenario does not have.
	var head struct {
		APIVersion string `json:"apiVersion"`
		Kind       string `json:"kind"`
	}
	if err := yaml.Unmarshal(data, &head); err == nil {
		if err := checkScenarioHead(head.APIVersion, head.Kind); err != nil {
			return simulate.Scenario{}, fmt.Errorf("%s: %w", name, err)
		}
	}
	var f scenarioFile
	if err := yaml.UnmarshalStrict(data, &f); err != nil {
		return simulate.Scenario{}, fmt.Errorf("%s: %w", name, err)
	}
	sc, err := f.build(dir)
	if err != nil {
		return simulate.Scenario{}, fmt.Errorf("%s: %w", name, err)
	}
	if err := sc.Validate(); err != nil {
		return simulate.Scenario{}, fmt.Errorf("%s: %w", name, err)
	}
	return sc, nil
}

// checkScenarioHead reports a file that is not a daemonkit scenario.
func checkScenarioHead(apiVersion, kind string) error {
	if apiVersion != ScenarioAPIVersion {
		return fmt.Errorf("apiVersion: unsupported value %q: want %s (kind %s)", apiVersion, ScenarioAPIVersion, ScenarioKind)
	}
	if kind != ScenarioKind {
		return fmt.Errorf("kind: unsupported value %q: want %s", kind, ScenarioKind)
	}
	return nil
}

func (f *scenarioFile) build(dir string) (simulate.Scenario, error) {
	var sc simulate.Scenario
	if err := checkScenarioHead(f.APIVersion, f.Kind); err != nil {
		return sc, err
	}
	if f.DaemonSet.File == "" {
		return sc, errors.New("daemonset.file: required")
	}
	dsK, err := LoadDaemonSet(resolve(dir, f.DaemonSet.File), DecodeOptions{})
	if err != nil {
		return sc, fmt.Errorf("daemonset: %w", err)
	}
	ds, err := DaemonSetFromKube(dsK)
	if err != nil {
		return sc, fmt.Errorf("daemonset: %w", err)
	}
	if ds.UID == "" {
		ds.UID = "uid-" + ds.Name
	}
	if ds.Generation == 0 {
		ds.Generation = 1
	}
	if _, ok := ds.Annotations[daemonset.TemplateGenerationAnnotation]; !ok {
		if ds.Annotations == nil {
			ds.Annotations = map[string]string{}
		}
		ds.Annotations[daemonset.TemplateGenerationAnnotation] = strconv.FormatInt(ds.Generation, 10)
	}
	if err := ValidateDaemonSet(ds); err != nil {
		return sc, fmt.Errorf("daemonset: %s: %w", f.DaemonSet.File, err)
	}
	rev := simulate.Revision{Name: imageOf(&dsK.Spec.Template, ""), Hash: ComputeHash(&dsK.Spec.Template, dsK.Status.CollisionCount), CrashProbability: f.CrashProb}
	nodes, err := f.Nodes.build(dir)
	if err != nil {
		return sc, err
	}
	sc = simulate.NewScenario(f.Metadata.Name, *ds, rev, nodes...)
	switch f.Model {
	case "", "realCluster":
		sc = sc.RealCluster()
	case "upstreamRollouts":
		u := f.Upstream
		if u == nil {
			return sc, errors.New("upstreamRollouts: required when model is upstreamRollouts (syncPeriod, readyAfter, terminateAfter)")
		}
		sc = sc.UpstreamRollouts(time.Duration(u.SyncPeriod), time.Duration(u.ReadyAfter), time.Duration(u.TerminateAfter))
	default:
		return sc, fmt.Errorf("model: unsupported value %q: want realCluster or upstreamRollouts", f.Model)
	}
	if f.Duration != nil {
		sc.Duration = time.Duration(*f.Duration)
	}
	sc.KeepRunning = f.KeepRunning
	sc.InitialPods = simulate.InitialPods(f.InitialPods)
	if f.Pods != nil {
		podsK, err := LoadPods(resolve(dir, f.Pods.File), DecodeOptions{})
		if err != nil {
			return sc, fmt.Errorf("pods: %w", err)
		}
		pods, err := PodsFromKube(podsK)
		if err != nil {
			return sc, fmt.Errorf("pods: %w", err)
		}
		sc.Pods = pods
		if sc.InitialPods == "" {
			sc.InitialPods = simulate.PodsListed
		}
	}
	f.applyModels(&sc)
	for i, e := range f.Events {
		ev, err := e.build(dir, dsK)
		if err != nil {
			return sc, fmt.Errorf("events[%d]: %w", i, err)
		}
		sc = sc.At(time.Duration(e.At), ev)
	}
	for i, r := range f.Rates {
		rt := simulate.Rate{Kind: simulate.EventKind(r.Kind), PerHour: r.PerHour, From: time.Duration(r.From), To: time.Duration(r.To), For: r.For.model()}
		rt.Template.Node = r.Node
		if r.Kind == string(simulate.EventNodeJoin) {
			rt.Template.NewNode = &daemonset.Node{Labels: r.Labels}
		} else {
			rt.Template.Labels = r.Labels
		}
		if r.Taint != nil {
			t, err := r.Taint.model()
			if err != nil {
				return sc, fmt.Errorf("rates[%d].taint: %w", i, err)
			}
			rt.Template.Taint = t
		}
		sc.Rates = append(sc.Rates, rt)
	}
	return sc, nil
}

func (f *scenarioFile) applyModels(sc *simulate.Scenario) {
	if c := f.Controller; c != nil {
		if c.SyncPeriod != nil {
			sc.Controller.SyncPeriod = time.Duration(*c.SyncPeriod)
		}
		if c.EventDelay != nil {
			sc.Controller.EventDelay = time.Duration(*c.EventDelay)
		}
		if c.ResyncPeriod != nil {
			sc.Controller.ResyncPeriod = time.Duration(*c.ResyncPeriod)
		}
		if c.BurstReplicas != 0 {
			sc.Controller.BurstReplicas = c.BurstReplicas
		}
		sc.Controller.Observe = simulate.ObserveMode(c.Observe)
		if c.InformerLag != nil {
			sc.Controller.InformerLag = c.InformerLag.model()
		}
		sc.Controller.NoSlowStart = c.NoSlowStart
		sc.Controller.Paused = c.Paused
	}
	if a := f.API; a != nil {
		if a.QPS != nil {
			sc.API.QPS = *a.QPS
		}
		if a.Burst != nil {
			sc.API.Burst = *a.Burst
		}
		if a.CreateLatency != nil {
			sc.API.CreateLatency = a.CreateLatency.model()
		}
		if a.DeleteLatency != nil {
			sc.API.DeleteLatency = a.DeleteLatency.model()
		}
		sc.API.CreateErrorRate, sc.API.DeleteErrorRate = a.CreateErrorRate, a.DeleteErrorRate
	}
	if p := f.PodModel; p != nil {
		set := func(dst *simulate.Dist, d *dist) {
			if d != nil {
				*dst = d.model()
			}
		}
		set(&sc.PodModel.ScheduleLatency, p.ScheduleLatency)
		set(&sc.PodModel.StartLatency, p.StartLatency)
		set(&sc.PodModel.ReadyLatency, p.ReadyLatency)
		set(&sc.PodModel.Termination, p.Termination)
		set(&sc.PodModel.CrashAfter, p.CrashAfter)
		set(&sc.PodModel.FlapDuration, p.FlapDuration)
		if p.ReadyFromCreation != nil {
			d := time.Duration(*p.ReadyFromCreation)
			sc.PodModel.ReadyFromCreation = &d
		}
		sc.PodModel.CrashProbability = p.CrashProbability
		sc.PodModel.FlapRate = p.FlapRate
	}
	if n := f.NodeModel; n != nil {
		if n.JoinNotReady != nil {
			sc.NodeModel.JoinNotReady = n.JoinNotReady.model()
		}
		sc.NodeModel.PodGCDelay = time.Duration(n.PodGCDelay)
		sc.NodeModel.UnboundGrace = time.Duration(n.UnboundGrace)
	}
}

func resolve(dir, p string) string {
	if filepath.IsAbs(p) {
		return p
	}
	return filepath.Join(dir, p)
}

func (n *nodesSpec) build(dir string) ([]daemonset.Node, error) {
	switch {
	case n.File != "" && n.Generate != nil:
		return nil, errors.New("nodes: set file or generate, not both")
	case n.File != "":
		nodesK, err := LoadNodes(resolve(dir, n.File), DecodeOptions{})
		if err != nil {
			return nil, fmt.Errorf("nodes: %w", err)
		}
		return NodesFromKube(nodesK)
	case n.Generate != nil:
		return n.Generate.build()
	}
	return nil, errors.New("nodes: required: a file or generate")
}

// maxGenerated bounds a generated cluster, so that a typo cannot ask for a billion nodes.
const maxGenerated = 1_000_000

func (g *generateSpec) build() ([]daemonset.Node, error) {
	if g.Count <= 0 || g.Count > maxGenerated {
		return nil, fmt.Errorf("nodes.generate.count: must be between 1 and %d, got %d", maxGenerated, g.Count)
	}
	prefix := g.Prefix
	if prefix == "" {
		prefix = "node"
	}
	nodes := simulate.Nodes(prefix, g.Count, g.Labels)
	keys := make([]string, 0, len(g.Distributions))
	for k := range g.Distributions {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, key := range keys {
		weights := g.Distributions[key]
		values := make([]string, 0, len(weights))
		total := 0.0
		for v, w := range weights {
			if !(w >= 0) {
				return nil, fmt.Errorf("nodes.generate.distributions[%s][%s]: weight must be >= 0", key, v)
			}
			values = append(values, v)
			total += w
		}
		if total <= 0 {
			return nil, fmt.Errorf("nodes.generate.distributions[%s]: weights must add up to more than 0", key)
		}
		sort.Strings(values)
		for i := range nodes {
			pos := (float64(i) + 0.5) / float64(len(nodes)) * total
			acc := 0.0
			for _, v := range values {
				acc += weights[v]
				if pos < acc {
					nodes[i].Labels[key] = v
					break
				}
			}
		}
	}
	for ti, t := range g.Taints {
		taint, err := t.model()
		if err != nil {
			return nil, fmt.Errorf("nodes.generate.taints[%d]: %w", ti, err)
		}
		if !(t.Fraction >= 0 && t.Fraction <= 1) {
			return nil, fmt.Errorf("nodes.generate.taints[%d].fraction: must be between 0 and 1", ti)
		}
		for i := range nodes {
			if int(float64(i+1)*t.Fraction) > int(float64(i)*t.Fraction) {
				nodes[i].Taints = append(nodes[i].Taints, taint)
			}
		}
	}
	return nodes, nil
}

func (t *taintSpec) model() (selector.Taint, error) {
	if t.Key == "" {
		return selector.Taint{}, errors.New("key: required")
	}
	switch selector.TaintEffect(t.Effect) {
	case selector.NoSchedule, selector.PreferNoSchedule, selector.NoExecute:
	default:
		return selector.Taint{}, fmt.Errorf("effect: unsupported value %q: want NoSchedule, PreferNoSchedule or NoExecute", t.Effect)
	}
	return selector.Taint{Key: t.Key, Value: t.Value, Effect: selector.TaintEffect(t.Effect)}, nil
}

func (e *eventSpec) build(dir string, base *appsv1.DaemonSet) (simulate.Event, error) {
	ev := simulate.Event{Kind: simulate.EventKind(e.Kind), Node: e.Node, Labels: e.Labels, MinReadySeconds: e.MinReadySeconds, For: time.Duration(e.For)}
	if e.Taint != nil {
		t, err := e.Taint.model()
		if err != nil {
			return ev, fmt.Errorf("taint: %w", err)
		}
		ev.Taint = t
	}
	switch ev.Kind {
	case simulate.EventNodeJoin:
		n := daemonset.Node{Name: e.Node, Labels: maps.Clone(e.Labels)}
		for i, ts := range e.Taints {
			t, err := ts.model()
			if err != nil {
				return ev, fmt.Errorf("taints[%d]: %w", i, err)
			}
			n.Taints = append(n.Taints, t)
		}
		ev.NewNode, ev.Labels = &n, nil
	case simulate.EventUpdate:
		rev, err := e.revision(dir, base)
		if err != nil {
			return ev, err
		}
		ev.Revision = rev
	case simulate.EventStrategy:
		if e.Strategy == nil {
			return ev, errors.New("strategy: required for Strategy")
		}
		st, err := e.Strategy.model()
		if err != nil {
			return ev, fmt.Errorf("strategy: %w", err)
		}
		ev.Strategy = &st
	}
	return ev, nil
}

// revision builds the new revision of an Update event: a new image for a container of the base
// DaemonSet, or a whole DaemonSet file; the hash is upstream's.
func (e *eventSpec) revision(dir string, base *appsv1.DaemonSet) (*simulate.Revision, error) {
	var next *appsv1.DaemonSet
	switch {
	case e.DaemonSet != "" && e.Image != "":
		return nil, errors.New("set image or daemonset, not both")
	case e.DaemonSet != "":
		ds, err := LoadDaemonSet(resolve(dir, e.DaemonSet), DecodeOptions{})
		if err != nil {
			return nil, fmt.Errorf("daemonset: %w", err)
		}
		// The event applies the file's template to the scenario's DaemonSet: a file that
		// names another DaemonSet or changes the selector would be simulated as something else.
		if err := ValidateDaemonSetUpdate(base, ds); err != nil {
			return nil, fmt.Errorf("daemonset: %s: %w", e.DaemonSet, err)
		}
		next = ds
	case e.Image != "":
		next = base.DeepCopy()
		cs := next.Spec.Template.Spec.Containers
		i := 0
		if e.Container != "" {
			i = -1
			for j := range cs {
				if cs[j].Name == e.Container {
					i = j
				}
			}
		}
		if i < 0 || i >= len(cs) {
			return nil, fmt.Errorf("container: no container %q in the DaemonSet's template", e.Container)
		}
		cs[i].Image = e.Image
	default:
		return nil, errors.New("image or daemonset: required for Update")
	}
	model, err := DaemonSetFromKube(next)
	if err != nil {
		return nil, err
	}
	// The API server refuses an update it would refuse a create for: a template whose labels
	// leave the selector, a bad strategy.
	if err := ValidateDaemonSet(model); err != nil {
		if e.DaemonSet != "" {
			return nil, fmt.Errorf("daemonset: %s: %w", e.DaemonSet, err)
		}
		return nil, fmt.Errorf("image %q: %w", e.Image, err)
	}
	tmpl := model.Template
	return &simulate.Revision{
		Name:             imageOf(&next.Spec.Template, e.Container),
		Hash:             ComputeHash(&next.Spec.Template, next.Status.CollisionCount),
		CrashProbability: e.CrashProbability,
		Template:         &tmpl,
	}, nil
}

func imageOf(t *corev1.PodTemplateSpec, container string) string {
	for _, c := range t.Spec.Containers {
		if container == "" || c.Name == container {
			return c.Image
		}
	}
	return ""
}

func (s *strategySpec) model() (daemonset.UpdateStrategy, error) {
	st := daemonset.UpdateStrategy{Type: daemonset.StrategyType(s.Type)}
	switch st.Type {
	case daemonset.OnDeleteStrategy:
		return st, nil
	case daemonset.RollingUpdateStrategy:
	default:
		return st, fmt.Errorf("type: unsupported value %q: want RollingUpdate or OnDelete", s.Type)
	}
	ru := &daemonset.RollingUpdate{}
	parse := func(v, def, name string) (*rollout.IntOrPercent, error) {
		if v == "" {
			v = def
		}
		x, err := rollout.ParseIntOrPercent(v)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		return &x, nil
	}
	var err error
	if ru.MaxUnavailable, err = parse(s.MaxUnavailable, "1", "maxUnavailable"); err != nil {
		return st, err
	}
	if ru.MaxSurge, err = parse(s.MaxSurge, "0", "maxSurge"); err != nil {
		return st, err
	}
	st.RollingUpdate = ru
	return st, nil
}
