package kube

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/daemonkit/daemonkit/simulate"
)

const scenarioDir = "../simulate/testdata/scenarios"

func TestLoadScenarioExample(t *testing.T) {
	sc, err := LoadScenario(filepath.Join(scenarioDir, "rollout.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	if sc.Name != "node-exporter-rollout" || len(sc.Nodes) != 200 || sc.Duration != 2*time.Hour {
		t.Fatalf("name %q, %d nodes, duration %s", sc.Name, len(sc.Nodes), sc.Duration)
	}
	zones := map[string]int{}
	tainted := 0
	for _, n := range sc.Nodes {
		zones[n.Labels["topology.kubernetes.io/zone"]]++
		tainted += len(n.Taints)
	}
	if zones["eu-west-1a"] != 100 || zones["eu-west-1b"] != 100 || tainted != 10 {
		t.Fatalf("zones %v, tainted %d", zones, tainted)
	}
	if len(sc.Events) != 2 || sc.Events[0].Revision == nil {
		t.Fatalf("events %+v", sc.Events)
	}
	old, next := sc.Revision, sc.Events[0].Revision
	if old.Hash == "" || next.Hash == "" || old.Hash == next.Hash || next.Name != "prom/node-exporter:v1.8.2" {
		t.Fatalf("revisions %+v -> %+v", old, next)
	}
	// The old hash is upstream's for this template (the same template as the upstream-rollouts
	// folders, which record 57d6b7f4cb for v1.8.1 in namespace default).
	r, err := simulate.Run(sc, 1)
	if err != nil {
		t.Fatal(err)
	}
	if r.Violation != nil {
		t.Fatal(r.Violation)
	}
	if !r.Metrics.Completed || r.FinalStatus.DesiredNumberScheduled < 190 {
		t.Fatalf("rollout %+v, status %+v, stalls %v", r.Metrics, r.FinalStatus, r.Stalls)
	}
}

func writeScenario(t *testing.T, body string) string {
	t.Helper()
	dir := t.TempDir()
	ds, err := os.ReadFile(filepath.Join(scenarioDir, "node-exporter.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "ds.yaml"), ds, 0o644); err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(dir, "s.yaml")
	if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

const minimal = `apiVersion: daemonkit.io/v1alpha1
kind: Scenario
daemonset: {file: ds.yaml}
nodes: {generate: {count: 3}}
`

func TestLoadScenarioErrorsNameTheField(t *testing.T) {
	for _, tc := range []struct{ name, body, want string }{
		{"unknown field", minimal + "nodez: 3\n", `unknown field "nodez"`},
		{"nested unknown field", minimal + "podModel: {startLatancy: 1s}\n", `unknown field "startLatancy"`},
		{"wrong kind", strings.Replace(minimal, "kind: Scenario", "kind: Scenarios", 1), "kind: unsupported value"},
		{"wrong apiVersion", strings.Replace(minimal, "v1alpha1", "v1", 1), "apiVersion: unsupported value"},
		{"a DaemonSet", "apiVersion: apps/v1\nkind: DaemonSet\nmetadata: {name: x, generation: 2}\nspec: {}\n", `apiVersion: unsupported value "apps/v1"`},
		{"no daemonset", "apiVersion: daemonkit.io/v1alpha1\nkind: Scenario\nnodes: {generate: {count: 1}}\n", "daemonset.file: required"},
		{"no nodes", "apiVersion: daemonkit.io/v1alpha1\nkind: Scenario\ndaemonset: {file: ds.yaml}\n", "nodes: required"},
		{"bad count", strings.Replace(minimal, "count: 3", "count: 0", 1), "nodes.generate.count"},
		{"bad duration", minimal + "duration: 10 minutes\n", "duration"},
		{"bad dist", minimal + "podModel: {startLatency: {kind: gaussian}}\n", "podModel.startLatency.kind"},
		{"bad event kind", minimal + "events: [{at: 1s, kind: Explode}]\n", "events[0].kind"},
		{"update without image", minimal + "events: [{at: 1s, kind: Update}]\n", "events[0]: image or daemonset: required"},
		{"bad taint effect", minimal + "events: [{at: 1s, kind: Taint, node: node-0, taint: {key: a, effect: NoWay}}]\n", "events[0]: taint: effect"},
		{"bad strategy", minimal + "events: [{at: 1s, kind: Strategy, strategy: {type: RollingUpdate, maxUnavailable: ten}}]\n", "maxUnavailable"},
		{"bad model", minimal + "model: fast\n", "model: unsupported value"},
		{"missing file", strings.Replace(minimal, "ds.yaml", "nope.yaml", 1), "nope.yaml"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := LoadScenario(writeScenario(t, tc.body))
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error %v, want one containing %q", err, tc.want)
			}
		})
	}
}

func TestLoadScenarioUpstreamModel(t *testing.T) {
	body := minimal + `model: upstreamRollouts
upstreamRollouts: {syncPeriod: 1s, readyAfter: 10s}
events:
- {at: 0s, kind: Update, image: prom/node-exporter:v1.8.2}
`
	sc, err := LoadScenario(writeScenario(t, body))
	if err != nil {
		t.Fatal(err)
	}
	sc.RecordSyncs = true
	r, err := simulate.Run(sc, 1)
	if err != nil || r.Violation != nil {
		t.Fatal(err, r.Violation)
	}
	// 3 nodes at 10% (1 node): delete, create, 10 s ready, three times, plus the final sync.
	if r.Metrics.Duration != 33*time.Second || r.Metrics.Waves != 6 {
		t.Fatalf("duration %s waves %d", r.Metrics.Duration, r.Metrics.Waves)
	}
}

func FuzzDecodeScenario(f *testing.F) {
	dir := f.TempDir()
	ds, err := os.ReadFile(filepath.Join(scenarioDir, "node-exporter.yaml"))
	if err != nil {
		f.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "ds.yaml"), ds, 0o644); err != nil {
		f.Fatal(err)
	}
	f.Add([]byte(minimal))
	f.Add([]byte(minimal + "events: [{at: 1s, kind: Update, image: x:2}, {at: 2s, kind: NotReady, node: node-1, for: 1m}]\n"))
	f.Add([]byte(minimal + "podModel: {startLatency: {kind: empirical, values: [1s, 2s]}}\n"))
	f.Add([]byte(minimal + "rates: [{kind: NodeJoin, perHour: 2, labels: {a: b}}]\n"))
	f.Add([]byte("apiVersion: daemonkit.io/v1alpha1\nkind: Scenario\nnodes: {generate: {count: 2, distributions: {z: {a: 1}}}}\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		sc, err := DecodeScenario("fuzz", data, dir)
		if err != nil {
			return
		}
		// A scenario that decodes is valid: simulate accepts it.
		if err := sc.Validate(); err != nil {
			t.Fatalf("decoded scenario does not validate: %v", err)
		}
	})
}

// A scenario's DaemonSets pass the API server's validation: the one it starts with and every
// one an Update event applies, with the file and each broken field named. Simulating a DaemonSet
// whose template leaves its selector would create pods it never owns.
func TestLoadScenarioRefusesAnInvalidDaemonSet(t *testing.T) {
	const bad = `apiVersion: apps/v1
kind: DaemonSet
metadata: {name: node-exporter, namespace: monitoring}
spec:
  selector: {matchLabels: {app: node-exporter}}
  updateStrategy: {type: RollingUpdate, rollingUpdate: {maxUnavailable: 0}}
  template:
    metadata: {labels: {app: other}}
    spec:
      containers: [{name: node-exporter, image: "prom/node-exporter:v1.8.2"}]
`
	for _, tc := range []struct{ name, body string }{
		{"initial", strings.Replace(minimal, "ds.yaml", "bad.yaml", 1)},
		{"update", minimal + "events: [{at: 1s, kind: Update, daemonset: bad.yaml}]\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := writeScenario(t, tc.body)
			if err := os.WriteFile(filepath.Join(filepath.Dir(p), "bad.yaml"), []byte(bad), 0o644); err != nil {
				t.Fatal(err)
			}
			_, err := LoadScenario(p)
			var inv *InvalidDaemonSetError
			if !errors.As(err, &inv) || inv.Name != "node-exporter" {
				t.Fatalf("error %v, want an InvalidDaemonSetError for node-exporter", err)
			}
			for _, want := range []string{"bad.yaml", "spec.template.metadata.labels", "spec.updateStrategy.rollingUpdate.maxUnavailable", "\n  spec."} {
				if !strings.Contains(err.Error(), want) {
					t.Errorf("error %q does not contain %q", err, want)
				}
			}
		})
	}
}

