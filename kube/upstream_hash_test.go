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
// loaded and defaulted, hashes to what the upstream controller computed for it.
func TestComputeHashUpstreamScenarios(t *testing.T) {
	for _, dir := range upstreamFolders(t) {
		t.Run(dir, func(t *testing.T) {
			ds, err := LoadDaemonSet(filepath.Join(upstreamScenarios, dir, "ds.yaml"), DecodeOptions{})
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
