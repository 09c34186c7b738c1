//go:build integration

package ollamatest

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/ollama/ollama/api"
)

func TestIntegrationTinyModels(t *testing.T) {
	srv := Shared(t)
	models := Models(t, srv, "qb-tiny")

	wantNames := []string{"qb-tiny:f16", "qb-tiny:q8_0", "qb-tiny:q4_K_M"}
	wantLevels := []string{"F16", "Q8_0", "Q4_K_M"}
	if len(models) != len(wantNames) {
		t.Fatalf("created %d models, want %d", len(models), len(wantNames))
	}
	digests := map[string]string{}
	for i, m := range models {
		if m.Name != wantNames[i] {
			t.Errorf("model %d is %s, want %s", i, m.Name, wantNames[i])
		}
		if m.QuantizationLevel != wantLevels[i] {
			t.Errorf("%s quantization level = %q, want %q", m.Name, m.QuantizationLevel, wantLevels[i])
		}
		if len(m.Digest) != 64 && !strings.HasPrefix(m.Digest, "sha256:") {
			t.Errorf("%s digest = %q, want a sha256 digest", m.Name, m.Digest)
		}
		if other, dup := digests[m.Digest]; dup {
			t.Errorf("%s and %s share digest %s", m.Name, other, m.Digest)
		}
		digests[m.Digest] = m.Name
	}
	if models[2].Size >= models[1].Size || models[1].Size >= models[0].Size {
		t.Errorf("sizes f16 %d, q8_0 %d, q4_K_M %d: want each variant smaller than the previous",
			models[0].Size, models[1].Size, models[2].Size)
	}

	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	for _, m := range models {
		show, err := srv.Client().Show(ctx, &api.ShowRequest{Model: m.Name})
		if err != nil {
			t.Fatal(err)
		}
		if show.Details.QuantizationLevel != m.QuantizationLevel {
			t.Errorf("%s: /api/show level %q differs from the one recorded at creation, %q", m.Name, show.Details.QuantizationLevel, m.QuantizationLevel)
		}
		if show.Details.Family != "llama" {
			t.Errorf("%s family = %q, want llama", m.Name, show.Details.Family)
		}
	}
}

func TestIntegrationTinyGenerateLogprobs(t *testing.T) {
	srv := Shared(t)
	names := TinyModels(t, srv)

	for _, name := range names {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
		var final api.GenerateResponse
		var logprobs []api.Logprob
		stream := false
		err := srv.Client().Generate(ctx, &api.GenerateRequest{
			Model:       name,
			Prompt:      "Review: the answer is yes\nSentiment:",
			Stream:      &stream,
			Logprobs:    true,
			TopLogprobs: 3,
			Options:     map[string]any{"num_predict": 6, "temperature": 0, "seed": 7, "num_ctx": 512},
		}, func(r api.GenerateResponse) error {
			logprobs = append(logprobs, r.Logprobs...)
			if r.Done {
				final = r
			}
			return nil
		})
		cancel()
		if err != nil {
			t.Fatalf("%s: generate: %v", name, err)
		}

		if final.EvalCount <= 0 {
			t.Errorf("%s: eval_count = %d, want > 0", name, final.EvalCount)
		}
		if final.EvalDuration <= 0 {
			t.Errorf("%s: eval_duration = %v, want > 0", name, final.EvalDuration)
		}
		if final.PromptEvalCount <= 0 {
			t.Errorf("%s: prompt_eval_count = %d, want > 0", name, final.PromptEvalCount)
		}
		// Ollama v0.17.4 returns no logprob for a generated special token such
		// as <unk>, which a random-weight model does emit, so there may be
		// fewer logprobs than generated tokens.
		if len(logprobs) == 0 || len(logprobs) > final.EvalCount {
			t.Errorf("%s: %d logprobs for %d generated tokens, want 1 to %d", name, len(logprobs), final.EvalCount, final.EvalCount)
		}
		for i, lp := range logprobs {
			if lp.Logprob > 0 {
				t.Errorf("%s: token %d logprob %v > 0", name, i, lp.Logprob)
			}
			if len(lp.TopLogprobs) != 3 {
				t.Errorf("%s: token %d has %d top logprobs, want 3", name, i, len(lp.TopLogprobs))
			}
		}
		t.Logf("%s: %d tokens in %v, %q", name, final.EvalCount, final.EvalDuration, final.Response)
	}
}

func TestIntegrationRestartKeepsModels(t *testing.T) {
	srv := Shared(t)
	names := TinyModels(t, srv)
	host := srv.Host

	srv.Restart(t)
	if srv.Host != host {
		t.Errorf("host changed from %s to %s on restart", host, srv.Host)
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	for _, name := range names {
		if _, err := srv.Client().Show(ctx, &api.ShowRequest{Model: name}); err != nil {
			t.Errorf("%s after restart: %v", name, err)
		}
	}
}

func TestIntegrationStopEndsServer(t *testing.T) {
	srv := Start(t)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if _, err := srv.Client().Version(ctx); err != nil {
		t.Fatalf("version before stop: %v", err)
	}
	srv.Stop()
	if _, err := srv.Client().Version(ctx); err == nil {
		t.Errorf("server %s still answers after Stop", srv.Host)
	}
	srv.Stop() // a second Stop does nothing
}
