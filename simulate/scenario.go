package simulate

import (
	"errors"
	"fmt"
	"hash/fnv"
	"sort"
	"strconv"
	"time"

	"github.com/daemonkit/daemonkit/daemonset"
	"github.com/daemonkit/daemonkit/selector"
)

// DefaultStart is the virtual time a scenario starts at when it names none.
var DefaultStart = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)

// Scenario is everything one simulated run needs: the cluster, the DaemonSet, the models of the
// controller, the API server, pods and nodes, and the events to play. It is a plain value: build it
// in Go (NewScenario and the With… helpers) or load it from YAML at the edge (kube.LoadScenario).
// Run never modifies it.
type Scenario struct {
	// Name is shown in reports.
	Name string
	// Start is the virtual time the run starts at (DefaultStart when zero).
	Start time.Time
	// Duration is how long the run may last in virtual time (default 6 h). Unless KeepRunning is
	// set, the run ends earlier: at the first sync that writes nothing while the cluster is
	// converged, no scripted or drawn event is left and no pod is terminating.
	Duration    time.Duration
	KeepRunning bool

	// DaemonSet is the DaemonSet at the start. Its template is revision Revision.
	DaemonSet daemonset.DaemonSet
	// Revision is the revision of DaemonSet's template at the start.
	Revision Revision
	// Nodes is the cluster at the start.
	Nodes []daemonset.Node
	// Pods are the daemon pods at the start, when InitialPods is PodsListed.
	Pods []daemonset.Pod
	// InitialPods says which daemon pods exist at the start.
	InitialPods InitialPods

	Controller ControllerModel
	API        APIModel
	PodModel   PodModel
	NodeModel  NodeModel

	// Events are scripted events, played at their offsets (ties in list order).
	Events []Event
	// Rates are events drawn at random at a rate (churn), from their own random stream.
	Rates []Rate
	// Planner replaces daemonset.Plan as the controller's decision function (tests plug broken
	// controllers in here); nil uses DaemonSetPlanner.
	Planner Planner
	// HistoryLength is how many trace events a violation report keeps (default 20).
	HistoryLength int
	// RecordSyncs keeps one SyncRecord per controller sync in the result (Result.Syncs).
	RecordSyncs bool
	// RecordTrace keeps the full trace in the result (Result.Trace); a violation always carries
	// its short history.
	RecordTrace bool
	// RecordTimeline keeps the per-node timeline in the result.
	RecordTimeline bool
	// Progress, when set, is called from Run's goroutine every ProgressEvery events and once at
	// the end, for a progress display. It sees the run, it cannot change it: the result and the
	// trace are the same with or without it.
	Progress func(Progress)

	// crossCheck (tests only) has every sync the incremental reconcile decides decided again by
	// the planner on the whole view; any difference, reasons included, is an InvBookkeeping
	// violation.
	crossCheck bool
}

// InitialPods names how the daemon pods of the start are made.
type InitialPods string

const (
	// PodsConverged starts with one Ready, available pod of Revision on every node that should
	// run one (the default).
	PodsConverged InitialPods = "converged"
	// PodsNone starts with no daemon pods, as if the DaemonSet had just been created.
	PodsNone InitialPods = "none"
	// PodsListed starts with Scenario.Pods exactly.
	PodsListed InitialPods = "listed"
)

// Revision is one version of the pod template, for example one image.
type Revision struct {
	// Name is a label for people, such as the image ("prom/node-exporter:v1.8.2").
	Name string
	// Hash is the controller-revision-hash; when empty it is derived from Name (HashName), since
	// simulate cannot hash a Kubernetes template (the edge passes kube.ComputeHash's result).
	Hash string
	// CrashProbability is the chance that a pod of this revision crash-loops on start (a bad
	// image): it runs but never turns Ready.
	CrashProbability float64
	// Template, when set, replaces the DaemonSet's template with the revision (labels,
	// nodeSelector, tolerations...); nil keeps the template as it is.
	Template *daemonset.PodTemplate
}

// HashName is the revision hash simulate derives from a revision name when none is given: FNV-32a
// of the name, in the alphabet of controller-revision-hash values, so it looks like one.
func HashName(name string) string {
	h := fnv.New32a()
	_, _ = h.Write([]byte(name))
	const alphabet = "bcdfghjklmnpqrstvwxz2456789"
	v := h.Sum32()
	b := make([]byte, 0, 10)
	for range 10 {
		b = append(b, alphabet[v%uint32(len(alphabet))])
		v /= uint32(len(alphabet))
	}
	return string(b)
}

