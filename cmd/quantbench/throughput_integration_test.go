//go:build integration

package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/quantbench/quantbench/bench/ollamatest"
	"github.com/quantbench/quantbench/results"
)

// TestIntegrationThroughputCommand runs `quantbench throughput` on the tiny
// models and checks the printed table and the results folder.
func TestIntegrationThroughputCommand(t *testing.T) {
	srv := ollamatest.Start(t, ollamatest.WithEnv("OLLAMA_NUM_PARALLEL", "2"))
	models := ollamatest.TinyModels(t, srv)
	out := t.TempDir()

	args := []string{"throughput", "--host", srv.Host, "--out", out, "--input-tokens", "64", "--output-tokens", "24",
		"--concurrency-max", "2", "--repetitions", "2", "--warmup", "1", "--min-tokens", "4", "--stop-when-flat", "-1"}
	for _, m := range models {
		args = append(args, "--model", m)
	}
	var stdout, stderr bytes.Buffer
	if code := run(args, &stdout, &stderr); code != exitOK {
		t.Fatalf("exit %d\nstdout:\n%s\nstderr:\n%s", code, stdout.String(), stderr.String())
	}
	t.Log("\n" + stdout.String())

	dirs, _ := filepath.Glob(filepath.Join(out, "throughput-*"))
	if len(dirs) != 1 {
		t.Fatalf("results folders = %v, want one", dirs)
	}
	for _, name := range []string{results.RunFile, results.ThroughputFile, results.SummaryJSON} {
		if _, err := os.Stat(filepath.Join(dirs[0], name)); err != nil {
			t.Errorf("results folder lacks %s: %v", name, err)
		}
	}

	data, err := os.ReadFile(filepath.Join(dirs[0], results.SummaryJSON))
	if err != nil {
		t.Fatal(err)
	}
	var summary results.Summary
	if err := json.Unmarshal(data, &summary); err != nil {
		t.Fatal(err)
	}
	if summary.Throughput == nil || len(summary.Throughput.Levels) != 2*len(models) {
		t.Fatalf("summary.json throughput = %+v, want 2 levels per model", summary.Throughput)
	}
	for _, l := range summary.Throughput.Levels {
		if l.DecodeTPS.Mean == nil || *l.DecodeTPS.Mean <= 0 || l.PrefillTPS.Mean == nil || *l.PrefillTPS.Mean <= 0 {
			t.Errorf("%s @%d: decode %+v, prefill %+v; want both > 0", l.Model, l.Concurrency, l.DecodeTPS, l.PrefillTPS)
		}
		if l.TTFTMS.P50 == nil || l.ITLMS.P90 == nil || l.E2EMS.P99 == nil {
			t.Errorf("%s @%d: latency percentiles missing: TTFT %+v, ITL %+v, E2E %+v", l.Model, l.Concurrency, l.TTFTMS, l.ITLMS, l.E2EMS)
		}
		if !strings.Contains(stdout.String(), l.Model) {
			t.Errorf("printed table lacks %s", l.Model)
		}
	}
	if summary.Run.Machine.CPUCores == 0 {
		t.Errorf("run.json machine = %+v, want the CPU recorded", summary.Run.Machine)
	}
}
