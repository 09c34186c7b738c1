package bench

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/ollama/ollama/api"

	"github.com/quantbench/quantbench/datasets"
	"github.com/quantbench/quantbench/evaluators"
	"github.com/quantbench/quantbench/results"
)

// phase is one repeat of one model over every item.
type phase struct {
	Model  ModelCheck
	Repeat int
}

// job is one item of one dataset in a phase.
type job struct {
	Dataset *datasets.Dataset
	Item    *datasets.Item
	Index   int
}

// phases orders the work: every model's repeat 0 (baseline first), then
// further repeats. One model runs at a time, so two never share the GPU.
func (s *runState) phases() []phase {
	var out []phase
	repeats := s.suite.Repeats
	for r := 0; r < repeats; r++ {
		for _, m := range s.models {
			out = append(out, phase{Model: m, Repeat: r})
		}
	}
	if s.suite.NoiseFloor && repeats < 2 {
		out = append(out, phase{Model: s.models[0], Repeat: 1})
	}
	return out
}

// jobs lists every item in dataset order; every model sees the same order.
func (s *runState) jobs() []job {
	var out []job
	for _, ds := range s.datasets {
		for i := range ds.Items {
			out = append(out, job{Dataset: ds, Item: &ds.Items[i], Index: len(out)})
		}
	}
	return out
}

// infraBudget counts infrastructure errors against the run's threshold.
type infraBudget struct {
	limit int64
	count atomic.Int64
	last  atomic.Value
}

func (b *infraBudget) add(err error) bool {
	b.last.Store(err.Error())
	return b.count.Add(1) > b.limit
}

// executeQuality runs every phase, writing one record per item.
func (s *runState) executeQuality(ctx context.Context) error {
	phases := s.phases()
	jobs := s.jobs()
	planned := len(phases) * len(jobs)
	budget := &infraBudget{limit: int64(s.suite.InfraErrorThreshold * float64(planned))}

	for _, ph := range phases {
		if err := s.executePhase(ctx, ph, jobs, budget); err != nil {
			return err
		}
	}
	if n := budget.count.Load(); n > 0 {
		slog.Warn("some requests failed with infrastructure errors; they are left out of the scores",
			"count", n, "resume", "quantbench run --resume "+s.dir)
	}
	return nil
}

// executePhase sends every pending item to one model, then unloads it.
func (s *runState) executePhase(ctx context.Context, ph phase, jobs []job, budget *infraBudget) error {
	var pending []job
	for _, j := range jobs {
		if s.completed[s.key(j, ph)] {
			slog.Debug("skipping item already answered", "model", ph.Model.Info.Name, "repeat", ph.Repeat,
				"dataset", j.Dataset.Manifest.Name, "item", j.Item.ID)
			continue
		}
		pending = append(pending, j)
	}
	name := ph.Model.Info.Name
	if skipped := len(jobs) - len(pending); skipped > 0 {
		slog.Info("skipping items already answered", "model", name, "repeat", ph.Repeat, "skipped", skipped)
	}
	if len(pending) == 0 {
		return nil
	}

	slog.Info("model started", "model", name, "repeat", ph.Repeat, "items", len(pending))
	started := time.Now()
	progress := newProgress(s.opts.Progress, s.opts.IsTerminal, fmt.Sprintf("%s r%d", name, ph.Repeat), len(pending))

	phaseCtx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	work := make(chan job)
	var wg sync.WaitGroup
	var fatalOnce sync.Once
	for w := 0; w < s.suite.Concurrency; w++ {
		client := s.clients[w%len(s.clients)]
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range work {
				rec, err := s.queryItem(phaseCtx, client, ph, j)
				if err != nil {
					fatalOnce.Do(func() { cancel(err) })
					continue
				}
				if rec == nil {
					continue
				}
				if err := s.store.Append(rec); err != nil {
					fatalOnce.Do(func() { cancel(err) })
					continue
				}
				progress.Done(rec)
				if rec.Status == results.StatusInfraError && budget.add(errors.New(rec.Error)) {
					fatalOnce.Do(func() { cancel(s.tooManyInfraErrors(budget)) })
				}
			}
		}()
	}