// An Update event's DaemonSet file is an update of the scenario's DaemonSet: the same object, its
// selector unchanged (immutable in apps/v1), even where the file is valid on its own.
func TestLoadScenarioRefusesAnUpdateTheServerRefuses(t *testing.T) {
	const moved = `apiVersion: apps/v1
kind: DaemonSet
metadata: {name: node-exporter, namespace: monitoring}
spec:
  selector: {matchLabels: {app: exporter}}
  template:
    metadata: {labels: {app: exporter}}
    spec:
      containers: [{name: node-exporter, image: "prom/node-exporter:v1.8.2"}]
`
	for _, tc := range []struct{ name, file, want string }{
		{"selector", moved, `spec.selector: Invalid value: "app=exporter": field is immutable (it is app=node-exporter)`},
		{"another DaemonSet", strings.Replace(moved, "namespace: monitoring", "namespace: default", 1), `metadata.name: Invalid value: "default/node-exporter"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := writeScenario(t, minimal+"events: [{at: 1s, kind: Update, daemonset: next.yaml}]\n")
			if err := os.WriteFile(filepath.Join(filepath.Dir(p), "next.yaml"), []byte(tc.file), 0o644); err != nil {
				t.Fatal(err)
			}
			_, err := LoadScenario(p)
			if err == nil || !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), "events[0]: daemonset: next.yaml") {
				t.Fatalf("error %v, want one naming events[0], next.yaml and %q", err, tc.want)
			}
		})
	}
}
