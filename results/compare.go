package results

import (
	"cmp"
	"fmt"
	"slices"

	"github.com/quantbench/quantbench/datasets"
	"github.com/quantbench/quantbench/evaluators"
	"github.com/quantbench/quantbench/results/paired"
)

// DefaultTolerances are the minimum acceptable variant scores per category,
// as a fraction of the baseline's score, used when run.json sets none.
var DefaultTolerances = map[string]float64{
	string(datasets.Classification): 0.97,
	string(datasets.Extraction):     0.95,
	string(datasets.Code):           0.93,
	string(datasets.Reasoning):      0.85,
	string(datasets.Creative):       0.88,
}

// Defaults of the analysis settings in run.json, used where a field is 0.
const (
	DefaultBootstrapResamples = paired.DefaultResamples
	DefaultConfidence         = paired.DefaultConfidence
	// DefaultMinPairs is the number of pairs below which a comparison gets a
	// footnote that its interval is unreliable.
	DefaultMinPairs = 30
)

// Verdicts of a comparison against its category's tolerance.
const (
	VerdictPass         = "PASS"
	VerdictFail         = "FAIL"
	VerdictInconclusive = "INCONCLUSIVE"
	VerdictNA           = "n/a"
)

// Comparison is the paired comparison of one variant with the baseline on one
// category. Pairs are the items (dataset, item id, repeat 0) that both models
// completed with status ok and a score. Scores are in [0, 1].
//
// Every value that can be undefined is a pointer: nil means undefined, and the
// matching Reason field says why. No field ever holds NaN or infinity.
type Comparison struct {
	Category string `json:"category"`

	// Baseline and Variant are model names as in run.json; VariantQuantization
	// is the variant's quantisation level (for example "Q4_K_M").
	Baseline            string `json:"baseline"`
	Variant             string `json:"variant"`
	VariantQuantization string `json:"variant_quantization,omitempty"`

	// Pairs is the number of paired items. Binary reports whether every pair
	// has pass/fail scores on both sides, so McNemar's test applies.
	Pairs  int  `json:"pairs"`
	Binary bool `json:"binary"`

	// BaselineScore and VariantScore are mean scores over the pairs (nil when
	// there are no pairs).
	BaselineScore *float64 `json:"baseline_score"`
	VariantScore  *float64 `json:"variant_score"`

	// PercentOfBaseline is 100 × VariantScore / BaselineScore, with its paired
	// bootstrap percentile interval [PercentLow, PercentHigh] at Confidence.
	// It is nil when the baseline's mean score is 0, and PercentLow or
	// PercentHigh is nil when that end of the interval is unbounded (some
	// resamples had a baseline mean of 0). PercentReason then explains why.
	PercentOfBaseline *float64 `json:"percent_of_baseline"`
	PercentLow        *float64 `json:"percent_low"`
	PercentHigh       *float64 `json:"percent_high"`
	PercentReason     string   `json:"percent_reason,omitempty"`

	// Difference is VariantScore − BaselineScore in score units (−1 to 1), with
	// its paired bootstrap percentile interval [DifferenceLow, DifferenceHigh].
	Difference     *float64 `json:"difference"`
	DifferenceLow  *float64 `json:"difference_low"`
	DifferenceHigh *float64 `json:"difference_high"`

	// Confidence is the interval's confidence level (0.95 means 95%), and
	// Resamples and Seed the bootstrap's settings.
	Confidence float64 `json:"confidence"`
	Resamples  int     `json:"resamples"`
	Seed       int64   `json:"seed"`

	// FlipsCorrectToWrong counts pairs the variant scored lower than the
	// baseline by more than FlipThreshold, and FlipsWrongToCorrect pairs it
	// scored higher by more than FlipThreshold. For pass/fail scores these are
	// exactly the correct-to-wrong and wrong-to-correct pairs. Rates are the
	// counts divided by Pairs (nil when Pairs is 0); FlipRate is their sum.
	FlipsCorrectToWrong    int      `json:"flips_correct_to_wrong"`
	FlipsWrongToCorrect    int      `json:"flips_wrong_to_correct"`
	FlipRateCorrectToWrong *float64 `json:"flip_rate_correct_to_wrong"`
	FlipRateWrongToCorrect *float64 `json:"flip_rate_wrong_to_correct"`
	FlipRate               *float64 `json:"flip_rate"`
	FlipThreshold          float64  `json:"flip_threshold"`

	// PValue is the two-sided p-value of McNemar's exact test on the flips. It
	// is nil for continuous scores or without pairs, and PValueReason then
	// explains which.
	PValue       *float64 `json:"p_value"`
	PValueReason string   `json:"p_value_reason,omitempty"`

	// NoiseFlipRate and NoiseUpperBound copy the category's NoiseFloor: the
	// baseline's flip rate against its own second repeat and that rate's upper
	// confidence bound. WithinNoise reports FlipRate <= NoiseUpperBound. All
	// three are nil when the baseline ran once.
	NoiseFlipRate   *float64 `json:"noise_flip_rate"`
	NoiseUpperBound *float64 `json:"noise_upper_bound"`
	WithinNoise     *bool    `json:"within_noise"`

	// Tolerance is the minimum acceptable VariantScore / BaselineScore (0.97
	// means 97%). Verdict is PASS when the whole ratio interval is at or above
	// it, FAIL when the whole interval is below it, INCONCLUSIVE otherwise, and
	// n/a when the ratio is undefined. VerdictReason explains it in one sentence.
	Tolerance     float64 `json:"tolerance"`
	Verdict       string  `json:"verdict"`
	VerdictReason string  `json:"verdict_reason"`

	// ItemsForDecision estimates the number of pairs that would make an
	// INCONCLUSIVE verdict decisive, assuming the ratio stays where it is and
	// the interval narrows as 1/sqrt(pairs). It is nil for other verdicts and
	// when the ratio equals the tolerance.
	ItemsForDecision *int `json:"items_for_decision"`

	// BaselineExcluded and VariantExcluded count each side's records of the
	// category (repeat 0) by the status or outcome that keeps them out of, or
	// marks them within, the scores.
	BaselineExcluded Excluded `json:"baseline_excluded"`
	VariantExcluded  Excluded `json:"variant_excluded"`

	// Drift is the token-level drift of the variant from the baseline, from
	// the logprobs of the pairs; nil when no pair carries logprobs.
	Drift *Drift `json:"drift,omitempty"`

	// Notes are the footnotes that apply to this comparison. Each is also in
	// the footnotes compareVariants returns (Summary.Footnotes), word for word,
	// so a writer marks the row with the note's 1-based index there.
	Notes []string `json:"notes,omitempty"`
}

