// Package throughput measures how fast an Ollama server runs a model: decode
// and prefill tokens/s, time to first token, inter-token and end-to-end
// latency, over a concurrency sweep. It writes one results.ThroughputRecord
// per request as a JSON line; results.Summarize turns those lines into the
// per-level summary.
//
// The workload is synthetic text calibrated against the server's own
// prompt_eval_count, with a unique prefix per request so the prompt cache
// cannot serve it. Each model gets calibration requests, then Warmup
// uncounted requests, then for each level c of 1, 2, 4, ... ConcurrencyMax,
// c × Repetitions requests from c concurrent streams. The sweep stops early
// when a level's aggregate output tokens/s gains less than StopWhenFlat over
// the best earlier level.
package throughput

import (
	"cmp"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"sync"

	"github.com/ollama/ollama/api"

	"github.com/quantbench/quantbench/results"
)

// PhaseMarker receives the model and level now running, so samples taken
// meanwhile can be attributed to them. Concurrency 0 means calibration or
// warm-up, and an empty model means between models. *telemetry.Sampler
// implements it.
type PhaseMarker interface {
	SetPhase(model string, concurrency int)
}

// LevelResult is the measurement of one level of the sweep, passed to the
// WithLevelDone callback.
type LevelResult struct {
	Model       string
	Concurrency int
	Records     []results.ThroughputRecord
	// OutputTPS is the aggregate output rate: the sum of eval_count over
	// completed requests / the level's wall time, in tokens per second.
	// Zero when no request completed.
	OutputTPS float64
}

// Option configures Run.
type Option func(*runner)

// WithRunID sets the run id written into every record.
func WithRunID(id string) Option { return func(r *runner) { r.runID = id } }

// WithModelInfo gives the /api/show facts (digest, quantization) copied
// into each model's records.
func WithModelInfo(models []results.ModelInfo) Option {
	return func(r *runner) {
		for _, m := range models {
			r.info[m.Name] = m
		}
	}
}

// WithPhaseMarker reports each phase change to m, typically a telemetry sampler.
func WithPhaseMarker(m PhaseMarker) Option { return func(r *runner) { r.marker = m } }

// WithEndpoint streams the measured requests over plain HTTP to base with hc
// (see Endpoint), so the api client's per-stream buffer does not add to the
// client-side latencies. Calls other than generate still use the api client.
func WithEndpoint(base *url.URL, hc *http.Client) Option {
	return func(r *runner) { r.endpoint = &Endpoint{Base: base, HTTP: hc} }
}

// WithLevelDone calls fn after each level of each model.
func WithLevelDone(fn func(LevelResult)) Option { return func(r *runner) { r.levelDone = fn } }

type runner struct {
	client    *api.Client
	cfg       Config
	runID     string
	nonce     string
	info      map[string]results.ModelInfo
	marker    PhaseMarker
	levelDone func(LevelResult)
	endpoint  *Endpoint
	// warned holds the models already warned about partial GPU offload.
	warned map[string]bool

	mu  sync.Mutex
	out io.Writer
}