func (r Revision) hash() string {
	if r.Hash != "" {
		return r.Hash
	}
	return HashName(r.Name)
}

// ObserveMode says whether the controller's rolling update may act in a sync where manage wrote.
type ObserveMode string

const (
	// ObserveProduction is upstream in production: a sync does not see its own writes, so the
	// rolling update runs only in syncs where manage wrote nothing.
	ObserveProduction ObserveMode = "production"
	// ObserveImmediate is upstream's unit-test mode: manage's writes are seen at once and the
	// rolling update runs in the same sync.
	ObserveImmediate ObserveMode = "immediate"
)

// ControllerModel is the DaemonSet controller's timing and limits.
type ControllerModel struct {
	// SyncPeriod > 0 syncs on a fixed period; 0 syncs EventDelay after each change it observes.
	SyncPeriod time.Duration
	// EventDelay is the delay of an event-driven sync (default 10 ms).
	EventDelay time.Duration
	// ResyncPeriod, in event-driven mode, is a periodic sync on top (0: none).
	ResyncPeriod time.Duration
	// BurstReplicas caps creates and deletes per sync (default 250).
	BurstReplicas int
	// Observe is the observe mode (default production).
	Observe ObserveMode
	// InformerLag is how long a change takes to reach the controller's cache (default 0).
	InformerLag Dist
	// NoSlowStart sends a sync's creates all at once. By default they go in slow-start batches
	// 1, 2, 4, ..., and a batch with a failure stops the sync's creates, as upstream does.
	NoSlowStart bool
	// Paused starts the DaemonSet paused (a daemonkit opt-in, see EventPause).
	Paused bool
	// FullPlan calls the planner on the whole view at every sync. By default the controller
	// uses its incremental reconcile where the cluster is regular (see Metrics.FastPlans), whose
	// decisions are daemonset.Plan's; this turns it off.
	FullPlan bool
}

// APIModel is the API server as the controller sees it.
type APIModel struct {
	// QPS and Burst are the client's token bucket (kube-controller-manager defaults 20 and 30).
	// QPS 0 means no limit.
	QPS   float64
	Burst int
	// CreateLatency and DeleteLatency are the time a call takes once it has its token.
	CreateLatency Dist
	DeleteLatency Dist
	// CreateErrorRate and DeleteErrorRate are the chance that one call fails.
	CreateErrorRate float64
	DeleteErrorRate float64
	// NoStatusCall leaves the status write out of the rate limit (it never fails).
	NoStatusCall bool
}

// PodModel is the life of a daemon pod on a node.
type PodModel struct {
	// ScheduleLatency: creation to bound to the node.
	ScheduleLatency Dist
	// StartLatency: bound to Running (image pull and container start).
	StartLatency Dist
	// ReadyLatency: Running to Ready (readiness probe).
	ReadyLatency Dist
	// ReadyFromCreation, when set, overrides the three above: the pod is bound at once and turns
	// Running and Ready exactly this long after its creation (the upstream-rollouts model).
	ReadyFromCreation *time.Duration
	// Termination is the graceful termination period of a deleted pod (0: gone at once).
	Termination Dist
	// CrashProbability is the chance that any pod crash-loops (added to the revision's).
	CrashProbability float64
	// CrashAfter is how long a crash-looping pod runs before it crashes.
	CrashAfter Dist
	// FlapRate is how often, per pod per hour, a Ready pod's readiness flaps to false, for
	// FlapDuration.
	FlapRate     float64
	FlapDuration Dist
}

// NodeModel is the life of nodes.
type NodeModel struct {
	// JoinNotReady is how long a joining node carries node.kubernetes.io/not-ready:NoSchedule
	// (default 0: it joins ready).
	JoinNotReady Dist
	// PodGCDelay is how long pods bound to a removed node linger before pod GC deletes them
	// (default 40 s).
	PodGCDelay time.Duration
	// UnboundGrace is how long the invariants allow an unbound daemon pod aimed at a removed
	// node to linger before the controller must have deleted it (default 5 min).
	UnboundGrace time.Duration
}

// EventKind names a scripted or drawn event.
type EventKind string