// Excluded counts one side's records of a category (repeat 0) that are left
// out of the scores or stand out within them. InfraError, Truncated and
// BudgetExhausted records are left out of the pairs. NoAnswer and FormatError
// records are scored 0 and stay in the pairs, and are counted here too.
// Unscored counts status-ok records without a score, and Unpaired status-ok
// scored records whose item the other side did not complete.
type Excluded struct {
	InfraError      int `json:"infra_error"`
	Truncated       int `json:"truncated"`
	BudgetExhausted int `json:"budget_exhausted"`
	NoAnswer        int `json:"no_answer"`
	FormatError     int `json:"format_error"`
	Unscored        int `json:"unscored"`
	Unpaired        int `json:"unpaired"`
}

// Drift is the token-level drift of a variant from the baseline on one
// category, from the top-k logprobs recorded for each generated token.
type Drift struct {
	// Items is the number of pairs with logprobs on both sides.
	Items int `json:"items"`

	// FirstTokenKL summarises, over those pairs, KL(baseline ‖ variant) in
	// nats on the first generated token, approximated from the top-k lists as
	// paired.FirstTokenKL documents. KLItems is the number of pairs where both
	// sides have an entry at byte offset 0.
	FirstTokenKL *SampleSummary `json:"first_token_kl"`
	KLItems      int            `json:"kl_items"`

	// TopAgreement summarises, over those pairs, the share (0 to 1) of aligned
	// positions along the common prefix of the two outputs where both models'
	// most probable token is the same. Positions are aligned by byte offset.
	TopAgreement *SampleSummary `json:"top_agreement"`

	// PositionsCompared counts positions where both sides have an entry.
	// PositionsWithoutEntry counts positions within the common prefix where
	// only one side has an entry. That happens when a token was cut inside a
	// UTF-8 character and its entry is missing, or when the two models split
	// the text into different tokens.
	PositionsCompared     int `json:"positions_compared"`
	PositionsWithoutEntry int `json:"positions_without_entry"`
}

