package simulate

import (
	"reflect"
	"testing"
	"time"

	"github.com/daemonkit/daemonkit/daemonset"
)

// The seed's story, act by act.

func TestStoryThreeNodesGetOnePodEach(t *testing.T) {
	sc := NewScenario("three nodes", testDS("node-exporter", 1, 0), Revision{Name: "v1"}, Nodes("node", 3, nil)...)
	sc.InitialPods = PodsNone
	sc.RecordTimeline = true
	sc = sc.RealCluster()
	r := mustRun(t, sc, 1)
	if !r.Converged {
		t.Fatalf("not converged: %v", r.Stalls)
	}
	if r.Metrics.PodsCreated != 3 || r.Metrics.PodsDeleted != 0 {
		t.Fatalf("created %d deleted %d, want 3 and 0", r.Metrics.PodsCreated, r.Metrics.PodsDeleted)
	}
	if r.FinalStatus.DesiredNumberScheduled != 3 || r.FinalStatus.NumberAvailable != 3 {
		t.Fatalf("final status %+v", r.FinalStatus)
	}
	if len(r.Timeline.Nodes) != 3 {
		t.Fatalf("timeline nodes %d", len(r.Timeline.Nodes))
	}
	for _, n := range r.Timeline.Nodes {
		last := n.Segments[len(n.Segments)-1]
		if !last.Available || last.Pods != 1 {
			t.Fatalf("node %s ends %+v", n.Node, last)
		}
	}
}

func TestStoryNodeFourJoins(t *testing.T) {
	sc := NewScenario("node-4 joins", testDS("node-exporter", 1, 0), Revision{Name: "v1"}, Nodes("node", 3, nil)...)
	sc = sc.RealCluster()
	sc = sc.At(time.Minute, Join("node-4", map[string]string{"kubernetes.io/os": "linux"}))
	sc.RecordTrace = true
	r := mustRun(t, sc, 1)
	if !r.Converged || r.Metrics.PodsCreated != 1 {
		t.Fatalf("converged %v, created %d (want 1)", r.Converged, r.Metrics.PodsCreated)
	}
	var created *TraceEvent
	for i, e := range r.Trace {
		if e.Kind == "PodCreated" {
			created = &r.Trace[i]
		}
	}
	if created == nil || created.Node != "node-4" {
		t.Fatalf("pod created on %+v, want node-4", created)
	}
	// The node joins not-ready for 20-40 s; the pod comes only after that.
	if created.At < time.Minute+20*time.Second {
		t.Fatalf("pod created at %s, before node-4 was ready", created.At)
	}
	if r.FinalStatus.DesiredNumberScheduled != 4 {
		t.Fatalf("desired %d", r.FinalStatus.DesiredNumberScheduled)
	}
}

func TestStorySSDLabelsBringSSDMonitor(t *testing.T) {
	ds := testDS("ssd-monitor", 1, 0)
	ds.Template.NodeSelector = map[string]string{"disktype": "ssd"}
	sc := NewScenario("ssd", ds, Revision{Name: "v1"}, Nodes("node", 4, nil)...)
	sc = sc.RealCluster()
	sc = sc.At(10*time.Second, LabelNode("node-1", map[string]string{"disktype": "ssd"}))
	sc = sc.At(10*time.Second, LabelNode("node-3", map[string]string{"disktype": "ssd"}))
	sc.RecordTrace = true
	r := mustRun(t, sc, 7)
	if !r.Converged {
		t.Fatalf("not converged: %v", r.Stalls)
	}
	got := map[string]bool{}
	for _, e := range r.Trace {
		if e.Kind == "PodCreated" {
			got[e.Node] = true
		}
	}
	if len(got) != 2 || !got["node-1"] || !got["node-3"] {
		t.Fatalf("pods created on %v, want node-1 and node-3 only", got)
	}
	if r.FinalStatus.DesiredNumberScheduled != 2 || r.FinalStatus.NumberAvailable != 2 {
		t.Fatalf("final status %+v", r.FinalStatus)
	}
}