// The events a scenario can play.
const (
	EventNodeJoin     EventKind = "NodeJoin"    // Node joins (NewNode, or a generated one)
	EventNodeRemove   EventKind = "NodeRemove"  // Node is deleted
	EventLabel        EventKind = "Label"       // Node gets Labels (a "" value is kept as "")
	EventUnlabel      EventKind = "Unlabel"     // Node loses the keys of Labels
	EventTaint        EventKind = "Taint"       // Node gets Taint
	EventUntaint      EventKind = "Untaint"     // Node loses Taint (by key and effect)
	EventNotReady     EventKind = "NotReady"    // Node's kubelet stops: Ready=False, not-ready:NoExecute, pods not ready
	EventUnreachable  EventKind = "Unreachable" // Node unreachable: Ready=Unknown, unreachable:NoExecute, pods not ready
	EventReady        EventKind = "Ready"       // Node recovers
	EventCordon       EventKind = "Cordon"      // spec.unschedulable and node.kubernetes.io/unschedulable:NoSchedule
	EventUncordon     EventKind = "Uncordon"    // the reverse
	EventUpdate       EventKind = "Update"      // the template changes to Revision (a new image)
	EventStrategy     EventKind = "Strategy"    // spec.updateStrategy becomes Strategy
	EventPause        EventKind = "Pause"       // daemonkit opt-in: the rolling update stops deleting and surging
	EventResume       EventKind = "Resume"      // the rolling update goes on
	EventDeletePod    EventKind = "DeletePod"   // someone deletes the daemon pod on Node (OnDelete rollouts)
	EventMinReadySecs EventKind = "MinReadySeconds"
)

// Event is one scripted event.
type Event struct {
	// At is the offset from the start.
	At   time.Duration
	Kind EventKind
	// Node names the node (for NodeJoin: the new node's name unless NewNode is set).
	Node string
	// NewNode is the joining node (NodeJoin).
	NewNode *daemonset.Node
	// Labels to set or remove (Label, Unlabel).
	Labels map[string]string
	// Taint to add or remove (Taint, Untaint).
	Taint selector.Taint
	// Revision is the new revision (Update).
	Revision *Revision
	// Strategy is the new update strategy (Strategy).
	Strategy *daemonset.UpdateStrategy
	// MinReadySeconds is the new value (MinReadySeconds).
	MinReadySeconds int32
	// For, when > 0, undoes the event after this long (NotReady/Unreachable -> Ready,
	// Taint -> Untaint, Cordon -> Uncordon, Label -> Unlabel).
	For time.Duration
}

// Rate is a kind of event drawn at random as a Poisson process over [From, To) with PerHour
// events per hour; the target node is drawn uniformly among the nodes that exist then.
type Rate struct {
	Kind    EventKind
	PerHour float64
	From    time.Duration
	To      time.Duration // 0: the end of the run
	// Template is the event to play (its Node is filled in; for NodeJoin, NewNode's labels and
	// taints are the joining node's and its name is "<Node or join>-<n>").
	Template Event
	// For is how long the fault lasts (NotReady, Unreachable, Taint, Cordon, Label); 0 keeps it.
	For Dist
}

// Defaulted returns s with every unset model parameter at its default: the defaults of a real
// cluster (sync event-driven, 20 qps / burst 30, 250 per sync, pod start a few seconds).
func (s Scenario) Defaulted() Scenario {
	if s.Start.IsZero() {
		s.Start = DefaultStart
	}
	if s.Duration <= 0 {
		s.Duration = 6 * time.Hour
	}
	if s.InitialPods == "" {
		s.InitialPods = PodsConverged
	}
	c := &s.Controller
	if c.EventDelay <= 0 {
		c.EventDelay = 10 * time.Millisecond
	}
	if c.BurstReplicas <= 0 {
		c.BurstReplicas = 250
	}
	if c.Observe == "" {
		c.Observe = ObserveProduction
	}
	if s.NodeModel.PodGCDelay <= 0 {
		s.NodeModel.PodGCDelay = 40 * time.Second
	}
	if s.NodeModel.UnboundGrace <= 0 {
		s.NodeModel.UnboundGrace = 5 * time.Minute
	}
	if s.HistoryLength <= 0 {
		s.HistoryLength = 20
	}
	if s.Revision.Name == "" && s.Revision.Hash == "" {
		s.Revision.Name = "v1"
	}
	return s
}

// RealCluster sets the models to a real cluster's defaults as measured (simulation-notes): an
// event-driven controller, a 20 qps / burst 30 API client, creates and deletes taking 20 ms, pods
// ready a few seconds after creation, 30 s graceful termination and nodes that join not-ready for
// about 30 s.
func (s Scenario) RealCluster() Scenario {
	s.Controller.SyncPeriod = 0
	s.Controller.EventDelay = 10 * time.Millisecond
	s.Controller.ResyncPeriod = 0
	s.API = APIModel{QPS: 20, Burst: 30, CreateLatency: Fixed(20 * time.Millisecond), DeleteLatency: Fixed(20 * time.Millisecond)}
	s.PodModel.ScheduleLatency = Uniform(5*time.Millisecond, 50*time.Millisecond)
	s.PodModel.StartLatency = LogNormal(2*time.Second, 0.5)
	s.PodModel.ReadyLatency = Uniform(time.Second, 3*time.Second)
	s.PodModel.Termination = Uniform(time.Second, 5*time.Second)
	s.NodeModel.JoinNotReady = Uniform(20*time.Second, 40*time.Second)
	return s
}

