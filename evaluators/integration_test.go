//go:build integration

package evaluators

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ollama/ollama/api"
	"github.com/quantbench/quantbench/bench/ollamatest"
	"github.com/quantbench/quantbench/bench/testmodel"
	"github.com/quantbench/quantbench/datasets"
)

// TestIntegrationLabelScorerOnRealOutputs generates answers to the built-in
// sentiment items with the generated classifier on a real Ollama server,
// baseline and 4-bit variant, and scores them with the label scorer. The
// model answers with a label word, so every output must yield a label, and
// the scorer's verdict must agree with a plain reading of the first word.
func TestIntegrationLabelScorerOnRealOutputs(t *testing.T) {
	srv := ollamatest.Shared(t)
	names := ollamatest.SentimentModels(t, srv)

	root, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	ds, err := datasets.Load(filepath.Join(root, "..", "datasets", "builtin", "sentiment.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	scorer, err := For(&ds.Manifest)
	if err != nil {
		t.Fatal(err)
	}

	items := ds.Items
	if len(items) > 24 {
		items = items[:24]
	}
	for _, model := range []string{names[0], names[len(names)-1]} {
		correct := 0
		for i := range items {
			item := &items[i]
			output := generate(t, srv.Client(), model, testmodel.SentimentPrompt(item.Input["text"]))
			score, err := scorer.Score(context.Background(), &ds.Manifest, item, output)
			if err != nil {
				t.Fatal(err)
			}

			fields := strings.Fields(strings.ToLower(output))
			if len(fields) == 0 {
				t.Fatalf("%s on %s: empty output", model, item.ID)
			}
			if score.Outcome == NoAnswer || score.Answer != fields[0] {
				t.Errorf("%s on %s: output %q scored %s with answer %q, want answer %q", model, item.ID, output, score.Outcome, score.Answer, fields[0])
			}
			if wantCorrect := fields[0] == item.Expected.Label; (score.Outcome == Correct) != wantCorrect {
				t.Errorf("%s on %s: output %q scored %s, expected label %q", model, item.ID, output, score.Outcome, item.Expected.Label)
			}
			if score.Outcome == Correct {
				correct++
			}
		}
		t.Logf("%s: %d of %d built-in sentiment items correct", model, correct, len(items))
	}
}

func generate(t *testing.T, client *api.Client, model, prompt string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	stream := false
	var out strings.Builder
	err := client.Generate(ctx, &api.GenerateRequest{
		Model:   model,
		Prompt:  prompt,
		Stream:  &stream,
		Options: map[string]any{"temperature": 0, "seed": 1, "num_ctx": 512, "num_predict": 4},
	}, func(r api.GenerateResponse) error {
		out.WriteString(r.Response)
		return nil
	})
	if err != nil {
		t.Fatalf("%s: %v", model, err)
	}
	return out.String()
}
