package results

import (
	"math"
	"strings"
	"testing"

	"github.com/quantbench/quantbench/results/tco"
)

func float(v float64) *float64 { return &v }

// costSummary is a run of one baseline and one Q4 variant on two categories,
// with a throughput sweep at concurrency 1 and 4.
func costSummary() *Summary {
	s := &Summary{}
	s.Run.Models = []ModelInfo{
		{Name: "m:f16", Role: RoleBaseline},
		{Name: "m:q4_K_M", Role: RoleVariant},
	}
	s.Categories = []CategoryScore{
		{Category: "classification", Model: "m:f16", MeanInputTokens: float(1000), MeanOutputTokens: float(10)},
		{Category: "classification", Model: "m:q4_K_M", MeanInputTokens: float(600), MeanOutputTokens: float(100)},
		{Category: "reasoning", Model: "m:q4_K_M", MeanInputTokens: float(1000), MeanOutputTokens: float(300)},
	}
	s.Comparisons = []Comparison{
		{Category: "classification", Variant: "m:q4_K_M", Verdict: VerdictPass},
		{Category: "reasoning", Variant: "m:q4_K_M", Verdict: VerdictFail},
	}
	s.Throughput = &SpeedReport{Levels: []LevelSpeed{
		{Model: "m:q4_K_M", Concurrency: 1, DocumentsPerHour: float(4000)},
		{Model: "m:q4_K_M", Concurrency: 4, DocumentsPerHour: float(12000)},
		{Model: "m:f16", Concurrency: 4, DocumentsPerHour: float(50000)},
	}}
	return s
}

func costInputs() tco.Inputs {
	return tco.Inputs{
		VolumePerMonth: 16_000_000, APIInputPrice: 0.25, APIOutputPrice: 1.25,
		Capex: 18000, PowerRackMonth: 400, MaintenanceMonth: 200, Engineering: 8000,
		Utilisation: 1,
	}
}

