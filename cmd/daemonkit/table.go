package main

import (
	"io"
	"sort"
	"strings"
	"text/tabwriter"
	"time"

	"k8s.io/apimachinery/pkg/util/duration"
)

// newTable returns a tabwriter with kubectl's settings (three spaces between columns), so that
// daemonkit's tables line up the way a kubectl user expects. Rows are tab-separated; call Flush.
func newTable(w io.Writer) *tabwriter.Writer {
	return tabwriter.NewWriter(w, 6, 4, 3, ' ', 0)
}

// row joins cells with tabs and ends the line.
func row(cells ...string) string { return strings.Join(cells, "\t") + "\n" }

// age prints how long ago t was, seen from now, as kubectl's AGE column does ("45s", "3m20s",
// "2d"); a zero t prints "<unknown>".
func age(now, t time.Time) string {
	if t.IsZero() {
		return "<unknown>"
	}
	return duration.HumanDuration(now.Sub(t))
}

// labelString prints a label map as "k1=v1,k2=v2" with keys sorted, or "<none>" when empty.
func labelString(m map[string]string) string {
	if len(m) == 0 {
		return "<none>"
	}
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = k + "=" + m[k]
	}
	return strings.Join(parts, ",")
}

// orNone returns s, or "<none>" when s is empty, kubectl's spelling of a missing value.
func orNone(s string) string {
	if s == "" {
		return "<none>"
	}
	return s
}