// SampleSummary is the mean, median and 99th percentile of per-item values.
type SampleSummary struct {
	N      int     `json:"n"`
	Mean   float64 `json:"mean"`
	Median float64 `json:"median"`
	P99    float64 `json:"p99"`
}

// NoiseFloor is the baseline compared with its own second repeat (repeat 1
// against repeat 0) on one category. It measures how many scores change when
// nothing but the run changes.
type NoiseFloor struct {
	Category string `json:"category"`
	Baseline string `json:"baseline"`

	// Pairs is the number of items both repeats completed with status ok and a
	// score. Flips counts those whose scores differ by more than FlipThreshold.
	Pairs         int     `json:"pairs"`
	Flips         int     `json:"flips"`
	FlipThreshold float64 `json:"flip_threshold"`

	// FlipRate is Flips / Pairs and UpperBound its one-sided Clopper-Pearson
	// (exact binomial) upper confidence bound at Confidence. Both are nil
	// without pairs, and Reason then explains why.
	FlipRate   *float64 `json:"flip_rate"`
	UpperBound *float64 `json:"upper_bound"`
	Confidence float64  `json:"confidence"`
	Reason     string   `json:"reason,omitempty"`
}

// compareVariants pairs each variant's records with the baseline's, per
// category, and compares them. It also measures the baseline's noise floor
// from its repeat 1, and returns each caveat once as a footnote.
func compareVariants(m *RunManifest, records []*Record) ([]Comparison, []NoiseFloor, []string) {
	c := newComparer(m, records)
	if c.baseline == "" {
		if len(records) > 0 {
			c.notes.add("no baseline model in the run, so no variant is compared: give one model the role baseline")
		}
		return nil, nil, c.notes.list
	}

	var comparisons []Comparison
	var floors []NoiseFloor
	for _, category := range c.categories() {
		floor := c.noiseFloor(category)
		if floor != nil {
			floors = append(floors, *floor)
		}
		for _, variant := range c.variants {
			comparisons = append(comparisons, c.compare(category, variant, floor))
		}
	}
	return comparisons, floors, c.notes.list
}

// footnotes collects caveats in order of first use, each once.
type footnotes struct {
	list []string
	seen map[string]bool
}

func (f *footnotes) add(note string) string {
	if f.seen == nil {
		f.seen = map[string]bool{}
	}
	if !f.seen[note] {
		f.seen[note] = true
		f.list = append(f.list, note)
	}
	return note
}

// recordSet contains one model's records of one category and repeat, by item.
type recordSet map[itemKey]*Record

type itemKey struct{ dataset, item string }

func compareItemKeys(a, b itemKey) int {
	return cmp.Or(cmp.Compare(a.dataset, b.dataset), cmp.Compare(a.item, b.item))
}

// setKey identifies a recordSet.
type setKey struct {
	model, category string
	repeat          int
}

type comparer struct {
	analysis   Analysis
	tolerances map[string]float64
	baseline   string
	variants   []string
	quant      map[string]string
	sets       map[setKey]recordSet
	notes      footnotes
}

func newComparer(m *RunManifest, records []*Record) *comparer {
	c := &comparer{
		analysis: m.Analysis,
		quant:    map[string]string{},
		sets:     map[setKey]recordSet{},
	}
	if c.analysis.BootstrapResamples <= 0 {
		c.analysis.BootstrapResamples = DefaultBootstrapResamples
	}
	if c.analysis.Confidence <= 0 || c.analysis.Confidence >= 1 {
		c.analysis.Confidence = DefaultConfidence
	}
	if c.analysis.MinPairs <= 0 {
		c.analysis.MinPairs = DefaultMinPairs
	}
	c.tolerances = m.Analysis.Tolerances

	c.findRoles(m, records)
	for _, r := range records {
		key := setKey{model: r.Model, category: r.Category, repeat: r.Repeat}
		set := c.sets[key]
		if set == nil {
			set = recordSet{}
			c.sets[key] = set
		}
		item := itemKey{dataset: r.Dataset, item: r.ItemID}
		// A retried item can have several records: a scored one wins,
		// otherwise the last one written.
		if prev := set[item]; prev == nil || !scored(prev) || scored(r) {
			set[item] = r
		}
	}
	return c
}

