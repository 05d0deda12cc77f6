package kube

import (
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	corev1 "k8s.io/api/core/v1"
)

var update = flag.Bool("update", false, "rewrite the golden files of kube/testdata/golden")

// golden compares got, printed as indented JSON, with testdata/golden/<name>; -update rewrites it.
func golden(t *testing.T, name string, got any) {
	t.Helper()
	out, err := json.MarshalIndent(got, "", "  ")
	require.NoError(t, err)
	out = append(out, '\n')
	path := filepath.Join("testdata", "golden", name)
	if *update {
		require.NoError(t, os.MkdirAll(filepath.Dir(path), 0o755))
		require.NoError(t, os.WriteFile(path, out, 0o644))
	}
	want, err := os.ReadFile(path)
	require.NoError(t, err, "run go test ./kube -run %s -update to create it", t.Name())
	assert.Equal(t, string(want), string(out), "golden file %s differs; review and rerun with -update", path)
}

// The hashes pinned here were computed with upstream code (legacyscheme defaulting, a protobuf
// round trip, controller.ComputeHash of k8s.io/kubernetes v1.37.2) in a scratch module.
func TestGoldenNodeExporter(t *testing.T) {
	ds, err := LoadDaemonSet("testdata/node-exporter.yaml", DecodeOptions{})
	require.NoError(t, err)
	assert.Equal(t, "847f6c5c9", ComputeHash(&ds.Spec.Template, nil), "hash after storage")
	asWritten, err := LoadDaemonSet("testdata/node-exporter.yaml", DecodeOptions{AsWritten: true})
	require.NoError(t, err)
	// cpu "0.25" is stored as "250m": the in-process hash differs.
	assert.Equal(t, "64b6549d58", ComputeHash(&asWritten.Spec.Template, nil), "hash as written")

	// Template defaults: no hostPort for hostNetwork in a template (that is Pod-only), TCP ports,
	// the hostPath type, probe timings, the pull policy of a tagged image.
	c := ds.Spec.Template.Spec.Containers[0]
	assert.Equal(t, int32(0), c.Ports[0].HostPort)
	assert.Equal(t, corev1.ProtocolTCP, c.Ports[0].Protocol)
	assert.Equal(t, corev1.PullIfNotPresent, c.ImagePullPolicy)
	assert.Equal(t, corev1.HostPathUnset, *ds.Spec.Template.Spec.Volumes[2].HostPath.Type)
	assert.Equal(t, "/", c.ReadinessProbe.HTTPGet.Path)
	assert.Equal(t, int32(3), c.LivenessProbe.FailureThreshold)

	model, err := DaemonSetFromKube(ds)
	require.NoError(t, err)
	golden(t, "node-exporter.model.json", model)

	pod, err := NewDaemonPod(ds, "worker-1", ComputeHash(&ds.Spec.Template, nil))
	require.NoError(t, err)
	golden(t, "node-exporter.pod.json", pod)
}

func TestGoldenSSDMonitor(t *testing.T) {
	ds, err := LoadDaemonSet("testdata/ssd-monitor.yaml", DecodeOptions{})
	require.NoError(t, err)
	assert.Equal(t, "7cf9cd87b", ComputeHash(&ds.Spec.Template, nil))
	// An untagged image is pulled Always (its tag is "latest").
	assert.Equal(t, corev1.PullAlways, ds.Spec.Template.Spec.Containers[0].ImagePullPolicy)
	model, err := DaemonSetFromKube(ds)
	require.NoError(t, err)
	golden(t, "ssd-monitor.model.json", model)
}

func TestGoldenNodeList(t *testing.T) {
	nodes, err := LoadNodes("testdata/nodes.yaml", DecodeOptions{})
	require.NoError(t, err)
	require.Len(t, nodes, 3)
	// worker-1 reports only capacity: the API server copies it to allocatable.
	assert.Equal(t, nodes[1].Status.Capacity.Memory().String(), nodes[1].Status.Allocatable.Memory().String())
	model, err := NodesFromKube(nodes)
	require.NoError(t, err)
	golden(t, "nodes.model.json", model)
}
