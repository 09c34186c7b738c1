package bench

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/quantbench/quantbench/bench/ollamafake"
	"github.com/quantbench/quantbench/results"
)

// writeCreativeDataset writes a creative dataset whose prompts the fake
// answers by its sentiment rule.
func writeCreativeDataset(t *testing.T, dir string, n int) string {
	t.Helper()
	manifest := "name: fake-creative\ncategory: creative\ntemplate: \"Write about {{.topic}}\"\nnum_predict: 8\n"
	var items strings.Builder
	for i := 0; i < n; i++ {
		topic := fmt.Sprintf("day %d that was good", i)
		if i%2 == 1 {
			topic = fmt.Sprintf("day %d that was bad and bad", i)
		}
		fmt.Fprintf(&items, `{"id":"c%02d","input":{"topic":%q},"expected":{"constraints":{"max_words":3}}}`+"\n", i, topic)
	}
	os.WriteFile(filepath.Join(dir, "fake-creative.yaml"), []byte(manifest), 0o644)
	path := filepath.Join(dir, "fake-creative.jsonl")
	os.WriteFile(path, []byte(items.String()), 0o644)
	return path
}

// judgeReplies answers judge prompts: it prefers the response that says
// "positive", so it is consistent across orders.
func judgeReplies(w http.ResponseWriter, n int64, prompt string) bool {
	if !strings.Contains(prompt, "You are judging two responses") {
		return false
	}
	a := prompt[strings.Index(prompt, "Response A:"):strings.Index(prompt, "Response B:")]
	choice := "B"
	if strings.Contains(a, "positive") {
		choice = "A"
	}
	ollamafake.WriteStream(w, ollamafake.Chunk{"response": choice + "\nIt is better.", "done": true, "done_reason": "stop", "eval_count": 4, "eval_duration": 1000})
	return true
}

func TestRunJudgeComparesCreativeOutputs(t *testing.T) {
	models := append([]ollamafake.Model{}, ollamafake.Models...)
	models = append(models, ollamafake.Model{Name: "judge:big", Digest: "sha256:dddd", Quantization: "F16"})
	fake := ollamafake.New(t, models...)
	fake.BeforeGenerate = judgeReplies
	dataset := writeCreativeDataset(t, t.TempDir(), 12)
	suite := testSuite(t, fake.URL, dataset)
	suite.Judge = "judge:big"

	dir, err := Run(context.Background(), suite, RunOptions{})
	if err != nil {
		t.Fatal(err)
	}

	var judged []*results.JudgementRecord
	if err := results.ReadJSONLines(filepath.Join(dir, results.JudgementsFile), func(j *results.JudgementRecord) error {
		judged = append(judged, j)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if len(judged) != 24 {
		t.Fatalf("judgements = %d, want 12 items x 2 variants", len(judged))
	}

	outputs := map[string]string{}
	results.ReadRecords(filepath.Join(dir, results.RecordsFile), func(r *results.Record) error {
		outputs[r.ItemID+"/"+r.Model] = r.Output
		return nil
	})
	for _, j := range judged {
		base, variant := outputs[j.ItemID+"/"+j.Baseline], outputs[j.ItemID+"/"+j.Variant]
		want := "tie"
		switch {
		case base == "positive" && variant == "negative":
			want = "loss"
		case base == "negative" && variant == "positive":
			want = "win"
		}
		if j.Verdict != want {
			t.Errorf("%s %s: baseline %q variant %q: verdict %q, want %q", j.ItemID, j.Variant, base, variant, j.Verdict, want)
		}
	}

	summary, err := results.Summarize(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(summary.Judgements) != 2 {
		t.Fatalf("judge summaries = %+v, want one per variant", summary.Judgements)
	}
	for _, g := range summary.Judgements {
		if g.Wins+g.Ties+g.Losses != 12 || g.Errors != 0 || g.WinRate == nil {
			t.Errorf("%s: %+v, want 12 judged without errors", g.Variant, g)
		}
	}
}

func TestRunJudgePositionBiasIsTie(t *testing.T) {
	models := append([]ollamafake.Model{}, ollamafake.Models...)
	models = append(models, ollamafake.Model{Name: "judge:big", Digest: "sha256:dddd", Quantization: "F16"})
	fake := ollamafake.New(t, models...)
	fake.BeforeGenerate = func(w http.ResponseWriter, n int64, prompt string) bool {
		if !strings.Contains(prompt, "You are judging two responses") {
			return false
		}
		ollamafake.WriteStream(w, ollamafake.Chunk{"response": "A", "done": true, "done_reason": "stop"})
		return true
	}
	dataset := writeCreativeDataset(t, t.TempDir(), 4)
	suite := testSuite(t, fake.URL, dataset)
	suite.Judge = "judge:big"

	dir, err := Run(context.Background(), suite, RunOptions{})
	if err != nil {
		t.Fatal(err)
	}
	summary, err := results.Summarize(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, g := range summary.Judgements {
		if g.Ties != 4 || g.Wins != 0 || g.Losses != 0 || *g.WinRate != 0.5 {
			t.Errorf("%s: %+v, want 4 ties from a judge that always picks A", g.Variant, g)
		}
	}
}

func TestRunJudgeMissingIsPreflightError(t *testing.T) {
	fake := ollamafake.New(t, ollamafake.Models...)
	dataset := writeCreativeDataset(t, t.TempDir(), 2)
	suite := testSuite(t, fake.URL, dataset)
	suite.Judge = "judge:absent"

	_, err := Run(context.Background(), suite, RunOptions{})
	if err == nil || !strings.Contains(err.Error(), "judge") || !strings.Contains(err.Error(), "ollama pull judge:absent") {
		t.Errorf("error = %v, want a judge pre-flight error with the pull hint", err)
	}
}
