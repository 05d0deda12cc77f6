package scenario_test

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/daemonkit/daemonkit/conformance/harness"
	"github.com/daemonkit/daemonkit/conformance/scenario"
)

// TestWriteLoadRoundTrip: a folder written by Write loads back to the same (normalized) cluster,
// so that a disagreement written out by the differential tests replays as it happened.
func TestWriteLoadRoundTrip(t *testing.T) {
	c, err := scenario.Load("../../testdata/upstream-scenarios/07-failed-pod-and-orphan")
	if err != nil {
		t.Fatal(err)
	}
	c = harness.Normalize(c)
	dir := t.TempDir()
	if err := scenario.Write(dir, c); err != nil {
		t.Fatal(err)
	}
	back, err := scenario.Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	back = harness.Normalize(back)
	if len(back.Pods) != len(c.Pods) || len(c.Pods) == 0 {
		t.Fatalf("pods: wrote %d, read %d", len(c.Pods), len(back.Pods))
	}
	for i := range c.Pods {
		if c.Pods[i].Name != back.Pods[i].Name || !reflect.DeepEqual(c.Pods[i].Spec, back.Pods[i].Spec) ||
			!reflect.DeepEqual(c.Pods[i].Status.Phase, back.Pods[i].Status.Phase) {
			t.Errorf("pod %d differs after the round trip:\n%+v\n%+v", i, c.Pods[i], back.Pods[i])
		}
	}
	if !reflect.DeepEqual(c.DaemonSet.Spec, back.DaemonSet.Spec) || len(c.Nodes) != len(back.Nodes) {
		t.Errorf("DaemonSet or nodes differ after the round trip")
	}
}

// TestLoadErrorsNameTheFile: a broken or mistyped file is an error that names it.
func TestLoadErrorsNameTheFile(t *testing.T) {
	cases := map[string]string{
		"ds.yaml":    "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\n",
		"nodes.yaml": "{not yaml: [",
	}
	for file, content := range cases {
		dir := t.TempDir()
		for _, f := range []string{"ds.yaml", "nodes.yaml"} {
			data := "apiVersion: apps/v1\nkind: DaemonSet\nmetadata: {name: d}\n"
			if f == "nodes.yaml" {
				data = "apiVersion: v1\nkind: List\nitems: []\n"
			}
			if f == file {
				data = content
			}
			if err := os.WriteFile(filepath.Join(dir, f), []byte(data), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		_, err := scenario.Load(dir)
		if err == nil || !strings.Contains(err.Error(), file) {
			t.Errorf("%s broken: error %v does not name the file", file, err)
		}
	}
}

// FuzzLoad: any bytes in the scenario files give a cluster or an error, never a panic.
func FuzzLoad(f *testing.F) {
	f.Add([]byte("apiVersion: apps/v1\nkind: DaemonSet\nmetadata: {name: d}\n"), []byte("apiVersion: v1\nkind: List\nitems: []\n"))
	f.Add([]byte("---\n# only a comment\n---\napiVersion: apps/v1\nkind: DaemonSet\n"), []byte("apiVersion: v1\nkind: Node\nmetadata: {name: n}\n---\nkind: List\nitems: [{}]\n"))
	f.Add([]byte("kind: List\nitems: [1, 2]"), []byte("\x00"))
	f.Fuzz(func(t *testing.T, ds, nodes []byte) {
		dir := t.TempDir()
		if err := os.WriteFile(filepath.Join(dir, "ds.yaml"), ds, 0o644); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, "nodes.yaml"), nodes, 0o644); err != nil {
			t.Fatal(err)
		}
		c, err := scenario.Load(dir)
		if err == nil && c.DaemonSet == nil {
			t.Fatal("Load succeeded without a DaemonSet")
		}
	})
}
