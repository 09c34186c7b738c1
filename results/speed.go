package results

import (
	"cmp"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"time"

	"github.com/montanaflynn/stats"
)

// Request phases of the throughput workload.
const (
	// PhaseCalibrate requests (num_predict 1) measure how many tokens the
	// server counts in a prompt. The first one usually carries the model's
	// cold load time. They are left out of every summary but load time.
	PhaseCalibrate = "calibrate"
	// PhaseWarmup requests load the model and fill caches. They are recorded
	// for their load time but left out of every summary.
	PhaseWarmup = "warmup"
	// PhaseMeasure requests are the ones the summary counts.
	PhaseMeasure = "measure"
)

// Flags set on a ThroughputRecord when one of its rates is not trusted.
// A flagged rate stays in throughput.jsonl but is left out of summaries.
const (
	// FlagDecodeFewTokens: eval_count was below the configured min_tokens, so
	// the decode rate is dominated by timer resolution and per-request overhead.
	FlagDecodeFewTokens = "decode_few_tokens"
	// FlagPrefillFewTokens: prompt_eval_count was below min_tokens.
	FlagPrefillFewTokens = "prefill_few_tokens"
	// FlagDecodeAboveBound: the decode rate exceeded MaxPlausibleDecodeTPS.
	FlagDecodeAboveBound = "decode_above_bound"
	// FlagPrefillAboveBound: the prefill rate exceeded MaxPlausiblePrefillTPS.
	FlagPrefillAboveBound = "prefill_above_bound"
	// FlagPromptCached: most of the prompt came from the server's prompt
	// cache, so the prefill rate is not a measure of prompt evaluation.
	// Either prompt_eval_count was below half the calibrated length, or the
	// prefill rate was above ten times the fastest rate of the model's
	// calibration requests (Ollama v0.17.4 counts cached tokens in
	// prompt_eval_count but not in prompt_eval_duration).
	FlagPromptCached = "prompt_cached"
)

// Physical bounds above which a rate is flagged as a measurement error.
//
// Decode generates one token per forward pass and reads all the weights on
// each, so a single sequence is limited by memory bandwidth: 4.8 TB/s (H200)
// over even a 100 MB model is 48,000 tokens/s. 50,000 tokens/s per request is
// therefore above anything a real server reaches, and a higher figure means a
// duration was misreported. Prefill is compute-bound and batched over the
// prompt; 1,000,000 tokens/s per request is beyond any single GPU.
const (
	MaxPlausibleDecodeTPS  = 50_000.0
	MaxPlausiblePrefillTPS = 1_000_000.0
)

