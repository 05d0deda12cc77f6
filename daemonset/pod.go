package daemonset

import (
	"strconv"
	"strings"
	"time"

	"github.com/daemonkit/daemonkit/selector"
)

// IsPodReady reports whether the pod's Ready condition is True.
func IsPodReady(p *Pod) bool { return p.Ready == ConditionTrue }

// IsPodAvailable reports whether the pod counts as available at now: it is Ready and, when
// minReadySeconds > 0, its Ready condition has a transition time at least minReadySeconds before
// now (inclusive). A Ready pod with no transition time is never available when minReadySeconds > 0.
func IsPodAvailable(p *Pod, minReadySeconds int32, now time.Time) bool {
	if !IsPodReady(p) {
		return false
	}
	if minReadySeconds == 0 {
		return true
	}
	// A negative value (API-invalid) moves the bar into the past: any pod with a transition time
	// passes, one without does not, as upstream.
	if p.ReadySince.IsZero() {
		return false
	}
	return !p.ReadySince.Add(time.Duration(minReadySeconds) * time.Second).After(now)
}

// TemplateGeneration returns the DaemonSet's template generation from the
// TemplateGenerationAnnotation, and false when the annotation is missing or is not a base-10 int64
// (the controller then ignores it).
func TemplateGeneration(ds *DaemonSet) (int64, bool) {
	v, ok := ds.Annotations[TemplateGenerationAnnotation]
	if !ok {
		return 0, false
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil {
		return 0, false
	}
	return n, true
}

// IsPodUpdated reports whether the pod runs the DaemonSet's current revision: hash is non-empty
// and equals the pod's controller-revision-hash label, or the DaemonSet's template-generation
// annotation parses and equals the pod's pod-template-generation label. A pod without labels is
// never updated.
func IsPodUpdated(p *Pod, hash string, ds *DaemonSet) bool {
	gen, ok := TemplateGeneration(ds)
	return podUpdated(p, hash, genLabel(gen, ok))
}

// genLabel is the pod-template-generation label value the DaemonSet stamps on its pods, "" when
// it stamps none.
func genLabel(gen int64, ok bool) string {
	if !ok {
		return ""
	}
	return strconv.FormatInt(gen, 10)
}

// podUpdated is IsPodUpdated with the generation already printed ("" when there is none).
func podUpdated(p *Pod, hash, gen string) bool {
	if len(p.Labels) == 0 {
		return false
	}
	if hash != "" {
		if h, ok := p.Labels[RevisionHashLabel]; ok && h == hash {
			return true
		}
	}
	if gen != "" {
		if g, ok := p.Labels[TemplateGenerationLabel]; ok && g == gen {
			return true
		}
	}
	return false
}

// isTerminal reports whether the pod has finished for good.
func isTerminal(p *Pod) bool { return p.Phase == PodSucceeded || p.Phase == PodFailed }

// PodLess is the controller's pod order (section 2.4 of the semantics): pods bound to a node
// first, then older creationTimestamp first, then smaller name. It is a strict order on pods with
// distinct names. Plan relies on it in three places, which makes it part of the contract: of
// several running pods on one node the first stays and the others are duplicates; in surge mode the
// first pod of each revision stays; and a node's first pod represents the node in the status
// counters (ready, available, updated).
func PodLess(a, b *Pod) bool {
	ab, bb := a.NodeName != "", b.NodeName != ""
	if ab != bb {
		return ab
	}
	if !a.CreationTimestamp.Equal(b.CreationTimestamp) {
		return a.CreationTimestamp.Before(b.CreationTimestamp)
	}
	return a.Name < b.Name
}

// TargetNode returns the node a daemon pod is for: its spec.nodeName when set, otherwise the single
// value of the first matchFields requirement "metadata.name In [...]" of its required node
// affinity, walking terms and their fields in order. ok is false when neither gives exactly one
// node name (no affinity, no such requirement, or several values): the controller then leaves the
// pod out entirely.
func TargetNode(p *Pod) (node string, ok bool) {
	if p.NodeName != "" {
		return p.NodeName, true
	}
	if p.RequiredNodeAffinity == nil {
		return "", false
	}
	for _, t := range p.RequiredNodeAffinity.Terms {
		for _, r := range t.MatchFields {
			if r.Key == selector.NodeNameField && r.Operator == selector.OpIn {
				if len(r.Values) == 1 {
					return r.Values[0], true
				}
				return "", false
			}
		}
	}
	return "", false
}

// podKey is "namespace/name", the form events use to name a pod.
func podKey(p *Pod) string {
	var b strings.Builder
	b.WriteString(p.Namespace)
	b.WriteByte('/')
	b.WriteString(p.Name)
	return b.String()
}
