package throughput

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"math"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/quantbench/quantbench/results"
)

// readRecords decodes the JSON lines Run wrote.
func readRecords(t *testing.T, data []byte) []results.ThroughputRecord {
	t.Helper()
	var recs []results.ThroughputRecord
	scanner := bufio.NewScanner(bytes.NewReader(data))
	scanner.Buffer(nil, 1<<20)
	for scanner.Scan() {
		var r results.ThroughputRecord
		if err := json.Unmarshal(scanner.Bytes(), &r); err != nil {
			t.Fatalf("invalid line %q: %v", scanner.Text(), err)
		}
		recs = append(recs, r)
	}
	return recs
}

func measuredLevels(recs []results.ThroughputRecord) []int {
	var levels []int
	for _, r := range recs {
		if r.Phase == results.PhaseMeasure && !slices.Contains(levels, r.Concurrency) {
			levels = append(levels, r.Concurrency)
		}
	}
	return levels
}

func TestRunWritesEveryPhase(t *testing.T) {
	f := &fakeOllama{promptBase: 7, tokens: 20}
	client := f.start(t)
	var out bytes.Buffer
	cfg := Config{InputTokens: 120, OutputTokens: 20, ConcurrencyMax: 2, Warmup: 1, Repetitions: 2, StopWhenFlat: -1}
	var levels []LevelResult
	err := Run(context.Background(), client, cfg, []string{"fake:q4"}, &out,
		WithRunID("run-1"), WithLevelDone(func(l LevelResult) { levels = append(levels, l) }),
		WithModelInfo([]results.ModelInfo{{Name: "fake:q4", Digest: "sha256:abc", Quantization: "Q4_K_M"}}))
	if err != nil {
		t.Fatal(err)
	}

	recs := readRecords(t, out.Bytes())
	count := map[string]int{}
	for _, r := range recs {
		count[r.Phase]++
		if r.RunID != "run-1" || r.Digest != "sha256:abc" || r.Quantization != "Q4_K_M" {
			t.Errorf("record %s/%d carries run %q digest %q quant %q", r.Phase, r.Request, r.RunID, r.Digest, r.Quantization)
		}
	}
	if count[results.PhaseCalibrate] < 1 || count[results.PhaseWarmup] != 1 || count[results.PhaseMeasure] != 2+4 {
		t.Errorf("records per phase = %v, want calibrate, 1 warmup, 6 measure", count)
	}
	if got := measuredLevels(recs); !slices.Equal(got, []int{1, 2}) {
		t.Errorf("levels = %v, want [1 2]", got)
	}
	if len(levels) != 2 || levels[0].OutputTPS <= 0 {
		t.Errorf("level callbacks = %+v, want 2 with a positive output rate", levels)
	}
	for _, r := range recs {
		if r.Phase == results.PhaseMeasure && (r.SizeBytes != 2000 || r.SizeVRAMBytes != 1000) {
			t.Errorf("measured record has size %d / vram %d, want /api/ps's 2000 / 1000", r.SizeBytes, r.SizeVRAMBytes)
			break
		}
	}
}

func TestRunCalibratesPromptLength(t *testing.T) {
	f := &fakeOllama{promptBase: 23, tokens: 20}
	client := f.start(t)
	var out bytes.Buffer
	cfg := Config{InputTokens: 300, OutputTokens: 20, ConcurrencyMax: 1, Warmup: -1, Repetitions: 3}
	if err := Run(context.Background(), client, cfg, []string{"fake:q4"}, &out); err != nil {
		t.Fatal(err)
	}

	for _, r := range readRecords(t, out.Bytes()) {
		if r.Phase != results.PhaseMeasure {
			continue
		}
		if got := *r.PromptEvalCount; math.Abs(float64(got-300)) > 300*0.02 {
			t.Errorf("request %d: prompt_eval_count = %d, want 300 ± 2%%", r.Request, got)
		}
		if r.PromptTokensCalibrated < 294 || r.PromptTokensCalibrated > 306 {
			t.Errorf("calibrated length = %d, want about 300", r.PromptTokensCalibrated)
		}
	}
}

func TestCalibrationTruncatedPrompt(t *testing.T) {
	// Ten tokens per word: the first guess of 1.4 tokens per word overflows
	// num_ctx 512, and the server's count is cut to 512.
	f := &fakeOllama{promptBase: 5, tokensPerWord: 10, tokens: 20}
	client := f.start(t)
	var out bytes.Buffer
	cfg := Config{InputTokens: 200, OutputTokens: 20, NumCtx: 512, ConcurrencyMax: 1, Warmup: -1, Repetitions: 1}
	if err := Run(context.Background(), client, cfg, []string{"fake:q4"}, &out); err != nil {
		t.Fatal(err)
	}

	for _, r := range readRecords(t, out.Bytes()) {
		if r.Phase == results.PhaseMeasure && (*r.PromptEvalCount < 195 || *r.PromptEvalCount > 205) {
			t.Errorf("prompt_eval_count = %d, want 200 ± 5 (1 word = 10 tokens)", *r.PromptEvalCount)
		}
	}
}

func TestRunFlagsCacheHitsAfterCalibration(t *testing.T) {
	// Calibration requests (eval_count 1) take 10 ms of prefill; measured
	// ones 0.1 ms for the same count, as when the cache served the prompt.
	f := &fakeOllama{tokens: 20, final: func(m map[string]any, _ int) {
		if m["eval_count"] == 1 {
			m["prompt_eval_duration"] = int64(10_000_000)
		} else {
			m["prompt_eval_duration"] = int64(100_000)
		}
	}}
	client := f.start(t)
	var out bytes.Buffer
	cfg := Config{InputTokens: 64, OutputTokens: 20, ConcurrencyMax: 1, Warmup: -1, Repetitions: 2}
	if err := Run(context.Background(), client, cfg, []string{"fake:q4"}, &out); err != nil {
		t.Fatal(err)
	}

	for _, r := range readRecords(t, out.Bytes()) {
		cached := slices.Contains(r.Flags, results.FlagPromptCached)
		if r.Phase == results.PhaseMeasure && !cached {
			t.Errorf("measured request %d: flags %v, want %s", r.Request, r.Flags, results.FlagPromptCached)
		}
		if r.Phase == results.PhaseCalibrate && cached {
			t.Errorf("calibration request %d flagged as cached", r.Request)
		}
	}
}