// ThroughputRecord is one request of the throughput workload: one line of
// throughput.jsonl. Server timings are Ollama's fields as returned, absent
// when missing or zero. Client timings are measured by quantbench on its
// own clock from the request's start.
type ThroughputRecord struct {
	RunID        string `json:"run_id"`
	Model        string `json:"model"`
	Digest       string `json:"digest,omitempty"`
	Quantization string `json:"quantization,omitempty"`

	// Phase is PhaseCalibrate, PhaseWarmup or PhaseMeasure.
	Phase string `json:"phase"`
	// Concurrency is the number of requests the client kept in flight at
	// this level of the sweep.
	Concurrency int `json:"concurrency"`
	// Request numbers the request within its model and level, from 0.
	Request int `json:"request"`

	// PromptTokensTarget is the prompt length the workload aimed at, and
	// PromptTokensCalibrated the length the server counted for the calibrated
	// prompt when the prompt cache was empty.
	PromptTokensTarget     int `json:"prompt_tokens_target"`
	PromptTokensCalibrated int `json:"prompt_tokens_calibrated,omitempty"`
	// NumPredict is the output token limit sent in options.num_predict.
	NumPredict int `json:"num_predict"`

	Status     Status `json:"status"`
	Error      string `json:"error,omitempty"`
	DoneReason string `json:"done_reason,omitempty"`

	Timings

	// Start is when the client sent the request, End when the stream ended
	// (or failed).
	Start time.Time `json:"start"`
	End   time.Time `json:"end"`

	// TTFTMS is the client's time to first token in milliseconds: from
	// sending the request to receiving the first chunk with non-empty
	// response or thinking text. Absent when no token arrived.
	TTFTMS *float64 `json:"ttft_ms,omitempty"`
	// ITLMS are the client's inter-token latencies in milliseconds: the gaps
	// between consecutive chunks that carried text. Ollama streams one chunk
	// per token, so this is the time per output token after the first.
	ITLMS []float64 `json:"itl_ms,omitempty"`
	// E2EMS is the client's end-to-end latency in milliseconds: from sending
	// the request to the final chunk (done=true) or the failure.
	E2EMS float64 `json:"e2e_ms"`
	// Chunks is the number of streamed chunks that carried text.
	Chunks int `json:"chunks"`

	// DecodeTPS is eval_count / eval_duration in output tokens per second
	// (eval_duration converted from ns to s). Absent when either is missing
	// or zero.
	DecodeTPS *float64 `json:"decode_tps,omitempty"`
	// PrefillTPS is prompt_eval_count / prompt_eval_duration in prompt
	// tokens per second. Absent when either is missing or zero, or when the
	// prompt was served from the cache (FlagPromptCached).
	PrefillTPS *float64 `json:"prefill_tps,omitempty"`
	// LoadMS is load_duration in milliseconds: the time the server spent
	// loading the model before this request. Absent when missing or zero.
	LoadMS *float64 `json:"load_ms,omitempty"`
	// Flags name the rates of this record that summaries leave out (Flag...).
	Flags []string `json:"flags,omitempty"`

	// SizeBytes and SizeVRAMBytes are /api/ps's size and size_vram for the
	// model when this level started: the memory the loaded model occupies in
	// total and on the GPU, in bytes. Absent when the model was not listed.
	SizeBytes     int64 `json:"size_bytes,omitempty"`
	SizeVRAMBytes int64 `json:"size_vram_bytes,omitempty"`
}

// TelemetrySample is one reading of one GPU by nvidia-smi: one line of
// telemetry.jsonl. A field nvidia-smi reported as unsupported or not
// available is absent.
type TelemetrySample struct {
	Time time.Time `json:"time"`
	// Model and Concurrency name the sweep level running when the sample
	// was taken; both are empty between levels.
	Model       string `json:"model,omitempty"`
	Concurrency int    `json:"concurrency,omitempty"`

	GPU  int    `json:"gpu"`
	Name string `json:"name,omitempty"`

	// MemoryUsedMiB is memory.used in MiB.
	MemoryUsedMiB *float64 `json:"memory_used_mib,omitempty"`
	// UtilizationPct is utilization.gpu in percent: the share of the last
	// sample period in which a kernel was running.
	UtilizationPct *float64 `json:"utilization_pct,omitempty"`
	// PowerW is power.draw in watts.
	PowerW *float64 `json:"power_w,omitempty"`
	// ClockSMMHz is clocks.sm in MHz.
	ClockSMMHz *float64 `json:"clock_sm_mhz,omitempty"`
}

// SpeedReport is the throughput summary: per model, then per model and
// concurrency level, computed from throughput.jsonl, telemetry.jsonl and
// run.json alone.
type SpeedReport struct {
	Models []ModelSpeed `json:"models"`
	Levels []LevelSpeed `json:"levels"`
	// Footnotes are caveats printed under the throughput tables.
	Footnotes []string `json:"footnotes,omitempty"`
}

