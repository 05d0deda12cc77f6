package daemonset

import (
	"time"

	"github.com/daemonkit/daemonkit/rollout"
	"github.com/daemonkit/daemonkit/selector"
)

// Well-known keys the DaemonSet controller reads and writes.
const (
	// RevisionHashLabel carries the controller-revision-hash of the template a pod was made from.
	RevisionHashLabel = "controller-revision-hash"
	// TemplateGenerationLabel is the legacy pod label that carries the DaemonSet's template generation.
	TemplateGenerationLabel = "pod-template-generation"
	// TemplateGenerationAnnotation is the DaemonSet annotation (apps/v1) holding its template generation.
	TemplateGenerationAnnotation = "deprecated.daemonset.template.generation"
)

// StrategyType names a DaemonSet update strategy.
type StrategyType string

// The two update strategies of apps/v1.
const (
	RollingUpdateStrategy StrategyType = "RollingUpdate"
	OnDeleteStrategy      StrategyType = "OnDelete"
)

// DaemonSet holds what the controller's decisions read from an apps/v1 DaemonSet.
type DaemonSet struct {
	Name      string
	Namespace string
	UID       string
	// Generation is metadata.generation.
	Generation int64
	// Annotations that matter, such as TemplateGenerationAnnotation.
	Annotations map[string]string
	// Selector is spec.selector. nil selects no pod; a non-nil empty selector is the
	// "selects everything" case the controller refuses to act on.
	Selector             *selector.LabelSelector
	Template             PodTemplate
	UpdateStrategy       UpdateStrategy
	MinReadySeconds      int32
	RevisionHistoryLimit *int32
	// DeletionTimestamp set means the DaemonSet is being deleted: Plan then does nothing.
	DeletionTimestamp *time.Time
	// Status is the status last written; Plan compares its result with it (Result.StatusWrite).
	Status Status
}

// PodTemplate holds what the decisions read from spec.template.
type PodTemplate struct {
	Labels       map[string]string
	Annotations  map[string]string
	NodeName     string
	NodeSelector map[string]string
	// RequiredNodeAffinity is affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution;
	// nil when any link of that chain is nil.
	RequiredNodeAffinity *selector.NodeSelector
	Tolerations          []selector.Toleration
	HostNetwork          bool
	// RestartPolicy is spec.restartPolicy; the API server defaults it to "Always".
	RestartPolicy         string
	ActiveDeadlineSeconds *int64
}

// UpdateStrategy is spec.updateStrategy.
type UpdateStrategy struct {
	Type          StrategyType
	RollingUpdate *RollingUpdate
}

// Rollout returns the strategy as package rollout reads it, sharing the IntOrPercent values:
// rollout.Strategy.Budget and AllowsSurge then give the budget Plan's rolling update works with.
func (u UpdateStrategy) Rollout() rollout.Strategy {
	s := rollout.Strategy{Type: rollout.StrategyType(u.Type)}
	if ru := u.RollingUpdate; ru != nil {
		s.HasRollingUpdate = true
		s.MaxUnavailable = ru.MaxUnavailable
		s.MaxSurge = ru.MaxSurge
	}
	return s
}

// RollingUpdate is spec.updateStrategy.rollingUpdate. A nil field was not set.
type RollingUpdate struct {
	MaxUnavailable *rollout.IntOrPercent
	MaxSurge       *rollout.IntOrPercent
}

// Status is the DaemonSet status the controller writes, plus the fields it reads back. The seven
// counters are section 4's, over the node list (pods of vanished nodes count nowhere); a node with
// several pods is represented by its first in PodLess order.
type Status struct {
	// DesiredNumberScheduled: nodes that should run the daemon pod.
	DesiredNumberScheduled int32
	// CurrentNumberScheduled: of those, nodes that have a daemon pod.
	CurrentNumberScheduled int32
	// NumberMisscheduled: nodes that have a daemon pod but should not run one.
	NumberMisscheduled int32
	// NumberReady, NumberAvailable and UpdatedNumberScheduled: desired nodes whose first pod is
	// ready, available (ready for minReadySeconds), of the current revision.
	NumberReady            int32
	UpdatedNumberScheduled int32
	NumberAvailable        int32
	// NumberUnavailable is DesiredNumberScheduled minus NumberAvailable.
	NumberUnavailable int32
	// ObservedGeneration is the generation the controller last wrote a status for.
	ObservedGeneration int64
	// CollisionCount is kept as it is; Plan never changes it.
	CollisionCount *int32
}

// Node holds what the decisions read from a corev1.Node, plus its conditions for display.
type Node struct {
	Name   string
	Labels map[string]string
	Taints []selector.Taint
	// Unschedulable is spec.unschedulable; the controller never reads it (only taints count).
	Unschedulable bool
	Conditions    []NodeCondition
}

// NodeCondition is one entry of node status.conditions, kept for display only.
type NodeCondition struct {
	Type   string
	Status string
}

// PodPhase is status.phase of a pod.
type PodPhase string

// The pod phases of corev1.
const (
	PodPending   PodPhase = "Pending"
	PodRunning   PodPhase = "Running"
	PodSucceeded PodPhase = "Succeeded"
	PodFailed    PodPhase = "Failed"
	PodUnknown   PodPhase = "Unknown"
)

// ConditionStatus is the status of a condition: "True", "False", "Unknown", or "" when absent.
type ConditionStatus string

// The condition statuses of corev1.
const (
	ConditionTrue    ConditionStatus = "True"
	ConditionFalse   ConditionStatus = "False"
	ConditionUnknown ConditionStatus = "Unknown"
)

// OwnerRef is a pod's controller owner reference.
type OwnerRef struct {
	APIVersion string
	Kind       string
	Name       string
	UID        string
}

// Pod holds what the decisions read from a corev1.Pod.
type Pod struct {
	Name      string
	Namespace string
	UID       string
	Labels    map[string]string
	// Controller is the owner reference with controller: true, or nil for an orphan.
	Controller *OwnerRef
	// NodeName is spec.nodeName; empty while the pod is not bound.
	NodeName string
	// RequiredNodeAffinity is the pod's required node affinity; for an unbound daemon pod it
	// names the target node through matchFields metadata.name In [node].
	RequiredNodeAffinity *selector.NodeSelector
	Phase                PodPhase
	// Ready is the status of the pod's first condition of type Ready ("" when it has none).
	Ready ConditionStatus
	// ReadySince is that condition's lastTransitionTime; zero when unset.
	ReadySince time.Time
	// CreationTimestamp orders the pods of a node (PodLess).
	CreationTimestamp time.Time
	// DeletionTimestamp is set once the pod is being deleted: it no longer counts as running.
	DeletionTimestamp *time.Time
	// Finalizers is metadata.finalizers. The API server keeps a pod with finalizers after a delete
	// (it gets a deletionTimestamp) even when it is unbound or has terminated, which decides
	// whether an orphan adopted and deleted in one sync is counted in the status (see Plan).
	Finalizers []string
}
