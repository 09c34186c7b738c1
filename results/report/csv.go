package report

import (
	"encoding/csv"
	"io"
	"math"
	"strconv"
	"strings"

	"github.com/quantbench/quantbench/results"
)

// csvColumns are summary.csv's columns. The section column names the kind
// of row: "quality" (one category and model; variant rows carry the paired
// comparison with the baseline), "noise_floor" (the baseline against its
// second repeat), "throughput" (one model at one concurrency level), "cost"
// (one figure of the cost model) and "footnote". Scores, rates and shares
// are fractions; percent_* columns are percentages; an undefined value is
// blank, never NaN or infinity.
var csvColumns = []string{
	"section", "category", "model", "role", "quantization",
	"items", "scored", "pairs", "baseline_score", "score",
	"percent_of_baseline", "percent_low", "percent_high",
	"difference", "difference_low", "difference_high",
	"flips_correct_to_wrong", "flips_wrong_to_correct", "flips", "flip_rate",
	"p_value", "noise_flip_rate", "noise_upper_bound", "within_noise",
	"tolerance", "verdict",
	"kl_mean", "kl_median", "kl_p99", "top_agreement_mean", "top_agreement_median", "top_agreement_p99",
	"infra_error", "truncated", "budget_exhausted", "no_answer", "format_error", "unscored", "unpaired",
	"concurrency", "requests", "ok", "failed", "output_tps", "requests_per_second", "documents_per_hour",
	"decode_tps_mean", "decode_tps_p50", "prefill_tps_p50", "ttft_ms_p50", "ttft_ms_p99",
	"itl_ms_p50", "itl_ms_p99", "e2e_ms_p50", "e2e_ms_p99", "mean_power_w", "energy_per_1k_tokens_j",
	"value", "notes", "text",
}

// csvRow is one row, keyed by column name.
type csvRow map[string]string

func (r csvRow) number(column string, v *float64) {
	if v != nil && !math.IsNaN(*v) && !math.IsInf(*v, 0) {
		r[column] = strconv.FormatFloat(*v, 'f', -1, 64)
	}
}

func (r csvRow) float(column string, v float64) { r.number(column, &v) }

func (r csvRow) int(column string, n int) { r[column] = strconv.Itoa(n) }

func (r csvRow) text(column, s string) {
	if s != "" {
		r[column] = csvText(s)
	}
}