// ModelSpeed is the per-model part of the throughput summary.
type ModelSpeed struct {
	Model         string `json:"model"`
	Quantization  string `json:"quantization,omitempty"`
	ParameterSize string `json:"parameter_size,omitempty"`

	// FileSizeBytes is the model's weights on disk (run.json size_bytes), the
	// bytes read per decoded token used for the decode ceiling.
	FileSizeBytes int64 `json:"file_size_bytes,omitempty"`
	// SizeBytes and SizeVRAMBytes are the largest /api/ps size and size_vram
	// seen: memory of the loaded model (weights, KV cache, buffers) in total
	// and on the GPU, in bytes.
	SizeBytes     int64 `json:"size_bytes,omitempty"`
	SizeVRAMBytes int64 `json:"size_vram_bytes,omitempty"`
	// GPUOffloadPct is size_vram / size × 100: the share of the loaded model
	// in GPU memory. Below 100 part of the model runs on the CPU.
	GPUOffloadPct *float64 `json:"gpu_offload_pct,omitempty"`

	// LoadMS is the largest load_duration of the model's requests in
	// milliseconds, usually the first calibration request's cold load.
	LoadMS *float64 `json:"load_ms,omitempty"`

	// SingleStreamDecodeTPS is the pooled decode rate at concurrency 1
	// (LevelSpeed.PooledDecodeTPS), in output tokens per second.
	SingleStreamDecodeTPS *float64 `json:"single_stream_decode_tps,omitempty"`
	// PeakOutputTPS is the highest aggregate output rate over the levels, and
	// PeakConcurrency the level that reached it.
	PeakOutputTPS   *float64 `json:"peak_output_tps,omitempty"`
	PeakConcurrency int      `json:"peak_concurrency,omitempty"`

	// GPUName and BandwidthGBs are the first GPU's name and its memory
	// bandwidth in GB/s (10^9 bytes per second) from the vendor's data sheet.
	GPUName      string   `json:"gpu_name,omitempty"`
	BandwidthGBs *float64 `json:"bandwidth_gb_s,omitempty"`
	// DecodeCeilingTPS is the single-stream decode ceiling in tokens per
	// second: bandwidth (bytes/s) / FileSizeBytes, because each decoded token
	// reads every weight once. It ignores KV-cache reads and is an upper
	// bound, not a prediction.
	DecodeCeilingTPS *float64 `json:"decode_ceiling_tps,omitempty"`
	// DecodeCeilingPct is SingleStreamDecodeTPS / DecodeCeilingTPS × 100.
	DecodeCeilingPct *float64 `json:"decode_ceiling_pct,omitempty"`
	// GPUReason is the reason the GPU columns are blank.
	GPUReason string `json:"gpu_reason,omitempty"`

	Warnings []string `json:"warnings,omitempty"`
}

// LevelSpeed is one model at one concurrency level.
type LevelSpeed struct {
	Model       string `json:"model"`
	Concurrency int    `json:"concurrency"`

	// Requests counts measured requests; OK those that completed; Failed
	// those with an infrastructure error. FlaggedDecode and FlaggedPrefill
	// count completed requests whose rate was left out (see Flags).
	Requests       int `json:"requests"`
	OK             int `json:"ok"`
	Failed         int `json:"failed"`
	FlaggedDecode  int `json:"flagged_decode"`
	FlaggedPrefill int `json:"flagged_prefill"`

	// WallSeconds is the level's wall time: from the first measured request's
	// start to the last one's end, in seconds.
	WallSeconds float64 `json:"wall_seconds"`
	// OutputTokens is the sum of eval_count over completed requests.
	OutputTokens int `json:"output_tokens"`
	// OutputTPS is the aggregate output rate: OutputTokens / WallSeconds, in
	// tokens per second over all concurrent requests.
	OutputTPS *float64 `json:"output_tps,omitempty"`
	// RequestsPerSecond is OK / WallSeconds.
	RequestsPerSecond *float64 `json:"requests_per_second,omitempty"`
	// DocumentsPerHour is RequestsPerSecond × 3600, each request being one
	// document of the configured prompt and output length.
	DocumentsPerHour *float64 `json:"documents_per_hour,omitempty"`

	// PooledDecodeTPS is the sum of eval_count over the sum of eval_duration
	// (converted to s) of the completed, unflagged requests, in output tokens
	// per second. Unlike the mean of per-request rates, one unusually fast
	// request does not dominate it.
	PooledDecodeTPS *float64 `json:"pooled_decode_tps,omitempty"`

	// DecodeTPS and PrefillTPS summarise the per-request server rates
	// (eval_count / eval_duration and prompt_eval_count /
	// prompt_eval_duration) of completed, unflagged requests.
	DecodeTPS  Distribution `json:"decode_tps"`
	PrefillTPS Distribution `json:"prefill_tps"`

	// TTFTMS, ITLMS and E2EMS are the client's time to first token,
	// inter-token latency (every gap of every completed request pooled) and
	// end-to-end latency, in milliseconds.
	TTFTMS Distribution `json:"ttft_ms"`
	ITLMS  Distribution `json:"itl_ms"`
	E2EMS  Distribution `json:"e2e_ms"`

	// OutputLength is eval_count per completed request, in tokens. Ollama
	// cannot ignore end-of-sequence, so requests may stop before num_predict.
	OutputLength Distribution `json:"output_tokens_per_request"`
	// PromptLength is prompt_eval_count per completed request, in tokens.
	PromptLength Distribution `json:"prompt_tokens_per_request"`

	Power *LevelPower `json:"power,omitempty"`
}

