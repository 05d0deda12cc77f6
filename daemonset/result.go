package daemonset

import (
	"strconv"
	"time"

	"github.com/daemonkit/daemonkit/selector"
)

// ObserveMode says when one sync sees its own writes, which decides whether the rolling update
// runs in the same sync as manage (section 2.1 of the semantics).
type ObserveMode int

const (
	// ObserveNone is production: the controller has not yet observed the pods manage created or
	// deleted, so the rolling update runs only when manage issued nothing, and status counts the
	// input pods, except the orphans the sync adopts and deletes that the API server removes at
	// once (see Plan).
	ObserveNone ObserveMode = iota
	// ObserveImmediate is upstream's unit-test mode: manage's creates and deletes are applied to
	// the view at once, the rolling update runs on that view, and status counts the result.
	ObserveImmediate
)

// String returns "none" or "immediate".
func (m ObserveMode) String() string {
	switch m {
	case ObserveNone:
		return "none"
	case ObserveImmediate:
		return "immediate"
	}
	return "ObserveMode(" + strconv.Itoa(int(m)) + ")"
}

// DefaultBurstReplicas is upstream's cap on creates, and separately on deletes, issued by one
// pass (manage, or the rolling update) of one sync.
const DefaultBurstReplicas = 250

// Options tune Plan. The zero value is upstream's production behaviour.
type Options struct {
	// Observe selects the expectations mode; the zero value is ObserveNone.
	Observe ObserveMode
	// BurstReplicas caps the creates and the deletes of each pass; 0 means DefaultBurstReplicas.
	// Negative values are an error.
	BurstReplicas int
}

// Input is everything one reconcile reads.
type Input struct {
	DaemonSet *DaemonSet
	// Nodes are every node of the cluster, each name once; a pod aimed at a node not in the list
	// is on a vanished node.
	Nodes []Node
	// Pods are every pod of the DaemonSet's namespace that might be its own: owned ones, orphans
	// and pods of other controllers. Plan does the ownership claim; pods of another namespace are
	// ignored. Pod names must be unique within the namespace.
	Pods []Pod
	// Hash is the current revision's controller-revision-hash (history is not Plan's job).
	Hash string
	// Now is the controller's clock for availability and the failed-pod backoff.
	Now time.Time
	// Memory is the controller memory carried from the previous sync.
	Memory Memory
}

// Memory is the state the controller keeps between syncs besides the cluster: the failed-pod
// backoff entries (sections 2.3 and 9.3 of the semantics).
type Memory struct {
	// Backoff is sorted by Key, each key once.
	Backoff []BackoffEntry
}

// BackoffEntry is the failed-pod backoff of one node: Key is "<dsUID>/<observedGeneration>/<node>";
// Delay the current delay (1 s first, doubling up to 15 min); LastUpdate when it last grew. An entry
// not updated for 30 min is forgotten.
type BackoffEntry struct {
	Key        string
	Delay      time.Duration
	LastUpdate time.Time
}

// Create asks for one daemon pod on Node.
type Create struct {
	Node string
	// Reason says why, in words for people.
	Reason string
}

// DeleteKind says why a pod is deleted.
type DeleteKind string

// The kinds of delete Plan issues.
const (
	// DeleteMisscheduled: the node may not keep a daemon pod (Case C: nodeName, nodeSelector or
	// affinity no longer match, or an untolerated NoExecute taint).
	DeleteMisscheduled DeleteKind = "Misscheduled"
	// DeleteDuplicate: one running pod too many on a node (non-surge pruning, or a third pod in
	// surge mode).
	DeleteDuplicate DeleteKind = "Duplicate"
	// DeleteFailed: the pod failed; a replacement follows (backoff permitting).
	DeleteFailed DeleteKind = "Failed"
	// DeleteSucceeded: the pod exited; a daemon pod should keep running, so it is replaced.
	DeleteSucceeded DeleteKind = "Succeeded"
	// DeleteVanishedNode: an unbound pod whose target node is no longer in the node list.
	DeleteVanishedNode DeleteKind = "VanishedNode"
	// DeleteSurgeHandover: in surge mode, the old pod beside a new one goes, because the new pod
	// is available or the old one is not ready.
	DeleteSurgeHandover DeleteKind = "SurgeHandover"
	// DeleteRollingUpdate: the rolling update replaces an old pod.
	DeleteRollingUpdate DeleteKind = "RollingUpdate"
)

