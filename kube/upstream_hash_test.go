package kube

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
)

const upstreamScenarios = "../testdata/upstream-scenarios"

// upstreamFolders lists the folders of testdata/upstream-scenarios, failing the test when there
// are none (a moved folder must not turn the tests that use it into silent passes).
func upstreamFolders(t *testing.T) []string {
	t.Helper()
	entries, err := os.ReadDir(upstreamScenarios)
	if err != nil {
		t.Fatal(err)
	}
	var dirs []string
	for _, e := range entries {
		if e.IsDir() {
			dirs = append(dirs, e.Name())
		}
	}
	if len(dirs) < 61 {
		t.Fatalf("found %d scenario folders in %s, want at least 61", len(dirs), upstreamScenarios)
	}
	return dirs
}

// TestComputeHashUpstreamScenarios checks that every DaemonSet of testdata/upstream-scenarios,
// loaded and defaulted, hashes to what the upstream controller computed for it. The oracle put the
// defaulted objects straight into its informer caches, without an API server's storage between,
// so the files are read AsWritten; TestComputeHashAfterStorage covers the difference.
func TestComputeHashUpstreamScenarios(t *testing.T) {
	for _, dir := range upstreamFolders(t) {
		t.Run(dir, func(t *testing.T) {
			ds, err := LoadDaemonSet(filepath.Join(upstreamScenarios, dir, "ds.yaml"), DecodeOptions{AsWritten: true})
			if err != nil {
				t.Fatal(err)
			}
			for _, file := range []string{"expected.json", "expected-immediate.json"} {
				raw, err := os.ReadFile(filepath.Join(upstreamScenarios, dir, file))
				if err != nil {
					t.Fatal(err)
				}
				var want struct{ Hash string }
				if err := json.Unmarshal(raw, &want); err != nil {
					t.Fatal(err)
				}
				if got := ComputeHash(&ds.Spec.Template, ds.Status.CollisionCount); got != want.Hash {
					t.Errorf("%s: hash %q, want %q", file, got, want.Hash)
				}
			}
		})
	}
}

// TestComputeHashAfterStorage pins the hash a real cluster gives templates whose values protobuf
// storage normalises (an empty list becomes nil, a quantity its canonical form). The wanted values
// were computed with upstream code: the legacyscheme defaulters, a protobuf Marshal/Unmarshal of
// the DaemonSet, and controller.ComputeHash (k8s.io/kubernetes v1.37.2, in a scratch module).
func TestComputeHashAfterStorage(t *testing.T) {
	tests := []struct {
		name, file string
		data       string
		stored, as string // hash after storage, hash as written
	}{
		{name: "empty nodeSelectorTerms", file: "15-affinity-no-terms/ds.yaml", stored: "5ff4948b76", as: "74db48ddb9"},
		{name: "empty values list", file: "16-affinity-broken-terms-skipped/ds.yaml", stored: "5cd7c6cfd7", as: "76bc75665b"},
		{name: "cpu 0.5", data: quantityDaemonSet("0.5"), stored: "d79d849cf"},
		{name: "cpu 1000m", data: quantityDaemonSet("1000m"), stored: "7b78597957"},
		{name: "cpu 1", data: quantityDaemonSet("1"), stored: "7b78597957"},
		{name: "1.5Gi", data: quantityDaemonSet("1.5Gi"), stored: "597689f9fc"},
		{name: "0.0001 rounds up to 1m", data: quantityDaemonSet("0.0001"), stored: "856979c5cc"},
		{name: "12345678901234567890", data: quantityDaemonSet("12345678901234567890"), stored: "7769894b55"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			data := []byte(tt.data)
			if tt.file != "" {
				var err error
				if data, err = os.ReadFile(filepath.Join(upstreamScenarios, tt.file)); err != nil {
					t.Fatal(err)
				}
			}
			stored, err := DecodeDaemonSet(tt.name, data, DecodeOptions{})
			if err != nil {
				t.Fatal(err)
			}
			if got := ComputeHash(&stored.Spec.Template, nil); got != tt.stored {
				t.Errorf("after storage: hash %q, want %q", got, tt.stored)
			}
			if tt.as == "" {
				return
			}
			as, err := DecodeDaemonSet(tt.name, data, DecodeOptions{AsWritten: true})
			if err != nil {
				t.Fatal(err)
			}
			if got := ComputeHash(&as.Spec.Template, nil); got != tt.as {
				t.Errorf("as written: hash %q, want %q", got, tt.as)
			}
		})
	}
}

// quantityDaemonSet is a DaemonSet that uses q as a resource limit and request, an emptyDir size
// limit and a downward API divisor: every place a quantity sits in a template.
func quantityDaemonSet(q string) string {
	return `
apiVersion: apps/v1
kind: DaemonSet
metadata: {name: x}
spec:
  selector: {matchLabels: {app: x}}
  template:
    metadata: {labels: {app: x}}
    spec:
      volumes: [{name: e, emptyDir: {sizeLimit: "` + q + `"}}]
      containers:
      - name: c
        image: nginx
        resources: {limits: {cpu: "` + q + `"}, requests: {memory: "` + q + `"}}
        env: [{name: a, valueFrom: {resourceFieldRef: {resource: limits.cpu, divisor: "` + q + `"}}}]
`
}
