package chart

import (
	"fmt"
	"image/color"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// The legend is one strip under both plots, laid out in rows left to right, so it never covers
// data (gonum's own legend is drawn inside the data area).

var budgetStyle = draw.LineStyle{Color: black, Width: vg.Points(1.2), Dashes: []vg.Length{vg.Points(6), vg.Points(4)}}

// legendEntry is a colour swatch or a line sample, and its label.
type legendEntry struct {
	label string
	fill  color.Color    // a swatch when non-nil
	line  draw.LineStyle // a line sample otherwise
}

const (
	legendSwatch = 14 * vg.Length(1)
	legendGap    = 18 * vg.Length(1)
	legendRow    = 18 * vg.Length(1)
	legendMargin = 10 * vg.Length(1)
)

func legendEntries(c Chart) []legendEntry {
	var es []legendEntry
	for _, s := range []State{OldAvailable, OldUnavailable, NewUnavailable, NewAvailable, Terminating, Empty} {
		if c.uses(s) {
			es = append(es, legendEntry{label: s.String(), fill: stateColors[s]})
		}
	}
	if len(c.Samples) > 0 {
		es = append(es, legendEntry{label: "nodes without an available pod", line: draw.LineStyle{Color: red, Width: vg.Points(2)}})
		if c.Budget > 0 {
			es = append(es, legendEntry{label: fmt.Sprintf("budget: maxUnavailable = %d", c.Budget), line: budgetStyle})
		}
	}
	return es
}

// legendRows splits entries into rows that fit the width.
func legendRows(entries []legendEntry) [][]legendEntry {
	var rows [][]legendEntry
	var cur []legendEntry
	x := legendMargin
	for _, e := range entries {
		w := legendSwatch + 6 + labelWidth(e.label) + legendGap
		if len(cur) > 0 && x+w > width-legendMargin {
			rows = append(rows, cur)
			cur, x = nil, legendMargin
		}
		cur = append(cur, e)
		x += w
	}
	if len(cur) > 0 {
		rows = append(rows, cur)
	}
	return rows
}

func legendHeight(entries []legendEntry) vg.Length {
	return vg.Length(len(legendRows(entries)))*legendRow + 2*legendMargin
}

func legendTextStyle() text.Style {
	return text.Style{Color: color.Black, Font: font.From(sansFont, 11), Handler: plot.DefaultTextHandler, YAlign: draw.YCenter}
}

// labelWidth is the width of a legend label with 15% to spare, because a viewer without Liberation
// Sans substitutes a face that may be a little wider.
func labelWidth(s string) vg.Length { return legendTextStyle().Width(s) * 1.15 }

// drawLegend draws the rows, top down, inside c.
func drawLegend(c draw.Canvas, entries []legendEntry) {
	sty := legendTextStyle()
	y := c.Max.Y - legendMargin - legendRow/2
	for _, r := range legendRows(entries) {
		x := c.Min.X + legendMargin
		for _, e := range r {
			if e.fill != nil {
				s := legendSwatch
				c.FillPolygon(e.fill, []vg.Point{{X: x, Y: y - s/2}, {X: x + s, Y: y - s/2}, {X: x + s, Y: y + s/2}, {X: x, Y: y + s/2}})
			} else {
				c.StrokeLine2(e.line, x-4, y, x+legendSwatch+4, y)
			}
			x += legendSwatch + 6
			c.FillText(sty, vg.Point{X: x, Y: y}, e.label)
			x += labelWidth(e.label) + legendGap
		}
		y -= legendRow
	}
}
