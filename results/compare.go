package results

// Verdicts of a comparison against its category's tolerance.
const (
	VerdictPass         = "PASS"
	VerdictFail         = "FAIL"
	VerdictInconclusive = "INCONCLUSIVE"
	VerdictNA           = "n/a"
)

// Comparison is the paired comparison of one variant with the baseline on one
// category. Pairs are the items (dataset, item id, repeat 0) that both models
// answered with status ok and a score. Scores are in [0, 1].
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
	// resamples had a baseline mean of 0); PercentReason then says why.
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

	// PValue is the two-sided p-value of McNemar's exact test on the flips
	// (nil for continuous scores or without pairs; PValueReason says which).
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
	// n/a when the ratio is undefined; VerdictReason says why in one sentence.
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

	// PositionsCompared counts positions where both sides have an entry, and
	// PositionsWithoutEntry positions within the common prefix where only one
	// side has an entry (Ollama sends none for a token that ends inside a
	// UTF-8 sequence, and the two models may split the text differently).
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
// against repeat 0) on one category: how many answers change when nothing but
// the run changes.
type NoiseFloor struct {
	Category string `json:"category"`
	Baseline string `json:"baseline"`

	// Pairs is the number of items both repeats answered with status ok and a
	// score; Flips counts those whose scores differ by more than FlipThreshold.
	Pairs         int     `json:"pairs"`
	Flips         int     `json:"flips"`
	FlipThreshold float64 `json:"flip_threshold"`

	// FlipRate is Flips / Pairs and UpperBound its one-sided Clopper-Pearson
	// (exact binomial) upper confidence bound at Confidence. Both are nil
	// without pairs, and Reason then says why.
	FlipRate   *float64 `json:"flip_rate"`
	UpperBound *float64 `json:"upper_bound"`
	Confidence float64  `json:"confidence"`
	Reason     string   `json:"reason,omitempty"`
}

// compareVariants pairs each variant's records with the baseline's.
func compareVariants(m *RunManifest, records []*Record) ([]Comparison, []NoiseFloor, []string) {
	// TODO: paired statistics.
	return nil, nil, nil
}
