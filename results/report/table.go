package report

import (
	"fmt"
	"io"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/quantbench/quantbench/results"
)

// qualityColumns are the columns of the per-category quality table, shared
// by the printed table and report.md.
var qualityColumns = []string{
	"category", "items", "baseline", "variant", "score", "% of baseline", "95% CI",
	"flips c→w/w→c", "p-value", "vs noise floor", "verdict", "KL (nats)", "top-1 agree",
}

// qualityCells is the text of one quality row, in qualityColumns order.
// The verdict carries the row's footnote marks.
func qualityCells(r qualityRow) []string {
	cells := []string{
		r.Category, strconv.Itoa(r.Items), formatScore(r.BaselineScore), r.Variant,
		formatScore(r.VariantScore), percentText(r), none, none, none, none, none, none, none,
	}
	c := r.Comparison
	if c == nil {
		cells[10] = withNotes(none, r.Notes)
		return cells
	}

	cells[6] = formatInterval(c.PercentLow, c.PercentHigh)
	cells[7] = flipsText(c)
	cells[8] = formatPValue(c.PValue)
	if c.PValue == nil && c.Pairs > 0 && !c.Binary {
		cells[8] = "n/a"
	}
	cells[9] = noiseText(c)
	cells[10] = withNotes(verdictText(c), r.Notes)
	if c.Drift != nil {
		if c.Drift.FirstTokenKL != nil {
			cells[11] = strconv.FormatFloat(c.Drift.FirstTokenKL.Mean, 'f', 3, 64)
		}
		if c.Drift.TopAgreement != nil {
			mean := c.Drift.TopAgreement.Mean
			cells[12] = formatRate(&mean)
		}
	}
	return cells
}

// percentText is the variant's % of baseline, or "n/a" when the baseline
// scored 0 and the ratio is undefined.
func percentText(r qualityRow) string {
	if r.Percent == nil && r.BaselineScore != nil && *r.BaselineScore == 0 {
		return "n/a"
	}
	return formatPct(r.Percent)
}

// flipsText is "correct-to-wrong/wrong-to-correct (flip rate)".
func flipsText(c *results.Comparison) string {
	if c.Pairs == 0 {
		return none
	}
	return fmt.Sprintf("%d/%d (%s)", c.FlipsCorrectToWrong, c.FlipsWrongToCorrect, formatRate(c.FlipRate))
}

// noiseText compares the flip rate with the noise floor's upper bound.
func noiseText(c *results.Comparison) string {
	if c.WithinNoise == nil || c.NoiseUpperBound == nil {
		return none
	}
	word := "above"
	if *c.WithinNoise {
		word = "within"
	}
	return fmt.Sprintf("%s (ub %s)", word, formatRate(c.NoiseUpperBound))
}

func verdictText(c *results.Comparison) string {
	if c.Verdict == "" {
		return none
	}
	return c.Verdict
}

// PrintTable prints the per-category quality table, the noise floor, the
// throughput and cost headlines when the run has them, and the footnotes.
// It is what `quantbench run` prints at the end and `quantbench report`
// prints after rebuilding the files.
func PrintTable(w io.Writer, s *results.Summary) {
	d := newReportData(s)
	printHeader(w, d)

	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	if len(d.rows) == 0 {
		fmt.Fprintln(w, "no scored categories: the run has no records with scores yet")
	} else {
		printRow(tw, qualityColumns)
		for _, r := range d.rows {
			printRow(tw, qualityCells(r))
		}
		tw.Flush()
	}

	if len(s.NoiseFloors) > 0 {
		fmt.Fprintln(w)
		fmt.Fprintln(w, "noise floor: the baseline against its own second repeat")
		printRow(tw, noiseColumns)
		for _, n := range s.NoiseFloors {
			printRow(tw, noiseCells(n))
		}
		tw.Flush()
	}

	if len(s.Judgements) > 0 {
		fmt.Fprintln(w)
		fmt.Fprintf(w, "pairwise judge %s: the variant's creative outputs against the baseline's, asked in both orders\n", s.Judgements[0].Judge)
		printRow(tw, judgeColumns)
		for _, j := range s.Judgements {
			printRow(tw, judgeCells(j))
		}
		tw.Flush()
	}

	printSpeed(w, d)
	printCost(w, d)
	printFootnotes(w, d)
}

func printHeader(w io.Writer, d *reportData) {
	baseline := d.baseline.Name
	if baseline == "" {
		baseline = none
	}
	if d.baseline.Quantization != "" {
		baseline += " (" + d.baseline.Quantization + ")"
	}
	fmt.Fprintf(w, "run %s  baseline %s\n\n", orNone(d.s.Run.RunID), baseline)
}

func printRow(w io.Writer, cells []string) {
	fmt.Fprintln(w, strings.Join(cells, "\t"))
}

func printFootnotes(w io.Writer, d *reportData) {
	if len(d.footnotes.texts) == 0 {
		return
	}
	fmt.Fprintln(w)
	for i, text := range d.footnotes.texts {
		fmt.Fprintf(w, "%s %s\n", superscript([]int{i + 1}), text)
	}
}

// noiseColumns are the columns of the noise floor table.
var noiseColumns = []string{"category", "pairs", "flips", "flip rate", "upper bound"}

func noiseCells(n results.NoiseFloor) []string {
	upper := formatRate(n.UpperBound)
	if n.UpperBound != nil && n.Confidence > 0 {
		upper += fmt.Sprintf(" (%.0f%%)", n.Confidence*100)
	}
	rate := formatRate(n.FlipRate)
	if n.FlipRate == nil && n.Reason != "" {
		rate = "n/a: " + n.Reason
	}
	return []string{n.Category, strconv.Itoa(n.Pairs), strconv.Itoa(n.Flips), rate, upper}
}

// judgeColumns are the columns of the pairwise judge table.
var judgeColumns = []string{"category", "variant", "wins", "ties", "losses", "errors", "win rate"}

func judgeCells(j results.JudgeSummary) []string {
	return []string{j.Category, j.Variant, strconv.Itoa(j.Wins), strconv.Itoa(j.Ties), strconv.Itoa(j.Losses),
		strconv.Itoa(j.Errors), formatRate(j.WinRate)}
}

func orNone(s string) string {
	if s == "" {
		return none
	}
	return s
}
