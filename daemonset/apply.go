package daemonset

import (
	"encoding/binary"
	"hash/fnv"
	"maps"
	"slices"
	"strconv"
	"time"

	"github.com/daemonkit/daemonkit/selector"
)

// ApplyOptions say how Apply plays the API server, the scheduler and the kubelet.
type ApplyOptions struct {
	// Unbound leaves created pods unbound, as the controller creates them (spec.nodeName from the
	// template, normally empty; the node named only by their affinity). By default Apply binds
	// them to their node at once, as the scheduler soon would.
	Unbound bool
	// MarkDeleting deletes the way the API server does: a pod that is deleted gracefully (bound
	// and still running, or holding finalizers) stays, stamped with a deletionTimestamp of in.Now,
	// as it looks until its kubelet is done; an unbound or terminated pod without finalizers is
	// removed at once. Without it every deleted pod is removed at once.
	MarkDeleting bool
}

// Apply returns the cluster after r was carried out: created pods added, deleted pods gone (or
// marked deleting), adopted pods owned by the DaemonSet, released pods orphaned, the DaemonSet's
// status replaced by r.Status and the memory by r.Memory. in is not modified; the returned Input
// shares the nodes and the unchanged pods' maps with it.
//
// A created pod carries the template's labels plus the controller-revision-hash (when in.Hash is
// set) and pod-template-generation (when the annotation parses) labels, a controller reference to
// the DaemonSet, required node affinity "metadata.name In [node]", phase Pending, no Ready
// condition and CreationTimestamp in.Now.
//
// A created pod is named as the API server names an object created with generateName
// "<daemonset>-": the DaemonSet's name (cut to 58 bytes, as the API server cuts a long prefix),
// a dash and five characters from "bcdfghjklmnpqrstvwxz2456789", so that a replacement reads as a
// new pod, not as the one it replaced. The five characters are not random but derived from the
// DaemonSet's name, the node, in.Hash, in.Now and an attempt number (FNV-1a), so the same input
// gives the same names; when a name is taken by a pod of the namespace in the input or by a pod
// created earlier in the same call, the next attempt is tried, so names are unique.
func Apply(in Input, r Result, opts ApplyOptions) Input {
	out := in
	if in.DaemonSet != nil {
		ds := *in.DaemonSet
		ds.Status = r.Status
		out.DaemonSet = &ds
	}
	out.Memory = cloneMemory(r.Memory)
	ds := out.DaemonSet
	if ds == nil {
		out.Pods = slices.Clone(in.Pods)
		return out
	}

	deleted := make(map[string]bool, len(r.Deletes))
	for _, d := range r.Deletes {
		deleted[d.Pod] = true
	}
	adopted := make(map[string]bool, len(r.Adopted))
	for _, n := range r.Adopted {
		adopted[n] = true
	}
	released := make(map[string]bool, len(r.Released))
	for _, n := range r.Released {
		released[n] = true
	}
	names := make(map[string]bool, len(in.Pods)+len(r.Creates))
	pods := make([]Pod, 0, len(in.Pods)+len(r.Creates))
	for _, p := range in.Pods {
		mine := p.Namespace == ds.Namespace
		if mine {
			names[p.Name] = true
		}
		switch {
		case mine && deleted[p.Name] && opts.MarkDeleting && !gonePod(&p):
			if p.DeletionTimestamp == nil {
				t := in.Now
				p.DeletionTimestamp = &t
			}
		case mine && deleted[p.Name]:
			continue
		}
		if mine && adopted[p.Name] {
			p.Controller = ownerRef(ds)
		}
		if mine && released[p.Name] {
			p.Controller = nil
		}
		pods = append(pods, p)
	}
	for _, c := range r.Creates {
		pods = append(pods, newPod(ds, in.Hash, c.Node, in, opts, names))
	}
	out.Pods = pods
	return out
}

func ownerRef(ds *DaemonSet) *OwnerRef {
	return &OwnerRef{APIVersion: "apps/v1", Kind: "DaemonSet", Name: ds.Name, UID: ds.UID}
}

// newPod builds the pod the controller creates on node (section 2.5 of the semantics).
func newPod(ds *DaemonSet, hash, node string, in Input, opts ApplyOptions, names map[string]bool) Pod {
	name := generateName(ds.Name, node, hash, in.Now, names)
	names[name] = true
	labels := maps.Clone(ds.Template.Labels)
	if labels == nil {
		labels = map[string]string{}
	}
	if g, ok := TemplateGeneration(ds); ok {
		labels[TemplateGenerationLabel] = strconv.FormatInt(g, 10)
	}
	if hash != "" {
		labels[RevisionHashLabel] = hash
	}
	p := Pod{
		Name:       name,
		Namespace:  ds.Namespace,
		UID:        ds.UID + "/" + name + "/" + strconv.FormatInt(in.Now.UnixNano(), 10),
		Labels:     labels,
		Controller: ownerRef(ds),
		NodeName:   ds.Template.NodeName,
		RequiredNodeAffinity: &selector.NodeSelector{Terms: []selector.NodeSelectorTerm{{
			MatchFields: []selector.Requirement{{Key: selector.NodeNameField, Operator: selector.OpIn, Values: []string{node}}},
		}}},
		Phase:             PodPending,
		CreationTimestamp: in.Now,
	}
	if !opts.Unbound {
		p.NodeName = node
	}
	return p
}

// generatedNameAlphabet is the alphabet of the suffix the API server appends to a generateName
// (no vowels, no look-alike characters, so no words).
const generatedNameAlphabet = "bcdfghjklmnpqrstvwxz2456789"

// maxGeneratedPrefix is how much of a generateName prefix the API server keeps: a name label is
// at most 63 characters, 5 of which the suffix takes.
const maxGeneratedPrefix = 63 - 5

// generateName returns "<dsName>-xxxxx", the first name free in taken among the attempts
// 0, 1, 2, ...: the suffix is FNV-1a of dsName, node, hash, now and the attempt, written in
// generatedNameAlphabet.
func generateName(dsName, node, hash string, now time.Time, taken map[string]bool) string {
	prefix := dsName + "-"
	if len(prefix) > maxGeneratedPrefix {
		prefix = prefix[:maxGeneratedPrefix]
	}
	buf := make([]byte, 0, len(prefix)+5)
	var num [8]byte
	for attempt := uint64(0); ; attempt++ {
		h := fnv.New64a()
		for _, part := range []string{dsName, node, hash} {
			_, _ = h.Write([]byte(part))
			_, _ = h.Write([]byte{0}) // a separator, so that ("ab", "c") and ("a", "bc") differ
		}
		binary.BigEndian.PutUint64(num[:], uint64(now.UnixNano()))
		_, _ = h.Write(num[:])
		binary.BigEndian.PutUint64(num[:], attempt)
		_, _ = h.Write(num[:])
		v := h.Sum64()
		buf = append(buf[:0], prefix...)
		for range 5 {
			buf = append(buf, generatedNameAlphabet[v%uint64(len(generatedNameAlphabet))])
			v /= uint64(len(generatedNameAlphabet))
		}
		if name := string(buf); !taken[name] {
			return name
		}
	}
}