func TestRunPromptsStartDifferently(t *testing.T) {
	f := &fakeOllama{tokens: 20}
	client := f.start(t)
	cfg := Config{InputTokens: 64, OutputTokens: 20, ConcurrencyMax: 2, Warmup: 2, Repetitions: 2, StopWhenFlat: -1}
	if err := Run(context.Background(), client, cfg, []string{"fake:q4"}, &bytes.Buffer{}); err != nil {
		t.Fatal(err)
	}

	seen := map[string]bool{}
	for _, p := range f.prompts {
		prefix := p[:20]
		if seen[prefix] {
			t.Fatalf("two prompts share their first 20 bytes %q: the prompt cache could serve one", prefix)
		}
		seen[prefix] = true
	}
	if calibration := len(seen) - (2 + 2 + 4); calibration < 1 || calibration > maxCalibrationRequests {
		t.Errorf("%d distinct prompts, want 8 plus 1 to %d calibration prompts", len(seen), maxCalibrationRequests)
	}
}

func TestSweepStopsWhenFlat(t *testing.T) {
	// One slot: requests queue, so two streams give no more tokens/s than one.
	f := &fakeOllama{tokens: 20, tokenDelay: time.Millisecond, serial: true}
	client := f.start(t)
	var out bytes.Buffer
	cfg := Config{InputTokens: 32, OutputTokens: 20, ConcurrencyMax: 8, Warmup: -1, Repetitions: 2, StopWhenFlat: 0.25}
	if err := Run(context.Background(), client, cfg, []string{"fake:q4"}, &out); err != nil {
		t.Fatal(err)
	}

	if got := measuredLevels(readRecords(t, out.Bytes())); !slices.Equal(got, []int{1, 2}) {
		t.Errorf("levels = %v, want the sweep to stop after [1 2]", got)
	}
}

func TestSweepContinuesWhileRising(t *testing.T) {
	// Parallel slots: aggregate tokens/s doubles with each level.
	f := &fakeOllama{tokens: 20, tokenDelay: time.Millisecond}
	client := f.start(t)
	var out bytes.Buffer
	cfg := Config{InputTokens: 32, OutputTokens: 20, ConcurrencyMax: 4, Warmup: -1, Repetitions: 2, StopWhenFlat: 0.25}
	if err := Run(context.Background(), client, cfg, []string{"fake:q4"}, &out); err != nil {
		t.Fatal(err)
	}

	if got := measuredLevels(readRecords(t, out.Bytes())); !slices.Equal(got, []int{1, 2, 4}) {
		t.Errorf("levels = %v, want [1 2 4]", got)
	}
}

func TestRunSkipsModelThatFails(t *testing.T) {
	f := &fakeOllama{tokens: 10}
	f.handler = func(w http.ResponseWriter, r *http.Request) {
		var req struct{ Model string }
		body, _ := io.ReadAll(r.Body)
		json.Unmarshal(body, &req)
		if req.Model == "missing:tag" {
			w.WriteHeader(http.StatusNotFound)
			w.Write([]byte(`{"error":"model 'missing:tag' not found"}`))
			return
		}
		r.Body = io.NopCloser(bytes.NewReader(body))
		f.generate(w, r)
	}
	client := f.start(t)
	var out bytes.Buffer
	cfg := Config{InputTokens: 32, OutputTokens: 10, ConcurrencyMax: 1, Warmup: -1, Repetitions: 1}
	err := Run(context.Background(), client, cfg, []string{"missing:tag", "fake:q4"}, &out)

	if err == nil || !strings.Contains(err.Error(), "missing:tag") || !strings.Contains(err.Error(), "HTTP 404") {
		t.Errorf("error = %v, want the failed model and its HTTP 404", err)
	}
	if got := measuredLevels(readRecords(t, out.Bytes())); !slices.Equal(got, []int{1}) {
		t.Errorf("levels = %v, want the second model measured at [1]", got)
	}
}

func TestConfigLevels(t *testing.T) {
	cases := map[int][]int{1: {1}, 2: {1, 2}, 6: {1, 2, 4, 6}, 8: {1, 2, 4, 8}}
	for max, want := range cases {
		if got := (Config{ConcurrencyMax: max}).Levels(); !slices.Equal(got, want) {
			t.Errorf("concurrency_max %d: levels = %v, want %v", max, got, want)
		}
	}
}

func TestConfigValidate(t *testing.T) {
	bad := []Config{
		{InputTokens: -1},
		{Repetitions: -2},
		{InputTokens: 800, OutputTokens: 200, NumCtx: 512},
	}
	for _, c := range bad {
		if err := c.WithDefaults().Validate(); err == nil || !strings.HasPrefix(err.Error(), "throughput.") {
			t.Errorf("%+v: error = %v, want one naming the throughput field", c, err)
		}
	}
	if err := DefaultConfig().WithDefaults().Validate(); err != nil {
		t.Errorf("defaults invalid: %v", err)
	}
	if got := DefaultConfig().WithDefaults().NumCtx; got != 1536 {
		t.Errorf("default num_ctx = %d, want 800 + 200 + 64 rounded up to 1536", got)
	}
}