feed:
	for _, j := range pending {
		select {
		case work <- j:
		case <-phaseCtx.Done():
			break feed
		}
	}
	close(work)
	wg.Wait()
	progress.Finish()
	s.unload(name)

	if cause := context.Cause(phaseCtx); cause != nil && !errors.Is(cause, context.Canceled) {
		return cause
	}
	if ctx.Err() != nil {
		return fmt.Errorf("%w: interrupted; resume with: quantbench run --resume %s", ErrStopped, s.dir)
	}
	slog.Info("model finished", "model", name, "repeat", ph.Repeat, "items", len(pending),
		"duration", time.Since(started).Round(time.Millisecond))
	return nil
}

func (s *runState) tooManyInfraErrors(b *infraBudget) error {
	last, _ := b.last.Load().(string)
	return fmt.Errorf("%w: %d requests failed with infrastructure errors, more than %.0f%% of the run (last error: %s); fix the server, then resume with: quantbench run --resume %s",
		ErrStopped, b.count.Load(), s.suite.InfraErrorThreshold*100, last, s.dir)
}

func (s *runState) key(j job, ph phase) string {
	r := results.Record{Dataset: j.Dataset.Manifest.Name, ItemID: j.Item.ID, Model: ph.Model.Info.Name, Repeat: ph.Repeat}
	return r.Key()
}

// queryItem queries one item and returns its record, or nil when the run was
// canceled while the request was in flight. An error stops the run: a model
// missing or a request the server rejects as invalid.
func (s *runState) queryItem(ctx context.Context, client *api.Client, ph phase, j job) (*results.Record, error) {
	system, prompt, err := datasets.Render(&j.Dataset.Manifest, j.Item)
	if err != nil {
		return nil, fmt.Errorf("dataset %s item %s: %w", j.Dataset.Manifest.Name, j.Item.ID, err)
	}
	req := s.request(ph.Model.Info.Name, &j.Dataset.Manifest, system, prompt)
	policy := retryPolicy{
		Timeout: time.Duration(s.suite.Timeout), Retries: s.suite.Retries,
		Backoff: time.Duration(s.suite.RetryBackoff), MaxBackoff: time.Minute,
	}
	slog.Debug("request", "model", req.Model, "item", j.Item.ID, "prompt", prompt)
	result := generateWithRetry(ctx, client, req, policy, j.Item.ID)

	rec := s.newRecord(ph, j, system, prompt)
	rec.Attempts = result.Attempts
	if result.Err != nil {
		switch result.Kind {
		case kindCanceled:
			return nil, nil
		case kindModelMissing:
			return nil, fmt.Errorf("model %s disappeared from the server during the run: %v; pull it again and resume with: quantbench run --resume %s", req.Model, result.Err, s.dir)
		case kindRequest:
			return nil, fmt.Errorf("the server rejected the request for item %s of dataset %s with model %s: %v", j.Item.ID, j.Dataset.Manifest.Name, req.Model, result.Err)
		case kindTruncated:
			rec.Status = results.StatusTruncated
			rec.Error = result.Err.Error()
		default:
			rec.Status = results.StatusInfraError
			rec.Error = result.Err.Error()
			slog.Warn("item failed after retries", "model", req.Model, "item", j.Item.ID, "attempts", result.Attempts, "error", result.Err)
		}
		return rec, nil
	}

	fillGeneration(rec, result.Gen)
	rec.Status = classifyGeneration(rec, s.suite.Options.NumCtx)
	slog.Debug("response", "model", req.Model, "item", j.Item.ID, "output", rec.Output)

	if rec.Status == results.StatusOK {
		score, err := s.scorers[j.Dataset.Manifest.Name].Score(ctx, &j.Dataset.Manifest, j.Item, rec.Output)
		if err != nil {
			if ctx.Err() != nil {
				return nil, nil
			}
			return nil, fmt.Errorf("score item %s of dataset %s: %w", j.Item.ID, j.Dataset.Manifest.Name, err)
		}
		// A sandbox that could not run the program tells nothing about the
		// model's code, so it counts as an infrastructure failure.
		if score.Outcome == evaluators.SandboxError {
			rec.Status = results.StatusInfraError
			rec.Error = fmt.Sprintf("code sandbox failed: %v", score.Detail["error"])
			slog.Warn("code sandbox failed", "model", req.Model, "item", j.Item.ID, "error", score.Detail["error"])
			return rec, nil
		}
		rec.Score = &score
	}
	return rec, nil
}

