package report

import (
	"fmt"
	"strings"

	"github.com/xuri/excelize/v2"

	"github.com/quantbench/quantbench/results"
)

// percentCell shows a value in percent (96.04) as a fraction with the
// percent format, so Excel shows 96.0% and formulas see 0.9604.
func (w *workbook) percentCell(v *float64) cell {
	if !finite(v) {
		return blank()
	}
	return floatCell(*v/100, w.styles.percent)
}

func (w *workbook) verdictCell(verdict string) cell {
	switch verdict {
	case results.VerdictPass:
		return styledText(verdict, w.styles.pass)
	case results.VerdictFail:
		return styledText(verdict, w.styles.fail)
	}
	return textCell(verdict)
}

// writeSummary fills the Summary sheet: the quality headline per category
// and variant, the speed headline per model, the cost headline and the notes.
func (w *workbook) writeSummary() error {
	d := newReportData(w.s)
	sw := w.sheetWriter(sheetSummary)
	if err := sw.widths(36, 22, 12, 14, 14, 14, 12, 12, 16, 10); err != nil {
		return err
	}

	if err := sw.title("quantbench report " + w.s.Run.RunID); err != nil {
		return err
	}
	if err := sw.put(textCell("Baseline"), textCell(strings.TrimSpace(d.baseline.Name+" "+d.baseline.Quantization))); err != nil {
		return err
	}

	if err := w.summaryQuality(sw, d); err != nil {
		return err
	}
	if err := w.summarySpeed(sw, d); err != nil {
		return err
	}
	if err := w.summaryCost(sw); err != nil {
		return err
	}
	return w.notes(sw, d)
}

func (w *workbook) summaryQuality(sw *sheetWriter, d *reportData) error {
	if err := sw.title("Quality: variant against baseline, per category"); err != nil {
		return err
	}
	if len(d.rows) == 0 {
		return sw.put(textCell("No scored categories: the run has no records with scores yet."))
	}
	if err := sw.header("Category", "Variant", "Quantization", "Baseline score", "Variant score", "% of baseline", "95% CI low", "95% CI high", "Verdict", "Notes"); err != nil {
		return err
	}
	for _, r := range d.rows {
		low, high := blank(), blank()
		verdict := blank()
		if c := r.Comparison; c != nil {
			low, high, verdict = w.percentCell(c.PercentLow), w.percentCell(c.PercentHigh), w.verdictCell(c.Verdict)
		}
		err := sw.put(textCell(r.Category), textCell(r.Variant), textCell(r.Quantization),
			numberCell(r.BaselineScore, w.styles.score), numberCell(r.VariantScore, w.styles.score),
			w.percentCell(r.Percent), low, high, verdict, textCell(noteList(r.Notes)))
		if err != nil {
			return err
		}
	}
	return nil
}

func (w *workbook) summarySpeed(sw *sheetWriter, d *reportData) error {
	rows := d.speedRows()
	if len(rows) == 0 {
		return nil
	}
	if err := sw.title("Speed"); err != nil {
		return err
	}
	if err := sw.header("Model", "Quantization", "Decode tokens/s (1 stream)", "Speed-up vs baseline", "Peak output tokens/s", "At concurrency", "VRAM (GiB)", "Share on GPU", "Load ms"); err != nil {
		return err
	}
	for _, r := range rows {
		speedUp := numberCell(r.SpeedUp, w.styles.ratio)
		if r.Baseline {
			speedUp = textCell("baseline")
		}
		concurrency := blank()
		if r.PeakConcurrency > 0 {
			concurrency = cell{value: r.PeakConcurrency}
		}
		err := sw.put(textCell(r.Model), textCell(r.Quantization), numberCell(r.SingleStreamDecodeTPS, w.styles.rate),
			speedUp, numberCell(r.PeakOutputTPS, w.styles.rate), concurrency, gibCell(r.SizeVRAMBytes, w.styles.rate),
			w.percentCell(r.GPUOffloadPct), numberCell(r.LoadMS, w.styles.integer))
		if err != nil {
			return err
		}
	}
	return nil
}