// UpstreamRollouts sets the models to the one behind testdata/upstream-rollouts: a sync every
// syncPeriod, writes seen from the next sync on, created pods bound and Pending at once and Running
// and Ready exactly readyAfter after creation, deleted pods terminating for terminateAfter, no
// rate limit, no latency, no faults.
func (s Scenario) UpstreamRollouts(syncPeriod, readyAfter, terminateAfter time.Duration) Scenario {
	s.Controller = ControllerModel{SyncPeriod: syncPeriod, BurstReplicas: 250, Observe: ObserveProduction,
		Paused: s.Controller.Paused, FullPlan: s.Controller.FullPlan}
	s.API = APIModel{NoStatusCall: true}
	ra := readyAfter
	s.PodModel = PodModel{ReadyFromCreation: &ra, Termination: Fixed(terminateAfter)}
	return s
}

// Validate reports what is wrong with s, each error naming its field.
func (s Scenario) Validate() error {
	var errs []error
	add := func(format string, a ...any) { errs = append(errs, fmt.Errorf(format, a...)) }
	if s.Duration < 0 {
		add("duration: must not be negative")
	}
	seen := map[string]bool{}
	for i, n := range s.Nodes {
		if n.Name == "" {
			add("nodes[%d].name: required", i)
		} else if seen[n.Name] {
			add("nodes[%d].name: duplicate node %q", i, n.Name)
		}
		seen[n.Name] = true
	}
	switch s.InitialPods {
	case "", PodsConverged, PodsNone, PodsListed:
	default:
		add("initialPods: unsupported value %q: want converged, none or listed", s.InitialPods)
	}
	switch s.Controller.Observe {
	case "", ObserveProduction, ObserveImmediate:
	default:
		add("controller.observe: unsupported value %q: want production or immediate", s.Controller.Observe)
	}
	if s.Controller.SyncPeriod < 0 {
		add("controller.syncPeriod: must not be negative")
	}
	if s.API.QPS < 0 || s.API.Burst < 0 {
		add("api: qps and burst must not be negative")
	}
	if s.API.QPS > 0 && s.API.Burst < 1 {
		add("api.burst: must be at least 1 when qps is set")
	}
	for _, p := range []struct {
		name string
		v    float64
	}{
		{"api.createErrorRate", s.API.CreateErrorRate}, {"api.deleteErrorRate", s.API.DeleteErrorRate},
		{"podModel.crashProbability", s.PodModel.CrashProbability}, {"revision.crashProbability", s.Revision.CrashProbability},
	} {
		if !(p.v >= 0 && p.v <= 1) {
			add("%s: must be between 0 and 1, got %v", p.name, p.v)
		}
	}
	if s.PodModel.FlapRate < 0 {
		add("podModel.flapRate: must not be negative")
	}
	for _, d := range []struct {
		name string
		d    Dist
	}{
		{"controller.informerLag", s.Controller.InformerLag},
		{"api.createLatency", s.API.CreateLatency}, {"api.deleteLatency", s.API.DeleteLatency},
		{"podModel.scheduleLatency", s.PodModel.ScheduleLatency}, {"podModel.startLatency", s.PodModel.StartLatency},
		{"podModel.readyLatency", s.PodModel.ReadyLatency}, {"podModel.termination", s.PodModel.Termination},
		{"podModel.crashAfter", s.PodModel.CrashAfter}, {"podModel.flapDuration", s.PodModel.FlapDuration},
		{"nodeModel.joinNotReady", s.NodeModel.JoinNotReady},
	} {
		if err := d.d.Validate(d.name); err != nil {
			errs = append(errs, err)
		}
	}
	for i, e := range s.Events {
		if err := e.validate("events[" + strconv.Itoa(i) + "]"); err != nil {
			errs = append(errs, err)
		}
	}
	for i, r := range s.Rates {
		path := "rates[" + strconv.Itoa(i) + "]"
		if !(r.PerHour > 0) {
			add("%s.perHour: must be positive", path)
		}
		ev := r.Template
		ev.Kind = r.Kind
		if ev.Node == "" {
			ev.Node = "drawn"
		}
		if err := ev.validate(path); err != nil {
			errs = append(errs, err)
		}
		if err := r.For.Validate(path + ".for"); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

func (e Event) validate(path string) error {
	if e.At < 0 {
		return fmt.Errorf("%s.at: must not be negative", path)
	}
	switch e.Kind {
	case EventNodeJoin:
		if e.Node == "" && (e.NewNode == nil || e.NewNode.Name == "") {
			return fmt.Errorf("%s.node: required for %s", path, e.Kind)
		}
	case EventNodeRemove, EventNotReady, EventUnreachable, EventReady, EventCordon, EventUncordon, EventDeletePod:
		if e.Node == "" {
			return fmt.Errorf("%s.node: required for %s", path, e.Kind)
		}
	case EventLabel, EventUnlabel:
		if e.Node == "" {
			return fmt.Errorf("%s.node: required for %s", path, e.Kind)
		}
		if len(e.Labels) == 0 {
			return fmt.Errorf("%s.labels: required for %s", path, e.Kind)
		}
	case EventTaint, EventUntaint:
		if e.Node == "" {
			return fmt.Errorf("%s.node: required for %s", path, e.Kind)
		}
		if e.Taint.Key == "" {
			return fmt.Errorf("%s.taint.key: required for %s", path, e.Kind)
		}
		switch e.Taint.Effect {
		case selector.NoSchedule, selector.PreferNoSchedule, selector.NoExecute:
		default:
			return fmt.Errorf("%s.taint.effect: unsupported value %q: want NoSchedule, PreferNoSchedule or NoExecute", path, e.Taint.Effect)
		}
	case EventUpdate:
		if e.Revision == nil || (e.Revision.Name == "" && e.Revision.Hash == "") {
			return fmt.Errorf("%s.revision: required for %s (a name or a hash)", path, e.Kind)
		}
		if !(e.Revision.CrashProbability >= 0 && e.Revision.CrashProbability <= 1) {
			return fmt.Errorf("%s.revision.crashProbability: must be between 0 and 1", path)
		}
	case EventStrategy:
		if e.Strategy == nil {
			return fmt.Errorf("%s.strategy: required for %s", path, e.Kind)
		}
	case EventPause, EventResume:
	case EventMinReadySecs:
		if e.MinReadySeconds < 0 {
			return fmt.Errorf("%s.minReadySeconds: must not be negative", path)
		}
	default:
		return fmt.Errorf("%s.kind: unsupported value %q", path, e.Kind)
	}
	if e.For < 0 {
		return fmt.Errorf("%s.for: must not be negative", path)
	}
	return nil
}

// NewScenario returns a scenario for ds over nodes, starting converged on revision rev, with the
// default models (see Defaulted).
func NewScenario(name string, ds daemonset.DaemonSet, rev Revision, nodes ...daemonset.Node) Scenario {
	return Scenario{Name: name, DaemonSet: ds, Revision: rev, Nodes: nodes}
}

// At appends a scripted event at offset at and returns the scenario.
func (s Scenario) At(at time.Duration, e Event) Scenario {
	e.At = at
	s.Events = append(append([]Event(nil), s.Events...), e)
	return s
}

// UpdateTo is the event "the template changes to revision name" (a new image).
func UpdateTo(name string) Event { return Event{Kind: EventUpdate, Revision: &Revision{Name: name}} }

// Join is the event "node joins with labels".
func Join(name string, labels map[string]string) Event {
	return Event{Kind: EventNodeJoin, NewNode: &daemonset.Node{Name: name, Labels: labels}}
}

// LabelNode is the event "node gets labels".
func LabelNode(name string, labels map[string]string) Event {
	return Event{Kind: EventLabel, Node: name, Labels: labels}
}

// TaintNode is the event "node gets taint".
func TaintNode(name string, t selector.Taint) Event {
	return Event{Kind: EventTaint, Node: name, Taint: t}
}

// Nodes returns n nodes named prefix-0 ... prefix-(n-1) with the given labels (shared, never
// modified) plus kubernetes.io/hostname.
func Nodes(prefix string, n int, labels map[string]string) []daemonset.Node {
	out := make([]daemonset.Node, n)
	for i := range out {
		name := prefix + "-" + strconv.Itoa(i)
		l := make(map[string]string, len(labels)+1)
		for k, v := range labels {
			l[k] = v
		}
		l["kubernetes.io/hostname"] = name
		out[i] = daemonset.Node{Name: name, Labels: l, Conditions: []daemonset.NodeCondition{{Type: "Ready", Status: "True"}}}
	}
	return out
}

// sortedKeys returns the keys of m in ascending order.
func sortedKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
