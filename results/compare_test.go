package results

import (
	"encoding/json"
	"fmt"
	"math"
	"strings"
	"testing"

	"github.com/quantbench/quantbench/evaluators"
	"github.com/quantbench/quantbench/results/paired"
)

// runBuilder makes hand-made records of a run with one baseline and two
// variants.
type runBuilder struct {
	records []*Record
}

var testManifest = &RunManifest{
	RunID: "test",
	Models: []ModelInfo{
		{Name: "m:f16", Role: RoleBaseline, Quantization: "F16"},
		{Name: "m:q8_0", Role: RoleVariant, Quantization: "Q8_0"},
		{Name: "m:q4_K_M", Role: RoleVariant, Quantization: "Q4_K_M"},
	},
	Analysis: Analysis{BootstrapSeed: 1},
}

func (b *runBuilder) add(model, category string, item, repeat int, status Status, score *evaluators.Score) *Record {
	role := RoleVariant
	if model == "m:f16" {
		role = RoleBaseline
	}
	r := &Record{
		RunID:    "test",
		Dataset:  category + "-set",
		Category: category,
		ItemID:   fmt.Sprintf("%s-%03d", category, item),
		Model:    model,
		Role:     role,
		Repeat:   repeat,
		Status:   status,
		Score:    score,
	}
	b.records = append(b.records, r)
	return r
}

func passFail(correct bool) *evaluators.Score {
	if correct {
		return &evaluators.Score{Value: 1, Binary: true, Outcome: evaluators.Correct}
	}
	return &evaluators.Score{Value: 0, Binary: true, Outcome: evaluators.Wrong}
}

func partial(v float64) *evaluators.Score {
	return &evaluators.Score{Value: v, Outcome: evaluators.Partial}
}

// classificationRun returns a run whose classification category has 40
// items scored by all models plus three with exclusions:
//   - the baseline is correct on items 0 to 31 (32 of 40);
//   - q8_0 scores exactly like the baseline;
//   - q4_K_M turns items 0 to 9 wrong and items 32 and 33 correct, so it has
//     10 correct-to-wrong and 2 wrong-to-correct flips;
//   - item 40: q4_K_M had an infra error, item 41: the baseline and q8_0 were
//     truncated, item 42: everyone wrong and q4_K_M gave no answer;
//   - the baseline's repeat 1 differs from repeat 0 on item 5 only.
func classificationRun() *runBuilder {
	b := &runBuilder{}
	for i := range 43 {
		baseCorrect := i < 32
		switch i {
		case 41:
			b.add("m:f16", "classification", i, 0, StatusTruncated, nil)
			b.add("m:f16", "classification", i, 1, StatusTruncated, nil)
			b.add("m:q8_0", "classification", i, 0, StatusTruncated, nil)
		default:
			b.add("m:f16", "classification", i, 0, StatusOK, passFail(baseCorrect))
			b.add("m:f16", "classification", i, 1, StatusOK, passFail(baseCorrect != (i == 5)))
			b.add("m:q8_0", "classification", i, 0, StatusOK, passFail(baseCorrect))
		}

		switch {
		case i == 40:
			b.add("m:q4_K_M", "classification", i, 0, StatusInfraError, nil)
		case i == 42:
			b.add("m:q4_K_M", "classification", i, 0, StatusOK, &evaluators.Score{Value: 0, Binary: true, Outcome: evaluators.NoAnswer})
		default:
			q4Correct := (baseCorrect && i >= 10) || i == 32 || i == 33
			b.add("m:q4_K_M", "classification", i, 0, StatusOK, passFail(q4Correct))
		}
	}
	return b
}

func findComparison(t *testing.T, comparisons []Comparison, category, variant string) Comparison {
	t.Helper()
	for _, c := range comparisons {
		if c.Category == category && c.Variant == variant {
			return c
		}
	}
	t.Fatalf("no comparison of %s on %s", variant, category)
	return Comparison{}
}