// WriteCSV writes summary.csv: quality rows per category and model, then
// the noise floor, throughput per model and level, the cost figures, and
// the numbered footnotes that the notes column refers to.
func WriteCSV(w io.Writer, s *results.Summary) error {
	d := newReportData(s)
	var rows []csvRow
	rows = append(rows, d.csvQualityRows()...)
	rows = append(rows, csvNoiseRows(s.NoiseFloors)...)
	if s.Throughput != nil {
		rows = append(rows, csvThroughputRows(s.Throughput.Levels)...)
	}
	if s.Cost != nil {
		rows = append(rows, csvCostRows(s.Cost)...)
	}
	for i, text := range d.footnotes.texts {
		row := csvRow{"section": "footnote"}
		row.int("notes", i+1)
		row.text("text", text)
		rows = append(rows, row)
	}

	cw := csv.NewWriter(w)
	if err := cw.Write(csvColumns); err != nil {
		return err
	}
	record := make([]string, len(csvColumns))
	for _, row := range rows {
		for i, column := range csvColumns {
			record[i] = row[column]
		}
		if err := cw.Write(record); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// csvQualityRows lists, per category, the baseline's row and then each
// variant's row with its comparison.
func (d *reportData) csvQualityRows() []csvRow {
	var rows []csvRow
	done := map[string]bool{}
	for _, r := range d.rows {
		if !done[r.Category] {
			done[r.Category] = true
			if base := d.categoryScore(r.Category, d.baseline.Name); base != nil {
				rows = append(rows, csvCategoryRow(base, d.baseline.Quantization))
			}
		}
		rows = append(rows, d.csvVariantRow(r))
	}
	return rows
}

func csvCategoryRow(c *results.CategoryScore, quantization string) csvRow {
	row := csvRow{"section": "quality"}
	row.text("category", c.Category)
	row.text("model", c.Model)
	row.text("role", c.Role)
	row.text("quantization", quantization)
	row.int("items", c.Items)
	row.int("scored", c.Scored)
	row.number("score", c.Score)
	row.number("percent_of_baseline", c.PercentOfBaseline)
	for _, name := range []string{"infra_error", "truncated", "budget_exhausted", "no_answer", "format_error"} {
		row.int(name, c.Counts[name])
	}
	return row
}

func (d *reportData) csvVariantRow(r qualityRow) csvRow {
	row := csvRow{"section": "quality", "role": results.RoleVariant}
	if score := d.categoryScore(r.Category, r.Variant); score != nil {
		row = csvCategoryRow(score, r.Quantization)
	}
	row.text("category", r.Category)
	row.text("model", r.Variant)
	row.text("quantization", r.Quantization)
	row.number("baseline_score", r.BaselineScore)
	row.number("score", r.VariantScore)
	row.number("percent_of_baseline", r.Percent)
	row["notes"] = noteList(r.Notes)

	c := r.Comparison
	if c == nil {
		return row
	}
	row.int("pairs", c.Pairs)
	row.number("percent_low", c.PercentLow)
	row.number("percent_high", c.PercentHigh)
	row.number("difference", c.Difference)
	row.number("difference_low", c.DifferenceLow)
	row.number("difference_high", c.DifferenceHigh)
	row.int("flips_correct_to_wrong", c.FlipsCorrectToWrong)
	row.int("flips_wrong_to_correct", c.FlipsWrongToCorrect)
	row.int("flips", c.FlipsCorrectToWrong+c.FlipsWrongToCorrect)
	row.number("flip_rate", c.FlipRate)
	row.number("p_value", c.PValue)
	row.number("noise_flip_rate", c.NoiseFlipRate)
	row.number("noise_upper_bound", c.NoiseUpperBound)
	if c.WithinNoise != nil {
		row["within_noise"] = strconv.FormatBool(*c.WithinNoise)
	}
	row.float("tolerance", c.Tolerance)
	row.text("verdict", c.Verdict)
	if drift := c.Drift; drift != nil {
		csvSample(row, "kl", drift.FirstTokenKL)
		csvSample(row, "top_agreement", drift.TopAgreement)
	}

	e := c.VariantExcluded
	for column, n := range map[string]int{
		"infra_error": e.InfraError, "truncated": e.Truncated, "budget_exhausted": e.BudgetExhausted,
		"no_answer": e.NoAnswer, "format_error": e.FormatError, "unscored": e.Unscored, "unpaired": e.Unpaired,
	} {
		row.int(column, n)
	}
	return row
}

func csvSample(row csvRow, prefix string, s *results.SampleSummary) {
	if s == nil {
		return
	}
	row.float(prefix+"_mean", s.Mean)
	row.float(prefix+"_median", s.Median)
	row.float(prefix+"_p99", s.P99)
}

func csvNoiseRows(floors []results.NoiseFloor) []csvRow {
	rows := make([]csvRow, 0, len(floors))
	for _, n := range floors {
		row := csvRow{"section": "noise_floor", "role": results.RoleBaseline}
		row.text("category", n.Category)
		row.text("model", n.Baseline)
		row.int("pairs", n.Pairs)
		row.int("flips", n.Flips)
		row.number("flip_rate", n.FlipRate)
		row.number("noise_flip_rate", n.FlipRate)
		row.number("noise_upper_bound", n.UpperBound)
		row.text("text", n.Reason)
		rows = append(rows, row)
	}
	return rows
}

func csvThroughputRows(levels []results.LevelSpeed) []csvRow {
	rows := make([]csvRow, 0, len(levels))
	for _, l := range levels {
		row := csvRow{"section": "throughput"}
		row.text("model", l.Model)
		row.int("concurrency", l.Concurrency)
		row.int("requests", l.Requests)
		row.int("ok", l.OK)
		row.int("failed", l.Failed)
		row.number("output_tps", l.OutputTPS)
		row.number("requests_per_second", l.RequestsPerSecond)
		row.number("documents_per_hour", l.DocumentsPerHour)
		row.number("decode_tps_mean", l.DecodeTPS.Mean)
		row.number("decode_tps_p50", l.DecodeTPS.P50)
		row.number("prefill_tps_p50", l.PrefillTPS.P50)
		row.number("ttft_ms_p50", l.TTFTMS.P50)
		row.number("ttft_ms_p99", l.TTFTMS.P99)
		row.number("itl_ms_p50", l.ITLMS.P50)
		row.number("itl_ms_p99", l.ITLMS.P99)
		row.number("e2e_ms_p50", l.E2EMS.P50)
		row.number("e2e_ms_p99", l.E2EMS.P99)
		if p := l.Power; p != nil {
			row.number("mean_power_w", p.MeanPowerW)
			row.number("energy_per_1k_tokens_j", p.EnergyPer1kTokensJ)
		}
		rows = append(rows, row)
	}
	return rows
}

// csvCostRows lists the cost headline, one figure per row: the label in
// text and the number in value (dollars, documents or a count).
func csvCostRows(c *results.CostReport) []csvRow {
	var rows []csvRow
	for _, f := range costFacts(c) {
		row := csvRow{"section": "cost"}
		row.text("model", c.Variant)
		row.text("text", f.Label)
		if f.Kind == costText {
			row.text("text", f.Label+": "+f.Text)
		} else {
			row.number("value", f.Value)
		}
		rows = append(rows, row)
	}
	if c.Plan != nil {
		for _, r := range c.Plan.Routes {
			row := csvRow{"section": "cost"}
			row.text("category", r.Category)
			row.text("model", c.Variant)
			row.text("verdict", r.Verdict)
			row.float("value", r.VolumePerMonth)
			row.text("text", "route "+r.Recommendation+": "+r.Reason)
			rows = append(rows, row)
		}
	}
	return rows
}

// noteList prints footnote numbers as "1;5".
func noteList(notes []int) string {
	parts := make([]string, len(notes))
	for i, n := range notes {
		parts[i] = strconv.Itoa(n)
	}
	return strings.Join(parts, ";")
}