// LevelPower is the GPU telemetry over one level, summed over GPUs.
type LevelPower struct {
	// Samples is the number of sampling instants inside the level.
	Samples int `json:"samples"`
	// MeanPowerW and PeakPowerW are the mean and maximum of power.draw summed
	// over GPUs at each instant, in watts.
	MeanPowerW *float64 `json:"mean_power_w,omitempty"`
	PeakPowerW *float64 `json:"peak_power_w,omitempty"`
	// EnergyPer1kTokensJ is MeanPowerW × WallSeconds / OutputTokens × 1000:
	// joules per 1,000 output tokens at this level.
	EnergyPer1kTokensJ *float64 `json:"energy_per_1k_tokens_j,omitempty"`
	// PeakMemoryMiB is the maximum memory.used summed over GPUs, in MiB.
	PeakMemoryMiB *float64 `json:"peak_memory_mib,omitempty"`
	// MeanUtilizationPct is the mean utilization.gpu over GPUs and samples.
	MeanUtilizationPct *float64 `json:"mean_utilization_pct,omitempty"`
	// MeanClockSMMHz is the mean clocks.sm over GPUs and samples.
	MeanClockSMMHz *float64 `json:"mean_clock_sm_mhz,omitempty"`
}

// Distribution summarises samples of one metric. N is the sample count; the
// statistics are absent when N is 0. Percentiles use the nearest-rank method
// (montanaflynn/stats PercentileNearestRank): Pq is the smallest sample with
// at least q% of the samples at or below it, so P99 of fewer than 100
// samples is the maximum.
type Distribution struct {
	N    int      `json:"n"`
	Mean *float64 `json:"mean,omitempty"`
	Min  *float64 `json:"min,omitempty"`
	P50  *float64 `json:"p50,omitempty"`
	P90  *float64 `json:"p90,omitempty"`
	P99  *float64 `json:"p99,omitempty"`
	Max  *float64 `json:"max,omitempty"`
}

// summarizeSpeed reads throughput.jsonl and telemetry.jsonl, when present.
// It returns nil when the folder has no throughput.jsonl.
func summarizeSpeed(dir string, m *RunManifest) (*SpeedReport, error) {
	var records []ThroughputRecord
	err := ReadJSONLines(filepath.Join(dir, ThroughputFile), func(r *ThroughputRecord) error {
		records = append(records, *r)
		return nil
	})
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}

	var samples []TelemetrySample
	err = ReadJSONLines(filepath.Join(dir, TelemetryFile), func(s *TelemetrySample) error {
		samples = append(samples, *s)
		return nil
	})
	if err != nil && !errors.Is(err, os.ErrNotExist) {
		return nil, err
	}

	report := &SpeedReport{}
	for _, model := range speedModelOrder(m, records) {
		var levels []LevelSpeed
		for _, c := range speedLevels(records, model) {
			levels = append(levels, summarizeLevel(model, c, records, samples))
		}
		report.Models = append(report.Models, summarizeModelSpeed(model, m, records, levels))
		report.Levels = append(report.Levels, levels...)
	}
	report.Footnotes = speedFootnotes(m, records, samples, report)
	return report, nil
}

// speedModelOrder lists the models of the records: those in run.json first,
// in its order, then any others in order of appearance.
func speedModelOrder(m *RunManifest, records []ThroughputRecord) []string {
	seen := map[string]bool{}
	for _, r := range records {
		seen[r.Model] = true
	}
	var order []string
	for _, info := range m.Models {
		if seen[info.Name] {
			order = append(order, info.Name)
			delete(seen, info.Name)
		}
	}
	for _, r := range records {
		if seen[r.Model] {
			order = append(order, r.Model)
			delete(seen, r.Model)
		}
	}
	return order
}