func TestCompareVariantsIdenticalVariant(t *testing.T) {
	comparisons, _, _ := compareVariants(testManifest, classificationRun().records)
	c := findComparison(t, comparisons, "classification", "m:q8_0")

	if c.Pairs != 42 {
		t.Errorf("pairs = %d, want 42 (all but item 41)", c.Pairs)
	}
	if c.VariantQuantization != "Q8_0" {
		t.Errorf("variant quantization = %q, want Q8_0", c.VariantQuantization)
	}
	if c.FlipsCorrectToWrong != 0 || c.FlipsWrongToCorrect != 0 {
		t.Errorf("flips = %d and %d, want none", c.FlipsCorrectToWrong, c.FlipsWrongToCorrect)
	}
	if c.PercentOfBaseline == nil || *c.PercentOfBaseline != 100 {
		t.Errorf("percent of baseline = %v, want exactly 100", c.PercentOfBaseline)
	}
	if c.PercentLow == nil || c.PercentHigh == nil || *c.PercentLow != 100 || *c.PercentHigh != 100 {
		t.Errorf("percent interval = %v to %v, want exactly 100 to 100", c.PercentLow, c.PercentHigh)
	}
	if c.Verdict != VerdictPass {
		t.Errorf("verdict = %s (%s), want %s", c.Verdict, c.VerdictReason, VerdictPass)
	}
	if c.Tolerance != 0.97 {
		t.Errorf("tolerance = %v, want the classification default 0.97", c.Tolerance)
	}
	if c.PValue == nil || *c.PValue != 1 {
		t.Errorf("p-value = %v, want 1", show(c.PValue))
	}
	if c.WithinNoise == nil || !*c.WithinNoise {
		t.Errorf("within noise = %v, want true", c.WithinNoise)
	}
}

func TestCompareVariantsFlipsAndMcNemar(t *testing.T) {
	comparisons, _, _ := compareVariants(testManifest, classificationRun().records)
	c := findComparison(t, comparisons, "classification", "m:q4_K_M")

	// Items 0 to 39 and 42: item 40 is an infra error of the variant and
	// item 41 a truncation of the baseline.
	if c.Pairs != 41 {
		t.Errorf("pairs = %d, want 41", c.Pairs)
	}
	if c.FlipsCorrectToWrong != 10 || c.FlipsWrongToCorrect != 2 {
		t.Errorf("flips = %d and %d, want 10 and 2", c.FlipsCorrectToWrong, c.FlipsWrongToCorrect)
	}
	if c.PValue == nil || *c.PValue != 158.0/4096 {
		t.Errorf("p-value = %v, want 158/4096", show(c.PValue))
	}
	if !c.Binary {
		t.Error("binary = false, want true")
	}
	// Baseline: items 0 to 31 correct (32 of 41). Variant: 10 to 33.
	if c.BaselineScore == nil || math.Abs(*c.BaselineScore-32.0/41) > 1e-12 {
		t.Errorf("baseline score = %v, want 32/41", show(c.BaselineScore))
	}
	if c.VariantScore == nil || math.Abs(*c.VariantScore-24.0/41) > 1e-12 {
		t.Errorf("variant score = %v, want 24/41", show(c.VariantScore))
	}
	if c.PercentOfBaseline == nil || *c.PercentOfBaseline != 75 {
		t.Errorf("percent of baseline = %v, want 75", show(c.PercentOfBaseline))
	}
	if c.FlipRate == nil || math.Abs(*c.FlipRate-12.0/41) > 1e-12 {
		t.Errorf("flip rate = %v, want 12/41", show(c.FlipRate))
	}
	if c.Verdict != VerdictFail {
		t.Errorf("verdict = %s (%s), want %s", c.Verdict, c.VerdictReason, VerdictFail)
	}
	if c.WithinNoise == nil || *c.WithinNoise {
		t.Errorf("within noise = %v, want false", c.WithinNoise)
	}
}

func TestCompareVariantsExcludedCounts(t *testing.T) {
	comparisons, _, notes := compareVariants(testManifest, classificationRun().records)
	c := findComparison(t, comparisons, "classification", "m:q4_K_M")

	wantBaseline := Excluded{Truncated: 1, Unpaired: 1}
	wantVariant := Excluded{InfraError: 1, NoAnswer: 1, Unpaired: 1}
	if c.BaselineExcluded != wantBaseline {
		t.Errorf("baseline excluded = %+v, want %+v", c.BaselineExcluded, wantBaseline)
	}
	if c.VariantExcluded != wantVariant {
		t.Errorf("variant excluded = %+v, want %+v", c.VariantExcluded, wantVariant)
	}
	if !containsPrefix(notes, "infra errors, truncated") {
		t.Errorf("footnotes %q do not mention the left-out answers", notes)
	}
}

