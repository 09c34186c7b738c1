package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/quantbench/quantbench/evaluators"
	"github.com/quantbench/quantbench/results"
	"github.com/quantbench/quantbench/results/tco"
)

// workedExampleArgs are the flags of the published worked example at
// 10,000,000 documents a month.
var workedExampleArgs = []string{
	"--volume", "10000000", "--input-tokens", "800", "--output-tokens", "200",
	"--preset", "claude-haiku", "--capex", "18000", "--power-rack-month", "400",
	"--maintenance-month", "200", "--engineering", "8000",
}

func runTCOCommand(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	code := runTCO(args, &stdout, &stderr)
	return code, stdout.String(), stderr.String()
}

func TestTCOJSONWorkedExample(t *testing.T) {
	code, stdout, stderr := runTCOCommand(t, append(workedExampleArgs, "--json")...)
	if code != exitOK {
		t.Fatalf("exit %d, stderr: %s", code, stderr)
	}
	var out map[string]any
	if err := json.Unmarshal([]byte(stdout), &out); err != nil {
		t.Fatalf("output is not one JSON object: %v\n%s", err, stdout)
	}
	want := map[string]float64{
		"api_cost_per_doc":          0.00045,
		"api_cost_per_month":        4500,
		"api_cost_per_year":         54000,
		"local_cost_year1":          33200,
		"local_cost_year2":          7200,
		"savings_year1":             20800,
		"savings_year2":             46800,
		"break_even_docs_per_year":  56_000_000,
		"break_even_docs_per_month": 56_000_000.0 / 12,
		"payback_month":             7,
		"servers":                   1,
	}
	for key, value := range want {
		got, ok := out[key].(float64)
		if !ok {
			t.Errorf("%s = %v, want a number", key, out[key])
			continue
		}
		if math.Abs(got-value) > 1e-9*math.Max(1, value) {
			t.Errorf("%s = %v, want %v", key, got, value)
		}
	}
	if out["tokens_source"] != results.SourceGiven {
		t.Errorf("tokens_source = %v, want given", out["tokens_source"])
	}
}

func TestTCOJSONAt500k(t *testing.T) {
	args := append([]string{}, workedExampleArgs...)
	args[1] = "500000"
	code, stdout, stderr := runTCOCommand(t, append(args, "--json")...)
	if code != exitOK {
		t.Fatalf("exit %d, stderr: %s", code, stderr)
	}
	var out struct {
		PerDoc   float64 `json:"api_cost_per_doc"`
		PerMonth float64 `json:"api_cost_per_month"`
		PerYear  float64 `json:"api_cost_per_year"`
		Payback  *int    `json:"payback_month"`
	}
	if err := json.Unmarshal([]byte(stdout), &out); err != nil {
		t.Fatal(err)
	}
	if out.PerDoc != 0.00045 || out.PerMonth != 225 || out.PerYear != 2700 {
		t.Errorf("API cost = %v, %v, %v; want 0.00045, 225, 2700", out.PerDoc, out.PerMonth, out.PerYear)
	}
	if out.Payback != nil {
		t.Errorf("payback_month = %d, want null", *out.Payback)
	}
}

func TestTCOTableWorkedExample(t *testing.T) {
	code, stdout, stderr := runTCOCommand(t, workedExampleArgs...)
	if code != exitOK {
		t.Fatalf("exit %d, stderr: %s", code, stderr)
	}
	for _, want := range []string{"claude-haiku", "$0.00045", "$4,500.00", "$54,000.00", "$33,200.00", "$7,200.00", "$46,800.00", "56,000,000", "4,666,667", "month 7"} {
		if !strings.Contains(stdout, want) {
			t.Errorf("table lacks %q:\n%s", want, stdout)
		}
	}
}

func TestTCOPriceFlagOverridesPreset(t *testing.T) {
	code, stdout, stderr := runTCOCommand(t, append(workedExampleArgs, "--api-output-price", "2.25", "--json")...)
	if code != exitOK {
		t.Fatalf("exit %d, stderr: %s", code, stderr)
	}
	var out struct {
		PerDoc float64 `json:"api_cost_per_doc"`
	}
	if err := json.Unmarshal([]byte(stdout), &out); err != nil {
		t.Fatal(err)
	}
	// (800*0.25 + 200*2.25) / 1e6
	if math.Abs(out.PerDoc-0.00065) > 1e-15 {
		t.Errorf("api_cost_per_doc = %v, want 0.00065", out.PerDoc)
	}
}

func TestTCOUsageErrors(t *testing.T) {
	cases := map[string][]string{
		"missing --volume":    {"--preset", "claude-haiku"},
		"missing API prices":  {"--volume", "1000"},
		"unknown preset":      {"--volume", "1000", "--preset", "nope"},
		"utilisation":         {"--volume", "1000", "--preset", "claude-haiku", "--utilisation", "2"},
		"unexpected argument": {"--volume", "1000", "--preset", "claude-haiku", "extra"},
		"flag provided":       {"--no-such-flag"},
	}
	for want, args := range cases {
		code, _, stderr := runTCOCommand(t, args...)
		if code != exitUsage {
			t.Errorf("%v: exit %d, want %d", args, code, exitUsage)
		}
		if !strings.Contains(stderr, want) {
			t.Errorf("%v: stderr %q, want %q", args, stderr, want)
		}
	}
}

