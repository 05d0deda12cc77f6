// Package chart draws a DaemonSet rollout as an SVG picture with gonum.org/v1/plot: a timeline of
// pods by revision and availability with the maxUnavailable budget line, and a swim-lane strip with
// one lane per node showing which revision it ran, and whether that pod was available, over time.
//
// The input types are small and plain so that any source can feed them: the simulator's timeline,
// a loop over daemonset.Plan, a recorded trace.
//
//	c := chart.Chart{Title: "node-exporter rollout", Budget: 1}
//	c.Samples = append(c.Samples, chart.Sample{At: 0, OldAvailable: 3})
//	c.Lanes = append(c.Lanes, chart.Lane{Node: "node-1", Spans: []chart.Span{{From: 0, To: time.Minute, State: chart.OldAvailable}}})
//	err := chart.WriteSVG(f, c)
package chart
