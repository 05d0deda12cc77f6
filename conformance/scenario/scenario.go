// Package scenario reads and writes cluster states as folders of ordinary Kubernetes YAML
// (nodes.yaml, ds.yaml, pods.yaml and optionally revisions.yaml), the layout of
// testdata/upstream-scenarios, and the expected.json files recorded there.
package scenario

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/runtime"
	utilyaml "k8s.io/apimachinery/pkg/util/yaml"
	"k8s.io/client-go/kubernetes/scheme"
	"sigs.k8s.io/yaml"

	"github.com/daemonkit/daemonkit/conformance/harness"
)

// Load reads the cluster in dir. nodes.yaml and ds.yaml are required; pods.yaml and
// revisions.yaml are optional. Each file holds YAML documents separated by "---", each one
// object or a v1 List of objects.
func Load(dir string) (harness.Cluster, error) {
	var c harness.Cluster
	dsObjs, err := readObjects(filepath.Join(dir, "ds.yaml"), true)
	if err != nil {
		return c, err
	}
	if len(dsObjs) != 1 {
		return c, fmt.Errorf("%s: want exactly one DaemonSet, found %d objects", filepath.Join(dir, "ds.yaml"), len(dsObjs))
	}
	ds, ok := dsObjs[0].(*appsv1.DaemonSet)
	if !ok {
		return c, fmt.Errorf("%s: want a DaemonSet, found %T", filepath.Join(dir, "ds.yaml"), dsObjs[0])
	}
	c.DaemonSet = ds
	if c.Nodes, err = readTyped[*corev1.Node](filepath.Join(dir, "nodes.yaml"), true); err != nil {
		return c, err
	}
	if c.Pods, err = readTyped[*corev1.Pod](filepath.Join(dir, "pods.yaml"), false); err != nil {
		return c, err
	}
	if c.Revisions, err = readTyped[*appsv1.ControllerRevision](filepath.Join(dir, "revisions.yaml"), false); err != nil {
		return c, err
	}
	return c, nil
}

func readTyped[T runtime.Object](path string, required bool) ([]T, error) {
	objs, err := readObjects(path, required)
	if err != nil {
		return nil, err
	}
	out := make([]T, 0, len(objs))
	for i, o := range objs {
		t, ok := o.(T)
		if !ok {
			var want T
			return nil, fmt.Errorf("%s: item %d: want %T, found %T", path, i, want, o)
		}
		out = append(out, t)
	}
	return out, nil
}

// readObjects decodes the objects of one file: a single object, or the items of a List.
func readObjects(path string, required bool) ([]runtime.Object, error) {
	data, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) && !required {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read scenario file: %w", err)
	}
	var raws []json.RawMessage
	docs := utilyaml.NewYAMLReader(bufio.NewReader(bytes.NewReader(data)))
	for {
		doc, err := docs.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		js, err := yaml.YAMLToJSON(doc)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		if t := bytes.TrimSpace(js); len(t) == 0 || string(t) == "null" {
			continue // a document holding only comments
		}
		var head struct {
			Kind  string            `json:"kind"`
			Items []json.RawMessage `json:"items"`
		}
		if err := json.Unmarshal(js, &head); err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		if head.Kind == "List" {
			raws = append(raws, head.Items...)
		} else {
			raws = append(raws, js)
		}
	}
	decoder := scheme.Codecs.UniversalDeserializer()
	out := make([]runtime.Object, 0, len(raws))
	for i, raw := range raws {
		obj, _, err := decoder.Decode(raw, nil, nil)
		if err != nil {
			return nil, fmt.Errorf("%s: item %d: %w", path, i, err)
		}
		out = append(out, obj)
	}
	return out, nil
}

// Write stores c in dir (created if needed) in the layout Load reads, so a failing random
// scenario can be replayed and kept as a regression test.
func Write(dir string, c harness.Cluster) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("write scenario: %w", err)
	}
	files := []struct {
		name string
		objs []runtime.Object
	}{
		{"nodes.yaml", list(c.Nodes)},
		{"pods.yaml", list(c.Pods)},
	}
	if len(c.Revisions) > 0 {
		files = append(files, struct {
			name string
			objs []runtime.Object
		}{"revisions.yaml", list(c.Revisions)})
	}
	for _, f := range files {
		if err := writeYAML(filepath.Join(dir, f.name), map[string]any{"apiVersion": "v1", "kind": "List", "items": f.objs}); err != nil {
			return err
		}
	}
	if c.DaemonSet != nil {
		if err := writeYAML(filepath.Join(dir, "ds.yaml"), c.DaemonSet); err != nil {
			return err
		}
	}
	return nil
}

func list[T runtime.Object](in []T) []runtime.Object {
	out := make([]runtime.Object, 0, len(in))
	for _, o := range in {
		out = append(out, o)
	}
	return out
}

func writeYAML(path string, v any) error {
	data, err := yaml.Marshal(v)
	if err != nil {
		return fmt.Errorf("write scenario %s: %w", path, err)
	}
	if err := os.WriteFile(path, data, 0o644); err != nil {
		return fmt.Errorf("write scenario: %w", err)
	}
	return nil
}
