package results

import (
	"time"
)

// Request phases of the throughput workload.
const (
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
	// FlagPromptCached: prompt_eval_count was well below the prompt's
	// calibrated length, so most of the prompt came from the server's prompt
	// cache and the prefill rate is not a measure of prompt evaluation.
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
// throughput.jsonl. Server timings are Ollama's fields as returned (absent
// when missing or zero); client timings are measured by quantbench on its
// own clock from the request's start.
type ThroughputRecord struct {
	RunID        string `json:"run_id"`
	Model        string `json:"model"`
	Digest       string `json:"digest,omitempty"`
	Quantization string `json:"quantization,omitempty"`

	// Phase is PhaseWarmup or PhaseMeasure.
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
	// milliseconds, usually the first warm-up's cold load.
	LoadMS *float64 `json:"load_ms,omitempty"`

	// SingleStreamDecodeTPS is the mean decode rate at concurrency 1, in
	// output tokens per second.
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
	// GPUReason says why the GPU columns are blank.
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
// of montanaflynn/stats (Percentile), so P99 of fewer than 100 samples is
// the maximum.
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
	// TODO: throughput summary.
	return nil, nil
}