func gibCell(bytes int64, style int) cell {
	if bytes <= 0 {
		return blank()
	}
	return floatCell(float64(bytes)/(1<<30), style)
}

func (w *workbook) summaryCost(sw *sheetWriter) error {
	c := w.s.Cost
	if c == nil {
		return nil
	}
	if err := sw.title("Cost (details on the TCO sheet)"); err != nil {
		return err
	}
	for _, f := range costFacts(c) {
		if err := sw.put(textCell(f.Label), w.costCell(f)); err != nil {
			return err
		}
	}
	return nil
}

func (w *workbook) costCell(f costFact) cell {
	if f.Kind == costText || f.Value == nil {
		return textCell(f.text())
	}
	switch f.Kind {
	case costMoneyPerDoc:
		return numberCell(f.Value, w.styles.moneyDoc)
	case costCount:
		return numberCell(f.Value, w.styles.integer)
	default:
		return numberCell(f.Value, w.styles.money)
	}
}

// notes writes the numbered footnotes that the Notes columns refer to.
func (w *workbook) notes(sw *sheetWriter, d *reportData) error {
	if len(d.footnotes.texts) == 0 {
		return nil
	}
	if err := sw.title("Notes"); err != nil {
		return err
	}
	for i, text := range d.footnotes.texts {
		if err := sw.put(cell{value: i + 1}, textCell(text)); err != nil {
			return err
		}
	}
	return nil
}

// degradationColumns are the Degradation sheet's columns. The quality
// columns name the baseline's quantisation, for example "F16 quality".
func degradationColumns(baselineQuant string) []string {
	if baselineQuant == "" {
		baselineQuant = "Baseline"
	}
	return []string{
		"Task category", baselineQuant + " quality", "Quantised quality", "Degradation",
		"Variant", "Quantization", "% of baseline", "95% CI low", "95% CI high",
		"Difference", "Difference CI low", "Difference CI high",
		"Flips correct→wrong", "Flips wrong→correct", "Flip rate", "p-value (McNemar)",
		"Noise floor flip rate", "Noise floor upper bound", "Within noise",
		"Tolerance", "Verdict", "Verdict reason", "Pairs to decide",
		"First-token KL mean (nats)", "First-token KL median", "First-token KL p99",
		"Top-1 agreement mean", "Top-1 agreement median", "Top-1 agreement p99",
		"Pairs", "Variant left out", "Notes",
	}
}

// writeDegradation fills the Degradation sheet: one row per category and
// variant. Degradation is the relative loss, 1 - variant / baseline.
func (w *workbook) writeDegradation() error {
	d := newReportData(w.s)
	sw := w.sheetWriter(sheetDegradation)
	columns := degradationColumns(d.baseline.Quantization)
	if err := sw.header(columns...); err != nil {
		return err
	}
	if err := w.f.SetColWidth(sheetDegradation, "A", "A", 18); err != nil {
		return err
	}
	if err := w.f.SetColWidth(sheetDegradation, "B", "AF", 13); err != nil {
		return err
	}
	if err := w.f.SetColWidth(sheetDegradation, "V", "V", 50); err != nil {
		return err
	}
	if err := w.f.SetPanes(sheetDegradation, &excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
		return err
	}

	for _, r := range d.rows {
		if err := sw.put(w.degradationCells(r)...); err != nil {
			return err
		}
	}
	sw.skip()
	return w.notes(sw, d)
}

