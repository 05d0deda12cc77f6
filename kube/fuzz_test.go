package kube

import (
	"os"
	"path/filepath"
	"testing"
)

// FuzzDecode feeds arbitrary bytes to the decoder: it must return objects or an error, never
// panic, and (by the fuzzer's per-input deadline) never hang. Whatever it accepts must convert
// to the model or fail with an error, and a DaemonSet it accepts must hash and build a daemon pod
// without panicking.
func FuzzDecode(f *testing.F) {
	for _, path := range []string{
		"testdata/node-exporter.yaml", "testdata/ssd-monitor.yaml", "testdata/nodes.yaml",
		"../testdata/upstream-scenarios/07-failed-pod-and-orphan/pods.yaml",
		"../testdata/upstream-scenarios/16-affinity-broken-terms-skipped/ds.yaml",
	} {
		data, err := os.ReadFile(filepath.FromSlash(path))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Add([]byte(twoNodes))
	f.Add([]byte(`{"apiVersion": "v1", "kind": "List", "items": [{"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p"}}]}`))
	f.Add([]byte("apiVersion: apps/v1\nkind: DaemonSetList\nitems:\n- metadata: {name: a}\n  spec: {updateStrategy: {rollingUpdate: {maxUnavailable: 50%}}}\n"))
	f.Add([]byte("a: &a [*a]\n"))
	f.Add([]byte("---\n--- x\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		objs, err := DecodeObjects("fuzz.yaml", data, DecodeOptions{AllowUnknownFields: len(data)%2 == 0})
		if err != nil {
			return
		}
		for _, o := range objs {
			if o.Obj == nil || o.Document < 1 {
				t.Fatalf("decoded object without location or value: %+v", o)
			}
		}
		for _, o := range objs {
			exercise(o)
		}
	})
}

// exercise runs every conversion the package offers on a decoded object; errors are fine.
func exercise(o Object) {
	switch x := o.Obj.(type) {
	case *nodeT:
		_, _ = NodeFromKube(x)
	case *podT:
		_, _ = PodFromKube(x)
	case *daemonSetT:
		_, _ = DaemonSetFromKube(x)
		_ = ComputeHash(&x.Spec.Template, x.Status.CollisionCount)
		_, _ = NewDaemonPod(x, "node-a", "h")
		_, _ = DaemonSetPatch(x)
	case *revisionT:
		_ = RevisionFromKube(x)
	}
}
