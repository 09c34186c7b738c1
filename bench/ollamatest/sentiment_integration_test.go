//go:build integration

package ollamatest

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ollama/ollama/api"
	"github.com/quantbench/quantbench/bench/testmodel"
)

// labelled is one evaluation example.
type labelled struct {
	id, text, label string
}

// repoRoot returns the repository root, the nearest parent holding go.mod.
func repoRoot(t *testing.T) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal("go.mod not found above the test's directory")
		}
		dir = parent
	}
}

func readBuiltinSentiment(t *testing.T) []labelled {
	t.Helper()
	path := filepath.Join(repoRoot(t), "datasets", "builtin", "sentiment.jsonl")
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var items []labelled
	for i, line := range strings.Split(strings.TrimSpace(string(data)), "\n") {
		var it struct {
			ID       string                 `json:"id"`
			Input    map[string]string      `json:"input"`
			Expected struct{ Label string } `json:"expected"`
		}
		if err := json.Unmarshal([]byte(line), &it); err != nil {
			t.Fatalf("%s:%d: %v", path, i+1, err)
		}
		items = append(items, labelled{it.ID, it.Input["text"], it.Expected.Label})
	}
	return items
}

// readSST2 returns the first n items of the SST-2 test split, whose lines
// are "LABEL TEXT" with label 0 negative and 1 positive.
func readSST2(t *testing.T, n int) []labelled {
	t.Helper()
	path := filepath.Join(repoRoot(t), "..", "shared", "datasets", "sst2", "stsa.binary.test")
	f, err := os.Open(path)
	if err != nil {
		t.Skipf("SST-2 test split not available: %v", err)
	}
	defer f.Close()
	var items []labelled
	s := bufio.NewScanner(f)
	for s.Scan() && len(items) < n {
		label, text, ok := strings.Cut(s.Text(), " ")
		if !ok || (label != "0" && label != "1") {
			t.Fatalf("%s:%d: want \"0 TEXT\" or \"1 TEXT\", got %q", path, len(items)+1, s.Text())
		}
		want := testmodel.LabelNegative
		if label == "1" {
			want = testmodel.LabelPositive
		}
		items = append(items, labelled{fmt.Sprintf("sst2-%d", len(items)+1), text, want})
	}
	return items
}

// accuracy classifies every item with model at temperature 0 and returns the
// fraction whose first answer word is the expected label, and the answers.
func accuracy(t *testing.T, client *api.Client, model string, items []labelled) (float64, []string) {
	t.Helper()
	correct := 0
	answers := make([]string, len(items))
	for i, it := range items {
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		stream := false
		var resp api.GenerateResponse
		err := client.Generate(ctx, &api.GenerateRequest{
			Model:   model,
			Prompt:  testmodel.SentimentPrompt(it.text),
			Stream:  &stream,
			Options: map[string]any{"temperature": 0, "seed": 1, "num_ctx": 512, "num_predict": 4},
		}, func(r api.GenerateResponse) error {
			resp = r
			return nil
		})
		cancel()
		if err != nil {
			t.Fatalf("%s on %s: %v", model, it.id, err)
		}
		fields := strings.Fields(resp.Response)
		if len(fields) > 0 {
			answers[i] = strings.ToLower(fields[0])
		}
		if answers[i] == it.label {
			correct++
		}
	}
	return float64(correct) / float64(len(items)), answers
}

func TestIntegrationSentimentAccuracy(t *testing.T) {
	srv := Shared(t)
	models := Models(t, srv, "qb-sentiment")
	for i, want := range []string{"F16", "Q8_0", "Q4_K_M"} {
		if models[i].QuantizationLevel != want {
			t.Errorf("%s level %q, want %q", models[i].Name, models[i].QuantizationLevel, want)
		}
	}

	items := readBuiltinSentiment(t)
	var baseline []string
	for i, m := range models {
		start := time.Now()
		acc, answers := accuracy(t, srv.Client(), m.Name, items)
		flips := 0
		if i == 0 {
			baseline = answers
		} else {
			for j := range answers {
				if answers[j] != baseline[j] {
					flips++
				}
			}
		}
		t.Logf("%s: built-in sentiment accuracy %.1f%% (%d items, %d answers differ from f16) in %v",
			m.Name, 100*acc, len(items), flips, time.Since(start).Round(time.Millisecond))
		if i == 0 && acc < 0.75 {
			t.Errorf("%s accuracy %.3f on the built-in items, want at least 0.75", m.Name, acc)
		}
		if i == 0 {
			checkAgreesWithGo(t, m.Name, items, answers)
		}
		for j, a := range answers {
			if a != testmodel.LabelPositive && a != testmodel.LabelNegative {
				t.Errorf("%s answered %q to %s, want a label", m.Name, a, items[j].id)
				break
			}
		}
	}
}

// checkAgreesWithGo compares the server's F16 answers with the decision
// rule computed in Go. Only items whose score lies within F16 rounding of the
// threshold may differ, so more than two disagreements mean the weights do
// not compute what the construction intends.
func checkAgreesWithGo(t *testing.T, model string, items []labelled, answers []string) {
	t.Helper()
	c, err := testmodel.TrainSentiment(testmodel.SentimentOptions{})
	if err != nil {
		t.Fatal(err)
	}
	var differ []string
	for i, it := range items {
		if want := c.Predict(it.text); answers[i] != want {
			differ = append(differ, fmt.Sprintf("%s (server %q, Go %q)", it.id, answers[i], want))
		}
	}
	if len(differ) > 2 {
		t.Errorf("%s: %d answers differ from the Go decision rule: %s", model, len(differ), strings.Join(differ, ", "))
	}
}

func TestIntegrationSentimentSST2(t *testing.T) {
	srv := Shared(t)
	names := SentimentModels(t, srv)
	items := readSST2(t, 200)
	var baseline []string
	for i, name := range names {
		start := time.Now()
		acc, answers := accuracy(t, srv.Client(), name, items)
		if i == 0 {
			baseline = answers
		}
		flips := 0
		for j := range answers {
			if answers[j] != baseline[j] {
				flips++
			}
		}
		t.Logf("%s: SST-2 accuracy %.1f%% on the first %d test items (%d answers differ from f16) in %v",
			name, 100*acc, len(items), flips, time.Since(start).Round(time.Millisecond))
	}
}
