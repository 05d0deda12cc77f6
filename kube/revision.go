package kube

import (
	"encoding/json"
	"errors"
	"fmt"
	"maps"

	appsv1 "k8s.io/api/apps/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"

	"github.com/daemonkit/daemonkit/daemonset"
	"github.com/daemonkit/daemonkit/rollout"
)

// DaemonSetPatch returns the bytes upstream stores as a DaemonSet's ControllerRevision data and
// compares byte for byte to find the current revision (section 5.2):
// {"spec":{"template":{…,"$patch":"replace"}}}, built by encoding the DaemonSet as JSON, decoding
// it into generic maps and encoding again, so keys come out sorted and numbers go through float64
// exactly as upstream's do. Pass the DaemonSet as the controller reads it (defaulted and stored,
// as the loaders return it), or the bytes will not match a cluster's.
func DaemonSetPatch(ds *appsv1.DaemonSet) ([]byte, error) {
	if ds == nil {
		return nil, errors.New("daemonset patch: nil DaemonSet")
	}
	full, err := json.Marshal(ds)
	if err != nil {
		return nil, fmt.Errorf("daemonset patch: %w", err)
	}
	var generic map[string]any
	if err := json.Unmarshal(full, &generic); err != nil {
		return nil, fmt.Errorf("daemonset patch: %w", err)
	}
	spec, _ := generic["spec"].(map[string]any)
	template, _ := spec["template"].(map[string]any)
	if template == nil {
		return nil, errors.New("daemonset patch: the DaemonSet has no spec.template")
	}
	template["$patch"] = "replace"
	patch, err := json.Marshal(map[string]any{"spec": map[string]any{"template": template}})
	if err != nil {
		return nil, fmt.Errorf("daemonset patch: %w", err)
	}
	return patch, nil
}

// NewControllerRevision returns the ControllerRevision upstream creates for ds when no existing
// one matches its template: named "<ds>-<hash>", in the DaemonSet's namespace, labelled with the
// template's labels plus controller-revision-hash=hash, annotated with a copy of the DaemonSet's
// annotations, owned by the DaemonSet (controller reference), holding DaemonSetPatch(ds) and the
// given revision number (rollout.NextRevisionNumber of the old revisions).
func NewControllerRevision(ds *appsv1.DaemonSet, hash string, revision int64) (*appsv1.ControllerRevision, error) {
	patch, err := DaemonSetPatch(ds)
	if err != nil {
		return nil, err
	}
	labels := maps.Clone(ds.Spec.Template.Labels)
	if labels == nil {
		labels = map[string]string{}
	}
	labels[daemonset.RevisionHashLabel] = hash
	return &appsv1.ControllerRevision{
		TypeMeta: metav1.TypeMeta{APIVersion: "apps/v1", Kind: "ControllerRevision"},
		ObjectMeta: metav1.ObjectMeta{
			Name:            ds.Name + "-" + hash,
			Namespace:       ds.Namespace,
			Labels:          labels,
			Annotations:     maps.Clone(ds.Annotations),
			OwnerReferences: []metav1.OwnerReference{*metav1.NewControllerRef(ds, appsv1.SchemeGroupVersion.WithKind("DaemonSet"))},
		},
		Data:     runtime.RawExtension{Raw: patch},
		Revision: revision,
	}, nil
}

// CurrentRevision finds ds's current revision among revisions (upstream's Match: data byte-equal
// to DaemonSetPatch(ds)), with rollout.CurrentRevision's rules for duplicates. It returns the
// current one (nil when none matches: the controller then creates NewControllerRevision with
// rollout.NextRevisionNumber(old)), the old ones, and the duplicates the controller deletes.
// Only pass the revisions ds owns (or would adopt): ownership is not checked here.
func CurrentRevision(ds *appsv1.DaemonSet, revisions []appsv1.ControllerRevision) (cur *rollout.Revision, old, dups []rollout.Revision, err error) {
	patch, err := DaemonSetPatch(ds)
	if err != nil {
		return nil, nil, nil, err
	}
	revs := make([]rollout.Revision, len(revisions))
	for i := range revisions {
		revs[i] = RevisionFromKube(&revisions[i])
	}
	cur, old, dups = rollout.CurrentRevision(revs, patch)
	return cur, old, dups, nil
}
