package main

import "github.com/daemonkit/daemonkit/simulate"

// simulateReport is the JSON/YAML shape of simulate's result: keys in camelCase and durations as
// Go duration strings ("26.225s"), as in plan's and forecast's reports. Lists are never null.
type simulateReport struct {
	Scenario  string             `json:"scenario"`
	Seed      uint64             `json:"seed"`
	End       string             `json:"end"`
	Steps     int                `json:"steps"`
	Converged bool               `json:"converged"`
	Metrics   simulateMetrics    `json:"metrics"`
	Status    planStatus         `json:"finalStatus"`
	Outcome   simulateOutcome    `json:"outcome"`
	Stalls    []simulateStall    `json:"stalls"`
	Violation *simulateViolation `json:"violation,omitempty"`
	Replay    string             `json:"replay,omitempty"`
}

// simulateMetrics is simulate.Metrics; see there for what each figure means.
type simulateMetrics struct {
	Rollout                  bool           `json:"rollout"`
	Start                    string         `json:"start"`
	End                      string         `json:"end"`
	Duration                 string         `json:"duration"`
	Completed                bool           `json:"completed"`
	AllUpdated               bool           `json:"allUpdated"`
	UpdatedDuration          string         `json:"updatedDuration"`
	Waves                    int            `json:"waves"`
	Syncs                    int            `json:"syncs"`
	Plans                    int            `json:"plans"`
	FastPlans                int            `json:"fastPlans"`
	MaxUnavailable           int            `json:"maxUnavailable"`
	MaxControllerUnavailable int            `json:"maxControllerUnavailable"`
	MaxSurge                 int            `json:"maxSurge"`
	Budget                   int            `json:"budget"`
	SurgeBudget              int            `json:"surgeBudget"`
	PodsCreated              int            `json:"podsCreated"`
	PodsDeleted              int            `json:"podsDeleted"`
	PodsFailed               int            `json:"podsFailed"`
	APICalls                 int            `json:"apiCalls"`
	APIErrors                int            `json:"apiErrors"`
	Downtime                 []nodeDowntime `json:"downtime"`
}

type nodeDowntime struct {
	Node     string `json:"node"`
	Downtime string `json:"downtime"`
}

type simulateOutcome struct {
	Class       simulate.OutcomeClass `json:"class"`
	Desired     int                   `json:"desired"`
	Updated     int                   `json:"updated"`
	Unavailable int                   `json:"unavailable"`
	Causes      []causeCount          `json:"causes"`
	Blocked     string                `json:"blocked,omitempty"`
}

type causeCount struct {
	Cause string `json:"cause"`
	Nodes int    `json:"nodes"`
}

type simulateStall struct {
	Node  string `json:"node"`
	Cause string `json:"cause"`
}

// simulateViolation is simulate.Violation; History keeps the trace's own shape (the --trace
// file's lines, offsets in nanoseconds).
type simulateViolation struct {
	Invariant string                `json:"invariant"`
	Detail    string                `json:"detail"`
	Seed      uint64                `json:"seed"`
	At        string                `json:"at"`
	Step      int                   `json:"step"`
	History   []simulate.TraceEvent `json:"history"`
}

// newSimulateReport is the printable form of a run; replay is the command that replays a
// violation ("" without one).
func newSimulateReport(res *simulate.Result, replay string) simulateReport {
	m := res.Metrics
	rep := simulateReport{Scenario: res.Scenario, Seed: res.Seed, End: res.End.String(), Steps: res.Steps,
		Converged: res.Converged, Status: statusOf(res.FinalStatus), Replay: replay,
		Metrics: simulateMetrics{Rollout: m.Rollout, Start: m.Start.String(), End: m.End.String(), Duration: m.Duration.String(),
			Completed: m.Completed, AllUpdated: m.AllUpdated, UpdatedDuration: m.UpdatedDuration.String(), Waves: m.Waves,
			Syncs: m.Syncs, Plans: m.Plans, FastPlans: m.FastPlans, MaxUnavailable: m.MaxUnavailable,
			MaxControllerUnavailable: m.MaxControllerUnavailable, MaxSurge: m.MaxSurge, Budget: m.Budget,
			SurgeBudget: m.SurgeBudget, PodsCreated: m.PodsCreated, PodsDeleted: m.PodsDeleted, PodsFailed: m.PodsFailed,
			APICalls: m.APICalls, APIErrors: m.APIErrors, Downtime: make([]nodeDowntime, 0, len(m.Downtime))},
		Outcome: simulateOutcome{Class: res.Outcome.Class, Desired: res.Outcome.Desired, Updated: res.Outcome.Updated,
			Unavailable: res.Outcome.Unavailable, Blocked: res.Outcome.Blocked, Causes: make([]causeCount, 0, len(res.Outcome.Causes))},
		Stalls: make([]simulateStall, 0, len(res.Stalls)),
	}
	for _, d := range m.Downtime {
		rep.Metrics.Downtime = append(rep.Metrics.Downtime, nodeDowntime{Node: d.Node, Downtime: d.Downtime.String()})
	}
	for _, c := range res.Outcome.Causes {
		rep.Outcome.Causes = append(rep.Outcome.Causes, causeCount{Cause: c.Cause, Nodes: c.Nodes})
	}
	for _, s := range res.Stalls {
		rep.Stalls = append(rep.Stalls, simulateStall{Node: s.Node, Cause: s.Cause})
	}
	if v := res.Violation; v != nil {
		rep.Violation = &simulateViolation{Invariant: v.Invariant, Detail: v.Detail, Seed: v.Seed, At: v.At.String(),
			Step: v.Step, History: append([]simulate.TraceEvent{}, v.History...)}
	}
	return rep
}