func (w *workbook) degradationCells(r qualityRow) []cell {
	var loss *float64
	if finite(r.Percent) {
		v := 1 - *r.Percent/100
		loss = &v
	}
	cells := []cell{
		textCell(r.Category), numberCell(r.BaselineScore, w.styles.score), numberCell(r.VariantScore, w.styles.score),
		numberCell(loss, w.styles.percent), textCell(r.Variant), textCell(r.Quantization), w.percentCell(r.Percent),
	}
	c := r.Comparison
	if c == nil {
		return append(cells, make([]cell, 24)...)
	}

	within := blank()
	if c.WithinNoise != nil {
		within = textCell(map[bool]string{true: "yes", false: "no"}[*c.WithinNoise])
	}
	decide := blank()
	if c.ItemsForDecision != nil {
		decide = cell{value: *c.ItemsForDecision, style: w.styles.integer}
	}
	cells = append(cells,
		w.percentCell(c.PercentLow), w.percentCell(c.PercentHigh),
		numberCell(c.Difference, w.styles.score), numberCell(c.DifferenceLow, w.styles.score), numberCell(c.DifferenceHigh, w.styles.score),
		cell{value: c.FlipsCorrectToWrong}, cell{value: c.FlipsWrongToCorrect}, numberCell(c.FlipRate, w.styles.percent),
		numberCell(c.PValue, w.styles.pvalue),
		numberCell(c.NoiseFlipRate, w.styles.percent), numberCell(c.NoiseUpperBound, w.styles.percent), within,
		floatCell(c.Tolerance, w.styles.percent), w.verdictCell(c.Verdict), textCell(c.VerdictReason), decide,
	)
	cells = append(cells, w.sampleCells(c.Drift, func(d *results.Drift) *results.SampleSummary { return d.FirstTokenKL }, w.styles.pvalue)...)
	cells = append(cells, w.sampleCells(c.Drift, func(d *results.Drift) *results.SampleSummary { return d.TopAgreement }, w.styles.percent)...)
	return append(cells, cell{value: c.Pairs}, cell{value: leftOut(c.VariantExcluded)}, textCell(noteList(r.Notes)))
}

// sampleCells are the mean, median and p99 of one drift measure.
func (w *workbook) sampleCells(drift *results.Drift, pick func(*results.Drift) *results.SampleSummary, style int) []cell {
	if drift == nil || pick(drift) == nil {
		return []cell{blank(), blank(), blank()}
	}
	s := pick(drift)
	return []cell{floatCell(s.Mean, style), floatCell(s.Median, style), floatCell(s.P99, style)}
}

// throughputColumns are the Throughput sheet's per-level columns.
var throughputColumns = []string{
	"Model", "Quantization", "Concurrency", "Requests", "OK", "Failed", "Flagged decode", "Flagged prefill",
	"Output tokens/s", "Requests/s", "Documents/hour",
	"Decode tokens/s mean", "Decode tokens/s p50", "Prefill tokens/s p50",
	"TTFT ms p50", "TTFT ms p90", "TTFT ms p99", "ITL ms p50", "ITL ms p99", "E2E ms p50", "E2E ms p99",
	"Output tokens/request mean", "Mean power W", "Peak power W", "Energy J per 1k tokens", "Peak GPU memory MiB", "GPU utilisation",
}

