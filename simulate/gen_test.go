package simulate

import (
	"fmt"
	"math/rand/v2"
	"strconv"
	"time"

	"github.com/daemonkit/daemonkit/daemonset"
	"github.com/daemonkit/daemonkit/rollout"
	"github.com/daemonkit/daemonkit/selector"
	"pgregory.net/rapid"
)

// picker draws the choices of a random scenario, from rapid (shrinkable) or from a seed (soak).
type picker interface {
	intn(lo, hi int, label string) int
}

type rapidPicker struct{ t *rapid.T }

func (p rapidPicker) intn(lo, hi int, label string) int {
	return rapid.IntRange(lo, hi).Draw(p.t, label)
}

type randPicker struct{ r *rand.Rand }

func (p randPicker) intn(lo, hi int, _ string) int { return lo + p.r.IntN(hi-lo+1) }

// randomScenario builds a small cluster with a rollout, churn and faults: labels, taints of every
// effect, NotReady and unreachable nodes, joins and removals, API errors, informer lag, flapping,
// and sometimes a bad image.
func randomScenario(p picker) Scenario {
	n := p.intn(1, 12, "nodes")
	nodes := Nodes("node", n, nil)
	for i := range nodes {
		if p.intn(0, 2, "ssd") == 0 {
			nodes[i].Labels["disktype"] = "ssd"
		}
		nodes[i].Labels["zone"] = []string{"a", "b"}[p.intn(0, 1, "zone")]
	}
	ds := testDS("agent", 1, 0)
	switch p.intn(0, 4, "strategy") {
	case 0:
		v := rollout.FromInt(int32(p.intn(1, 3, "maxUnavailable")))
		ds.UpdateStrategy.RollingUpdate.MaxUnavailable = &v
	case 1:
		v := rollout.FromString(strconv.Itoa(p.intn(1, 100, "pct")) + "%")
		ds.UpdateStrategy.RollingUpdate.MaxUnavailable = &v
	case 2, 3:
		z := rollout.FromInt(0)
		v := rollout.FromInt(int32(p.intn(1, 3, "maxSurge")))
		ds.UpdateStrategy.RollingUpdate.MaxUnavailable = &z
		ds.UpdateStrategy.RollingUpdate.MaxSurge = &v
	case 4:
		ds.UpdateStrategy = daemonset.UpdateStrategy{Type: daemonset.OnDeleteStrategy}
	}
	if p.intn(0, 3, "nodeSelector") == 0 {
		ds.Template.NodeSelector = map[string]string{"disktype": "ssd"}
	}
	if p.intn(0, 2, "minReady") == 0 {
		ds.MinReadySeconds = int32(p.intn(1, 20, "minReadySeconds"))
	}
	sc := NewScenario("random", ds, Revision{Name: "v1"}, nodes...).RealCluster()
	if p.intn(0, 1, "start empty") == 0 {
		sc.InitialPods = PodsNone
	}
	if p.intn(0, 2, "periodic") == 0 {
		sc.Controller.SyncPeriod = time.Second
	}
	if p.intn(0, 2, "lag") == 0 {
		sc.Controller.InformerLag = Uniform(0, time.Duration(p.intn(1, 500, "lagMs"))*time.Millisecond)
	}
	if p.intn(0, 2, "api errors") == 0 {
		sc.API.CreateErrorRate = float64(p.intn(1, 30, "createErr")) / 100
		sc.API.DeleteErrorRate = float64(p.intn(1, 30, "deleteErr")) / 100
	}
	if p.intn(0, 3, "flap") == 0 {
		sc.PodModel.FlapRate = float64(p.intn(1, 60, "flapPerHour"))
		sc.PodModel.FlapDuration = Uniform(time.Second, 30*time.Second)
	}
	horizon := 20 * time.Minute
	at := func(label string) time.Duration {
		return time.Duration(p.intn(0, int(horizon/time.Second), label)) * time.Second
	}
	node := func(label string) string { return "node-" + strconv.Itoa(p.intn(0, n+2, label)) }
	k := p.intn(1, 10, "events")
	for i := range k {
		l := fmt.Sprint("event", i)
		var e Event
		switch p.intn(0, 11, l) {
		case 0, 1:
			rev := Revision{Name: "v" + strconv.Itoa(i+2)}
			if p.intn(0, 5, l+" bad image") == 0 {
				rev.CrashProbability = 1
			}
			e = Event{Kind: EventUpdate, Revision: &rev}
		case 2:
			e = Join("node-"+strconv.Itoa(n+p.intn(0, 2, l+" join")), map[string]string{"disktype": "ssd"})
		case 3:
			e = Event{Kind: EventNodeRemove, Node: node(l)}
		case 4:
			e = LabelNode(node(l), map[string]string{"disktype": "ssd"})
		case 5:
			e = Event{Kind: EventUnlabel, Node: node(l), Labels: map[string]string{"disktype": ""}}
		case 6:
			eff := []selector.TaintEffect{selector.NoSchedule, selector.PreferNoSchedule, selector.NoExecute}[p.intn(0, 2, l+" effect")]
			e = TaintNode(node(l), selector.Taint{Key: "dedicated", Value: "x", Effect: eff})
			e.For = time.Duration(p.intn(0, 600, l+" for")) * time.Second
		case 7:
			e = Event{Kind: []EventKind{EventNotReady, EventUnreachable}[p.intn(0, 1, l+" kind")], Node: node(l)}
			e.For = time.Duration(p.intn(1, 600, l+" for")) * time.Second
		case 8:
			e = Event{Kind: EventCordon, Node: node(l), For: time.Duration(p.intn(0, 600, l+" for")) * time.Second}
		case 9:
			e = Event{Kind: EventDeletePod, Node: node(l)}
		case 10:
			z, one := rollout.FromInt(0), rollout.FromInt(int32(p.intn(1, 2, l+" v")))
			st := daemonset.UpdateStrategy{Type: daemonset.RollingUpdateStrategy, RollingUpdate: &daemonset.RollingUpdate{MaxUnavailable: &one, MaxSurge: &z}}
			if p.intn(0, 1, l+" surge") == 0 {
				st.RollingUpdate.MaxUnavailable, st.RollingUpdate.MaxSurge = &z, &one
			}
			e = Event{Kind: EventStrategy, Strategy: &st}
		case 11:
			e = Event{Kind: EventPause, For: time.Duration(p.intn(1, 300, l+" for")) * time.Second}
		}
		sc = sc.At(at(l+" at"), e)
	}
	if p.intn(0, 2, "churn") == 0 {
		sc.Rates = append(sc.Rates,
			Rate{Kind: EventNotReady, PerHour: 6, To: horizon, For: Uniform(10*time.Second, 5*time.Minute)},
			Rate{Kind: EventNodeJoin, PerHour: 3, To: horizon, Template: Event{Node: "joined"}})
	}
	sc.Duration = horizon + Settle + 10*time.Minute
	return sc
}