// speedLevels returns the concurrency levels measured for model, ascending.
func speedLevels(records []ThroughputRecord, model string) []int {
	var levels []int
	for _, r := range records {
		if r.Model == model && r.Phase == PhaseMeasure && !slices.Contains(levels, r.Concurrency) {
			levels = append(levels, r.Concurrency)
		}
	}
	slices.Sort(levels)
	return levels
}

// decodeExcluded reports whether r's decode rate is left out of summaries.
func decodeExcluded(r *ThroughputRecord) bool {
	return slices.Contains(r.Flags, FlagDecodeFewTokens) || slices.Contains(r.Flags, FlagDecodeAboveBound)
}

// prefillExcluded reports whether r's prefill rate is left out of summaries.
func prefillExcluded(r *ThroughputRecord) bool {
	return slices.Contains(r.Flags, FlagPrefillFewTokens) || slices.Contains(r.Flags, FlagPrefillAboveBound) ||
		slices.Contains(r.Flags, FlagPromptCached)
}

// summarizeLevel computes one model's figures at concurrency c from its
// measured requests and the telemetry samples tagged with that level.
func summarizeLevel(model string, c int, records []ThroughputRecord, samples []TelemetrySample) LevelSpeed {
	level := LevelSpeed{Model: model, Concurrency: c}
	var (
		first, last                     time.Time
		decode, prefill, ttft, itl, e2e []float64
		outputLengths, promptLengths    []float64
		decodeTokens, decodeSeconds     float64
	)
	for i := range records {
		r := &records[i]
		if r.Model != model || r.Concurrency != c || r.Phase != PhaseMeasure {
			continue
		}
		level.Requests++
		if first.IsZero() || r.Start.Before(first) {
			first = r.Start
		}
		if r.End.After(last) {
			last = r.End
		}
		if r.Status != StatusOK {
			level.Failed++
			continue
		}
		level.OK++

		switch {
		case decodeExcluded(r):
			level.FlaggedDecode++
		case r.DecodeTPS != nil:
			decode = append(decode, *r.DecodeTPS)
			if r.EvalCount != nil && r.EvalDuration != nil {
				decodeTokens += float64(*r.EvalCount)
				decodeSeconds += float64(*r.EvalDuration) / 1e9
			}
		}
		switch {
		case prefillExcluded(r):
			level.FlaggedPrefill++
		case r.PrefillTPS != nil:
			prefill = append(prefill, *r.PrefillTPS)
		}
		if r.TTFTMS != nil {
			ttft = append(ttft, *r.TTFTMS)
		}
		itl = append(itl, r.ITLMS...)
		e2e = append(e2e, r.E2EMS)
		if r.EvalCount != nil {
			level.OutputTokens += *r.EvalCount
			outputLengths = append(outputLengths, float64(*r.EvalCount))
		}
		if r.PromptEvalCount != nil {
			promptLengths = append(promptLengths, float64(*r.PromptEvalCount))
		}
	}

	level.WallSeconds = last.Sub(first).Seconds()
	if level.WallSeconds > 0 && level.OK > 0 {
		level.OutputTPS = speedPtr(float64(level.OutputTokens) / level.WallSeconds)
		level.RequestsPerSecond = speedPtr(float64(level.OK) / level.WallSeconds)
		level.DocumentsPerHour = speedPtr(*level.RequestsPerSecond * 3600)
	}
	if decodeSeconds > 0 {
		level.PooledDecodeTPS = speedPtr(decodeTokens / decodeSeconds)
	}
	level.DecodeTPS = speedDistribution(decode)
	level.PrefillTPS = speedDistribution(prefill)
	level.TTFTMS = speedDistribution(ttft)
	level.ITLMS = speedDistribution(itl)
	level.E2EMS = speedDistribution(e2e)
	level.OutputLength = speedDistribution(outputLengths)
	level.PromptLength = speedDistribution(promptLengths)
	level.Power = summarizePower(model, c, samples, level)
	return level
}

