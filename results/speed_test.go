package results

import (
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

func TestSpeedDistributionKnownSamples(t *testing.T) {
	var hundred []float64
	for i := 1; i <= 100; i++ {
		hundred = append(hundred, float64(101-i)) // unsorted on purpose
	}
	d := speedDistribution(hundred)
	want := map[string]float64{"mean": 50.5, "min": 1, "p50": 50, "p90": 90, "p99": 99, "max": 100}
	got := map[string]*float64{"mean": d.Mean, "min": d.Min, "p50": d.P50, "p90": d.P90, "p99": d.P99, "max": d.Max}
	for k, w := range want {
		if got[k] == nil || *got[k] != w {
			t.Errorf("1..100 %s = %v, want %v", k, got[k], w)
		}
	}
	if d.N != 100 {
		t.Errorf("n = %d, want 100", d.N)
	}

	small := speedDistribution([]float64{4, 1, 3, 2, 5})
	if *small.P50 != 3 || *small.P90 != 5 || *small.P99 != 5 {
		t.Errorf("1..5 p50/p90/p99 = %v/%v/%v, want nearest ranks 3/5/5", *small.P50, *small.P90, *small.P99)
	}
}

func TestSpeedDistributionEmpty(t *testing.T) {
	d := speedDistribution(nil)
	if d.N != 0 || d.Mean != nil || d.P50 != nil || d.P99 != nil {
		t.Errorf("empty distribution = %+v, want n 0 and blank statistics", d)
	}
	data, _ := json.Marshal(d)
	if string(data) != `{"n":0}` {
		t.Errorf("empty distribution JSON = %s, want {\"n\":0}", data)
	}
}

// writeSpeedLines writes values as a JSON-lines file.
func writeSpeedLines[T any](t *testing.T, path string, values []T) {
	t.Helper()
	var b strings.Builder
	for _, v := range values {
		line, err := json.Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		b.Write(line)
		b.WriteByte('\n')
	}
	if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
}

func speedIntPtr(v int) *int { return &v }

// evalDuration is the eval_duration in ns that gives decode tokens/s, or nil
// when decode is 0.
func evalDuration(evalCount int, decode float64) *int64 {
	if decode <= 0 {
		return nil
	}
	ns := int64(float64(evalCount) / decode * 1e9)
	return &ns
}
func speedFloatPtr(v float64) *float64 { return &v }

// speedRecord is a completed measured request at concurrency c that
// started at offset start (seconds) and took e2e seconds.
func speedRecord(c int, start, e2e float64, evalCount int, decode float64) ThroughputRecord {
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	begin := t0.Add(time.Duration(start * float64(time.Second)))
	return ThroughputRecord{
		Model: "m:q4", Phase: PhaseMeasure, Concurrency: c, Status: StatusOK, NumPredict: 100,
		Timings:   Timings{EvalCount: speedIntPtr(evalCount), EvalDuration: evalDuration(evalCount, decode), PromptEvalCount: speedIntPtr(800)},
		Start:     begin,
		End:       begin.Add(time.Duration(e2e * float64(time.Second))),
		E2EMS:     e2e * 1000,
		TTFTMS:    speedFloatPtr(100),
		ITLMS:     []float64{10, 20},
		DecodeTPS: speedFloatPtr(decode), PrefillTPS: speedFloatPtr(4000),
		SizeBytes: 1000, SizeVRAMBytes: 1000,
	}
}

func TestSummarizeSpeedFolder(t *testing.T) {
	dir := t.TempDir()
	manifest := &RunManifest{
		Models:  []ModelInfo{{Name: "m:q4", Quantization: "Q4_K_M", SizeBytes: 4_000_000_000}},
		Machine: MachineInfo{GPUs: []GPUInfo{{Name: "NVIDIA L4", BandwidthGB: 300}}},
	}

	warm := speedRecord(1, -10, 1, 100, 50)
	warm.Phase, warm.LoadMS = PhaseWarmup, speedFloatPtr(3500)
	fewTokens := speedRecord(1, 2, 1, 3, 9999)
	fewTokens.Flags = []string{FlagDecodeFewTokens}
	cached := speedRecord(1, 3, 1, 100, 60)
	cached.PrefillTPS, cached.Flags = nil, []string{FlagPromptCached}
	failed := ThroughputRecord{Model: "m:q4", Phase: PhaseMeasure, Concurrency: 2, Status: StatusInfraError,
		Error: "HTTP 500", Start: speedRecord(2, 10, 0, 0, 0).Start, End: speedRecord(2, 10, 0.5, 0, 0).End}
	records := []ThroughputRecord{
		warm,
		speedRecord(1, 0, 1, 100, 40), // level 1: 0 s to 4 s, 303 tokens
		speedRecord(1, 1, 1, 100, 60),
		fewTokens,
		cached,
		speedRecord(2, 10, 2, 100, 30), // level 2: 10 s to 12 s, 200 tokens
		speedRecord(2, 10, 2, 100, 30),
		failed,
	}
	writeSpeedLines(t, filepath.Join(dir, ThroughputFile), records)

	t0 := records[5].Start
	samples := []TelemetrySample{
		{Time: t0, Model: "m:q4", Concurrency: 2, GPU: 0, PowerW: speedFloatPtr(60), MemoryUsedMiB: speedFloatPtr(1000), UtilizationPct: speedFloatPtr(80)},
		{Time: t0, Model: "m:q4", Concurrency: 2, GPU: 1, PowerW: speedFloatPtr(40), MemoryUsedMiB: speedFloatPtr(500)},
		{Time: t0.Add(time.Second), Model: "m:q4", Concurrency: 2, GPU: 0, PowerW: speedFloatPtr(100), UtilizationPct: speedFloatPtr(100)},
		{Time: t0.Add(time.Second), Model: "m:q4", Concurrency: 2, GPU: 1, PowerW: speedFloatPtr(100)},
		{Time: t0.Add(2 * time.Second), GPU: 0, PowerW: speedFloatPtr(500)}, // between levels
	}
	writeSpeedLines(t, filepath.Join(dir, TelemetryFile), samples)

	report, err := summarizeSpeed(dir, manifest)
	if err != nil {
		t.Fatal(err)
	}
	if len(report.Levels) != 2 || len(report.Models) != 1 {
		t.Fatalf("report has %d levels and %d models, want 2 and 1", len(report.Levels), len(report.Models))
	}

	one := report.Levels[0]
	if one.Concurrency != 1 || one.Requests != 4 || one.OK != 4 || one.FlaggedDecode != 1 || one.FlaggedPrefill != 1 {
		t.Errorf("level 1 counts = %d requests, %d ok, %d/%d flagged; want 4, 4, 1/1", one.Requests, one.OK, one.FlaggedDecode, one.FlaggedPrefill)
	}
	if one.WallSeconds != 4 || one.OutputTokens != 303 || *one.OutputTPS != 303.0/4 {
		t.Errorf("level 1 wall %v s, %d tokens, %v tokens/s; want 4 s, 303, 75.75", one.WallSeconds, one.OutputTokens, *one.OutputTPS)
	}
	if *one.RequestsPerSecond != 1 || *one.DocumentsPerHour != 3600 {
		t.Errorf("level 1 requests/s %v, documents/h %v; want 1 and 3600", *one.RequestsPerSecond, *one.DocumentsPerHour)
	}
	if one.DecodeTPS.N != 3 || *one.DecodeTPS.Mean != (40+60+60)/3.0 {
		t.Errorf("level 1 decode = n %d mean %v, want the 3 unflagged rates, mean 53.3", one.DecodeTPS.N, *one.DecodeTPS.Mean)
	}
	if one.PrefillTPS.N != 3 {
		t.Errorf("level 1 prefill n = %d, want 3 (the cached prompt left out)", one.PrefillTPS.N)
	}
	if one.ITLMS.N != 8 || one.TTFTMS.N != 4 || one.E2EMS.N != 4 {
		t.Errorf("level 1 samples: ITL %d, TTFT %d, E2E %d; want 8, 4, 4", one.ITLMS.N, one.TTFTMS.N, one.E2EMS.N)
	}
	if one.Power != nil {
		t.Errorf("level 1 power = %+v, want none (no samples tagged with it)", *one.Power)
	}

	two := report.Levels[1]
	if two.Requests != 3 || two.Failed != 1 || two.OK != 2 || *two.OutputTPS != 100 {
		t.Errorf("level 2 = %d requests, %d failed, %v tokens/s; want 3, 1, 100", two.Requests, two.Failed, *two.OutputTPS)
	}
	p := two.Power
	if p == nil {
		t.Fatal("level 2 has no power summary")
	}
	if p.Samples != 2 || *p.MeanPowerW != 150 || *p.PeakPowerW != 200 || *p.PeakMemoryMiB != 1500 {
		t.Errorf("level 2 power = %d samples, mean %v W, peak %v W, peak memory %v MiB; want 2, 150, 200, 1500",
			p.Samples, *p.MeanPowerW, *p.PeakPowerW, *p.PeakMemoryMiB)
	}
	// 150 W × 2 s / 200 tokens × 1000 = 1500 J per 1,000 tokens.
	if *p.EnergyPer1kTokensJ != 1500 || *p.MeanUtilizationPct != 90 {
		t.Errorf("level 2 energy %v J/1k tokens, utilisation %v %%; want 1500 and 90", *p.EnergyPer1kTokensJ, *p.MeanUtilizationPct)
	}

	m := report.Models[0]
	if *m.LoadMS != 3500 || *m.SingleStreamDecodeTPS != *one.PooledDecodeTPS || m.PeakConcurrency != 2 {
		t.Errorf("model = load %v ms, single-stream %v, peak at %d; want 3500, level 1's pooled rate, 2", *m.LoadMS, *m.SingleStreamDecodeTPS, m.PeakConcurrency)
	}
	// 300 GB/s / 4 GB = 75 tokens/s ceiling.
	if *m.DecodeCeilingTPS != 75 || *m.DecodeCeilingPct != *one.PooledDecodeTPS/75*100 {
		t.Errorf("ceiling = %v tokens/s, %v %%; want 75 and the measured share", *m.DecodeCeilingTPS, *m.DecodeCeilingPct)
	}
	if *m.GPUOffloadPct != 100 || len(m.Warnings) != 0 {
		t.Errorf("offload = %v %%, warnings %v; want 100 and none", *m.GPUOffloadPct, m.Warnings)
	}
	if !slices.ContainsFunc(report.Footnotes, func(s string) bool { return strings.Contains(s, "1 measured requests failed") }) {
		t.Errorf("footnotes = %q, want one about the failed request", report.Footnotes)
	}
}

func TestSummarizeSpeedWithoutGPU(t *testing.T) {
	dir := t.TempDir()
	rec := speedRecord(1, 0, 1, 100, 40)
	rec.SizeVRAMBytes = 0
	writeSpeedLines(t, filepath.Join(dir, ThroughputFile), []ThroughputRecord{rec})
	manifest := &RunManifest{Machine: MachineInfo{CPUModel: "AMD EPYC", CPUCores: 2, GPUReason: "nvidia-smi not found on PATH"}}

	report, err := summarizeSpeed(dir, manifest)
	if err != nil {
		t.Fatal(err)
	}
	m := report.Models[0]
	if m.GPUReason != "nvidia-smi not found on PATH" || m.DecodeCeilingTPS != nil || m.BandwidthGBs != nil {
		t.Errorf("model = reason %q, ceiling %v; want the reason and blank GPU columns", m.GPUReason, m.DecodeCeilingTPS)
	}
	if len(m.Warnings) != 0 {
		t.Errorf("warnings = %v on a machine without GPU, want none", m.Warnings)
	}
	if report.Levels[0].Power != nil {
		t.Error("power summary present without telemetry")
	}
}

func TestSummarizeSpeedMissingFile(t *testing.T) {
	report, err := summarizeSpeed(t.TempDir(), &RunManifest{})
	if err != nil || report != nil {
		t.Errorf("no throughput.jsonl: report %v, error %v; want nil, nil", report, err)
	}
}

func TestSummarizeSpeedInvalidLine(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, ThroughputFile), []byte("{\"model\":\"a\"}\nnot json\n{}\n"), 0o644)
	_, err := summarizeSpeed(dir, &RunManifest{})
	if err == nil || !strings.Contains(err.Error(), ThroughputFile+":2:") {
		t.Errorf("error = %v, want one naming %s:2", err, ThroughputFile)
	}
}

func TestSummarizeLevelPoolsDecodeRate(t *testing.T) {
	fast := speedRecord(1, 0, 1, 100, 100)
	slow := speedRecord(1, 1, 10, 100, 10)

	level := summarizeLevel("m:q4", 1, []ThroughputRecord{fast, slow}, nil)
	if level.PooledDecodeTPS == nil {
		t.Fatal("no pooled decode rate")
	}
	// 200 tokens in 1 s + 10 s of decoding.
	if got, want := *level.PooledDecodeTPS, 200.0/11.0; math.Abs(got-want) > 1e-6 {
		t.Errorf("pooled decode = %v tokens/s, want %v", got, want)
	}
	if got := *level.DecodeTPS.Mean; got != 55 {
		t.Errorf("mean of per-request rates = %v, want 55", got)
	}
}
