package main

import (
	"fmt"
	"io"
	"strconv"
	"time"

	"github.com/daemonkit/daemonkit/daemonset"
)

// planReport is the JSON (and YAML) shape of `daemonkit plan`. The first four fields are the
// documented contract; the rest are extras. Lists are never null: an empty list prints as [].
type planReport struct {
	Creates []planCreate `json:"creates"`
	Deletes []planDelete `json:"deletes"`
	Status  planStatus   `json:"status"`
	Hash    string       `json:"hash"`

	DaemonSet          string       `json:"daemonSet"`
	Observe            string       `json:"observe"`
	Now                string       `json:"now"`
	StatusWritten      bool         `json:"statusWritten"`
	ObservedGeneration int64        `json:"observedGeneration"`
	Adopted            []string     `json:"adopted"`
	Released           []string     `json:"released"`
	Deferred           planDeferred `json:"deferred"`
	RequeueAfter       string       `json:"requeueAfter,omitempty"`
	Skipped            string       `json:"skipped,omitempty"`
	Events             []planEvent  `json:"events"`
	Error              string       `json:"error,omitempty"`
}

type planCreate struct {
	Node   string `json:"node"`
	Reason string `json:"reason"`
}

type planDelete struct {
	Pod    string `json:"pod"`
	Node   string `json:"node"`
	Kind   string `json:"kind"`
	Reason string `json:"reason"`
}

// planStatus is the seven counters, named as in the DaemonSet's status.
type planStatus struct {
	DesiredNumberScheduled int32 `json:"desiredNumberScheduled"`
	CurrentNumberScheduled int32 `json:"currentNumberScheduled"`
	NumberMisscheduled     int32 `json:"numberMisscheduled"`
	NumberReady            int32 `json:"numberReady"`
	UpdatedNumberScheduled int32 `json:"updatedNumberScheduled"`
	NumberAvailable        int32 `json:"numberAvailable"`
	NumberUnavailable      int32 `json:"numberUnavailable"`
}

type planDeferred struct {
	Creates int `json:"creates"`
	Deletes int `json:"deletes"`
}

type planEvent struct {
	Type    string `json:"type"`
	Reason  string `json:"reason"`
	Message string `json:"message"`
}

// newPlanReport turns a Plan result into the report. planErr is a rolling-update error that Plan
// returns alongside manage's decisions; it is reported, not hidden (and plan exits 1).
func newPlanReport(ds *daemonset.DaemonSet, hash string, observe daemonset.ObserveMode, now time.Time, r daemonset.Result, planErr error) planReport {
	rep := planReport{
		Creates:            make([]planCreate, 0, len(r.Creates)),
		Deletes:            make([]planDelete, 0, len(r.Deletes)),
		Status:             statusOf(r.Status),
		Hash:               hash,
		DaemonSet:          ds.Namespace + "/" + ds.Name,
		Observe:            observe.String(),
		Now:                now.UTC().Format(time.RFC3339),
		StatusWritten:      r.StatusWrite,
		ObservedGeneration: r.Status.ObservedGeneration,
		Adopted:            append([]string{}, r.Adopted...),
		Released:           append([]string{}, r.Released...),
		Deferred:           planDeferred{Creates: r.Deferred.Creates, Deletes: r.Deferred.Deletes},
		Skipped:            r.Skipped,
		Events:             make([]planEvent, 0, len(r.Events)),
	}
	for _, c := range r.Creates {
		rep.Creates = append(rep.Creates, planCreate{Node: c.Node, Reason: c.Reason})
	}
	for _, d := range r.Deletes {
		rep.Deletes = append(rep.Deletes, planDelete{Pod: d.Pod, Node: d.Node, Kind: string(d.Kind), Reason: d.Reason})
	}
	for _, e := range r.Events {
		rep.Events = append(rep.Events, planEvent{Type: e.Type, Reason: e.Reason, Message: e.Message})
	}
	if r.RequeueAfter > 0 {
		rep.RequeueAfter = r.RequeueAfter.String()
	}
	if planErr != nil {
		rep.Error = planErr.Error()
	}
	return rep
}

func statusOf(s daemonset.Status) planStatus {
	return planStatus{
		DesiredNumberScheduled: s.DesiredNumberScheduled,
		CurrentNumberScheduled: s.CurrentNumberScheduled,
		NumberMisscheduled:     s.NumberMisscheduled,
		NumberReady:            s.NumberReady,
		UpdatedNumberScheduled: s.UpdatedNumberScheduled,
		NumberAvailable:        s.NumberAvailable,
		NumberUnavailable:      s.NumberUnavailable,
	}
}

// printPlanTable prints the report for a person: a header line, the actions (creates, then
// deletes, each in the plan's order), and the status the controller writes.
func printPlanTable(w io.Writer, rep planReport) error {
	fmt.Fprintf(w, "DaemonSet %s   revision %s   observe %s   now %s\n", rep.DaemonSet, rep.Hash, rep.Observe, rep.Now)
	if rep.Skipped != "" {
		fmt.Fprintf(w, "Skipped: %s (the controller does nothing this sync)\n", rep.Skipped)
	}
	fmt.Fprintln(w)
	if len(rep.Creates)+len(rep.Deletes) == 0 {
		fmt.Fprintln(w, "No creates or deletes.")
	} else {
		t := newTable(w)
		fmt.Fprint(t, row("ACTION", "NODE", "POD", "REASON"))
		for _, c := range rep.Creates {
			fmt.Fprint(t, row("create", c.Node, "-", c.Reason))
		}
		for _, d := range rep.Deletes {
			fmt.Fprint(t, row("delete", d.Node, d.Pod, d.Reason))
		}
		if err := t.Flush(); err != nil {
			return err
		}
	}
	for _, a := range rep.Adopted {
		fmt.Fprintf(w, "adopt    %s\n", a)
	}
	for _, r := range rep.Released {
		fmt.Fprintf(w, "release  %s\n", r)
	}
	if d := rep.Deferred; d.Creates+d.Deletes > 0 {
		fmt.Fprintf(w, "Deferred by the burst cap: %d creates, %d deletes (a later sync issues them)\n", d.Creates, d.Deletes)
	}
	fmt.Fprintln(w)
	if err := printStatusCounters(w, rep.Status); err != nil {
		return err
	}
	written := "status written (observedGeneration " + strconv.FormatInt(rep.ObservedGeneration, 10) + ")"
	if !rep.StatusWritten {
		written = "status unchanged, not written"
	}
	fmt.Fprintln(w, written)
	if rep.RequeueAfter != "" {
		fmt.Fprintf(w, "requeue after %s\n", rep.RequeueAfter)
	}
	for _, e := range rep.Events {
		fmt.Fprintf(w, "event %s %s: %s\n", e.Type, e.Reason, e.Message)
	}
	if rep.Error != "" {
		fmt.Fprintf(w, "error: %s\n", rep.Error)
	}
	return nil
}

// printStatusCounters prints the seven counters as a one-row table.
func printStatusCounters(w io.Writer, s planStatus) error {
	t := newTable(w)
	fmt.Fprint(t, row("DESIRED", "CURRENT", "READY", "UP-TO-DATE", "AVAILABLE", "MISSCHEDULED", "UNAVAILABLE"))
	fmt.Fprint(t, row(itoa(s.DesiredNumberScheduled), itoa(s.CurrentNumberScheduled), itoa(s.NumberReady),
		itoa(s.UpdatedNumberScheduled), itoa(s.NumberAvailable), itoa(s.NumberMisscheduled), itoa(s.NumberUnavailable)))
	return t.Flush()
}
