package chart

import (
	"fmt"
	"image/color"
	"io"
	"strconv"
	"time"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgsvg"
)

// Colours: blues for the old revision, greens for the new one; the pale shade of each is "not
// available". Red is the quantity the budget bounds.
var stateColors = [...]color.Color{
	Empty:          color.RGBA{R: 0xee, G: 0xee, B: 0xee, A: 0xff},
	OldAvailable:   color.RGBA{R: 0x31, G: 0x68, B: 0xb0, A: 0xff},
	OldUnavailable: color.RGBA{R: 0xa8, G: 0xc4, B: 0xe6, A: 0xff},
	NewUnavailable: color.RGBA{R: 0xb4, G: 0xe0, B: 0xa8, A: 0xff},
	NewAvailable:   color.RGBA{R: 0x2e, G: 0x8b, B: 0x3a, A: 0xff},
	Terminating:    color.RGBA{R: 0x99, G: 0x99, B: 0x99, A: 0xff},
}

var (
	red   = color.RGBA{R: 0xd6, G: 0x27, B: 0x28, A: 0xff}
	black = color.Black
)

// sansFont is Liberation Sans, metric-compatible with Arial and Helvetica, which every SVG viewer
// has or substitutes closely; the serif default is often replaced by a wider face.
var sansFont = font.Font{Typeface: "Liberation", Variant: "Sans"}

// plainTicks are gonum's default tick positions labelled with the shortest exact number ("25",
// not "25.00").
var plainTicks = plot.TickerFunc(func(lo, hi float64) []plot.Tick {
	ticks := plot.DefaultTicks{}.Ticks(lo, hi)
	for i := range ticks {
		if ticks[i].Label != "" {
			ticks[i].Label = strconv.FormatFloat(ticks[i].Value, 'f', -1, 64)
		}
	}
	return ticks
})

// useSans sets every text of p in sansFont, keeping the sizes.
func useSans(p *plot.Plot) {
	for _, f := range []*font.Font{&p.Title.TextStyle.Font, &p.X.Label.TextStyle.Font, &p.Y.Label.TextStyle.Font,
		&p.X.Tick.Label.Font, &p.Y.Tick.Label.Font, &p.Legend.TextStyle.Font} {
		*f = font.From(sansFont, f.Size)
	}
}

const (
	width          = 8 * vg.Inch
	timelineHeight = 4 * vg.Inch
	laneHeight     = 0.22 * vg.Inch
	lanesPadding   = 1.0 * vg.Inch
)

// WriteSVG draws c as one SVG document: the timeline on top, the swim lanes below, their time
// axes aligned. It fails only when c has nothing to draw or the writer fails.
func WriteSVG(w io.Writer, c Chart) error {
	end := c.end()
	if end <= 0 || (len(c.Samples) == 0 && len(c.Lanes) == 0) {
		return fmt.Errorf("chart %q: nothing to draw (no samples or lanes after time 0)", c.Title)
	}
	unit, unitName := time.Second, "s"
	if end > 10*time.Minute {
		unit, unitName = time.Minute, "min"
	}
	scale := func(d time.Duration) float64 { return float64(d) / float64(unit) }

	var plots []*plot.Plot
	var heights []vg.Length
	if len(c.Samples) > 0 {
		plots = append(plots, timelinePlot(c, scale, end, unitName))
		heights = append(heights, timelineHeight)
	}
	if len(c.Lanes) > 0 {
		p, n := lanesPlot(c, scale, end, unitName)
		plots = append(plots, p)
		heights = append(heights, lanesPadding+vg.Length(n)*laneHeight)
	}
	entries := legendEntries(c)
	legendH := legendHeight(entries)
	total := legendH
	for _, h := range heights {
		total += h
	}
	svg := vgsvg.New(width, total)
	// A margin all round, so that labels drawn at the edge are not cut off.
	whole := draw.Crop(draw.New(svg), 10, -14, 0, -8)
	total -= 8
	drawLegend(draw.Crop(whole, 0, 0, 0, -(total-legendH)), entries)
	canvases := make([]draw.Canvas, len(plots))
	top := vg.Length(0)
	for i, h := range heights {
		// Crop from the top down: this plot occupies [total-top-h, total-top].
		canvases[i] = draw.Crop(whole, 0, 0, total-top-h, -top)
		top += h
	}
	alignX(plots, canvases)
	for i, p := range plots {
		p.Draw(canvases[i])
	}
	if _, err := svg.WriteTo(w); err != nil {
		return fmt.Errorf("write svg: %w", err)
	}
	return nil
}

// alignX crops the canvases so that every plot's data area starts and ends at the same x, so that
// one moment is at the same place in the timeline and in the lanes.
func alignX(plots []*plot.Plot, canvases []draw.Canvas) {
	if len(plots) < 2 {
		return
	}
	var left, right vg.Length
	for i, p := range plots {
		da := p.DataCanvas(canvases[i])
		left = max(left, da.Min.X)
		if i == 0 || da.Max.X < right {
			right = da.Max.X
		}
	}
	for i, p := range plots {
		da := p.DataCanvas(canvases[i])
		canvases[i] = draw.Crop(canvases[i], left-da.Min.X, right-da.Max.X, 0, 0)
	}
}

