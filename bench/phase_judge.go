package bench

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"time"

	"github.com/ollama/ollama/api"

	"github.com/quantbench/quantbench/datasets"
	"github.com/quantbench/quantbench/evaluators"
	"github.com/quantbench/quantbench/results"
)

// judgeNumPredict bounds a judge reply: a choice on the first line and one
// sentence of reason.
const judgeNumPredict = 96

// executeJudge asks the suite's judge model to compare the baseline's and
// each variant's outputs on every creative item both answered (status ok,
// repeat 0), in both orders, and appends one line per item and variant to
// judgements.jsonl. Judgements already written are skipped on resume.
func (s *runState) executeJudge(ctx context.Context) error {
	outputs, err := s.okOutputs()
	if err != nil {
		return err
	}
	path := filepath.Join(s.dir, results.JudgementsFile)
	done := map[string]bool{}
	err = results.ReadJSONLines(path, func(j *results.JudgementRecord) error {
		if j.Error == "" {
			done[j.Key()] = true
		}
		return nil
	})
	if err != nil && !errors.Is(err, os.ErrNotExist) {
		return err
	}
	out, err := os.OpenFile(path, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		return fmt.Errorf("open %s: %w", path, err)
	}
	defer out.Close()

	judge := evaluators.Judge{Call: s.judgeCall}
	baseline := s.suite.Baseline
	slog.Info("judge phase started", "judge", s.suite.Judge)
	for _, ds := range s.datasets {
		if ds.Manifest.Category != datasets.Creative {
			continue
		}
		for i := range ds.Items {
			item := &ds.Items[i]
			for _, variant := range s.suite.Variants {
				rec := results.JudgementRecord{Dataset: ds.Manifest.Name, Category: string(ds.Manifest.Category),
					ItemID: item.ID, Baseline: baseline, Variant: variant, Judge: s.suite.Judge}
				base, okBase := outputs[outputKey(ds.Manifest.Name, item.ID, baseline)]
				vari, okVariant := outputs[outputKey(ds.Manifest.Name, item.ID, variant)]
				if done[rec.Key()] || !okBase || !okVariant {
					continue
				}
				if err := s.judgeOne(ctx, judge, &ds.Manifest, item, base, vari, &rec); err != nil {
					return err
				}
				line, _ := json.Marshal(rec)
				if _, err := out.Write(append(line, '\n')); err != nil {
					return fmt.Errorf("write %s: %w", path, err)
				}
			}
		}
	}
	slog.Info("judge phase finished", "judge", s.suite.Judge)
	return out.Sync()
}

// judgeOne fills rec with the judge's verdict, or with the error when the
// judge could not be asked or gave no readable reply. Only a canceled run
// returns an error.
func (s *runState) judgeOne(ctx context.Context, judge evaluators.Judge, m *datasets.Manifest, item *datasets.Item, base, variant string, rec *results.JudgementRecord) error {
	system, prompt, err := datasets.Render(m, item)
	if err != nil {
		return err
	}
	task := prompt
	if system != "" {
		task = system + "\n\n" + prompt
	}
	judgement, err := judge.Compare(ctx, task, base, variant)
	if ctx.Err() != nil {
		return fmt.Errorf("%w: interrupted; resume with: quantbench run --resume %s", ErrStopped, s.dir)
	}
	if err != nil {
		slog.Warn("judgement failed", "judge", s.suite.Judge, "item", item.ID, "variant", rec.Variant, "error", err)
		rec.Error = err.Error()
		return nil
	}
	rec.Verdict = string(judgement.Verdict)
	rec.BaselineFirst = string(judgement.BaselineFirst)
	rec.VariantFirst = string(judgement.VariantFirst)
	return nil
}

// judgeCall sends one judge prompt with the run's pinned options and retries.
func (s *runState) judgeCall(ctx context.Context, prompt string) (string, error) {
	options := s.baseOptions()
	options["num_predict"] = judgeNumPredict
	stream := true
	req := &api.GenerateRequest{Model: s.suite.Judge, Prompt: prompt, Stream: &stream, Options: options,
		KeepAlive: &api.Duration{Duration: time.Duration(s.suite.KeepAlive)}}
	policy := retryPolicy{Timeout: time.Duration(s.suite.Timeout), Retries: s.suite.Retries,
		Backoff: time.Duration(s.suite.RetryBackoff), MaxBackoff: time.Minute}
	result := generateWithRetry(ctx, s.clients[0], req, policy, "judge")
	if result.Err != nil {
		return "", result.Err
	}
	answer, _ := stripThinking(result.Gen.Content)
	return answer, nil
}

func outputKey(dataset, item, model string) string {
	return dataset + "\x00" + item + "\x00" + model
}

// okOutputs maps dataset, item and model to the scored output of repeat 0.
func (s *runState) okOutputs() (map[string]string, error) {
	outputs := map[string]string{}
	err := results.ReadRecords(filepath.Join(s.dir, results.RecordsFile), func(r *results.Record) error {
		if r.Repeat == 0 && r.Status == results.StatusOK && r.Category == string(datasets.Creative) {
			outputs[outputKey(r.Dataset, r.ItemID, r.Model)] = r.Output
		}
		return nil
	})
	return outputs, err
}
