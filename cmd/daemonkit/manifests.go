package main

import (
	"fmt"

	"github.com/spf13/pflag"
	appsv1 "k8s.io/api/apps/v1"

	"github.com/daemonkit/daemonkit/daemonset"
	"github.com/daemonkit/daemonkit/kube"
)

// The CLI reads manifests through kube, strictly (an unknown field is an error, so that a typo
// such as `nodeSelecter` cannot silently drop a selector), and every error names its file.

// manifestFlags are the decoding and validation flags every manifest-reading command shares.
type manifestFlags struct {
	allowUnknown bool
	asWritten    bool
	validate     bool
}

func (m manifestFlags) opts() kube.DecodeOptions {
	return kube.DecodeOptions{AllowUnknownFields: m.allowUnknown, AsWritten: m.asWritten}
}

// manifests are the files plan, explain and forecast read, converted: the nodes, the DaemonSet
// and its pods.
type manifests struct {
	nodes []daemonset.Node
	ds    loadedDaemonSet
	pods  []daemonset.Pod
}

// load reads the nodes, DaemonSet and pods files, in that order, stopping at the first error
// (which names its file); an empty pods path means no pods.
func (m manifestFlags) load(nodesPath, dsPath, podsPath string) (manifests, error) {
	var out manifests
	kn, err := kube.LoadNodes(nodesPath, m.opts())
	if err != nil {
		return out, err
	}
	if out.nodes, err = convert(nodesPath, "node", kn, kube.NodeFromKube); err != nil {
		return out, err
	}
	if out.ds, err = m.loadDaemonSet(dsPath); err != nil {
		return out, err
	}
	if podsPath == "" {
		return out, nil
	}
	kp, err := kube.LoadPods(podsPath, m.opts())
	if err != nil {
		return out, err
	}
	out.pods, err = convert(podsPath, "pod", kp, kube.PodFromKube)
	return out, err
}

// convert converts the objects read from path with from; an error names the file, the kind and
// the object. Every object must have a name, unique in its namespace, as in a cluster: the
// controller would otherwise see one node or pod where the file has two.
func convert[K any, PK interface {
	*K
	GetName() string
	GetNamespace() string
}, T any](path, kind string, objs []K, from func(PK) (T, error)) ([]T, error) {
	out := make([]T, 0, len(objs))
	seen := make(map[string]bool, len(objs))
	for i := range objs {
		o := PK(&objs[i])
		name := o.GetName()
		if o.GetNamespace() != "" {
			name = o.GetNamespace() + "/" + name
		}
		switch {
		case o.GetName() == "":
			return nil, fmt.Errorf("%s: %s %d of %d: metadata.name: Required value", path, kind, i+1, len(objs))
		case seen[name]:
			return nil, fmt.Errorf("%s: %s %q: metadata.name: Duplicate value: the file holds it more than once", path, kind, name)
		}
		seen[name] = true
		v, err := from(o)
		if err != nil {
			return nil, fmt.Errorf("%s: %s %q: %w", path, kind, o.GetName(), err)
		}
		out = append(out, v)
	}
	return out, nil
}

// loadedDaemonSet is a DaemonSet file read, converted and validated, with its revision hash and
// the object as the controller reads it (for matching ControllerRevisions).
type loadedDaemonSet struct {
	ds   daemonset.DaemonSet
	hash string
	kube *appsv1.DaemonSet
}

// loadDaemonSet reads the DaemonSet file, converts and validates it, and computes the hash of its
// template: the controller-revision-hash of the defaulted template with status.collisionCount.
func (m manifestFlags) loadDaemonSet(path string) (loadedDaemonSet, error) {
	kds, err := kube.LoadDaemonSet(path, m.opts())
	if err != nil {
		return loadedDaemonSet{}, err
	}
	// A manifest written by hand has no metadata.generation; the API server gives a created
	// object generation 1 (section 5.6 of the semantics), and that is what status reports.
	if kds.Generation == 0 {
		kds.Generation = 1
	}
	ds, err := kube.DaemonSetFromKube(kds)
	if err != nil {
		return loadedDaemonSet{}, fmt.Errorf("%s: %w", path, err)
	}
	if m.validate {
		if err := kube.ValidateDaemonSet(ds); err != nil {
			return loadedDaemonSet{}, fmt.Errorf("%s: %w\n(--validate=false goes on anyway)", path, err)
		}
	}
	return loadedDaemonSet{ds: *ds, hash: kube.ComputeHash(&kds.Spec.Template, kds.Status.CollisionCount), kube: kds}, nil
}

// currentRevisionHash finds, among the ControllerRevisions in path, the one whose data equals the
// DaemonSet's template patch byte for byte (kube.CurrentRevision), and returns its
// controller-revision-hash label (its name when it has none), as the controller would. When none
// matches, the controller would create one with the computed hash, which is returned.
func (m manifestFlags) currentRevisionHash(path string, lds loadedDaemonSet) (string, error) {
	krevs, err := kube.LoadControllerRevisions(path, m.opts())
	if err != nil {
		return "", err
	}
	cur, _, _, err := kube.CurrentRevision(lds.kube, krevs)
	if err != nil {
		return "", fmt.Errorf("%s: %w", path, err)
	}
	if cur == nil {
		return lds.hash, nil
	}
	return cur.LabelHash(), nil
}

// addManifestFlags adds the flags every manifest-reading command shares.
func addManifestFlags(f *pflag.FlagSet, m *manifestFlags) {
	f.BoolVar(&m.allowUnknown, "allow-unknown-fields", false, "accept fields this version of the Kubernetes API does not know (default: they are errors, to catch typos)")
	f.BoolVar(&m.asWritten, "as-written", false, "read objects as the files have them, not as the API server stores them (protobuf turns an empty list into none and 0.5 into 500m, which changes the revision hash); for comparing with upstream unit-test fixtures")
	f.BoolVar(&m.validate, "validate", true, "refuse a DaemonSet the API server would reject; --validate=false plans it anyway")
}

// requireFlags fails with a usage error naming the first of the (flag, value) pairs left empty.
func requireFlags(pairs ...string) error {
	for i := 0; i+1 < len(pairs); i += 2 {
		if pairs[i+1] == "" {
			return usagef("required flag %s not set", pairs[i])
		}
	}
	return nil
}
