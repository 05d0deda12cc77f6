package chart

import (
	"bytes"
	"encoding/xml"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

var keep = flag.String("keep", "", "write the test chart to this SVG file, to look at it")

// rollingChart builds the picture of a maxUnavailable=1 rollout over n nodes, one node at a time,
// each new pod taking 10 s to become available.
func rollingChart(n int) Chart {
	c := Chart{Title: "node-exporter rollout", Budget: 1}
	step := 15 * time.Second
	var at time.Duration
	c.Samples = append(c.Samples, Sample{At: 0, OldAvailable: n})
	for i := range n {
		// Node i: old pod terminating (counted unavailable), then a new pod not yet available.
		c.Samples = append(c.Samples, Sample{At: at + time.Second, OldAvailable: n - i - 1, OldUnavailable: 1, NewAvailable: i, NodesUnavailable: 1})
		c.Samples = append(c.Samples, Sample{At: at + 3*time.Second, OldAvailable: n - i - 1, NewUnavailable: 1, NewAvailable: i, NodesUnavailable: 1})
		c.Samples = append(c.Samples, Sample{At: at + 13*time.Second, OldAvailable: n - i - 1, NewAvailable: i + 1})
		at += step
	}
	for i := range n {
		start := time.Duration(i) * step
		c.Lanes = append(c.Lanes, Lane{Node: fmt.Sprintf("node-%d", i+1), Spans: []Span{
			{From: 0, To: start + time.Second, State: OldAvailable},
			{From: start + time.Second, To: start + 3*time.Second, State: Terminating},
			{From: start + 3*time.Second, To: start + 13*time.Second, State: NewUnavailable},
			{From: start + 13*time.Second, To: at + 5*time.Second, State: NewAvailable},
		}})
	}
	c.End = at + 5*time.Second
	return c
}

func TestWriteSVGIsWellFormedAndLabelled(t *testing.T) {
	c := rollingChart(6)
	var buf bytes.Buffer
	require.NoError(t, WriteSVG(&buf, c))
	if *keep != "" {
		require.NoError(t, os.WriteFile(*keep, buf.Bytes(), 0o644))
	}
	dec := xml.NewDecoder(bytes.NewReader(buf.Bytes()))
	for {
		_, err := dec.Token()
		if err == io.EOF {
			break
		}
		require.NoError(t, err, "the SVG must be well-formed XML")
	}
	svg := buf.String()
	for _, want := range []string{"node-exporter rollout", "budget: maxUnavailable = 1", "node-1", "node-6", "per node", "new, available"} {
		require.Contains(t, svg, want)
	}
}

func TestWriteSVGIsDeterministic(t *testing.T) {
	var a, b bytes.Buffer
	require.NoError(t, WriteSVG(&a, rollingChart(4)))
	require.NoError(t, WriteSVG(&b, rollingChart(4)))
	require.Equal(t, a.String(), b.String())
}

func TestWriteSVGManyNodesShowsASample(t *testing.T) {
	c := rollingChart(100)
	c.MaxLanes = 10
	var buf bytes.Buffer
	require.NoError(t, WriteSVG(&buf, c))
	svg := buf.String()
	require.Contains(t, svg, "10 of 100 nodes")
	require.Contains(t, svg, ">node-1<")
	require.Contains(t, svg, ">node-100<")
	require.NotContains(t, svg, ">node-2<")
}

func TestWriteSVGNothingToDraw(t *testing.T) {
	err := WriteSVG(io.Discard, Chart{Title: "empty"})
	require.Error(t, err)
	require.True(t, strings.Contains(err.Error(), "nothing to draw"), err.Error())
}

func TestShownLanesKeepsEnds(t *testing.T) {
	lanes := make([]Lane, 7)
	for i := range lanes {
		lanes[i].Node = fmt.Sprint(i)
	}
	got := shownLanes(lanes, 3)
	require.Equal(t, []string{"0", "3", "6"}, []string{got[0].Node, got[1].Node, got[2].Node})
	require.Len(t, shownLanes(lanes, 0), 7)
}