// Delete asks for the deletion of pod Pod on node Node (its target node).
type Delete struct {
	Pod  string
	Node string
	// Kind is why, for programs to match on; Reason says it in words for people.
	Kind   DeleteKind
	Reason string
}

// Deferred counts the actions a pass wanted beyond the burst cap; a later sync issues them.
type Deferred struct {
	Creates int
	Deletes int
}

// Event is an event the controller records on the DaemonSet.
type Event struct {
	// Type is "Normal" or "Warning".
	Type string
	// Reason is "SelectingAll", "FailedDaemonPod" or "SucceededDaemonPod".
	Reason string
	// Object is the DaemonSet, as "namespace/name".
	Object  string
	Message string
}

// Event reasons and types.
const (
	EventNormal              = "Normal"
	EventWarning             = "Warning"
	ReasonSelectingAll       = "SelectingAll"
	ReasonFailedDaemonPod    = "FailedDaemonPod"
	ReasonSucceededDaemonPod = "SucceededDaemonPod"
)

// Skip reasons of Result.Skipped.
const (
	// SkippedSelectingAll: the selector is non-nil and empty; the controller refuses to act.
	SkippedSelectingAll = "SelectingAll"
	// SkippedDeleting: the DaemonSet has a deletionTimestamp.
	SkippedDeleting = "Deleting"
)

// Result is the outcome of one reconcile: what to do, and the status to write.
type Result struct {
	// Creates are sorted by node name. A node appears at most once.
	Creates []Create
	// Deletes are sorted by node name, then by pod name.
	Deletes []Delete
	// Adopted are matching orphans that get a controller reference to the DaemonSet; Released
	// are owned pods that no longer match and lose it. Both sorted.
	Adopted  []string
	Released []string
	// Deferred counts creates and deletes held back by the burst cap.
	Deferred Deferred
	// Status is the DaemonSet's status after the sync: the seven counters, ObservedGeneration set
	// to the generation when written, CollisionCount kept.
	Status Status
	// StatusWrite is false when the counters did not change and observedGeneration was already
	// at least the generation: the controller then skips the write.
	StatusWrite bool
	// Memory is the controller memory to hand to the next Plan.
	Memory Memory
	// RequeueAfter is when the controller should look again without any change in the cluster
	// (a failed pod's backoff, pods waiting for minReadySeconds); 0 means not needed.
	RequeueAfter time.Duration
	// Skipped is SkippedSelectingAll or SkippedDeleting when the controller did nothing, else "".
	Skipped string
	// Events are in the order the controller records them: by node name; within a node in the
	// claim order of the failed-pod backoff (owned pods, then adopted orphans, each by name).
	Events []Event
}

// Empty reports whether the result asks for no create, delete, adoption, release or status write.
func (r *Result) Empty() bool {
	return len(r.Creates) == 0 && len(r.Deletes) == 0 && len(r.Adopted) == 0 && len(r.Released) == 0 && !r.StatusWrite
}

// Eligibility is the answer for one node: should a daemon pod be created there, and may an
// existing one stay. Reasons lists every rule the node fails (nodeName, nodeSelector, affinity,
// untolerated NoSchedule/NoExecute taints); it is empty when ShouldRun.
type Eligibility struct {
	ShouldRun             bool
	ShouldContinueRunning bool
	Reasons               []selector.Reason
}

// The words Plan gives to manage's creates and surge handovers, for a planner that reproduces
// Plan's decisions without calling it (simulate's incremental reconcile) and must word them alike.
const (
	// ReasonCreateNoPod: a node that should run a daemon pod has none at all.
	ReasonCreateNoPod = reasonNoPod
	// ReasonCreateSurgeNoPod: surge mode, a node whose pods are all terminating or finished.
	ReasonCreateSurgeNoPod = reasonSurgeNoPod
	// ReasonHandoverOldNotReady: surge mode, the old pod beside a new one is not ready.
	ReasonHandoverOldNotReady = reasonOldNotReady
	// ReasonHandoverNewAvailable: surge mode, the new pod beside the old one is available.
	ReasonHandoverNewAvailable = reasonNewAvailable
)