func TestTCOHelpAndPresets(t *testing.T) {
	code, _, stderr := runTCOCommand(t, "--help")
	if code != exitOK {
		t.Errorf("--help exit %d", code)
	}
	for _, section := range []string{"Arguments:", "Options:", "Examples:", "--api-input-price"} {
		if !strings.Contains(stderr, section) {
			t.Errorf("help lacks %q", section)
		}
	}
	code, stdout, _ := runTCOCommand(t, "--list-presets")
	if code != exitOK || !strings.Contains(stdout, "claude-haiku") || !strings.Contains(stdout, "0.25") {
		t.Errorf("--list-presets exit %d:\n%s", code, stdout)
	}
}

func TestTCOPresetsFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "presets.yaml")
	if err := os.WriteFile(path, []byte("presets:\n  in-house:\n    input_per_mtok: 0.5\n    output_per_mtok: 0.5\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	code, stdout, stderr := runTCOCommand(t, "--volume", "1000", "--input-tokens", "1000", "--output-tokens", "1000",
		"--preset", "in-house", "--presets-file", path, "--json")
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var out struct {
		PerDoc float64 `json:"api_cost_per_doc"`
	}
	if err := json.Unmarshal([]byte(stdout), &out); err != nil {
		t.Fatal(err)
	}
	if out.PerDoc != 0.001 {
		t.Errorf("api_cost_per_doc = %v, want 0.001", out.PerDoc)
	}
}

// writeCostRun writes a results folder of an f16 baseline and a q4 variant
// on one classification dataset of 40 items. The variant prompts 500 tokens
// and generates 100 per item. Its one throughput level completes 10
// requests in 2 seconds, which is 18,000 documents an hour.
func writeCostRun(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	start := time.Date(2026, 12, 4, 18, 0, 0, 0, time.UTC)
	manifest := results.RunManifest{
		RunID: "cost-test",
		Models: []results.ModelInfo{
			{Name: "m:f16", Role: results.RoleBaseline, Quantization: "F16"},
			{Name: "m:q4_K_M", Role: results.RoleVariant, Quantization: "Q4_K_M"},
		},
		Datasets: []results.DatasetRef{{Name: "sentiment", Category: "classification", Items: 40}},
		Analysis: results.Analysis{
			Tolerances:         map[string]float64{"classification": 0.9},
			BootstrapResamples: 200, BootstrapSeed: 1, Confidence: 0.95, MinPairs: 10,
			TCO: &tco.Inputs{VolumePerMonth: 10_000_000, Preset: "claude-haiku", Capex: 18000,
				PowerRackMonth: 400, MaintenanceMonth: 200, Engineering: 8000, Utilisation: 1},
		},
		Start: start,
	}
	if err := results.WriteJSONFile(filepath.Join(dir, results.RunFile), manifest); err != nil {
		t.Fatal(err)
	}

	var records []any
	for _, m := range manifest.Models {
		prompt, output := 700, 50
		if m.Role == results.RoleVariant {
			prompt, output = 500, 100
		}
		for i := range 40 {
			records = append(records, results.Record{
				RunID: "cost-test", Dataset: "sentiment", Category: "classification", ItemID: fmt.Sprint(i),
				Model: m.Name, Role: m.Role, Quantization: m.Quantization, Status: results.StatusOK, Attempts: 1,
				Timings: results.Timings{PromptEvalCount: &prompt, EvalCount: &output},
				Score:   &evaluators.Score{Value: 1, Binary: true, Outcome: evaluators.Correct},
				Start:   start,
			})
		}
	}
	writeJSONLines(t, filepath.Join(dir, results.RecordsFile), records)

	var throughput []any
	for i := range 10 {
		tps := 50.0
		throughput = append(throughput, results.ThroughputRecord{
			RunID: "cost-test", Model: "m:q4_K_M", Phase: results.PhaseMeasure, Concurrency: 2, Request: i,
			PromptTokensTarget: 800, NumPredict: 200, Status: results.StatusOK,
			Start: start.Add(time.Duration(i) * 200 * time.Millisecond), End: start.Add(time.Duration(i+1) * 200 * time.Millisecond),
			E2EMS: 200, DecodeTPS: &tps,
		})
	}
	writeJSONLines(t, filepath.Join(dir, results.ThroughputFile), throughput)
	return dir
}