// summarizePower aggregates the telemetry samples tagged with model and c.
// Samples sharing a time are one instant of all GPUs; power and memory are
// summed over GPUs at each instant, utilisation and clock averaged.
func summarizePower(model string, c int, samples []TelemetrySample, level LevelSpeed) *LevelPower {
	type instant struct {
		power, memory       float64
		hasPower, hasMemory bool
	}
	var (
		instants      []*instant
		byTime        = map[time.Time]*instant{}
		utils, clocks []float64
	)
	for _, s := range samples {
		if s.Model != model || s.Concurrency != c {
			continue
		}
		in := byTime[s.Time]
		if in == nil {
			in = &instant{}
			byTime[s.Time] = in
			instants = append(instants, in)
		}
		if s.PowerW != nil {
			in.power += *s.PowerW
			in.hasPower = true
		}
		if s.MemoryUsedMiB != nil {
			in.memory += *s.MemoryUsedMiB
			in.hasMemory = true
		}
		if s.UtilizationPct != nil {
			utils = append(utils, *s.UtilizationPct)
		}
		if s.ClockSMMHz != nil {
			clocks = append(clocks, *s.ClockSMMHz)
		}
	}
	if len(instants) == 0 {
		return nil
	}

	p := &LevelPower{Samples: len(instants)}
	var powers, memories []float64
	for _, in := range instants {
		if in.hasPower {
			powers = append(powers, in.power)
		}
		if in.hasMemory {
			memories = append(memories, in.memory)
		}
	}
	p.MeanPowerW = speedDistribution(powers).Mean
	p.PeakPowerW = speedDistribution(powers).Max
	p.PeakMemoryMiB = speedDistribution(memories).Max
	p.MeanUtilizationPct = speedDistribution(utils).Mean
	p.MeanClockSMMHz = speedDistribution(clocks).Mean
	if p.MeanPowerW != nil && level.OutputTokens > 0 && level.WallSeconds > 0 {
		p.EnergyPer1kTokensJ = speedPtr(*p.MeanPowerW * level.WallSeconds / float64(level.OutputTokens) * 1000)
	}
	return p
}

// summarizeModelSpeed combines the model's facts from run.json, its
// records and its levels.
func summarizeModelSpeed(model string, m *RunManifest, records []ThroughputRecord, levels []LevelSpeed) ModelSpeed {
	ms := ModelSpeed{Model: model}
	for _, info := range m.Models {
		if info.Name == model {
			ms.Quantization, ms.ParameterSize, ms.FileSizeBytes = info.Quantization, info.ParameterSize, info.SizeBytes
		}
	}
	for i := range records {
		r := &records[i]
		if r.Model != model {
			continue
		}
		ms.SizeBytes = max(ms.SizeBytes, r.SizeBytes)
		ms.SizeVRAMBytes = max(ms.SizeVRAMBytes, r.SizeVRAMBytes)
		if r.LoadMS != nil && (ms.LoadMS == nil || *r.LoadMS > *ms.LoadMS) {
			ms.LoadMS = speedPtr(*r.LoadMS)
		}
		if ms.Quantization == "" {
			ms.Quantization = r.Quantization
		}
	}
	if ms.SizeBytes > 0 {
		ms.GPUOffloadPct = speedPtr(float64(ms.SizeVRAMBytes) / float64(ms.SizeBytes) * 100)
	}

	for _, l := range levels {
		if l.Concurrency == 1 {
			ms.SingleStreamDecodeTPS = l.PooledDecodeTPS
		}
		if l.OutputTPS != nil && (ms.PeakOutputTPS == nil || *l.OutputTPS > *ms.PeakOutputTPS) {
			ms.PeakOutputTPS, ms.PeakConcurrency = speedPtr(*l.OutputTPS), l.Concurrency
		}
	}

	applyRoofline(&ms, m.Machine)
	return ms
}