// stepXYs returns the step function through values over times, held until end.
func stepXYs(times []float64, values []float64, end float64) plotter.XYs {
	xys := make(plotter.XYs, 0, 2*len(times))
	for i := range times {
		next := end
		if i+1 < len(times) {
			next = times[i+1]
		}
		xys = append(xys, plotter.XY{X: times[i], Y: values[i]}, plotter.XY{X: next, Y: values[i]})
	}
	return xys
}

func timelinePlot(c Chart, scale func(time.Duration) float64, end time.Duration, unitName string) *plot.Plot {
	p := plot.New()
	p.Title.Text = c.Title
	p.X.Label.Text = "time (" + unitName + ")"
	p.X.Tick.Marker = plainTicks
	p.Y.Tick.Marker = plainTicks
	p.Y.Label.Text = c.YLabel
	if p.Y.Label.Text == "" {
		p.Y.Label.Text = "nodes"
	}
	p.X.Min, p.X.Max = 0, scale(end)
	grid := plotter.NewGrid()
	grid.Vertical.Color = color.Gray{Y: 0xdd}
	grid.Horizontal.Color = color.Gray{Y: 0xdd}
	p.Add(grid)

	n := len(c.Samples)
	times := make([]float64, n)
	for i, s := range c.Samples {
		times[i] = scale(s.At)
	}
	// Stacked bottom to top: new available, new not available, old available, old not available.
	layers := []struct {
		state State
		value func(Sample) int
	}{
		{NewAvailable, func(s Sample) int { return s.NewAvailable }},
		{NewUnavailable, func(s Sample) int { return s.NewUnavailable }},
		{OldAvailable, func(s Sample) int { return s.OldAvailable }},
		{OldUnavailable, func(s Sample) int { return s.OldUnavailable }},
	}
	base := make([]float64, n)
	ymax := float64(c.Budget)
	for _, l := range layers {
		topv := make([]float64, n)
		for i, s := range c.Samples {
			topv[i] = base[i] + float64(l.value(s))
			ymax = max(ymax, topv[i])
		}
		upper := stepXYs(times, topv, scale(end))
		lower := stepXYs(times, base, scale(end))
		ring := append(plotter.XYs{}, upper...)
		for i := len(lower) - 1; i >= 0; i-- {
			ring = append(ring, lower[i])
		}
		poly, err := plotter.NewPolygon(ring)
		if err == nil { // only fails on NaN or Inf, which scale cannot produce
			poly.Color = stateColors[l.state]
			poly.LineStyle.Width = 0
			p.Add(poly)
		}
		base = topv
	}

	unavail := make([]float64, n)
	for i, s := range c.Samples {
		unavail[i] = float64(s.NodesUnavailable)
		ymax = max(ymax, unavail[i])
	}
	if line, err := plotter.NewLine(stepXYs(times, unavail, scale(end))); err == nil {
		line.Color = red
		line.Width = vg.Points(2)
		p.Add(line)
	}
	if c.Budget > 0 {
		b := float64(c.Budget)
		if line, err := plotter.NewLine(plotter.XYs{{X: 0, Y: b}, {X: scale(end), Y: b}}); err == nil {
			line.LineStyle = budgetStyle
			p.Add(line)
		}
	}
	p.Y.Min, p.Y.Max = 0, ymax*1.08+0.5
	useSans(p)
	return p
}

// lanesPlotter draws one horizontal strip per lane; lane k (counted from the bottom) is at y = k.
type lanesPlotter struct {
	lanes []Lane
	scale func(time.Duration) float64
	end   time.Duration
}

func (lp lanesPlotter) Plot(c draw.Canvas, p *plot.Plot) {
	tx, ty := p.Transforms(&c)
	n := len(lp.lanes)
	for i, l := range lp.lanes {
		k := float64(n - 1 - i)
		for _, s := range l.Spans {
			if s.To <= s.From || s.From >= lp.end {
				continue
			}
			x0, x1 := tx(lp.scale(s.From)), tx(lp.scale(min(s.To, lp.end)))
			y0, y1 := ty(k-0.38), ty(k+0.38)
			rect := []vg.Point{{X: x0, Y: y0}, {X: x1, Y: y0}, {X: x1, Y: y1}, {X: x0, Y: y1}}
			c.FillPolygon(stateColors[s.State], c.ClipPolygonXY(rect))
		}
	}
}

func (lp lanesPlotter) DataRange() (xmin, xmax, ymin, ymax float64) {
	return 0, 0, -0.5, float64(len(lp.lanes)) - 0.5
}

func lanesPlot(c Chart, scale func(time.Duration) float64, end time.Duration, unitName string) (*plot.Plot, int) {
	lanes := shownLanes(c.Lanes, c.MaxLanes)
	p := plot.New()
	p.Title.Text = fmt.Sprintf("per node (%d of %d nodes)", len(lanes), len(c.Lanes))
	if len(lanes) == len(c.Lanes) {
		p.Title.Text = "per node"
	}
	p.X.Label.Text = "time (" + unitName + ")"
	p.X.Tick.Marker = plainTicks
	p.X.Min, p.X.Max = 0, scale(end)
	p.Add(lanesPlotter{lanes: lanes, scale: scale, end: end})
	names := make([]string, len(lanes))
	for i, l := range lanes {
		names[len(lanes)-1-i] = l.Node
	}
	p.NominalY(names...)
	p.Y.Min, p.Y.Max = -0.5, float64(len(lanes))-0.5
	useSans(p)
	return p, len(lanes)
}
