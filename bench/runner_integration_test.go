//go:build integration

package bench

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/quantbench/quantbench/bench/ollamatest"
	"github.com/quantbench/quantbench/results"
	"github.com/quantbench/quantbench/results/report"
)

// tinySuite is the quick suite on the generated random-weight models, with
// short outputs: their answers are noise, so only the plumbing is tested.
func tinySuite(t *testing.T, srv *ollamatest.Server, models []string) *Suite {
	t.Helper()
	s, err := LoadSuite("quick")
	if err != nil {
		t.Fatal(err)
	}
	s.Hosts = []string{srv.Host}
	s.Baseline, s.Variants = models[0], models[1:]
	s.Limit = 3
	s.Options.NumPredict = 12
	s.Output = t.TempDir()
	s.Retries = 1
	s.RetryBackoff = Duration(100 * time.Millisecond)
	s.Timeout = Duration(2 * time.Minute)
	return s
}

func TestIntegrationPreflightReadsRealModels(t *testing.T) {
	srv := ollamatest.Shared(t)
	models := ollamatest.TinyModels(t, srv)
	suite := tinySuite(t, srv, models)
	s := &runState{suite: suite, completed: map[string]bool{}}
	if err := s.connect(); err != nil {
		t.Fatal(err)
	}

	checks, version, _, err := Preflight(context.Background(), s.clients, s.hosts, suite)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(version, "0.17") {
		t.Errorf("server version = %q, want 0.17.x", version)
	}
	want := []string{"F16", "Q8_0", "Q4_K_M"}
	digests := map[string]bool{}
	for i, c := range checks {
		if c.Info.Quantization != want[i] {
			t.Errorf("%s quantization = %q, want %q", c.Info.Name, c.Info.Quantization, want[i])
		}
		if len(c.Info.Digest) < 12 || digests[c.Info.Digest] {
			t.Errorf("%s digest = %q, want a distinct digest", c.Info.Name, c.Info.Digest)
		}
		digests[c.Info.Digest] = true
		if c.Info.Family != "llama" {
			t.Errorf("%s family = %q, want llama", c.Info.Name, c.Info.Family)
		}
	}
}

func TestIntegrationQuickSuiteRecordsAndReport(t *testing.T) {
	srv := ollamatest.Shared(t)
	models := ollamatest.TinyModels(t, srv)
	suite := tinySuite(t, srv, models)

	dir, err := Run(context.Background(), suite, RunOptions{Version: "test"})
	if err != nil {
		t.Fatal(err)
	}
	manifest, err := results.ReadManifest(dir)
	if err != nil {
		t.Fatal(err)
	}
	items := 0
	categories := map[string]bool{}
	for _, d := range manifest.Datasets {
		items += d.Items
		categories[d.Category] = true
	}
	if len(categories) != 5 {
		t.Errorf("categories = %v, want all five", categories)
	}

	recs := readAllRecords(t, dir)
	if len(recs) != items*len(models) {
		t.Errorf("records = %d, want %d items x %d models", len(recs), items, len(models))
	}
	seen := map[string]bool{}
	for _, r := range recs {
		if seen[r.Key()] {
			t.Errorf("duplicate record %s", r.Key())
		}
		seen[r.Key()] = true
		if r.Status == results.StatusInfraError {
			t.Errorf("%s/%s infra error on a healthy server: %s", r.ItemID, r.Model, r.Error)
			continue
		}
		if r.EvalCount == nil || *r.EvalCount <= 0 || r.EvalDuration == nil || *r.EvalDuration <= 0 {
			t.Errorf("%s/%s has no real eval timings: %+v", r.ItemID, r.Model, r.Timings)
		}
		if r.Status == results.StatusOK && r.Score == nil {
			t.Errorf("%s/%s ok but unscored", r.ItemID, r.Model)
		}
	}

	// The reports are a function of the folder: rebuilding gives the same summary.
	summary, err := results.Summarize(dir)
	if err != nil {
		t.Fatal(err)
	}
	if err := report.WriteAll(dir, summary); err != nil {
		t.Fatal(err)
	}
	first, err := os.ReadFile(filepath.Join(dir, results.SummaryJSON))
	if err != nil {
		t.Fatal(err)
	}
	again, err := results.Summarize(dir)
	if err != nil {
		t.Fatal(err)
	}
	if err := report.WriteAll(dir, again); err != nil {
		t.Fatal(err)
	}
	second, _ := os.ReadFile(filepath.Join(dir, results.SummaryJSON))
	if !bytes.Equal(first, second) {
		t.Error("summary.json differs when rebuilt from the same folder")
	}
	for _, name := range []string{results.SummaryCSV, results.WorkbookFile, results.MarkdownFile} {
		if info, err := os.Stat(filepath.Join(dir, name)); err != nil || info.Size() == 0 {
			t.Errorf("%s missing or empty: %v", name, err)
		}
	}
}

func TestIntegrationServerKilledMidwayResumes(t *testing.T) {
	srv := ollamatest.Start(t)
	models := ollamatest.TinyModels(t, srv)
	suite := tinySuite(t, srv, models)
	suite.InfraErrorThreshold = 0.02

	// Stop the server once a few records are on disk.
	done := make(chan struct{})
	var dir string
	var runErr error
	go func() {
		defer close(done)
		dir, runErr = Run(context.Background(), suite, RunOptions{})
	}()
	killed := false
	deadline := time.Now().Add(5 * time.Minute)
	for !killed && time.Now().Before(deadline) {
		select {
		case <-done:
			t.Fatal("the run finished before the server could be stopped")
		case <-time.After(50 * time.Millisecond):
		}
		matches, _ := filepath.Glob(filepath.Join(suite.Output, "*", results.RecordsFile))
		if len(matches) == 1 {
			data, _ := os.ReadFile(matches[0])
			if bytes.Count(data, []byte("\n")) >= 10 {
				srv.Stop()
				killed = true
			}
		}
	}
	<-done
	if !killed {
		t.Fatal("the run never wrote 10 records")
	}
	if !errors.Is(runErr, ErrStopped) {
		t.Fatalf("run with the server stopped returned %v, want ErrStopped", runErr)
	}

	before := readAllRecords(t, dir)
	infra := 0
	for _, r := range before {
		if r.Status == results.StatusInfraError {
			infra++
			if r.Score != nil {
				t.Errorf("infra_error %s was scored", r.ItemID)
			}
		}
	}
	if infra == 0 {
		t.Fatal("no infra_error records after the server was stopped")
	}

	srv.Restart(t)
	resumed, err := SuiteFromRun(dir)
	if err != nil {
		t.Fatal(err)
	}
	resumed.Hosts = []string{srv.Host}
	if _, err := Run(context.Background(), resumed, RunOptions{ResumeDir: dir}); err != nil {
		t.Fatal(err)
	}

	manifest, _ := results.ReadManifest(dir)
	items := 0
	for _, d := range manifest.Datasets {
		items += d.Items
	}
	after := readAllRecords(t, dir)
	answered := map[string]int{}
	for _, r := range after {
		if r.Status != results.StatusInfraError {
			answered[r.Key()]++
		}
	}
	if len(answered) != items*len(models) {
		t.Errorf("answered keys = %d, want %d", len(answered), items*len(models))
	}
	for key, n := range answered {
		if n != 1 {
			t.Errorf("key %q answered %d times", key, n)
		}
	}
	for _, r := range before {
		if r.Status != results.StatusInfraError && answered[r.Key()] != 1 {
			t.Errorf("record %s written before the kill was lost", r.Key())
		}
	}
}
