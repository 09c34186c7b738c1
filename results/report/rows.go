package report

import (
	"fmt"
	"sort"
	"strings"

	"github.com/quantbench/quantbench/results"
)

// qualityRow is one category and variant: the line every writer shows. It
// joins the paired comparison (when the statistics produced one) with the
// variant's category score.
type qualityRow struct {
	Category string
	// Items is the number of the category's items the baseline was given.
	Items int

	Baseline      string
	BaselineScore *float64
	Variant       string
	Quantization  string
	VariantScore  *float64

	// Percent is the variant's score as % of the baseline's (100 = equal).
	Percent *float64

	// Comparison is nil when the run has no paired comparison for the row,
	// for example when the statistics could not be computed.
	Comparison *results.Comparison

	// Notes are the 1-based numbers of the footnotes that apply to the row.
	Notes []int
}

// reportData is the content every writer shows, computed once from a
// Summary: the quality rows and the numbered footnotes they refer to.
type reportData struct {
	s         *results.Summary
	baseline  results.ModelInfo
	rows      []qualityRow
	footnotes *footnotes
}

func newReportData(s *results.Summary) *reportData {
	d := &reportData{s: s, footnotes: newFootnotes(s.Footnotes)}
	for _, m := range s.Run.Models {
		if m.Role == results.RoleBaseline {
			d.baseline = m
			break
		}
	}
	d.rows = d.qualityRows()
	d.addSpeedNotes()
	return d
}

// qualityRows lists one row per category and variant, categories in report
// order and variants in run.json order.
func (d *reportData) qualityRows() []qualityRow {
	categories := d.categories()
	variants := d.variants()

	var rows []qualityRow
	for _, category := range categories {
		base := d.categoryScore(category, d.baseline.Name)
		for _, variant := range variants {
			row, ok := d.qualityRow(category, variant, base)
			if ok {
				rows = append(rows, row)
			}
		}
	}
	return rows
}

func (d *reportData) qualityRow(category string, variant results.ModelInfo, base *results.CategoryScore) (qualityRow, bool) {
	row := qualityRow{Category: category, Baseline: d.baseline.Name, Variant: variant.Name, Quantization: variant.Quantization}
	if base != nil {
		row.Items, row.BaselineScore = base.Items, base.Score
	}

	score := d.categoryScore(category, variant.Name)
	cmp := d.comparison(category, variant.Name)
	if score == nil && cmp == nil {
		return row, false
	}
	if score != nil {
		row.VariantScore, row.Percent = score.Score, score.PercentOfBaseline
	}

	if cmp != nil {
		// The paired figures replace the unpaired ones: they are computed on
		// the same items for both models, which is what the interval is about.
		row.Comparison = cmp
		row.BaselineScore, row.VariantScore, row.Percent = cmp.BaselineScore, cmp.VariantScore, cmp.PercentOfBaseline
		if cmp.VariantQuantization != "" {
			row.Quantization = cmp.VariantQuantization
		}
		row.Notes = d.comparisonNotes(cmp)
	}
	undefined := row.Percent == nil && row.BaselineScore != nil && *row.BaselineScore == 0
	if undefined && cmp == nil {
		row.Notes = appendUnique(row.Notes, d.footnotes.add(fmt.Sprintf(
			"%s: the baseline scored 0, so %% of baseline is undefined (n/a)", category)))
	}
	return row, true
}

// comparisonNotes numbers the comparison's notes and the counts of records
// left out of its scores. The reasons for undefined values are added only
// when the comparison carries no notes, because its notes already explain
// them in general words.
func (d *reportData) comparisonNotes(c *results.Comparison) []int {
	var notes []int
	for _, note := range c.Notes {
		notes = appendUnique(notes, d.footnotes.add(note))
	}
	if len(c.Notes) == 0 {
		for _, reason := range []string{c.PercentReason, c.PValueReason} {
			if reason != "" {
				notes = appendUnique(notes, d.footnotes.add(reason))
			}
		}
		if c.Verdict == results.VerdictNA && c.VerdictReason != "" && c.PercentReason == "" {
			notes = appendUnique(notes, d.footnotes.add(c.VerdictReason))
		}
	}
	if c.Verdict == results.VerdictInconclusive && c.ItemsForDecision != nil {
		notes = appendUnique(notes, d.footnotes.add(fmt.Sprintf(
			"%s, %s: INCONCLUSIVE; about %d pairs would make the verdict decisive", c.Category, c.Variant, *c.ItemsForDecision)))
	}
	for _, text := range excludedNotes(c) {
		notes = appendUnique(notes, d.footnotes.add(text))
	}
	sort.Ints(notes)
	return notes
}