func writeJSONLines(t *testing.T, path string, values []any) {
	t.Helper()
	file, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	w := bufio.NewWriter(file)
	enc := json.NewEncoder(w)
	for _, v := range values {
		if err := enc.Encode(v); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	if err := file.Close(); err != nil {
		t.Fatal(err)
	}
}

func TestTCOFromRun(t *testing.T) {
	dir := writeCostRun(t)
	code, stdout, stderr := runTCOCommand(t, "--run", dir, "--json")
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var out tcoOutput
	if err := json.Unmarshal([]byte(stdout), &out); err != nil {
		t.Fatal(err)
	}
	in := out.Inputs
	if out.Variant != "m:q4_K_M" || out.TokensSource != results.SourceMeasured {
		t.Errorf("variant %s, tokens %s; want m:q4_K_M, measured", out.Variant, out.TokensSource)
	}
	if in.InputTokensPerDoc != 500 || in.OutputTokensPerDoc != 100 {
		t.Errorf("tokens = %v, %v; want the variant's measured 500, 100", in.InputTokensPerDoc, in.OutputTokensPerDoc)
	}
	// (500*0.25 + 100*1.25) / 1e6 = 0.00025 a document.
	if math.Abs(out.APICostPerDoc-0.00025) > 1e-15 {
		t.Errorf("api_cost_per_doc = %v, want 0.00025", out.APICostPerDoc)
	}
	if out.ThroughputSource != results.SourceMeasured || out.Concurrency != 2 {
		t.Errorf("throughput %s at %d, want measured at 2", out.ThroughputSource, out.Concurrency)
	}
	if math.Abs(in.DocsPerHourPerServer-18000) > 1e-6 {
		t.Errorf("docs_per_hour = %v, want 18,000 (10 requests in 2 s)", in.DocsPerHourPerServer)
	}
	if out.Plan == nil || len(out.Plan.Routes) != 1 {
		t.Fatalf("plan = %+v, want one route", out.Plan)
	}
	// Identical scores pass the 90% tolerance, and 10M a month is above the
	// break-even 25,200 / 0.00025 / 12 = 8,400,000 within 13,140,000 of capacity.
	route := out.Plan.Routes[0]
	if route.Verdict != results.VerdictPass {
		t.Errorf("verdict = %s, want PASS", route.Verdict)
	}
	if route.Recommendation != tco.RouteLocal {
		t.Errorf("route = %s (%s), want local", route.Recommendation, route.Reason)
	}
	if route.BreakEvenDocsPerMonth == nil || math.Abs(*route.BreakEvenDocsPerMonth-8_400_000) > 1e-6 {
		t.Errorf("break-even = %v, want 8,400,000", route.BreakEvenDocsPerMonth)
	}

	// A flag overrides the measured value.
	code, stdout, stderr = runTCOCommand(t, "--run", dir, "--input-tokens", "800", "--output-tokens", "200", "--json")
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if err := json.Unmarshal([]byte(stdout), &out); err != nil {
		t.Fatal(err)
	}
	if out.APICostPerDoc != 0.00045 || out.TokensSource != results.SourceGiven {
		t.Errorf("api_cost_per_doc = %v from %s, want 0.00045 from given", out.APICostPerDoc, out.TokensSource)
	}
}

func TestTCOMissingRun(t *testing.T) {
	code, _, stderr := runTCOCommand(t, "--run", filepath.Join(t.TempDir(), "nope"), "--volume", "1", "--preset", "claude-haiku")
	if code != exitFailure || !strings.Contains(stderr, "nope") {
		t.Errorf("exit %d, stderr %q; want 1 naming the folder", code, stderr)
	}
}

func TestTCOSuiteSection(t *testing.T) {
	path := filepath.Join(t.TempDir(), "suite.yaml")
	suite := `tco:
  volume_per_month: 500000
  input_tokens_per_doc: 800
  output_tokens_per_doc: 200
  preset: claude-haiku
  capex: 18000
  power_rack_per_month: 400
  maintenance_per_month: 200
  engineering_one_time: 8000
`
	if err := os.WriteFile(path, []byte(suite), 0o644); err != nil {
		t.Fatal(err)
	}
	code, stdout, stderr := runTCOCommand(t, "--suite", path, "--volume", "10000000", "--json")
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var out struct {
		PerMonth float64 `json:"api_cost_per_month"`
		Year1    float64 `json:"local_cost_year1"`
	}
	if err := json.Unmarshal([]byte(stdout), &out); err != nil {
		t.Fatal(err)
	}
	// The suite's prices and costs, with the volume flag over the suite's 500,000.
	if out.PerMonth != 4500 || out.Year1 != 33200 {
		t.Errorf("api_cost_per_month %v, local_cost_year1 %v; want 4500, 33200", out.PerMonth, out.Year1)
	}

	noSection := filepath.Join(t.TempDir(), "empty.yaml")
	if err := os.WriteFile(noSection, []byte("repeats: 1\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	code, _, stderr = runTCOCommand(t, "--suite", noSection, "--volume", "1", "--preset", "claude-haiku")
	if code != exitFailure || !strings.Contains(stderr, "no tco section") {
		t.Errorf("exit %d, stderr %q; want 1 and no tco section", code, stderr)
	}
}

func TestTCOMissingTokensIsUsageError(t *testing.T) {
	var stdout, stderr bytes.Buffer
	code := run([]string{"tco", "--volume", "1000", "--preset", "claude-haiku"}, &stdout, &stderr)
	if code != exitUsage {
		t.Errorf("exit = %d, want %d", code, exitUsage)
	}
	if !strings.Contains(stderr.String(), "missing tokens per document") {
		t.Errorf("stderr = %q, want the missing tokens named", stderr.String())
	}
}