// writeThroughput fills the Throughput sheet: one row per model and
// concurrency level, then one row per model.
func (w *workbook) writeThroughput() error {
	t := w.s.Throughput
	sw := w.sheetWriter(sheetThroughput)
	if t == nil || len(t.Levels) == 0 {
		return sw.put(textCell("No throughput measurement: the run had no throughput phase (throughput.jsonl is missing)."))
	}
	if err := w.f.SetColWidth(sheetThroughput, "A", "A", 24); err != nil {
		return err
	}
	if err := w.f.SetColWidth(sheetThroughput, "B", "AA", 13); err != nil {
		return err
	}
	if err := sw.header(throughputColumns...); err != nil {
		return err
	}
	d := newReportData(w.s)
	for _, l := range t.Levels {
		if err := sw.put(w.levelCells(d, l)...); err != nil {
			return err
		}
	}

	if err := sw.title("Per model"); err != nil {
		return err
	}
	if err := sw.header("Model", "Quantization", "Parameters", "File size (GiB)", "Loaded size (GiB)", "VRAM (GiB)", "Share on GPU", "Load ms",
		"Decode tokens/s (1 stream)", "Decode ceiling tokens/s", "% of ceiling", "Peak output tokens/s", "At concurrency", "GPU", "GPU bandwidth GB/s", "Why no GPU figures"); err != nil {
		return err
	}
	for _, m := range t.Models {
		err := sw.put(textCell(m.Model), textCell(m.Quantization), textCell(m.ParameterSize),
			gibCell(m.FileSizeBytes, w.styles.score), gibCell(m.SizeBytes, w.styles.score), gibCell(m.SizeVRAMBytes, w.styles.score),
			w.percentCell(m.GPUOffloadPct), numberCell(m.LoadMS, w.styles.integer),
			numberCell(m.SingleStreamDecodeTPS, w.styles.rate), numberCell(m.DecodeCeilingTPS, w.styles.rate), w.percentCell(m.DecodeCeilingPct),
			numberCell(m.PeakOutputTPS, w.styles.rate), cell{value: m.PeakConcurrency}, textCell(m.GPUName),
			numberCell(m.BandwidthGBs, w.styles.rate), textCell(m.GPUReason))
		if err != nil {
			return err
		}
	}

	if len(t.Footnotes) > 0 {
		if err := sw.title("Notes"); err != nil {
			return err
		}
		for _, note := range t.Footnotes {
			if err := sw.put(textCell(note)); err != nil {
				return err
			}
		}
	}
	return nil
}

func (w *workbook) levelCells(d *reportData, l results.LevelSpeed) []cell {
	quant := ""
	if m, ok := d.model(l.Model); ok {
		quant = m.Quantization
	}
	cells := []cell{
		textCell(l.Model), textCell(quant), cell{value: l.Concurrency}, cell{value: l.Requests}, cell{value: l.OK},
		cell{value: l.Failed}, cell{value: l.FlaggedDecode}, cell{value: l.FlaggedPrefill},
		numberCell(l.OutputTPS, w.styles.rate), numberCell(l.RequestsPerSecond, w.styles.score), numberCell(l.DocumentsPerHour, w.styles.integer),
		numberCell(l.DecodeTPS.Mean, w.styles.rate), numberCell(l.DecodeTPS.P50, w.styles.rate), numberCell(l.PrefillTPS.P50, w.styles.rate),
		numberCell(l.TTFTMS.P50, w.styles.ms), numberCell(l.TTFTMS.P90, w.styles.ms), numberCell(l.TTFTMS.P99, w.styles.ms),
		numberCell(l.ITLMS.P50, w.styles.ms), numberCell(l.ITLMS.P99, w.styles.ms),
		numberCell(l.E2EMS.P50, w.styles.ms), numberCell(l.E2EMS.P99, w.styles.ms),
		numberCell(l.OutputLength.Mean, w.styles.rate),
	}
	p := l.Power
	if p == nil {
		return append(cells, blank(), blank(), blank(), blank(), blank())
	}
	var util *float64
	if finite(p.MeanUtilizationPct) {
		v := *p.MeanUtilizationPct / 100
		util = &v
	}
	return append(cells, numberCell(p.MeanPowerW, w.styles.rate), numberCell(p.PeakPowerW, w.styles.rate),
		numberCell(p.EnergyPer1kTokensJ, w.styles.rate), numberCell(p.PeakMemoryMiB, w.styles.integer), numberCell(util, w.styles.percent))
}

// quoteSheet quotes a sheet name for a cell reference in a formula or chart.
func quoteSheet(name string) string {
	return "'" + strings.ReplaceAll(name, "'", "''") + "'"
}

// absRange is an absolute reference such as 'Charts'!$B$3:$B$7.
func absRange(sheet string, col1, row1, col2, row2 int) string {
	a, _ := excelize.CoordinatesToCellName(col1, row1, true)
	b, _ := excelize.CoordinatesToCellName(col2, row2, true)
	return fmt.Sprintf("%s!%s:%s", quoteSheet(sheet), a, b)
}
