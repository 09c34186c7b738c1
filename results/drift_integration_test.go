//go:build integration

package results

import (
	"context"
	"encoding/json"
	"fmt"

	"strings"
	"testing"
	"time"

	"github.com/ollama/ollama/api"

	"github.com/quantbench/quantbench/bench/ollamatest"
	"github.com/quantbench/quantbench/evaluators"
)

// driftPrompts are 30 short prompts of varied shape. The tiny model has random
// weights, so the prompts matter only as distinct contexts.
var driftPrompts = func() []string {
	subjects := []string{"The weather", "My order", "This film", "The report", "Our team", "A small dog"}
	endings := []string{" today is", " was late because", " made me feel", "\nAnswer:", " in one word:"}
	var prompts []string
	for _, s := range subjects {
		for _, e := range endings {
			prompts = append(prompts, s+e)
		}
	}
	return prompts
}()

// generateLogprobs streams one generation and returns its content and
// logprobs converted with LogprobsFromAPI, and the server's eval_count.
func generateLogprobs(t *testing.T, client *api.Client, model, prompt string) (string, []Logprob, int) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()

	var content strings.Builder
	var lps []api.Logprob
	evalCount := 0
	err := client.Generate(ctx, &api.GenerateRequest{
		Model:       model,
		Prompt:      prompt,
		Raw:         true,
		Logprobs:    true,
		TopLogprobs: 20,
		Options:     map[string]any{"temperature": 0, "seed": 42, "num_ctx": 512, "num_predict": 8},
	}, func(r api.GenerateResponse) error {
		content.WriteString(r.Response)
		lps = append(lps, r.Logprobs...)
		if r.Done {
			evalCount = r.EvalCount
		}
		return nil
	})
	if err != nil {
		t.Fatalf("generate with %s on prompt %q: %v", model, prompt, err)
	}
	return content.String(), LogprobsFromAPI(content.String(), lps), evalCount
}

// TestIntegrationTokenDrift measures first-token KL divergence and top-token
// agreement of q8_0 and q4_K_M from f16 on the tiny random-weight model, from
// the streamed logprobs through records to compareVariants. Eight-bit weights
// round more finely than 4-bit ones, so q8_0 must drift less.
func TestIntegrationTokenDrift(t *testing.T) {
	srv := ollamatest.Shared(t)
	models := ollamatest.TinyModels(t, srv)
	if len(models) != 3 {
		t.Fatalf("got models %v, want f16, q8_0 and q4_K_M", models)
	}
	client := srv.Client()

	manifest := &RunManifest{Models: []ModelInfo{{Name: models[0], Role: RoleBaseline}}}
	for _, variant := range models[1:] {
		manifest.Models = append(manifest.Models, ModelInfo{Name: variant, Role: RoleVariant})
	}

	var records []*Record
	for _, model := range manifest.Models {
		placed, unplaced, generated := 0, 0, 0
		for i, prompt := range driftPrompts {
			content, entries, evalCount := generateLogprobs(t, client, model.Name, prompt)
			generated += evalCount
			if len(entries) == 0 {
				t.Errorf("%s on %q: no logprob entries", model.Name, prompt)
			}
			for _, e := range entries {
				if e.Offset < 0 {
					unplaced++
					continue
				}
				placed++
				checkEntryInContent(t, model.Name, content, e)
			}

			r := &Record{
				Dataset: "drift", Category: "creative", ItemID: fmt.Sprint(i),
				Model: model.Name, Role: model.Role, Status: StatusOK,
				RawOutput: content, Output: content, Logprobs: entries,
				Score: &evaluators.Score{Value: 1, Binary: true, Outcome: evaluators.Correct},
			}
			records = append(records, roundTrip(t, r))
		}
		t.Logf("%s: %d tokens generated, %d entries placed, %d not in the content, over %d prompts", model.Name, generated, placed, unplaced, len(driftPrompts))
	}

	comparisons, _, _ := compareVariants(manifest, records)
	drifts := map[string]*Drift{}
	for _, c := range comparisons {
		d := c.Drift
		if d == nil || d.FirstTokenKL == nil || d.TopAgreement == nil {
			t.Fatalf("%s: no drift measured: %+v", c.Variant, d)
		}
		if d.Items != len(driftPrompts) {
			t.Errorf("%s: drift over %d items, want %d", c.Variant, d.Items, len(driftPrompts))
		}
		if d.KLItems < len(driftPrompts)*3/4 {
			t.Errorf("%s: first-token KL on %d of %d prompts, want at least three quarters", c.Variant, d.KLItems, len(driftPrompts))
		}
		t.Logf("%s from %s: first-token KL mean %.4f median %.4f p99 %.4f (%d items); top-token agreement mean %.3f median %.3f p99 %.3f (%d positions compared, %d without entry)",
			c.Variant, c.Baseline, d.FirstTokenKL.Mean, d.FirstTokenKL.Median, d.FirstTokenKL.P99, d.KLItems,
			d.TopAgreement.Mean, d.TopAgreement.Median, d.TopAgreement.P99, d.PositionsCompared, d.PositionsWithoutEntry)
		drifts[c.Variant] = d
	}
	if len(drifts) != 2 {
		t.Fatalf("got drift for %d variants, want 2", len(drifts))
	}

	q8, q4 := drifts[models[1]], drifts[models[2]]
	if q8.FirstTokenKL.Mean >= q4.FirstTokenKL.Mean {
		t.Errorf("mean first-token KL of q8_0 = %.4f, want below q4_K_M's %.4f", q8.FirstTokenKL.Mean, q4.FirstTokenKL.Mean)
	}
	if q8.TopAgreement.Mean < q4.TopAgreement.Mean {
		t.Errorf("top-token agreement of q8_0 = %.3f, want at least q4_K_M's %.3f", q8.TopAgreement.Mean, q4.TopAgreement.Mean)
	}
}

// roundTrip returns r as read back from its records.jsonl line.
func roundTrip(t *testing.T, r *Record) *Record {
	t.Helper()
	line, err := json.Marshal(r)
	if err != nil {
		t.Fatalf("marshal record: %v", err)
	}
	var back Record
	if err := json.Unmarshal(line, &back); err != nil {
		t.Fatalf("unmarshal record: %v", err)
	}
	return &back
}

// checkEntryInContent checks that a placed entry's token is the content at
// its offset, or for a token cut inside a UTF-8 character, that the content
// there is a multi-byte character.
func checkEntryInContent(t *testing.T, model, content string, e Logprob) {
	t.Helper()
	if e.Offset > len(content) {
		t.Errorf("%s: token %q at offset %d is past the content's %d bytes", model, e.Token, e.Offset, len(content))
		return
	}
	if strings.ContainsRune(e.Token, '\uFFFD') {
		if !isFragmentAt(e.Token, content[e.Offset:]) {
			t.Errorf("%s: cut token %q at offset %d, but the content there is %q", model, e.Token, e.Offset, content[e.Offset:])
		}
		return
	}
	if got := content[e.Offset:min(len(content), e.Offset+len(e.Token))]; got != e.Token {
		t.Errorf("%s: token %q at offset %d, but the content there is %q", model, e.Token, e.Offset, got)
	}
}
