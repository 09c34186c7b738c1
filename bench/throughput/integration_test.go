//go:build integration

package throughput_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/quantbench/quantbench/bench/ollamatest"
	"github.com/quantbench/quantbench/bench/throughput"
	"github.com/quantbench/quantbench/results"
)

// TestIntegrationThroughputTinyModels runs the sweep on the generated tiny
// models of a real server and summarises the folder as `quantbench
// throughput` does.
func TestIntegrationThroughputTinyModels(t *testing.T) {
	srv := ollamatest.Start(t, ollamatest.WithEnv("OLLAMA_NUM_PARALLEL", "2"))
	models := ollamatest.TinyModels(t, srv)
	client := srv.Client()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()

	var infos []results.ModelInfo
	list, err := client.List(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range models {
		info := results.ModelInfo{Name: name}
		for _, m := range list.Models {
			if m.Name == name {
				info.SizeBytes, info.Digest = m.Size, m.Digest
			}
		}
		infos = append(infos, info)
	}

	dir := t.TempDir()
	manifest := &results.RunManifest{RunID: "it", Host: srv.Host, Models: infos, Start: time.Now(),
		Machine: results.MachineInfo{GPUReason: "test machine has no GPU"}}
	if err := results.WriteJSONFile(filepath.Join(dir, results.RunFile), manifest); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, results.RecordsFile), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := os.Create(filepath.Join(dir, results.ThroughputFile))
	if err != nil {
		t.Fatal(err)
	}
	cfg := throughput.Config{InputTokens: 96, OutputTokens: 24, ConcurrencyMax: 2, Warmup: 1, Repetitions: 2,
		MinTokens: 4, StopWhenFlat: -1}
	err = throughput.Run(ctx, client, cfg, models, out, throughput.WithRunID("it"), throughput.WithModelInfo(infos))
	out.Close()
	if err != nil {
		t.Fatal(err)
	}

	summary, err := results.Summarize(dir)
	if err != nil {
		t.Fatal(err)
	}
	if err := results.WriteJSONFile(filepath.Join(dir, results.SummaryJSON), summary); err != nil {
		t.Fatal(err)
	}
	report := summary.Throughput
	if report == nil || len(report.Levels) != 2*len(models) {
		t.Fatalf("speed report = %+v, want 2 levels for each of %d models", report, len(models))
	}
	var table strings.Builder
	throughput.WriteTable(&table, report)
	t.Log("\n" + table.String())

	for _, l := range report.Levels {
		if l.OK != l.Concurrency*2 || l.Failed != 0 {
			t.Errorf("%s @%d: %d ok, %d failed; want %d ok", l.Model, l.Concurrency, l.OK, l.Failed, l.Concurrency*2)
		}
		if l.DecodeTPS.N == 0 || *l.DecodeTPS.Mean <= 0 {
			t.Errorf("%s @%d: decode tokens/s = %+v, want > 0", l.Model, l.Concurrency, l.DecodeTPS)
		}
		if l.PrefillTPS.N == 0 || *l.PrefillTPS.Mean <= 0 {
			t.Errorf("%s @%d: prefill tokens/s = %+v, want > 0", l.Model, l.Concurrency, l.PrefillTPS)
		}
		for name, d := range map[string]results.Distribution{"TTFT": l.TTFTMS, "E2E": l.E2EMS, "ITL": l.ITLMS} {
			if d.N == 0 || d.P50 == nil || d.P90 == nil || d.P99 == nil || *d.P50 <= 0 || *d.P99 < *d.P50 {
				t.Errorf("%s @%d: %s percentiles = %+v, want 0 < p50 <= p99", l.Model, l.Concurrency, name, d)
			}
		}
		if l.PromptLength.Mean == nil || *l.PromptLength.Mean < 96*0.9 || *l.PromptLength.Mean > 96*1.1 {
			t.Errorf("%s @%d: prompt length = %+v, want 96 ± 10%% after calibration", l.Model, l.Concurrency, l.PromptLength)
		}
		if l.OutputTPS == nil || *l.OutputTPS <= 0 {
			t.Errorf("%s @%d: aggregate output tokens/s = %v, want > 0", l.Model, l.Concurrency, l.OutputTPS)
		}
	}
	for _, m := range report.Models {
		if m.SizeBytes <= 0 || m.LoadMS == nil {
			t.Errorf("%s: /api/ps size %d, load %v ms; want both recorded", m.Model, m.SizeBytes, m.LoadMS)
		}
		if m.GPUReason == "" {
			t.Errorf("%s: GPU reason empty on a machine without GPU", m.Model)
		}
	}
	for _, name := range []string{results.ThroughputFile, results.SummaryJSON} {
		if _, err := os.Stat(filepath.Join(dir, name)); err != nil {
			t.Errorf("results folder lacks %s: %v", name, err)
		}
	}
}
