package main

import (
	"bytes"
	"io"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestProgressBarDraws(t *testing.T) {
	var buf bytes.Buffer
	bar := &progressBar{w: &buf, label: "work", total: 10, enabled: true}
	bar.Update(5, 10, "half way")
	require.Equal(t, "\rwork [###############---------------]  50%  5/10 half way", buf.String())
	// The end is always drawn, and the longer line before it is blanked out.
	buf.Reset()
	bar.Set(10)
	require.Equal(t, "\rwork [##############################] 100%  10/10"+strings.Repeat(" ", 8)+strings.Repeat("\b", 8), buf.String())
	buf.Reset()
	bar.Set(10)
	require.Empty(t, buf.String(), "an unchanged line is not redrawn")
	bar.Done()
	require.Equal(t, "\r"+strings.Repeat(" ", len("work [##############################] 100%  10/10"))+"\r", buf.String())

	buf.Reset()
	off := &progressBar{w: &buf, label: "work", total: 10}
	off.Set(3)
	off.Done()
	require.Empty(t, buf.String(), "a bar off a terminal draws nothing")
}

// On a terminal, simulate and forecast draw a bar on stderr, then erase it; stdout is the same
// as without a terminal.
func TestProgressOnTerminal(t *testing.T) {
	for _, args := range [][]string{
		{"simulate", "../../simulate/testdata/scenarios/rollout.yaml"},
		forecastArgs("--seeds", "12"),
	} {
		t.Run(args[0], func(t *testing.T) {
			var plainOut, plainErr, ttyOut, ttyErr bytes.Buffer
			require.Equal(t, 0, run(args, testEnv(&plainOut, &plainErr)), plainErr.String())
			tty := testEnv(&ttyOut, &ttyErr)
			tty.isTerminal = func(w io.Writer) bool { return w == &ttyErr }
			require.Equal(t, 0, run(args, tty), ttyErr.String())
			require.Equal(t, plainOut.String(), ttyOut.String())
			require.Empty(t, plainErr.String())
			bar := ttyErr.String()
			if args[0] == "simulate" {
				require.Contains(t, bar, "\rsimulating [")
				require.Contains(t, bar, "nodes settled, ")
			} else {
				require.Contains(t, bar, "\rforecast [##############################] 100%  12/12")
			}
			require.True(t, strings.HasSuffix(bar, strings.Repeat(" ", 40)+"\r"), "the bar is erased: %q", bar)
		})
	}
}
