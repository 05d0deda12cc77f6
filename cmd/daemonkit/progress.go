package main

import (
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"golang.org/x/term"

	"github.com/daemonkit/daemonkit/simulate"
)

// isTerminal reports whether w is a terminal. Anything that is not an *os.File (a buffer in a
// test, a pipe wrapper) is not.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}

// progressBar draws "label [#####-----]  45%  9/20 note" on one terminal line, redrawing in place
// with a carriage return. It draws only when its writer is a terminal, so piped output and logs
// stay clean; a disabled bar does nothing.
type progressBar struct {
	w       io.Writer
	label   string
	total   int
	enabled bool
	// last is the line drawn last ("" before the first draw): an unchanged line is not redrawn,
	// and Done erases as many columns. drawn is when: a terminal is redrawn at most every
	// redrawEvery, however fast the work reports.
	last  string
	drawn time.Time
}

const redrawEvery = 50 * time.Millisecond

const progressWidth = 30

// newProgress returns a bar over total units that draws on e.stderr when it is a terminal.
func newProgress(e env, label string, total int) *progressBar {
	return &progressBar{w: e.stderr, label: label, total: total, enabled: e.isTerminal(e.stderr)}
}

// Set records that done of the bar's total units are finished.
func (p *progressBar) Set(done int) { p.Update(done, p.total, "") }

// Update records that done of total units are finished (the total may change as it goes: nodes
// join a simulated cluster), with a note after the count; it redraws when the line changed.
func (p *progressBar) Update(done, total int, note string) {
	if !p.enabled || total <= 0 {
		return
	}
	done = min(max(done, 0), total)
	filled := done * progressWidth / total
	line := fmt.Sprintf("%s [%s%s] %3d%%  %d/%d", p.label,
		strings.Repeat("#", filled), strings.Repeat("-", progressWidth-filled), done*100/total, done, total)
	if note != "" {
		line += " " + note
	}
	if line == p.last || (done < total && time.Since(p.drawn) < redrawEvery) {
		return
	}
	p.drawn = time.Now()
	pad := ""
	if n := len(p.last) - len(line); n > 0 {
		pad = strings.Repeat(" ", n) + strings.Repeat("\b", n)
	}
	p.last = line
	fmt.Fprintf(p.w, "\r%s%s", line, pad)
}

// Done erases the bar so the results print on a clean line.
func (p *progressBar) Done() {
	if !p.enabled || p.last == "" {
		return
	}
	fmt.Fprintf(p.w, "\r%s\r", strings.Repeat(" ", len(p.last)))
	p.last = ""
}

// simulationProgress is a Scenario.Progress that shows a run on bar: the nodes that run one
// current, available pod out of those that should run one (what a rollout moves), and the
// virtual time played.
func simulationProgress(bar *progressBar) func(simulate.Progress) {
	return func(pr simulate.Progress) {
		if pr.Done {
			return
		}
		bar.Update(pr.Settled, pr.Desired, fmt.Sprintf("nodes settled, %s of virtual time", roundDur(pr.Now)))
	}
}