// Run measures each model in turn and writes one JSON line per request
// (results.ThroughputRecord, warm-up and calibration included) to out. cfg
// is completed with WithDefaults. A model whose calibration fails is
// skipped and the error joined into the returned one; Run returns early
// only when ctx ends or out cannot be written.
func Run(ctx context.Context, client *api.Client, cfg Config, models []string, out io.Writer, opts ...Option) error {
	cfg = cfg.WithDefaults()
	if err := cfg.Validate(); err != nil {
		return err
	}
	r := &runner{client: client, cfg: cfg, out: out, info: map[string]results.ModelInfo{}, marker: noMarker{}, warned: map[string]bool{}}
	for _, o := range opts {
		o(r)
	}
	r.nonce = randomNonce()

	var errs []error
	for _, model := range models {
		err := r.runModel(ctx, model)
		r.marker.SetPhase("", 0)
		if ctx.Err() != nil {
			return errors.Join(append(errs, ctx.Err())...)
		}
		var writeErr *writeError
		if errors.As(err, &writeErr) {
			return errors.Join(append(errs, err)...)
		}
		if err != nil {
			slog.Error("throughput: model skipped", "model", model, "err", err)
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// runModel calibrates the prompt, warms the model up and runs the sweep.
func (r *runner) runModel(ctx context.Context, model string) error {
	slog.Info("throughput: model start", "model", model)
	r.marker.SetPhase(model, 0)

	work, err := newWorkload(r.cfg.PromptFile, r.cfg.Seed, r.nonce)
	if err != nil {
		return err
	}
	s := &sender{client: r.client, endpoint: r.endpoint, cfg: r.cfg, options: r.options(), runID: r.runID, info: r.info[model]}
	calibration, reference := 0, 0.0
	measure := func(ctx context.Context, prompt string) (int, error) {
		rec := s.send(ctx, job{model: model, phase: results.PhaseCalibrate, concurrency: 1, index: calibration, prompt: prompt, numPredict: 1})
		calibration++
		if err := r.write(&rec); err != nil {
			return 0, err
		}
		if rec.Status != results.StatusOK {
			return 0, fmt.Errorf("model %s: calibration request failed: %s", model, rec.Error)
		}
		if rec.PrefillTPS != nil {
			reference = max(reference, *rec.PrefillTPS)
		}
		return deref(rec.PromptEvalCount), nil
	}
	if err := work.calibrate(ctx, model, r.cfg.InputTokens, r.cfg.NumCtx, measure); err != nil {
		return err
	}
	s.calibrated, s.prefillReference = work.calibrated, reference

	for i := range r.cfg.warmups() {
		rec := s.send(ctx, job{model: model, phase: results.PhaseWarmup, concurrency: 1, index: i,
			prompt: work.prompt(fmt.Sprintf("%s/warmup/%d", model, i), work.wordCount)})
		if err := r.write(&rec); err != nil {
			return err
		}
		if rec.Status != results.StatusOK {
			return fmt.Errorf("model %s: warm-up request failed: %s", model, rec.Error)
		}
	}

	best := 0.0
	for _, c := range r.cfg.Levels() {
		result, err := r.runLevel(ctx, s, work, model, c)
		if err != nil {
			return err
		}
		if r.levelDone != nil {
			r.levelDone(result)
		}
		if result.OutputTPS == 0 {
			return fmt.Errorf("model %s: no request completed at concurrency %d: see the errors in %s", model, c, results.ThroughputFile)
		}
		if r.cfg.StopWhenFlat >= 0 && best > 0 && result.OutputTPS < best*(1+r.cfg.StopWhenFlat) {
			slog.Info("throughput: sweep stopped, aggregate output rate no longer rising",
				"model", model, "concurrency", c, "output_tps", result.OutputTPS, "best_output_tps", best)
			break
		}
		best = max(best, result.OutputTPS)
	}
	slog.Info("throughput: model end", "model", model)
	return nil
}

// runLevel sends c × Repetitions requests from c concurrent streams.
func (r *runner) runLevel(ctx context.Context, s *sender, work *workload, model string, c int) (LevelResult, error) {
	size, sizeVRAM := r.loadedSize(ctx, model)
	n := c * r.cfg.Repetitions
	jobs := make(chan job, n)
	for i := range n {
		jobs <- job{model: model, phase: results.PhaseMeasure, concurrency: c, index: i,
			prompt: work.prompt(fmt.Sprintf("%s/c%d/%d", model, c, i), work.wordCount)}
	}
	close(jobs)

	r.marker.SetPhase(model, c)
	defer r.marker.SetPhase(model, 0)

	recs := make([]results.ThroughputRecord, n)
	var (
		wg       sync.WaitGroup
		writeMu  sync.Mutex
		firstErr error
	)
	for range c {
		wg.Go(func() {
			for j := range jobs {
				if ctx.Err() != nil {
					return
				}
				rec := s.send(ctx, j)
				rec.SizeBytes, rec.SizeVRAMBytes = size, sizeVRAM
				recs[j.index] = rec
				if err := r.write(&rec); err != nil {
					writeMu.Lock()
					firstErr = cmp.Or(firstErr, err)
					writeMu.Unlock()
				}
			}
		})
	}
	wg.Wait()
	if firstErr != nil {
		return LevelResult{}, firstErr
	}
	if err := ctx.Err(); err != nil {
		return LevelResult{}, err
	}
	return LevelResult{Model: model, Concurrency: c, Records: recs, OutputTPS: aggregateOutputTPS(recs)}, nil
}

// aggregateOutputTPS is the sum of eval_count over completed requests
// divided by the wall time from the first start to the last end, in
// tokens per second.
func aggregateOutputTPS(recs []results.ThroughputRecord) float64 {
	var tokens int
	var first, last = recs[0].Start, recs[0].End
	for _, rec := range recs {
		if rec.Start.Before(first) {
			first = rec.Start
		}
		if rec.End.After(last) {
			last = rec.End
		}
		if rec.Status == results.StatusOK {
			tokens += deref(rec.EvalCount)
		}
	}
	wall := last.Sub(first).Seconds()
	if tokens == 0 || wall <= 0 {
		return 0
	}
	return float64(tokens) / wall
}

// loadedSize returns /api/ps's size and size_vram for model, or zeros when
// it is not listed, and warns when part of it is not in GPU memory.
func (r *runner) loadedSize(ctx context.Context, model string) (int64, int64) {
	ps, err := r.client.ListRunning(ctx)
	if err != nil {
		slog.Warn("throughput: /api/ps failed; model memory not recorded", "model", model, "err", err)
		return 0, 0
	}
	for _, m := range ps.Models {
		if m.Name != model && m.Model != model {
			continue
		}
		if m.SizeVRAM > 0 && m.SizeVRAM < m.Size && !r.warned[model] {
			r.warned[model] = true
			slog.Warn("throughput: part of the model is not in GPU memory, so decode runs partly on the CPU",
				"model", model, "size", m.Size, "size_vram", m.SizeVRAM)
		}
		return m.Size, m.SizeVRAM
	}
	return 0, 0
}

// options are the decoding options of every request.
func (r *runner) options() map[string]any {
	return map[string]any{
		"temperature": r.cfg.Temperature,
		"seed":        r.cfg.Seed,
		"num_ctx":     r.cfg.NumCtx,
		"num_predict": r.cfg.OutputTokens,
	}
}

// writeError is a failure to write throughput.jsonl, which ends the run.
type writeError struct{ err error }

func (e *writeError) Error() string { return "write throughput records: " + e.err.Error() }
func (e *writeError) Unwrap() error { return e.err }

// write appends rec to out as one JSON line with a single Write call.
func (r *runner) write(rec *results.ThroughputRecord) error {
	line, err := json.Marshal(rec)
	if err != nil {
		return &writeError{err}
	}
	line = append(line, '\n')
	r.mu.Lock()
	defer r.mu.Unlock()
	if _, err := r.out.Write(line); err != nil {
		return &writeError{err}
	}
	return nil
}

type noMarker struct{}

func (noMarker) SetPhase(string, int) {}

func randomNonce() string {
	b := make([]byte, 8)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}