func TestCompareVariantsNoiseFloor(t *testing.T) {
	_, floors, _ := compareVariants(testManifest, classificationRun().records)
	if len(floors) != 1 {
		t.Fatalf("got %d noise floors, want 1", len(floors))
	}
	f := floors[0]
	if f.Category != "classification" || f.Pairs != 42 || f.Flips != 1 {
		t.Errorf("noise floor = %s, %d pairs, %d flips, want classification, 42, 1", f.Category, f.Pairs, f.Flips)
	}
	wantUpper, _ := paired.ClopperPearsonUpper(1, 42, 0.95)
	if f.UpperBound == nil || *f.UpperBound != wantUpper {
		t.Errorf("upper bound = %v, want %v", f.UpperBound, wantUpper)
	}
	if f.FlipRate == nil || *f.FlipRate != 1.0/42 {
		t.Errorf("flip rate = %v, want 1/42", f.FlipRate)
	}
}

func TestCompareVariantsContinuousScores(t *testing.T) {
	b := &runBuilder{}
	for i := range 10 {
		b.add("m:f16", "extraction", i, 0, StatusOK, partial(0.8))
		b.add("m:q8_0", "extraction", i, 0, StatusOK, partial(0.8))
		q4 := 0.8
		if i < 5 {
			q4 = 0.7
		}
		b.add("m:q4_K_M", "extraction", i, 0, StatusOK, partial(q4))
	}
	comparisons, floors, notes := compareVariants(testManifest, b.records)
	if len(floors) != 0 {
		t.Errorf("got %d noise floors, want none without repeat 1", len(floors))
	}

	c := findComparison(t, comparisons, "extraction", "m:q4_K_M")
	if c.Binary {
		t.Error("binary = true, want false")
	}
	if c.PValue != nil {
		t.Errorf("p-value = %v, want nil", *c.PValue)
	}
	if c.FlipsCorrectToWrong != 5 || c.FlipsWrongToCorrect != 0 {
		t.Errorf("flips = %d and %d, want 5 and 0", c.FlipsCorrectToWrong, c.FlipsWrongToCorrect)
	}
	if c.Difference == nil || math.Abs(*c.Difference+0.05) > 1e-12 {
		t.Errorf("difference = %v, want -0.05", c.Difference)
	}
	if c.NoiseUpperBound != nil || c.WithinNoise != nil {
		t.Error("noise fields are set without a noise floor")
	}
	for _, prefix := range []string{"fewer than 30 pairs", "continuous scores", "no noise floor"} {
		if !containsPrefix(c.Notes, prefix) {
			t.Errorf("notes %q lack %q", c.Notes, prefix)
		}
		if !containsPrefix(notes, prefix) {
			t.Errorf("footnotes %q lack %q", notes, prefix)
		}
	}
}

func TestCompareVariantsBaselineZero(t *testing.T) {
	b := &runBuilder{}
	for i := range 30 {
		b.add("m:f16", "reasoning", i, 0, StatusOK, passFail(false))
		b.add("m:q8_0", "reasoning", i, 0, StatusOK, passFail(false))
		b.add("m:q4_K_M", "reasoning", i, 0, StatusOK, passFail(i == 0))
	}
	comparisons, _, _ := compareVariants(testManifest, b.records)

	for _, variant := range []string{"m:q8_0", "m:q4_K_M"} {
		c := findComparison(t, comparisons, "reasoning", variant)
		if c.PercentOfBaseline != nil || c.PercentLow != nil || c.PercentHigh != nil {
			t.Errorf("%s: percent of baseline = %v (%v to %v), want nil", variant, c.PercentOfBaseline, c.PercentLow, c.PercentHigh)
		}
		if c.PercentReason == "" {
			t.Errorf("%s: percent reason is empty", variant)
		}
		if c.Verdict != VerdictNA {
			t.Errorf("%s: verdict = %s, want %s", variant, c.Verdict, VerdictNA)
		}
		if c.Difference == nil {
			t.Errorf("%s: difference is nil, want a value", variant)
		}
	}
}