// findRoles takes the baseline and the variants from run.json in its order,
// then from records of models run.json does not list.
func (c *comparer) findRoles(m *RunManifest, records []*Record) {
	seen := map[string]bool{}
	var baselines []string
	addModel := func(name, role, quantization string) {
		if seen[name] || name == "" {
			return
		}
		seen[name] = true
		c.quant[name] = quantization
		switch role {
		case RoleBaseline:
			baselines = append(baselines, name)
		case RoleVariant:
			c.variants = append(c.variants, name)
		}
	}
	for _, model := range m.Models {
		addModel(model.Name, model.Role, model.Quantization)
	}
	for _, r := range records {
		addModel(r.Model, r.Role, r.Quantization)
	}

	if len(baselines) == 0 {
		return
	}
	c.baseline = baselines[0]
	if len(baselines) > 1 {
		c.notes.add(fmt.Sprintf("%d models have the role baseline, so variants are compared with the first, %s", len(baselines), c.baseline))
	}
}

// categories returns the categories with baseline records, in report order.
func (c *comparer) categories() []string {
	present := map[string]bool{}
	for key := range c.sets {
		if key.model == c.baseline && key.repeat == 0 {
			present[key.category] = true
		}
	}

	var ordered []string
	for _, category := range datasets.Categories {
		if present[string(category)] {
			ordered = append(ordered, string(category))
			delete(present, string(category))
		}
	}
	var others []string
	for category := range present {
		others = append(others, category)
	}
	slices.Sort(others)
	return append(ordered, others...)
}

func scored(r *Record) bool {
	return r.Status == StatusOK && r.Score != nil
}

// pairs returns the items both sets scored, in dataset and item order.
func pairs(a, b recordSet) []itemKey {
	var keys []itemKey
	for key, r := range a {
		if other := b[key]; scored(r) && other != nil && scored(other) {
			keys = append(keys, key)
		}
	}
	slices.SortFunc(keys, compareItemKeys)
	return keys
}

// countExcluded counts one side's records by the status or outcome that
// keeps them out of, or marks them within, the scores.
func countExcluded(side, other recordSet) Excluded {
	var e Excluded
	for key, r := range side {
		switch r.Status {
		case StatusInfraError:
			e.InfraError++
		case StatusTruncated:
			e.Truncated++
		case StatusBudgetExhausted:
			e.BudgetExhausted++
		case StatusOK:
			if r.Score == nil {
				e.Unscored++
				break
			}
			switch r.Score.Outcome {
			case evaluators.NoAnswer:
				e.NoAnswer++
			case evaluators.FormatError:
				e.FormatError++
			}
			if o := other[key]; o == nil || !scored(o) {
				e.Unpaired++
			}
		}
	}
	return e
}

// scoreSlices returns the paired scores and whether all are pass/fail.
func scoreSlices(a, b recordSet, keys []itemKey) (as, bs []float64, binary bool) {
	binary = true
	for _, key := range keys {
		sa, sb := a[key].Score, b[key].Score
		as = append(as, sa.Value)
		bs = append(bs, sb.Value)
		binary = binary && isPassFail(sa) && isPassFail(sb)
	}
	return as, bs, binary
}

func isPassFail(s *evaluators.Score) bool {
	return s.Binary && (s.Value == 0 || s.Value == 1)
}

func (c *comparer) options() paired.Options {
	return paired.Options{
		Resamples:     c.analysis.BootstrapResamples,
		Confidence:    c.analysis.Confidence,
		Seed:          c.analysis.BootstrapSeed,
		FlipThreshold: paired.DefaultFlipThreshold,
	}
}

// noiseFloor compares the baseline's repeat 1 with its repeat 0, or returns
// nil when the baseline ran once in this category.
func (c *comparer) noiseFloor(category string) *NoiseFloor {
	first := c.sets[setKey{model: c.baseline, category: category, repeat: 0}]
	second := c.sets[setKey{model: c.baseline, category: category, repeat: 1}]
	if len(second) == 0 {
		return nil
	}

	f := &NoiseFloor{
		Category:      category,
		Baseline:      c.baseline,
		FlipThreshold: paired.DefaultFlipThreshold,
		Confidence:    c.analysis.Confidence,
	}
	keys := pairs(first, second)
	f.Pairs = len(keys)
	if f.Pairs == 0 {
		f.Reason = "no item was scored in both repeats of the baseline"
		return f
	}

	scores0, scores1, _ := scoreSlices(first, second, keys)
	flips, err := paired.CountFlips(scores0, scores1, f.FlipThreshold)
	if err != nil {
		f.Reason = err.Error()
		return f
	}
	f.Flips = flips.Total()
	rate := float64(f.Flips) / float64(f.Pairs)
	upper, err := paired.ClopperPearsonUpper(f.Flips, f.Pairs, f.Confidence)
	if err != nil {
		f.Reason = err.Error()
		return f
	}
	f.FlipRate, f.UpperBound = &rate, &upper
	return f
}