// applyRoofline fills the GPU columns: the single-stream decode ceiling
// bandwidth / FileSizeBytes and the measured rate as a share of it, or the
// reason they stay blank.
func applyRoofline(ms *ModelSpeed, machine MachineInfo) {
	if len(machine.GPUs) == 0 {
		ms.GPUReason = cmp.Or(machine.GPUReason, "no GPU recorded in run.json")
		return
	}
	gpu := machine.GPUs[0]
	ms.GPUName = gpu.Name
	if ms.SizeBytes > 0 && ms.SizeVRAMBytes < ms.SizeBytes {
		ms.Warnings = append(ms.Warnings, fmt.Sprintf("only %.0f%% of the loaded model is in GPU memory; the rest runs on the CPU, so decode is slower than the GPU allows",
			*ms.GPUOffloadPct))
	}
	switch {
	case gpu.BandwidthGB <= 0:
		ms.GPUReason = fmt.Sprintf("memory bandwidth of %q not in quantbench's table", gpu.Name)
		return
	case ms.FileSizeBytes <= 0:
		ms.GPUReason = "model file size unknown (run.json size_bytes missing)"
		return
	}
	ms.BandwidthGBs = speedPtr(gpu.BandwidthGB)
	ms.DecodeCeilingTPS = speedPtr(gpu.BandwidthGB * 1e9 / float64(ms.FileSizeBytes))
	if ms.SingleStreamDecodeTPS != nil {
		ms.DecodeCeilingPct = speedPtr(*ms.SingleStreamDecodeTPS / *ms.DecodeCeilingTPS * 100)
	}
}

// speedFootnotes returns the caveats printed under the throughput tables.
func speedFootnotes(m *RunManifest, records []ThroughputRecord, samples []TelemetrySample, report *SpeedReport) []string {
	var notes []string
	var early, cached, flaggedDecode, flaggedPrefill, failed int
	for i := range records {
		r := &records[i]
		if r.Phase != PhaseMeasure {
			continue
		}
		if r.Status != StatusOK {
			failed++
			continue
		}
		if r.EvalCount != nil && *r.EvalCount < r.NumPredict {
			early++
		}
		if slices.Contains(r.Flags, FlagPromptCached) {
			cached++
		}
		if decodeExcluded(r) {
			flaggedDecode++
		}
		if prefillExcluded(r) && !slices.Contains(r.Flags, FlagPromptCached) {
			flaggedPrefill++
		}
	}
	if failed > 0 {
		notes = append(notes, fmt.Sprintf("%d measured requests failed (server error or timeout) and count in no rate or latency; see the error field in %s.", failed, ThroughputFile))
	}
	if early > 0 {
		notes = append(notes, fmt.Sprintf("%d requests stopped at end-of-sequence before num_predict; Ollama cannot ignore it, so compare models by per-token rates, not per-request latency.", early))
	}
	if cached > 0 {
		notes = append(notes, fmt.Sprintf("%d requests had most of their prompt served from the server's prompt cache; their prefill rate is left out.", cached))
	}
	if flaggedDecode+flaggedPrefill > 0 {
		notes = append(notes, fmt.Sprintf("%d decode and %d prefill rates are left out: fewer tokens than min_tokens, or above the physical bound (%.0f decode, %.0f prefill tokens/s per request).",
			flaggedDecode, flaggedPrefill, MaxPlausibleDecodeTPS, MaxPlausiblePrefillTPS))
	}
	for _, l := range report.Levels {
		if l.ITLMS.N > 0 && l.E2EMS.N < 100 {
			notes = append(notes, "Percentiles are nearest-rank; with fewer than 100 samples p99 is the maximum.")
			break
		}
	}
	if len(samples) == 0 {
		notes = append(notes, "Power and energy columns are blank because there is no GPU telemetry ("+cmp.Or(m.Machine.GPUReason, TelemetryFile+" is missing or empty")+").")
	}
	return notes
}

// speedDistribution summarises xs; a NaN or infinite sample is dropped.
func speedDistribution(xs []float64) Distribution {
	xs = slices.DeleteFunc(slices.Clone(xs), func(x float64) bool { return math.IsNaN(x) || math.IsInf(x, 0) })
	d := Distribution{N: len(xs)}
	if len(xs) == 0 {
		return d
	}
	data := stats.Float64Data(xs)
	mean, _ := data.Mean()
	minimum, _ := data.Min()
	maximum, _ := data.Max()
	d.Mean, d.Min, d.Max = speedPtr(mean), speedPtr(minimum), speedPtr(maximum)
	d.P50 = speedPercentile(data, 50)
	d.P90 = speedPercentile(data, 90)
	d.P99 = speedPercentile(data, 99)
	return d
}

func speedPercentile(data stats.Float64Data, q float64) *float64 {
	v, err := stats.PercentileNearestRank(data, q)
	if err != nil {
		return nil
	}
	return &v
}

func speedPtr(v float64) *float64 { return &v }