// excludedNotes describe the records of a comparison that were left out of
// its pairs, or kept in them with a score of 0, one note per model.
func excludedNotes(c *results.Comparison) []string {
	var notes []string
	for _, side := range []struct {
		model string
		e     results.Excluded
	}{{c.Baseline, c.BaselineExcluded}, {c.Variant, c.VariantExcluded}} {
		e := side.e
		leftOut := countList([]namedCount{
			{"infra_error", e.InfraError}, {"truncated", e.Truncated}, {"budget_exhausted", e.BudgetExhausted},
			{"unscored", e.Unscored}, {"unpaired", e.Unpaired},
		})
		if leftOut != "" {
			notes = append(notes, fmt.Sprintf("%s: %s has %s left out of the pairs", c.Category, side.model, leftOut))
		}
		scoredZero := countList([]namedCount{{"no_answer", e.NoAnswer}, {"format_error", e.FormatError}})
		if scoredZero != "" {
			notes = append(notes, fmt.Sprintf("%s: %s has %s, scored 0", c.Category, side.model, scoredZero))
		}
	}
	return notes
}

type namedCount struct {
	name string
	n    int
}

// countList prints the non-zero counts as "1 infra_error, 2 truncated".
func countList(counts []namedCount) string {
	var parts []string
	for _, c := range counts {
		if c.n > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", c.n, c.name))
		}
	}
	return strings.Join(parts, ", ")
}

// leftOut is the number of one side's records left out of the pairs.
func leftOut(e results.Excluded) int {
	return e.InfraError + e.Truncated + e.BudgetExhausted + e.Unscored + e.Unpaired
}

// categories lists the categories of the run in report order.
func (d *reportData) categories() []string {
	seen := map[string]bool{}
	var categories []string
	add := func(c string) {
		if c != "" && !seen[c] {
			seen[c] = true
			categories = append(categories, c)
		}
	}
	for _, c := range d.s.Categories {
		add(c.Category)
	}
	for _, c := range d.s.Comparisons {
		add(c.Category)
	}
	sortCategories(categories)
	return categories
}

// variants lists the non-baseline models in run.json order, then any model
// that only the comparisons name.
func (d *reportData) variants() []results.ModelInfo {
	seen := map[string]bool{}
	var variants []results.ModelInfo
	for _, m := range d.s.Run.Models {
		if m.Role != results.RoleBaseline && !seen[m.Name] {
			seen[m.Name] = true
			variants = append(variants, m)
		}
	}
	var extra []string
	for _, c := range d.s.Comparisons {
		if !seen[c.Variant] {
			seen[c.Variant] = true
			extra = append(extra, c.Variant)
		}
	}
	sort.Strings(extra)
	for _, name := range extra {
		variants = append(variants, results.ModelInfo{Name: name, Role: results.RoleVariant})
	}
	return variants
}

func (d *reportData) categoryScore(category, model string) *results.CategoryScore {
	for i := range d.s.Categories {
		c := &d.s.Categories[i]
		if c.Category == category && c.Model == model {
			return c
		}
	}
	return nil
}

func (d *reportData) comparison(category, variant string) *results.Comparison {
	for i := range d.s.Comparisons {
		c := &d.s.Comparisons[i]
		if c.Category == category && c.Variant == variant {
			return c
		}
	}
	return nil
}

// model returns run.json's entry for a model name.
func (d *reportData) model(name string) (results.ModelInfo, bool) {
	for _, m := range d.s.Run.Models {
		if m.Name == name {
			return m, true
		}
	}
	return results.ModelInfo{}, false
}

// addSpeedNotes numbers the throughput footnotes and warnings after the
// quality notes. The cost model's warnings need no step here: Summarize puts
// them in Summary.Footnotes.
func (d *reportData) addSpeedNotes() {
	if t := d.s.Throughput; t != nil {
		for _, note := range t.Footnotes {
			d.footnotes.add(note)
		}
		for _, m := range t.Models {
			for _, warning := range m.Warnings {
				d.footnotes.add(m.Model + ": " + warning)
			}
		}
	}
}

// footnotes is the numbered list of caveats printed under the tables.
type footnotes struct {
	texts []string
	index map[string]int
}

func newFootnotes(initial []string) *footnotes {
	f := &footnotes{index: map[string]int{}}
	for _, text := range initial {
		f.add(text)
	}
	return f
}

// add returns the 1-based number of text, adding it when it is new.
func (f *footnotes) add(text string) int {
	if n, ok := f.index[text]; ok {
		return n
	}
	f.texts = append(f.texts, text)
	f.index[text] = len(f.texts)
	return len(f.texts)
}

func appendUnique(list []int, n int) []int {
	for _, v := range list {
		if v == n {
			return list
		}
	}
	return append(list, n)
}
