package report

import (
	"sort"

	"github.com/xuri/excelize/v2"

	"github.com/quantbench/quantbench/results"
)

// writeCharts fills the Charts sheet: each chart's data as a small table in
// columns A onwards, with the chart to its right, so the chart stays
// correct when a reader edits or copies the table. The cost-against-volume
// chart is on the TCO sheet.
func (w *workbook) writeCharts() error {
	d := newReportData(w.s)
	sw := w.sheetWriter(sheetCharts)
	if err := w.f.SetColWidth(sheetCharts, "A", "A", 18); err != nil {
		return err
	}

	drawn, err := w.degradationChart(sw, d)
	if err != nil {
		return err
	}
	speed, err := w.throughputChart(sw)
	if err != nil {
		return err
	}
	if !drawn && !speed {
		return sw.put(textCell("No charts: the run has no scored categories and no throughput measurement."))
	}
	return nil
}

// degradationChart draws the variants' scores as % of baseline, one group of
// bars per category and one bar per variant.
func (w *workbook) degradationChart(sw *sheetWriter, d *reportData) (bool, error) {
	categories := d.categories()
	variants := d.variants()
	if len(d.rows) == 0 || len(categories) == 0 {
		return false, nil
	}

	if err := sw.title("Variant score as % of baseline, by category"); err != nil {
		return false, err
	}
	titles := []string{"Category"}
	for _, v := range variants {
		titles = append(titles, v.Name)
	}
	if err := sw.header(titles...); err != nil {
		return false, err
	}
	headerRow := sw.row
	for _, category := range categories {
		cells := []cell{textCell(category)}
		for _, v := range variants {
			cells = append(cells, w.percentCell(d.percentOf(category, v.Name)))
		}
		if err := sw.put(cells...); err != nil {
			return false, err
		}
	}
	first, last := headerRow+1, sw.row

	chart := &excelize.Chart{
		Type:         excelize.Col,
		VaryColors:   &noVary,
		Title:        chartTitle("Degradation by category: variant score as % of baseline"),
		Legend:       excelize.ChartLegend{Position: "bottom"},
		YAxis:        excelize.ChartAxis{MajorGridLines: true, NumFmt: excelize.ChartNumFmt{CustomNumFmt: "0%"}},
		Dimension:    excelize.ChartDimension{Width: 720, Height: 360},
		ShowBlanksAs: "gap",
	}
	for i := range variants {
		col := i + 2
		chart.Series = append(chart.Series, excelize.ChartSeries{
			Name:       absRange(sheetCharts, col, headerRow, col, headerRow),
			Categories: absRange(sheetCharts, 1, first, 1, last),
			Values:     absRange(sheetCharts, col, first, col, last),
		})
	}
	anchor, _ := excelize.CoordinatesToCellName(len(variants)+3, headerRow-1)
	if err := w.f.AddChart(sheetCharts, anchor, chart); err != nil {
		return false, err
	}

	// Leave room for the chart before the next table.
	for sw.row < headerRow+18 {
		sw.skip()
	}
	return true, nil
}

// percentOf is the row's % of baseline for a category and variant.
func (d *reportData) percentOf(category, variant string) *float64 {
	for _, r := range d.rows {
		if r.Category == category && r.Variant == variant {
			return r.Percent
		}
	}
	return nil
}

// throughputChart draws the aggregate output tokens/s against concurrency,
// one line per model.
func (w *workbook) throughputChart(sw *sheetWriter) (bool, error) {
	t := w.s.Throughput
	if t == nil || len(t.Levels) == 0 {
		return false, nil
	}
	models, levels, rate := throughputGrid(t.Levels)

	if err := sw.title("Output tokens/s against concurrency"); err != nil {
		return false, err
	}
	titles := append([]string{"Concurrency"}, models...)
	if err := sw.header(titles...); err != nil {
		return false, err
	}
	headerRow := sw.row
	for _, level := range levels {
		cells := []cell{{value: level}}
		for _, m := range models {
			cells = append(cells, numberCell(rate[m][level], w.styles.rate))
		}
		if err := sw.put(cells...); err != nil {
			return false, err
		}
	}
	first, last := headerRow+1, sw.row

	chart := &excelize.Chart{
		Type:         excelize.Line,
		VaryColors:   &noVary,
		Title:        chartTitle("Throughput: aggregate output tokens/s against concurrency"),
		Legend:       excelize.ChartLegend{Position: "bottom"},
		XAxis:        excelize.ChartAxis{Title: chartTitle("Concurrent requests")},
		YAxis:        excelize.ChartAxis{MajorGridLines: true, Title: chartTitle("Output tokens/s")},
		Dimension:    excelize.ChartDimension{Width: 720, Height: 360},
		ShowBlanksAs: "gap",
	}
	for i := range models {
		col := i + 2
		chart.Series = append(chart.Series, excelize.ChartSeries{
			Name:       absRange(sheetCharts, col, headerRow, col, headerRow),
			Categories: absRange(sheetCharts, 1, first, 1, last),
			Values:     absRange(sheetCharts, col, first, col, last),
			Marker:     excelize.ChartMarker{Symbol: "circle", Size: 6},
		})
	}
	anchor, _ := excelize.CoordinatesToCellName(len(models)+3, headerRow-1)
	return true, w.f.AddChart(sheetCharts, anchor, chart)
}

// throughputGrid pivots the levels: models in first-seen order, concurrency
// levels ascending, and each model's output tokens/s per level.
func throughputGrid(levels []results.LevelSpeed) ([]string, []int, map[string]map[int]*float64) {
	var models []string
	var concurrencies []int
	rate := map[string]map[int]*float64{}
	seenLevel := map[int]bool{}
	for _, l := range levels {
		if rate[l.Model] == nil {
			rate[l.Model] = map[int]*float64{}
			models = append(models, l.Model)
		}
		rate[l.Model][l.Concurrency] = l.OutputTPS
		if !seenLevel[l.Concurrency] {
			seenLevel[l.Concurrency] = true
			concurrencies = append(concurrencies, l.Concurrency)
		}
	}
	sort.Ints(concurrencies)
	return models, concurrencies, rate
}

// noVary keeps one colour per series; excelize colours each point apart
// by default.
var noVary = false

func chartTitle(text string) excelize.ChartTitle {
	return excelize.ChartTitle{Paragraph: []excelize.RichTextRun{{Text: text, Font: &excelize.Font{Bold: true, Size: 11}}}}
}