func TestCompareVariantsNoPairs(t *testing.T) {
	b := &runBuilder{}
	b.add("m:f16", "code", 0, 0, StatusOK, passFail(true))
	b.add("m:q8_0", "code", 0, 0, StatusInfraError, nil)
	comparisons, _, _ := compareVariants(testManifest, b.records)

	c := findComparison(t, comparisons, "code", "m:q8_0")
	if c.Pairs != 0 || c.Verdict != VerdictNA || c.VerdictReason == "" {
		t.Errorf("pairs, verdict, reason = %d, %s, %q, want 0, n/a and a reason", c.Pairs, c.Verdict, c.VerdictReason)
	}
	if c.BaselineScore != nil || c.FlipRate != nil {
		t.Error("scores or flip rate set without pairs")
	}
}

func TestCompareVariantsToleranceFromManifest(t *testing.T) {
	m := *testManifest
	m.Analysis.Tolerances = map[string]float64{"classification": 0.5}
	comparisons, _, _ := compareVariants(&m, classificationRun().records)
	c := findComparison(t, comparisons, "classification", "m:q4_K_M")
	if c.Tolerance != 0.5 {
		t.Errorf("tolerance = %v, want 0.5", c.Tolerance)
	}
	if c.Verdict != VerdictPass {
		t.Errorf("verdict = %s (%s), want %s at a 50%% tolerance", c.Verdict, c.VerdictReason, VerdictPass)
	}
}

func TestCompareVariantsInvalidTolerance(t *testing.T) {
	m := *testManifest
	m.Analysis.Tolerances = map[string]float64{"classification": 97}
	comparisons, _, notes := compareVariants(&m, classificationRun().records)
	c := findComparison(t, comparisons, "classification", "m:q8_0")
	if c.Verdict != VerdictNA {
		t.Errorf("verdict = %s, want %s for a tolerance of 97", c.Verdict, VerdictNA)
	}
	if !containsPrefix(notes, "invalid tolerance 97") {
		t.Errorf("footnotes %q lack the invalid tolerance", notes)
	}
}

func TestCompareVariantsInconclusive(t *testing.T) {
	// 30 items, baseline correct on 20, variant loses one and gains one
	// elsewhere: the ratio is 1 and the interval straddles 0.97.
	b := &runBuilder{}
	for i := range 30 {
		b.add("m:f16", "classification", i, 0, StatusOK, passFail(i < 20))
		b.add("m:q8_0", "classification", i, 0, StatusOK, passFail((i < 20 && i != 0) || i == 25))
	}
	comparisons, _, notes := compareVariants(testManifest, b.records)
	c := findComparison(t, comparisons, "classification", "m:q8_0")
	if c.Verdict != VerdictInconclusive {
		t.Fatalf("verdict = %s (%s), want %s", c.Verdict, c.VerdictReason, VerdictInconclusive)
	}
	if c.ItemsForDecision == nil || *c.ItemsForDecision <= 30 {
		t.Errorf("items for decision = %v, want more than 30", c.ItemsForDecision)
	}
	if !containsPrefix(notes, "items for a decision is an estimate") {
		t.Errorf("footnotes %q lack the estimate caveat", notes)
	}
}

func TestCompareVariantsDrift(t *testing.T) {
	b := classificationRun()
	first := []Logprob{entry(" positive", 0, " positive", 0.6, " negative", 0.4)}
	shifted := []Logprob{entry(" positive", 0, " positive", 0.4, " negative", 0.6)}
	for _, r := range b.records {
		if r.Repeat != 0 || r.Status != StatusOK || !strings.HasSuffix(r.ItemID, "-000") && !strings.HasSuffix(r.ItemID, "-001") {
			continue
		}
		r.Logprobs = first
		if r.Model == "m:q4_K_M" {
			r.Logprobs = shifted
		}
	}
	comparisons, _, notes := compareVariants(testManifest, b.records)

	q8 := findComparison(t, comparisons, "classification", "m:q8_0")
	if q8.Drift == nil || q8.Drift.Items != 2 || q8.Drift.FirstTokenKL == nil || q8.Drift.FirstTokenKL.Mean != 0 {
		t.Errorf("q8_0 drift = %+v, want 2 items with KL 0", q8.Drift)
	}
	q4 := findComparison(t, comparisons, "classification", "m:q4_K_M")
	want := 0.6*math.Log(0.6/0.4) + 0.4*math.Log(0.4/0.6)
	if q4.Drift == nil || q4.Drift.FirstTokenKL == nil || math.Abs(q4.Drift.FirstTokenKL.Median-want) > 1e-12 {
		t.Fatalf("q4_K_M drift = %+v, want median KL %.6f", q4.Drift, want)
	}
	if q4.Drift.TopAgreement == nil || q4.Drift.TopAgreement.Mean != 0 {
		t.Errorf("q4_K_M agreement = %+v, want 0", q4.Drift.TopAgreement)
	}
	if !containsPrefix(notes, "first-token KL is approximated") {
		t.Errorf("footnotes %q lack the KL approximation", notes)
	}
}

