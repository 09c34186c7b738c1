package bench

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/quantbench/quantbench/bench/ollamafake"
	"github.com/quantbench/quantbench/results"
)

func readAllRecords(t *testing.T, dir string) []*results.Record {
	t.Helper()
	var recs []*results.Record
	if err := results.ReadRecords(filepath.Join(dir, results.RecordsFile), func(r *results.Record) error {
		recs = append(recs, r)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	return recs
}

func TestRunWritesOneRecordPerItemAndModel(t *testing.T) {
	fake := ollamafake.New(t, ollamafake.Models...)
	dataset := ollamafake.WriteSentimentDataset(t, t.TempDir(), 20)
	suite := testSuite(t, fake.URL, dataset)

	dir, err := Run(context.Background(), suite, RunOptions{Version: "test"})
	if err != nil {
		t.Fatal(err)
	}

	recs := readAllRecords(t, dir)
	if len(recs) != 60 {
		t.Fatalf("records = %d, want 20 items x 3 models = 60", len(recs))
	}
	seen := map[string]bool{}
	for _, r := range recs {
		if seen[r.Key()] {
			t.Errorf("duplicate record %s/%s", r.ItemID, r.Model)
		}
		seen[r.Key()] = true
		if r.Status != results.StatusOK {
			t.Errorf("%s/%s status = %s, want ok", r.ItemID, r.Model, r.Status)
		}
		if r.Score == nil {
			t.Errorf("%s/%s has no score", r.ItemID, r.Model)
		}
		if r.EvalCount == nil || *r.EvalCount != 2 || r.EvalDuration == nil || *r.EvalDuration != 1000000 {
			t.Errorf("%s/%s timings not copied: %+v", r.ItemID, r.Model, r.Timings)
		}
		if r.DoneReason != "stop" || r.PromptHash == "" || r.Digest == "" {
			t.Errorf("%s/%s missing done_reason, prompt hash or digest: %+v", r.ItemID, r.Model, r)
		}
		if len(r.Logprobs) != 1 || len(r.Logprobs[0].Top) != 2 {
			t.Errorf("%s/%s logprobs = %+v, want one entry with two candidates", r.ItemID, r.Model, r.Logprobs)
		}
	}

	manifest, err := results.ReadManifest(dir)
	if err != nil {
		t.Fatal(err)
	}
	if manifest.OllamaVersion != "0.17.4" {
		t.Errorf("ollama version = %q", manifest.OllamaVersion)
	}
	if len(manifest.Models) != 3 || manifest.Models[0].Role != results.RoleBaseline || manifest.Models[2].Digest != "sha256:cccc" {
		t.Errorf("models = %+v", manifest.Models)
	}
	if manifest.Options["num_ctx"] != float64(4096) || manifest.Options["temperature"] != float64(0) {
		t.Errorf("options = %v, want num_ctx 4096 and temperature 0 pinned", manifest.Options)
	}
	if len(manifest.Datasets) != 1 || manifest.Datasets[0].SHA256 == "" || manifest.Datasets[0].Items != 20 {
		t.Errorf("datasets = %+v", manifest.Datasets)
	}
	if manifest.End == nil {
		t.Error("run.json has no end time")
	}
}

func TestRunResumeMatchesUninterruptedRun(t *testing.T) {
	dataDir := t.TempDir()
	dataset := ollamafake.WriteSentimentDataset(t, dataDir, 30)

	fullFake := ollamafake.New(t, ollamafake.Models...)
	fullDir, err := Run(context.Background(), testSuite(t, fullFake.URL, dataset), RunOptions{})
	if err != nil {
		t.Fatal(err)
	}
	want, err := results.Summarize(fullDir)
	if err != nil {
		t.Fatal(err)
	}

	// Cancel at a random request of the 90, as a kill would.
	stopAt := int64(5 + rand.Intn(80))
	killed := ollamafake.New(t, ollamafake.Models...)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	killed.BeforeGenerate = func(w http.ResponseWriter, n int64, prompt string) bool {
		if n == stopAt {
			cancel()
		}
		return false
	}
	dir, err := Run(ctx, testSuite(t, killed.URL, dataset), RunOptions{})
	if !errors.Is(err, ErrStopped) {
		t.Fatalf("interrupted run returned %v, want ErrStopped", err)
	}
	partial := len(readAllRecords(t, dir))
	if partial == 0 || partial >= 90 {
		t.Fatalf("interrupted run wrote %d records, want some but not all (stopped at request %d)", partial, stopAt)
	}

	resumed, err := SuiteFromRun(dir)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Run(context.Background(), resumed, RunOptions{ResumeDir: dir}); err != nil {
		t.Fatal(err)
	}

	recs := readAllRecords(t, dir)
	if len(recs) != 90 {
		t.Errorf("records after resume = %d, want 90 with none duplicated", len(recs))
	}
	got, err := results.Summarize(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, part := range []struct {
		name      string
		got, want any
	}{
		{"scores", got.Scores, want.Scores},
		{"categories", got.Categories, want.Categories},
		{"comparisons", got.Comparisons, want.Comparisons},
	} {
		g, _ := json.Marshal(part.got)
		w, _ := json.Marshal(part.want)
		if string(g) != string(w) {
			t.Errorf("%s after resume differ from an uninterrupted run (stopped at request %d):\n got %s\nwant %s", part.name, stopAt, g, w)
		}
	}
}

func TestRunStopsOnTooManyInfraErrors(t *testing.T) {
	fake := ollamafake.New(t, ollamafake.Models...)
	fake.BeforeGenerate = func(w http.ResponseWriter, n int64, prompt string) bool {
		w.WriteHeader(http.StatusInternalServerError)
		fmt.Fprint(w, `{"error":"llama runner process has terminated: signal: killed"}`)
		return true
	}
	dataset := ollamafake.WriteSentimentDataset(t, t.TempDir(), 40)
	suite := testSuite(t, fake.URL, dataset)

	dir, err := Run(context.Background(), suite, RunOptions{})
	if !errors.Is(err, ErrStopped) {
		t.Fatalf("error = %v, want ErrStopped", err)
	}
	if !strings.Contains(err.Error(), "quantbench run --resume "+dir) {
		t.Errorf("error does not say how to resume: %v", err)
	}
	recs := readAllRecords(t, dir)
	// 5% of 120 planned requests is 6: the seventh infra error stops the run.
	if len(recs) != 7 {
		t.Errorf("records = %d, want 7", len(recs))
	}
	for _, r := range recs {
		if r.Status != results.StatusInfraError || r.Score != nil {
			t.Errorf("%s: status %s score %v, want an unscored infra_error", r.ItemID, r.Status, r.Score)
		}
		if r.Attempts != 2 || !strings.Contains(r.Error, "signal: killed") {
			t.Errorf("%s: attempts %d error %q", r.ItemID, r.Attempts, r.Error)
		}
	}
}

func TestRunInfraErrorsLeftOutOfScores(t *testing.T) {
	fake := ollamafake.New(t, ollamafake.Models...)
	fake.BeforeGenerate = func(w http.ResponseWriter, n int64, prompt string) bool {
		if strings.Contains(prompt, "item 4 ") {
			w.WriteHeader(http.StatusServiceUnavailable)
			fmt.Fprint(w, `{"error":"server busy"}`)
			return true
		}
		return false
	}
	dataset := ollamafake.WriteSentimentDataset(t, t.TempDir(), 20)
	suite := testSuite(t, fake.URL, dataset)
	suite.InfraErrorThreshold = 0.5

	dir, err := Run(context.Background(), suite, RunOptions{})
	if err != nil {
		t.Fatal(err)
	}
	summary, err := results.Summarize(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range summary.Categories {
		if c.Items != 20 || c.Scored != 19 || c.Counts["infra_error"] != 1 {
			t.Errorf("%s: items %d scored %d infra errors %d, want 20, 19, 1", c.Model, c.Items, c.Scored, c.Counts["infra_error"])
		}
	}
	base := summary.Categories[0]
	// Of the 19 scored items, labels 7 and 17 are wrong on purpose.
	if base.Score == nil || *base.Score != 17.0/19.0 {
		t.Errorf("baseline score = %v, want 17/19", base.Score)
	}
}

func TestRunModelMissingNamesPull(t *testing.T) {
	fake := ollamafake.New(t, ollamafake.Models...)
	dataset := ollamafake.WriteSentimentDataset(t, t.TempDir(), 3)
	suite := testSuite(t, fake.URL, dataset)
	suite.Variants = []string{"m:q2_K"}

	_, err := Run(context.Background(), suite, RunOptions{})
	if err == nil || !strings.Contains(err.Error(), "ollama pull m:q2_K") {
		t.Fatalf("error = %v, want one that says `ollama pull m:q2_K`", err)
	}
	entries, _ := os.ReadDir(suite.Output)
	if len(entries) != 0 {
		t.Errorf("a results folder was created before pre-flight passed: %v", entries)
	}
}

func TestPreflightRejectsQuantisedBaseline(t *testing.T) {
	fake := ollamafake.New(t, ollamafake.Models...)
	dataset := ollamafake.WriteSentimentDataset(t, t.TempDir(), 3)
	suite := testSuite(t, fake.URL, dataset)
	suite.Baseline, suite.Variants = "m:q8_0", []string{"m:q4_K_M"}

	_, err := Run(context.Background(), suite, RunOptions{})
	if err == nil || !strings.Contains(err.Error(), "--allow-any-baseline") {
		t.Fatalf("error = %v, want a refusal naming --allow-any-baseline", err)
	}

	suite.AllowAnyBaseline = true
	if _, err := Run(context.Background(), suite, RunOptions{}); err != nil {
		t.Errorf("with allow_any_baseline: %v", err)
	}
}

func TestPreflightWarnsOnDifferentDefaults(t *testing.T) {
	models := append([]ollamafake.Model{}, ollamafake.Models...)
	models[2].Template = "<s>{{ .Prompt }}"
	models[2].Parameters = "stop \"</s>\"\ntemperature 0.7"
	fake := ollamafake.New(t, models...)
	dataset := ollamafake.WriteSentimentDataset(t, t.TempDir(), 2)
	suite := testSuite(t, fake.URL, dataset)

	dir, err := Run(context.Background(), suite, RunOptions{})
	if err != nil {
		t.Fatal(err)
	}
	manifest, err := results.ReadManifest(dir)
	if err != nil {
		t.Fatal(err)
	}
	joined := strings.Join(manifest.Warnings, "\n")
	for _, want := range []string{"different prompt templates", `parameter stop differs`, `parameter temperature differs`} {
		if !strings.Contains(joined, want) {
			t.Errorf("warnings %q lack %q", joined, want)
		}
	}
}

func TestRunTruncatedPromptIsNotWrong(t *testing.T) {
	fake := ollamafake.New(t, ollamafake.Models...)
	fake.BeforeGenerate = func(w http.ResponseWriter, n int64, prompt string) bool {
		if strings.Contains(prompt, "item 2 ") {
			ollamafake.WriteStream(w, ollamafake.Chunk{"response": " negative", "done": true, "done_reason": "stop",
				"prompt_eval_count": 64, "eval_count": 1, "eval_duration": 1000})
			return true
		}
		return false
	}
	dataset := ollamafake.WriteSentimentDataset(t, t.TempDir(), 5)
	suite := testSuite(t, fake.URL, dataset)
	suite.Options.NumCtx = 64

	dir, err := Run(context.Background(), suite, RunOptions{})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range readAllRecords(t, dir) {
		want := results.StatusOK
		if r.ItemID == "s002" {
			want = results.StatusTruncated
		}
		if r.Status != want {
			t.Errorf("%s/%s status = %s, want %s", r.ItemID, r.Model, r.Status, want)
		}
		if r.Status == results.StatusTruncated && r.Score != nil {
			t.Errorf("truncated item %s was scored", r.ItemID)
		}
	}
}

// testSuite is a suite against a fake server with one dataset.
func testSuite(t *testing.T, host, dataset string) *Suite {
	s := DefaultSuite()
	s.Name = "test"
	s.Hosts = []string{host}
	s.Baseline = "m:f16"
	s.Variants = []string{"m:q8_0", "m:q4_K_M"}
	s.Datasets = []string{dataset}
	s.Output = t.TempDir()
	s.RetryBackoff = Duration(1)
	s.Retries = 1
	s.Bootstrap.Resamples = 200
	return &s
}

func TestRunLoadReplyIsInfraError(t *testing.T) {
	fake := ollamafake.New(t, ollamafake.Models...)
	fake.BeforeGenerate = func(w http.ResponseWriter, n int64, prompt string) bool {
		if strings.Contains(prompt, "item 1 ") {
			ollamafake.WriteStream(w, ollamafake.Chunk{"response": "", "done": true, "done_reason": "load"})
			return true
		}
		return false
	}
	dataset := ollamafake.WriteSentimentDataset(t, t.TempDir(), 4)
	suite := testSuite(t, fake.URL, dataset)
	suite.InfraErrorThreshold = 0.5

	dir, err := Run(context.Background(), suite, RunOptions{})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range readAllRecords(t, dir) {
		if r.ItemID != "s001" {
			continue
		}
		if r.Status != results.StatusInfraError || r.Score != nil || !strings.Contains(r.Error, `done_reason "load"`) {
			t.Errorf("%s: status %s score %v error %q, want an unscored infra_error naming the load reply", r.Model, r.Status, r.Score, r.Error)
		}
	}
}

func TestRunFolderLockedWhileRunning(t *testing.T) {
	fake := ollamafake.New(t, ollamafake.Models...)
	dataset := ollamafake.WriteSentimentDataset(t, t.TempDir(), 3)
	suite := testSuite(t, fake.URL, dataset)
	dir, err := Run(context.Background(), suite, RunOptions{})
	if err != nil {
		t.Fatal(err)
	}

	holder := &runState{dir: dir}
	if err := holder.lock(); err != nil {
		t.Fatal(err)
	}
	defer holder.unlock()

	resumed, err := SuiteFromRun(dir)
	if err != nil {
		t.Fatal(err)
	}
	_, err = Run(context.Background(), resumed, RunOptions{ResumeDir: dir})
	if err == nil || !strings.Contains(err.Error(), "in use by another quantbench run") {
		t.Fatalf("error = %v, want the folder reported as in use", err)
	}

	holder.unlock()
	if _, err := Run(context.Background(), resumed, RunOptions{ResumeDir: dir}); err != nil {
		t.Errorf("resume after the lock was released: %v", err)
	}
}
