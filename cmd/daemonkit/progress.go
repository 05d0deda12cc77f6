package main

import (
	"fmt"
	"io"
	"os"
	"strings"

	"golang.org/x/term"
)

// isTerminal reports whether w is a terminal. Anything that is not an *os.File (a buffer in a
// test, a pipe wrapper) is not.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}

// progressBar draws "label [#####-----]  45%  9/20" on one terminal line, redrawing in place with
// a carriage return. It draws only when its writer is a terminal, so piped output and logs stay
// clean; a disabled bar does nothing.
type progressBar struct {
	w       io.Writer
	label   string
	total   int
	enabled bool
	drawn   int // last percentage drawn, -1 before the first draw
}

const progressWidth = 30

// newProgress returns a bar over total units that draws on e.stderr when it is a terminal.
func newProgress(e env, label string, total int) *progressBar {
	return &progressBar{w: e.stderr, label: label, total: total, enabled: e.isTerminal(e.stderr) && total > 0, drawn: -1}
}

// Set records that done of total units are finished, redrawing when the percentage moved.
func (p *progressBar) Set(done int) {
	if !p.enabled {
		return
	}
	done = min(max(done, 0), p.total)
	pct := done * 100 / p.total
	if pct == p.drawn {
		return
	}
	p.drawn = pct
	filled := done * progressWidth / p.total
	fmt.Fprintf(p.w, "\r%s [%s%s] %3d%%  %d/%d", p.label,
		strings.Repeat("#", filled), strings.Repeat("-", progressWidth-filled), pct, done, p.total)
}

// Done erases the bar so the results print on a clean line.
func (p *progressBar) Done() {
	if !p.enabled || p.drawn < 0 {
		return
	}
	fmt.Fprintf(p.w, "\r%s\r", strings.Repeat(" ", len(p.label)+progressWidth+24))
}
