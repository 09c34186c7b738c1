package throughput

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/ollama/ollama/api"

	"github.com/quantbench/quantbench/results"
)

// A request's prompt counts as served from the prompt cache when either
// rule holds:
//   - prompt_eval_count is below cachedFraction of the calibrated length,
//     for servers that count only the tokens they evaluated;
//   - the prefill rate is above cachedSpeedup times the fastest prefill
//     rate of the model's calibration requests, whose prompts were unique.
//
// The second rule is needed for Ollama v0.17.4, whose runners set
// prompt_eval_count to the whole prompt's length before loading the cache
// slot (runner/llamarunner/runner.go, numPromptInputs), while
// prompt_eval_duration covers only the tokens evaluated. Batched prefill at
// higher concurrency shares the server among requests and lowers the
// per-request rate, so a tenfold rise is a cache hit, not load.
const (
	cachedFraction = 0.5
	cachedSpeedup  = 10.0
)

// job is one request to send.
type job struct {
	model       string
	phase       string
	concurrency int
	index       int
	prompt      string
	// numPredict overrides cfg.OutputTokens when positive.
	numPredict int
}

// sender sends jobs and measures them.
type sender struct {
	client *api.Client
	// endpoint, when set, streams the measured requests instead of client.
	endpoint   *Endpoint
	cfg        Config
	options    map[string]any
	runID      string
	info       results.ModelInfo
	calibrated int
	// prefillReference is the fastest prefill rate of the calibration
	// requests in tokens/s, or 0 before calibration ends.
	prefillReference float64
}

// send streams one generate request and returns its record. It never
// returns an error: a failure is a record with StatusInfraError.
func (s *sender) send(ctx context.Context, j job) results.ThroughputRecord {
	rec := results.ThroughputRecord{
		RunID:                  s.runID,
		Model:                  j.model,
		Digest:                 s.info.Digest,
		Quantization:           s.info.Quantization,
		Phase:                  j.phase,
		Concurrency:            j.concurrency,
		Request:                j.index,
		PromptTokensTarget:     s.cfg.InputTokens,
		PromptTokensCalibrated: s.calibrated,
		NumPredict:             s.cfg.OutputTokens,
	}
	options := s.options
	if j.numPredict > 0 {
		options = make(map[string]any, len(s.options))
		for k, v := range s.options {
			options[k] = v
		}
		options["num_predict"] = j.numPredict
		rec.NumPredict = j.numPredict
	}

	timeout := time.Duration(s.cfg.RequestTimeout)
	if timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, timeout)
		defer cancel()
	}

	stream := true
	req := &api.GenerateRequest{Model: j.model, Prompt: j.prompt, Stream: &stream, Options: options}

	var (
		last  time.Time
		final *api.GenerateResponse
	)
	// Without an endpoint the api client streams, and its 8 MB buffer per
	// stream adds about 1 ms to TTFT and E2E (BenchmarkOllamaClientOnly).
	generate := s.client.Generate
	if s.endpoint != nil {
		generate = s.endpoint.Generate
	}
	rec.Start = time.Now()
	err := generate(ctx, req, func(r api.GenerateResponse) error {
		now := time.Now()
		if r.Response != "" || r.Thinking != "" {
			if rec.Chunks == 0 {
				rec.TTFTMS = ptr(milliseconds(now.Sub(rec.Start)))
			} else {
				rec.ITLMS = append(rec.ITLMS, milliseconds(now.Sub(last)))
			}
			rec.Chunks++
			last = now
		}
		if r.Done {
			final = &r
		}
		return nil
	})
	rec.End = time.Now()
	rec.E2EMS = milliseconds(rec.End.Sub(rec.Start))

	// The api client ends a stream whose read failed without an error
	// (v0.17.4 does not check the scanner's error), so a timeout shows as a
	// missing final chunk with the context done.
	if err == nil && final == nil && ctx.Err() != nil {
		err = ctx.Err()
	}
	switch {
	case err != nil:
		rec.Status = results.StatusInfraError
		rec.Error = describeError(ctx, err, timeout)
	case final == nil:
		rec.Status = results.StatusInfraError
		rec.Error = "the stream ended without a final chunk (done=true): the server closed the connection early"
	default:
		rec.Status = results.StatusOK
		rec.DoneReason = final.DoneReason
		rec.Timings = results.TimingsFromMetrics(final.Metrics)
		s.computeRates(&rec)
	}
	return rec
}

// computeRates fills the decode, prefill and load figures of a completed
// request and flags the rates summaries must leave out.
func (s *sender) computeRates(rec *results.ThroughputRecord) {
	t := rec.Timings
	rec.DecodeTPS = tokensPerSecond(t.EvalCount, t.EvalDuration)
	if t.LoadDuration != nil {
		rec.LoadMS = ptr(float64(*t.LoadDuration) / 1e6)
	}

	evalCount := deref(t.EvalCount)
	if evalCount < s.cfg.MinTokens {
		rec.Flags = append(rec.Flags, results.FlagDecodeFewTokens)
	}
	if rec.DecodeTPS != nil && *rec.DecodeTPS > results.MaxPlausibleDecodeTPS {
		rec.Flags = append(rec.Flags, results.FlagDecodeAboveBound)
	}

	promptCount := deref(t.PromptEvalCount)
	prefill := tokensPerSecond(t.PromptEvalCount, t.PromptEvalDuration)
	shortCount := s.calibrated > 0 && float64(promptCount) < cachedFraction*float64(s.calibrated)
	tooFast := prefill != nil && s.prefillReference > 0 && *prefill > cachedSpeedup*s.prefillReference
	if shortCount || tooFast {
		rec.Flags = append(rec.Flags, results.FlagPromptCached)
		return
	}
	rec.PrefillTPS = prefill
	if promptCount < s.cfg.MinTokens {
		rec.Flags = append(rec.Flags, results.FlagPrefillFewTokens)
	}
	if rec.PrefillTPS != nil && *rec.PrefillTPS > results.MaxPlausiblePrefillTPS {
		rec.Flags = append(rec.Flags, results.FlagPrefillAboveBound)
	}
}

// tokensPerSecond is count / duration with the duration converted from ns
// to s. It is nil when either is missing or zero, never 0 or infinite.
func tokensPerSecond(count *int, durationNS *int64) *float64 {
	if count == nil || durationNS == nil || *count <= 0 || *durationNS <= 0 {
		return nil
	}
	return ptr(float64(*count) / (float64(*durationNS) / 1e9))
}

// describeError turns a request error into a message that names the cause.
func describeError(ctx context.Context, err error, timeout time.Duration) string {
	var status api.StatusError
	switch {
	case errors.Is(ctx.Err(), context.DeadlineExceeded):
		return fmt.Sprintf("timed out after %s: raise throughput.request_timeout or lower the load", timeout)
	case errors.As(err, &status):
		return fmt.Sprintf("HTTP %d: %s", status.StatusCode, status.ErrorMessage)
	}
	return err.Error()
}

func milliseconds(d time.Duration) float64 { return float64(d) / 1e6 }

func ptr[T any](v T) *T { return &v }

func deref[T any](p *T) T {
	var zero T
	if p == nil {
		return zero
	}
	return *p
}