// request builds the generate request: options pinned, num_predict from the
// dataset (or the suite's override), the dataset's schema as format.
func (s *runState) request(model string, m *datasets.Manifest, system, prompt string) *api.GenerateRequest {
	options := s.baseOptions()
	numPredict := m.NumPredict
	if s.suite.Options.NumPredict > 0 {
		numPredict = s.suite.Options.NumPredict
	}
	options["num_predict"] = numPredict

	stream := true
	req := &api.GenerateRequest{
		Model:     model,
		Prompt:    prompt,
		System:    system,
		Stream:    &stream,
		Options:   options,
		KeepAlive: &api.Duration{Duration: time.Duration(s.suite.KeepAlive)},
	}
	if len(m.Schema) > 0 {
		req.Format = m.Schema
	}
	if s.suite.Logprobs {
		req.Logprobs = true
		req.TopLogprobs = s.suite.TopLogprobs
	}
	if s.suite.Think != nil {
		req.Think = thinkValue(*s.suite.Think)
	}
	return req
}

func thinkValue(v string) *api.ThinkValue {
	switch v {
	case "true":
		return &api.ThinkValue{Value: true}
	case "false":
		return &api.ThinkValue{Value: false}
	}
	return &api.ThinkValue{Value: v}
}

func (s *runState) newRecord(ph phase, j job, system, prompt string) *results.Record {
	sum := sha256.Sum256([]byte(system + "\x00" + prompt))
	return &results.Record{
		RunID:        s.runID,
		Dataset:      j.Dataset.Manifest.Name,
		Category:     string(j.Dataset.Manifest.Category),
		ItemID:       j.Item.ID,
		Model:        ph.Model.Info.Name,
		Role:         ph.Model.Info.Role,
		Digest:       ph.Model.Info.Digest,
		Quantization: ph.Model.Info.Quantization,
		Repeat:       ph.Repeat,
		PromptHash:   hex.EncodeToString(sum[:]),
		Start:        time.Now().UTC(),
	}
}

// fillGeneration copies a response into a record. Timing fields that the
// server left out (or sent as zero) stay absent.
func fillGeneration(rec *results.Record, gen *Generation) {
	rec.Start = gen.Start.UTC()
	rec.RawOutput = gen.Content
	answer, inlineThinking := stripThinking(gen.Content)
	rec.Output = answer
	rec.Thinking = gen.Thinking
	if inlineThinking != "" {
		if rec.Thinking != "" {
			rec.Thinking += "\n"
		}
		rec.Thinking += inlineThinking
	}
	rec.DoneReason = gen.DoneReason
	rec.Timings = results.TimingsFromMetrics(gen.Metrics)
	rec.WallMS = float64(gen.Wall.Microseconds()) / 1000
	if gen.TTFT > 0 {
		ttft := float64(gen.TTFT.Microseconds()) / 1000
		rec.TTFTMS = &ttft
	}
	rec.Logprobs = gen.Logprobs
}

// classifyGeneration decides the status of a completed request. A prompt
// whose token count reached num_ctx was cut by the server (Ollama keeps the
// start and end of an over-long prompt and drops the middle), so the item is
// truncated, not wrong. Empty content that stopped on the length limit means
// the token budget ran out before an answer (often while thinking).
func classifyGeneration(rec *results.Record, numCtx int) results.Status {
	// "load" and "unload" are the replies to a request with no prompt, so no
	// answer was generated.
	if rec.DoneReason == "load" || rec.DoneReason == "unload" {
		rec.Error = fmt.Sprintf("the server returned done_reason %q instead of generating a response", rec.DoneReason)
		return results.StatusInfraError
	}
	if rec.PromptEvalCount != nil && *rec.PromptEvalCount >= numCtx {
		return results.StatusTruncated
	}
	if rec.Output == "" && rec.DoneReason == "length" {
		return results.StatusBudgetExhausted
	}
	return results.StatusOK
}

// unload sends every host a keep_alive 0 request, which releases the model now.
func (s *runState) unload(model string) {
	for i, client := range s.clients {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		err := client.Generate(ctx, &api.GenerateRequest{Model: model, KeepAlive: &api.Duration{Duration: 0}},
			func(api.GenerateResponse) error { return nil })
		cancel()
		if err != nil {
			slog.Warn("could not unload model", "model", model, "host", s.hosts[i], "error", err)
		}
	}
}