func TestCompareVariantsFootnotesOnceAndJSON(t *testing.T) {
	records := classificationRun().records
	for i := range 10 {
		b := &runBuilder{}
		b.add("m:f16", "extraction", i, 0, StatusOK, partial(0.5))
		b.add("m:q8_0", "extraction", i, 0, StatusOK, partial(0.6))
		b.add("m:q4_K_M", "extraction", i, 0, StatusOK, partial(0.4))
		records = append(records, b.records...)
	}
	comparisons, floors, notes := compareVariants(testManifest, records)

	seen := map[string]bool{}
	for _, n := range notes {
		if seen[n] {
			t.Errorf("footnote %q appears twice", n)
		}
		seen[n] = true
	}
	for _, c := range comparisons {
		for _, n := range c.Notes {
			if !seen[n] {
				t.Errorf("note %q of %s on %s is not a footnote", n, c.Variant, c.Category)
			}
		}
	}

	if len(comparisons) != 4 {
		t.Errorf("got %d comparisons, want 4", len(comparisons))
	}
	if comparisons[0].Category != "classification" || comparisons[0].Variant != "m:q8_0" || comparisons[3].Category != "extraction" {
		t.Errorf("comparisons are not in category then manifest order")
	}
	if _, err := json.Marshal(struct {
		C []Comparison
		F []NoiseFloor
	}{comparisons, floors}); err != nil {
		t.Errorf("marshal comparisons: %v", err)
	}
}

func TestCompareVariantsNoBaseline(t *testing.T) {
	b := &runBuilder{}
	b.add("m:q8_0", "code", 0, 0, StatusOK, passFail(true))
	m := &RunManifest{Models: []ModelInfo{{Name: "m:q8_0", Role: RoleVariant}}}
	comparisons, floors, notes := compareVariants(m, b.records)
	if comparisons != nil || floors != nil {
		t.Errorf("got %d comparisons and %d floors without a baseline, want none", len(comparisons), len(floors))
	}
	if !containsPrefix(notes, "no baseline model") {
		t.Errorf("footnotes %q lack the missing baseline", notes)
	}
}

// show returns *v for a failure message, or "nil".
func show(v *float64) any {
	if v == nil {
		return "nil"
	}
	return *v
}

func containsPrefix(list []string, prefix string) bool {
	for _, s := range list {
		if strings.HasPrefix(s, prefix) {
			return true
		}
	}
	return false
}

// BenchmarkCompareVariants measures a run of 5 categories, 2 variants and
// 1,000 items per category with the default 2,000 bootstrap resamples.
func BenchmarkCompareVariants(b *testing.B) {
	run := &runBuilder{}
	for _, category := range []string{"classification", "extraction", "code", "reasoning", "creative"} {
		for i := range 1000 {
			run.add("m:f16", category, i, 0, StatusOK, passFail(i%4 != 0))
			run.add("m:f16", category, i, 1, StatusOK, passFail(i%4 != 0 || i%97 == 0))
			run.add("m:q8_0", category, i, 0, StatusOK, passFail(i%4 != 0 || i%50 == 0))
			run.add("m:q4_K_M", category, i, 0, StatusOK, passFail(i%4 != 0 && i%9 != 0))
		}
	}

	b.ResetTimer()
	for range b.N {
		comparisons, _, _ := compareVariants(testManifest, run.records)
		if len(comparisons) != 10 {
			b.Fatalf("got %d comparisons, want 10", len(comparisons))
		}
	}
}