// compare builds the comparison of one variant with the baseline on one
// category.
func (c *comparer) compare(category, variant string, floor *NoiseFloor) Comparison {
	base := c.sets[setKey{model: c.baseline, category: category, repeat: 0}]
	vari := c.sets[setKey{model: variant, category: category, repeat: 0}]

	cmp := Comparison{
		Category:            category,
		Baseline:            c.baseline,
		Variant:             variant,
		VariantQuantization: c.quant[variant],
		Confidence:          c.analysis.Confidence,
		Resamples:           c.analysis.BootstrapResamples,
		Seed:                c.analysis.BootstrapSeed,
		FlipThreshold:       paired.DefaultFlipThreshold,
		Verdict:             VerdictNA,
		BaselineExcluded:    countExcluded(base, vari),
		VariantExcluded:     countExcluded(vari, base),
	}
	c.noteExclusions(&cmp)
	c.applyNoiseFloor(&cmp, floor)

	keys := pairs(base, vari)
	cmp.Pairs = len(keys)
	if cmp.Pairs == 0 {
		cmp.VerdictReason = "no item was scored with status ok for both models"
		cmp.PValueReason = cmp.VerdictReason
		cmp.PercentReason = cmp.VerdictReason
		return cmp
	}

	c.applyStatistics(&cmp, base, vari, keys)
	c.applyDrift(&cmp, base, vari, keys)
	return cmp
}

func (c *comparer) note(cmp *Comparison, text string) {
	cmp.Notes = append(cmp.Notes, c.notes.add(text))
}

func (c *comparer) noteExclusions(cmp *Comparison) {
	left := func(e Excluded) int { return e.InfraError + e.Truncated + e.BudgetExhausted }
	if left(cmp.BaselineExcluded)+left(cmp.VariantExcluded) > 0 {
		c.note(cmp, "infra errors, truncated and budget-exhausted answers are left out of the pairs and counted apart")
	}
	zero := func(e Excluded) int { return e.NoAnswer + e.FormatError }
	if zero(cmp.BaselineExcluded)+zero(cmp.VariantExcluded) > 0 {
		c.note(cmp, "no-answer and format-error outputs score 0 in the pairs and are also counted apart")
	}
}

func (c *comparer) applyNoiseFloor(cmp *Comparison, floor *NoiseFloor) {
	if floor == nil {
		c.note(cmp, "no noise floor: the baseline ran once, so run-to-run flips are unknown (run with --noise-floor, or noise_floor: true in the suite, to measure them)")
		return
	}
	if floor.UpperBound == nil {
		c.note(cmp, "no noise floor: no item was scored in both repeats of the baseline")
		return
	}
	cmp.NoiseFlipRate, cmp.NoiseUpperBound = floor.FlipRate, floor.UpperBound
}

// applyStatistics fills the scores, intervals, flips, p-value and verdict.
func (c *comparer) applyStatistics(cmp *Comparison, base, vari recordSet, keys []itemKey) {
	baseScores, variScores, binary := scoreSlices(base, vari, keys)
	cmp.Binary = binary
	if cmp.Pairs < c.analysis.MinPairs {
		c.note(cmp, fmt.Sprintf("fewer than %d pairs: a %s interval from so few items is rough, so marked rows get no PASS or FAIL", c.analysis.MinPairs, formatPercent(c.analysis.Confidence)))
	}

	r, err := paired.Compare(baseScores, variScores, binary, c.options())
	if err != nil {
		cmp.VerdictReason = fmt.Sprintf("invalid scores in records of %s, %s: %v", cmp.Variant, cmp.Category, err)
		c.note(cmp, cmp.VerdictReason)
		return
	}

	cmp.BaselineScore, cmp.VariantScore = &r.BaselineMean, &r.VariantMean
	cmp.Difference = &r.Difference
	cmp.DifferenceLow, cmp.DifferenceHigh = r.DifferenceInterval.Low, r.DifferenceInterval.High
	cmp.PercentOfBaseline = scaled(r.Ratio)
	cmp.PercentLow, cmp.PercentHigh = scaled(r.RatioInterval.Low), scaled(r.RatioInterval.High)
	cmp.PercentReason = r.RatioReason
	if r.Ratio == nil {
		c.note(cmp, "baseline score 0: % of baseline and the verdict are n/a")
	} else if cmp.PercentHigh == nil {
		c.note(cmp, "some bootstrap resamples had a baseline score of 0, so the interval of % of baseline is unbounded above")
	}

	c.applyFlips(cmp, r)
	cmp.PValue, cmp.PValueReason = r.PValue, r.PValueReason
	if !binary {
		c.note(cmp, fmt.Sprintf("continuous scores (F1, constraint fraction) have no McNemar p-value, and a flip is a score change of more than %.2f", paired.DefaultFlipThreshold))
	}

	c.applyVerdict(cmp, r)
}

