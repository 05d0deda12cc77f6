package main

import (
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/daemonkit/daemonkit/daemonset"
)

// daemonSetRow is one line of `get daemonsets`.
type daemonSetRow struct {
	Name         string
	Status       daemonset.Status
	NodeSelector map[string]string
	Created      time.Time
}

// daemonSetRowOf builds the row for ds, created at created.
func daemonSetRowOf(ds daemonset.DaemonSet, created time.Time) daemonSetRow {
	return daemonSetRow{Name: ds.Name, Status: ds.Status, NodeSelector: ds.Template.NodeSelector, Created: created}
}

// printDaemonSets prints rows the way `kubectl get daemonsets` does, sorted by name.
func printDaemonSets(w io.Writer, now time.Time, rows []daemonSetRow) error {
	rows = append([]daemonSetRow(nil), rows...)
	sort.Slice(rows, func(i, j int) bool { return rows[i].Name < rows[j].Name })
	t := newTable(w)
	fmt.Fprint(t, row("NAME", "DESIRED", "CURRENT", "READY", "UP-TO-DATE", "AVAILABLE", "NODE SELECTOR", "AGE"))
	for _, r := range rows {
		s := r.Status
		fmt.Fprint(t, row(r.Name, itoa(s.DesiredNumberScheduled), itoa(s.CurrentNumberScheduled),
			itoa(s.NumberReady), itoa(s.UpdatedNumberScheduled), itoa(s.NumberAvailable),
			labelString(r.NodeSelector), age(now, r.Created)))
	}
	return t.Flush()
}

// podRow is one line of `get pods -o wide`.
type podRow struct {
	Name     string
	Ready    bool
	Status   string
	Restarts int
	Created  time.Time
	IP       string
	Node     string
	Labels   map[string]string
}

// podRowOf builds the row for p. The model carries no IP or restart count; callers that know them
// (a simulation) fill them in.
func podRowOf(p daemonset.Pod) podRow {
	status := string(p.Phase)
	if p.DeletionTimestamp != nil {
		status = "Terminating"
	}
	if status == "" {
		status = "Unknown"
	}
	return podRow{
		Name:    p.Name,
		Ready:   p.Ready == daemonset.ConditionTrue,
		Status:  status,
		Created: p.CreationTimestamp,
		Node:    p.NodeName,
		Labels:  p.Labels,
	}
}

// printPodsWide prints rows the way `kubectl get pods -o wide -L <labelColumns>` does, sorted by
// name. Each label column is headed by its key in upper case, as kubectl heads -L columns.
func printPodsWide(w io.Writer, now time.Time, rows []podRow, labelColumns ...string) error {
	rows = append([]podRow(nil), rows...)
	sort.Slice(rows, func(i, j int) bool { return rows[i].Name < rows[j].Name })
	t := newTable(w)
	header := []string{"NAME", "READY", "STATUS", "RESTARTS", "AGE", "IP", "NODE", "NOMINATED NODE", "READINESS GATES"}
	for _, k := range labelColumns {
		header = append(header, strings.ToUpper(k))
	}
	fmt.Fprint(t, row(header...))
	for _, r := range rows {
		ready := "0/1"
		if r.Ready {
			ready = "1/1"
		}
		cells := []string{r.Name, ready, r.Status, strconv.Itoa(r.Restarts), age(now, r.Created),
			orNone(r.IP), orNone(r.Node), "<none>", "<none>"}
		for _, k := range labelColumns {
			cells = append(cells, r.Labels[k])
		}
		fmt.Fprint(t, row(cells...))
	}
	return t.Flush()
}

func itoa(n int32) string { return strconv.Itoa(int(n)) }