func TestPriceSummaryMeasuredInputs(t *testing.T) {
	report, notes, err := PriceSummary(costSummary(), costInputs(), PriceOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if report.Variant != "m:q4_K_M" {
		t.Errorf("Variant = %s, want the first variant", report.Variant)
	}
	if report.TokensSource != SourceMeasured || report.ThroughputSource != SourceMeasured {
		t.Errorf("sources = %s, %s; want measured, measured", report.TokensSource, report.ThroughputSource)
	}
	// Equal shares: (600+1000)/2 input and (100+300)/2 output tokens.
	in := report.Result.Inputs
	if in.InputTokensPerDoc != 800 || in.OutputTokensPerDoc != 200 {
		t.Errorf("tokens = %v, %v; want 800, 200", in.InputTokensPerDoc, in.OutputTokensPerDoc)
	}
	if math.Abs(report.Result.APICostPerDoc-0.00045) > 1e-12 {
		t.Errorf("APICostPerDoc = %v, want 0.00045", report.Result.APICostPerDoc)
	}
	// The best level of the variant, not the baseline's 50,000.
	if in.DocsPerHourPerServer != 12000 || report.Concurrency != 4 {
		t.Errorf("docs/hour = %v at %d, want 12000 at 4", in.DocsPerHourPerServer, report.Concurrency)
	}
	// 12,000 * 730 = 8,760,000 a month per server: 16M needs 2.
	if report.Result.Servers != 2 {
		t.Errorf("Servers = %d, want 2", report.Result.Servers)
	}

	routes := map[string]tco.Route{}
	for _, r := range report.Plan.Routes {
		routes[r.Category] = r
	}
	// classification: 8M a month at 600/100 tokens costs $0.000275 a document,
	// break-even 25,200/0.000275/12 = 7,636,364 a month, and 8M fits one
	// server's 8,760,000, so it goes local.
	if r := routes["classification"]; r.Recommendation != tco.RouteLocal {
		t.Errorf("classification: %s (%s), want local", r.Recommendation, r.Reason)
	}
	if r := routes["reasoning"]; r.Recommendation != tco.RouteAPI || !strings.Contains(r.Reason, "FAIL") {
		t.Errorf("reasoning: %s (%s), want api for its FAIL verdict", r.Recommendation, r.Reason)
	}
	if len(notes) == 0 || !strings.HasPrefix(notes[0], CostNotePrefix) {
		t.Errorf("notes = %q, want prefixed cost notes", notes)
	}
	if !strings.Contains(strings.Join(notes, " "), "synthetic requests") {
		t.Errorf("notes = %q, want the throughput source explained", notes)
	}
}

func TestPriceSummaryKeepsGivenValues(t *testing.T) {
	in := costInputs()
	in.InputTokensPerDoc, in.OutputTokensPerDoc = 800, 200
	in.DocsPerHourPerServer = 1_000_000
	in.CategoryShares = map[string]float64{"classification": 3, "reasoning": 1, "creative": 1}
	report, notes, err := PriceSummary(costSummary(), in, PriceOptions{KeepTokens: true, KeepThroughput: true})
	if err != nil {
		t.Fatal(err)
	}
	if report.TokensSource != SourceGiven || report.ThroughputSource != SourceGiven {
		t.Errorf("sources = %s, %s; want given, given", report.TokensSource, report.ThroughputSource)
	}
	if got := report.Result.Inputs.InputTokensPerDoc; got != 800 {
		t.Errorf("InputTokensPerDoc = %v, want the given 800", got)
	}
	if got := report.Plan.Routes[0].Share; got != 0.75 {
		t.Errorf("classification share = %v, want 3/4 after leaving out creative", got)
	}
	if !strings.Contains(strings.Join(notes, " "), "creative") {
		t.Errorf("notes = %q, want the unknown category named", notes)
	}
}

func TestPriceSummaryMeasuredReplacesSuite(t *testing.T) {
	in := costInputs()
	in.InputTokensPerDoc, in.OutputTokensPerDoc = 800, 200
	in.DocsPerHourPerServer = 1_000_000
	s := costSummary()
	s.Categories = append(s.Categories, CategoryScore{Category: "creative", Model: "m:q4_K_M"})
	report, notes, err := PriceSummary(s, in, PriceOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if report.TokensSource != SourceMeasured || report.ThroughputSource != SourceMeasured {
		t.Errorf("sources = %s, %s; want measured, measured", report.TokensSource, report.ThroughputSource)
	}
	// Equal thirds of 600/100, 1000/300 and the given 800/200 for creative.
	got := report.Result.Inputs
	if math.Abs(got.InputTokensPerDoc-800) > 1e-9 || math.Abs(got.OutputTokensPerDoc-200) > 1e-9 {
		t.Errorf("tokens = %v, %v; want 800, 200", got.InputTokensPerDoc, got.OutputTokensPerDoc)
	}
	if got.DocsPerHourPerServer != 12000 {
		t.Errorf("docs/hour = %v, want the measured 12000", got.DocsPerHourPerServer)
	}
	joined := strings.Join(notes, " ")
	for _, want := range []string{"No token counts measured for creative", "not the given 800 input"} {
		if !strings.Contains(joined, want) {
			t.Errorf("notes = %q, want %q", notes, want)
		}
	}
}

func TestPriceSummaryPresetAndConcurrency(t *testing.T) {
	in := costInputs()
	in.APIInputPrice, in.APIOutputPrice = 0, 0
	in.Preset = "claude-haiku"
	in.Concurrency = 1
	report, _, err := PriceSummary(costSummary(), in, PriceOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if report.Result.Inputs.APIInputPrice != 0.25 || report.Result.Inputs.APIOutputPrice != 1.25 {
		t.Errorf("prices = %v, %v; want the claude-haiku preset", report.Result.Inputs.APIInputPrice, report.Result.Inputs.APIOutputPrice)
	}
	if report.Concurrency != 1 || report.Result.Inputs.DocsPerHourPerServer != 4000 {
		t.Errorf("level = %d at %v docs/hour, want concurrency 1 at 4000", report.Concurrency, report.Result.Inputs.DocsPerHourPerServer)
	}

	in.Preset = "no-such-preset"
	if _, _, err := PriceSummary(costSummary(), in, PriceOptions{}); err == nil || !strings.Contains(err.Error(), "no-such-preset") {
		t.Errorf("error %v, want the unknown preset named", err)
	}
}

func TestPriceSummaryWithoutMeasurements(t *testing.T) {
	s := costSummary()
	s.Throughput = nil
	s.Categories = nil
	report, notes, err := PriceSummary(s, costInputs(), PriceOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if report.TokensSource != SourceNone || report.ThroughputSource != SourceNone || report.Plan != nil {
		t.Errorf("sources = %s, %s, plan %v; want none, none, nil", report.TokensSource, report.ThroughputSource, report.Plan)
	}
	joined := strings.Join(notes, " ")
	for _, want := range []string{"Throughput unknown", "No tokens per document"} {
		if !strings.Contains(joined, want) {
			t.Errorf("notes = %q, want %q", notes, want)
		}
	}
}

func TestSummarizeCostInvalidInputs(t *testing.T) {
	s := costSummary()
	s.Run.Analysis.TCO = &tco.Inputs{VolumePerMonth: 1000, Preset: "no-such-preset"}
	report, notes, err := summarizeCost(s)
	if err != nil || report != nil {
		t.Fatalf("summarizeCost = %v, %v; want no report and no error", report, err)
	}
	if len(notes) != 1 || !strings.Contains(notes[0], "no-such-preset") || !strings.HasPrefix(notes[0], CostNotePrefix) {
		t.Errorf("notes = %q, want one cost note naming the preset", notes)
	}
}

func TestSummarizeCostWithoutTCO(t *testing.T) {
	report, notes, err := summarizeCost(costSummary())
	if report != nil || notes != nil || err != nil {
		t.Errorf("summarizeCost = %v, %v, %v; want nothing without a tco section", report, notes, err)
	}
	s := costSummary()
	s.Run.Analysis.TCO = &tco.Inputs{VolumePerMonth: 1000, Preset: "claude-haiku"}
	report, _, err = summarizeCost(s)
	if err != nil || report == nil {
		t.Fatalf("summarizeCost = %v, %v", report, err)
	}
}