func (c *comparer) applyFlips(cmp *Comparison, r paired.Result) {
	n := float64(r.Pairs)
	cmp.FlipsCorrectToWrong, cmp.FlipsWrongToCorrect = r.Flips.Down, r.Flips.Up
	down, up, total := float64(r.Flips.Down)/n, float64(r.Flips.Up)/n, float64(r.Flips.Total())/n
	cmp.FlipRateCorrectToWrong, cmp.FlipRateWrongToCorrect, cmp.FlipRate = &down, &up, &total

	if cmp.NoiseUpperBound != nil {
		within := total <= *cmp.NoiseUpperBound
		cmp.WithinNoise = &within
	}
}

func (c *comparer) applyVerdict(cmp *Comparison, r paired.Result) {
	tolerance, ok := c.tolerances[cmp.Category]
	if !ok {
		tolerance, ok = DefaultTolerances[cmp.Category]
	}
	if !ok {
		cmp.VerdictReason = fmt.Sprintf("no tolerance for category %s: set analysis tolerances in the suite", cmp.Category)
		return
	}
	if !(tolerance > 0 && tolerance <= 2) {
		cmp.VerdictReason = fmt.Sprintf("invalid tolerance %v for category %s: write it as a fraction of the baseline, for example 0.97 for 97%%", tolerance, cmp.Category)
		c.note(cmp, cmp.VerdictReason)
		return
	}
	cmp.Tolerance = tolerance

	d := paired.Decide(r.Ratio, r.RatioInterval, tolerance, r.Pairs)
	// A bootstrap interval from a handful of pairs can be narrow by chance
	// (identical answers on 5 items give 100% to 100%), so below MinPairs a
	// decisive interval is reported but not turned into PASS or FAIL.
	if (d.Verdict == paired.Pass || d.Verdict == paired.Fail) && r.Pairs < c.analysis.MinPairs {
		needed := c.analysis.MinPairs
		d = paired.Decision{
			Verdict:          paired.Inconclusive,
			Reason:           fmt.Sprintf("only %d pairs, fewer than the %d a verdict needs; the interval alone would say %s (%s)", r.Pairs, c.analysis.MinPairs, d.Verdict, d.Reason),
			ItemsForDecision: &needed,
		}
	}
	cmp.Verdict, cmp.VerdictReason, cmp.ItemsForDecision = d.Verdict, d.Reason, d.ItemsForDecision
	if cmp.ItemsForDecision != nil {
		c.note(cmp, "items for a decision is an estimate: it assumes % of baseline stays the same and the interval narrows as 1/sqrt(pairs)")
	}
}

func (c *comparer) applyDrift(cmp *Comparison, base, vari recordSet, keys []itemKey) {
	var acc driftAccumulator
	for _, key := range keys {
		acc.add(base[key].Logprobs, vari[key].Logprobs)
	}
	cmp.Drift = acc.drift()
	if cmp.Drift == nil {
		return
	}

	if cmp.Drift.FirstTokenKL != nil {
		c.note(cmp, "first-token KL is approximated from the top-k logprobs, over the baseline's listed tokens plus one bucket for the rest of the vocabulary")
	}
	if cmp.Drift.PositionsWithoutEntry > 0 {
		c.note(cmp, "positions without a logprob entry on one side (a token cut inside a UTF-8 character, or the models split the text differently) are counted, not compared")
	}
}

// scaled returns 100 × v, or nil for nil.
func scaled(v *float64) *float64 {
	if v == nil {
		return nil
	}
	p := 100 * *v
	return &p
}

func formatPercent(fraction float64) string {
	return fmt.Sprintf("%g%%", 100*fraction)
}
