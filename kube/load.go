package kube

import (
	"fmt"
	"strings"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/runtime"
)

// LoadNodes reads the Nodes of a manifest file (see DecodeObjects for the accepted forms).
func LoadNodes(path string, opts DecodeOptions) ([]corev1.Node, error) {
	data, err := ReadManifest(path)
	if err != nil {
		return nil, err
	}
	return DecodeNodes(path, data, opts)
}

// LoadPods reads the Pods of a manifest file.
func LoadPods(path string, opts DecodeOptions) ([]corev1.Pod, error) {
	data, err := ReadManifest(path)
	if err != nil {
		return nil, err
	}
	return DecodePods(path, data, opts)
}

// LoadDaemonSet reads a manifest file that holds exactly one DaemonSet.
func LoadDaemonSet(path string, opts DecodeOptions) (*appsv1.DaemonSet, error) {
	data, err := ReadManifest(path)
	if err != nil {
		return nil, err
	}
	return DecodeDaemonSet(path, data, opts)
}

// LoadControllerRevisions reads the ControllerRevisions of a manifest file.
func LoadControllerRevisions(path string, opts DecodeOptions) ([]appsv1.ControllerRevision, error) {
	data, err := ReadManifest(path)
	if err != nil {
		return nil, err
	}
	return DecodeControllerRevisions(path, data, opts)
}

// DecodeNodes reads Nodes from manifest data; any other kind is an error.
func DecodeNodes(name string, data []byte, opts DecodeOptions) ([]corev1.Node, error) {
	return decodeAs[corev1.Node](name, data, opts, "Node")
}

// DecodePods reads Pods from manifest data; any other kind is an error.
func DecodePods(name string, data []byte, opts DecodeOptions) ([]corev1.Pod, error) {
	return decodeAs[corev1.Pod](name, data, opts, "Pod")
}

// DecodeControllerRevisions reads ControllerRevisions from manifest data; any other kind is an error.
func DecodeControllerRevisions(name string, data []byte, opts DecodeOptions) ([]appsv1.ControllerRevision, error) {
	return decodeAs[appsv1.ControllerRevision](name, data, opts, "ControllerRevision")
}

// DecodeDaemonSet reads manifest data that holds exactly one DaemonSet and nothing else.
func DecodeDaemonSet(name string, data []byte, opts DecodeOptions) (*appsv1.DaemonSet, error) {
	all, err := decodeAs[appsv1.DaemonSet](name, data, opts, "DaemonSet")
	if err != nil {
		return nil, err
	}
	switch len(all) {
	case 0:
		return nil, fmt.Errorf("%s: no DaemonSet found", name)
	case 1:
		return &all[0], nil
	default:
		names := make([]string, len(all))
		for i := range all {
			names[i] = all[i].Name
		}
		return nil, fmt.Errorf("%s: holds %d DaemonSets (%s); a DaemonSet file must hold exactly one", name, len(all), strings.Join(names, ", "))
	}
}

// decodeAs decodes data and insists that every object is a T.
func decodeAs[T any, PT interface {
	*T
	runtime.Object
}](name string, data []byte, opts DecodeOptions, kind string) ([]T, error) {
	objs, err := DecodeObjects(name, data, opts)
	if err != nil {
		return nil, err
	}
	out := make([]T, 0, len(objs))
	for _, o := range objs {
		t, ok := o.Obj.(PT)
		if !ok {
			gvk := o.Obj.GetObjectKind().GroupVersionKind()
			return nil, &DecodeError{File: name, Document: o.Document, Item: o.Item, Kind: gvk.Kind, Name: objectName(o.Obj),
				Err: fmt.Errorf("expected kind %s, got %s", kind, gvk.Kind)}
		}
		out = append(out, *t)
	}
	return out, nil
}

func objectName(o runtime.Object) string {
	type named interface {
		GetName() string
		GetNamespace() string
	}
	if n, ok := o.(named); ok {
		if n.GetNamespace() != "" {
			return n.GetNamespace() + "/" + n.GetName()
		}
		return n.GetName()
	}
	return ""
}