func TestStoryNewImageRollsOutOneNodeAtATime(t *testing.T) {
	sc := NewScenario("new image", testDS("node-exporter", 1, 0), Revision{Name: "prom/node-exporter:v1.8.1"}, Nodes("node", 3, nil)...)
	sc = sc.RealCluster()
	sc = sc.At(time.Minute, UpdateTo("prom/node-exporter:v1.8.2"))
	sc.RecordTrace = true
	sc.RecordTimeline = true
	r := mustRun(t, sc, 3)
	if !r.Converged || !r.Metrics.Completed {
		t.Fatalf("not converged: %v", r.Stalls)
	}
	if r.Metrics.MaxUnavailable != 1 || r.Metrics.MaxControllerUnavailable != 1 {
		t.Fatalf("max unavailable %d / controller %d, want 1", r.Metrics.MaxUnavailable, r.Metrics.MaxControllerUnavailable)
	}
	// Deletes and creates alternate: never two deletes without a create between.
	var seq []string
	for _, e := range r.Trace {
		if e.Kind == "PodDeleted" || e.Kind == "PodCreated" {
			seq = append(seq, e.Kind+"@"+e.Node)
		}
	}
	if len(seq) != 6 {
		t.Fatalf("sequence %v", seq)
	}
	for i := 0; i < len(seq); i += 2 {
		if seq[i][:10] != "PodDeleted" || seq[i+1][:10] != "PodCreated" || seq[i][11:] != seq[i+1][11:] {
			t.Fatalf("sequence %v: want delete then create on the same node, one node at a time", seq)
		}
	}
	if len(r.Metrics.Downtime) != 3 {
		t.Fatalf("downtime %v", r.Metrics.Downtime)
	}
	if r.Metrics.Duration <= 0 || r.Metrics.Waves < 6 {
		t.Fatalf("metrics %+v", r.Metrics)
	}
	if r.FinalStatus.UpdatedNumberScheduled != 3 {
		t.Fatalf("status %+v", r.FinalStatus)
	}
	_ = daemonset.PodRunning
}

// The timeline of a rollout: every node runs the old revision, is down for a while, then runs the
// new one; only one node is down at a time.
func TestTimelineOfARollout(t *testing.T) {
	sc := NewScenario("timeline", testDS("agent", 1, 0), Revision{Name: "v1"}, Nodes("node", 4, nil)...)
	sc = sc.UpstreamRollouts(time.Second, 10*time.Second, 0)
	sc = sc.At(0, UpdateTo("v2"))
	sc.RecordTimeline = true
	r := mustRun(t, sc, 1)
	tl := r.Timeline
	oldH, newH := HashName("v1"), HashName("v2")
	if len(tl.Revisions) != 2 || tl.Revisions[0] != oldH || tl.Revisions[1] != newH {
		t.Fatalf("revisions %v", tl.Revisions)
	}
	startedOld := 0
	for _, n := range tl.Nodes {
		first, last := n.Segments[0], n.Segments[len(n.Segments)-1]
		if first.Revision == oldH && first.Available {
			startedOld++
		}
		if first.From != 0 || last.Revision != newH || !last.Available || last.To != tl.End {
			t.Fatalf("node %s: %+v", n.Node, n.Segments)
		}
		for i := 1; i < len(n.Segments); i++ {
			if n.Segments[i].From != n.Segments[i-1].To {
				t.Fatalf("node %s: gap between segments %+v", n.Node, n.Segments)
			}
		}
	}
	// node-0 goes down at 0 s, so its zero-length old segment is not kept.
	if startedOld != 3 {
		t.Fatalf("%d nodes start on the old revision, want 3", startedOld)
	}
	// Downtime from the timeline agrees with the metrics: 11 s per node (a sync, then 10 s).
	dt := tl.Downtime()
	if !reflect.DeepEqual(dt, r.Metrics.Downtime) || len(dt) != 4 || dt[0].Downtime != 11*time.Second {
		t.Fatalf("timeline downtime %v, metrics %v", dt, r.Metrics.Downtime)
	}
}
