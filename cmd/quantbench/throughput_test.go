package main

import (
	"bytes"
	"encoding/json"
	"math"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/quantbench/quantbench/bench/ollamafake"
	"github.com/quantbench/quantbench/results"
)

func TestThroughputUsageErrors(t *testing.T) {
	cases := []struct {
		name string
		args []string
		want string
	}{
		{"no model", nil, "--model"},
		{"extra argument", []string{"--model", "m", "extra"}, "no other arguments"},
		{"invalid input tokens", []string{"--model", "m", "--input-tokens", "-5"}, "--input-tokens"},
		{"context too small", []string{"--model", "m", "--num-ctx", "256"}, "--num-ctx"},
	}
	for _, c := range cases {
		var stdout, stderr bytes.Buffer
		code := run(append([]string{"throughput"}, c.args...), &stdout, &stderr)
		if code != exitUsage {
			t.Errorf("%s: exit %d, want %d", c.name, code, exitUsage)
		}
		if !strings.Contains(stderr.String(), c.want) {
			t.Errorf("%s: stderr = %q, want it to mention %q", c.name, stderr.String(), c.want)
		}
	}
}

func TestThroughputHelpShowsExamples(t *testing.T) {
	var stdout, stderr bytes.Buffer
	if code := run([]string{"throughput", "--help"}, &stdout, &stderr); code != exitOK {
		t.Fatalf("exit %d, want %d", code, exitOK)
	}
	for _, section := range []string{"Arguments:", "Examples:", "Options:", "-concurrency-max"} {
		if !strings.Contains(stderr.String(), section) {
			t.Errorf("help lacks %q", section)
		}
	}
}

func TestThroughputUnreachableHost(t *testing.T) {
	var stdout, stderr bytes.Buffer
	code := run([]string{"throughput", "--model", "m", "--host", "http://127.0.0.1:1", "--out", t.TempDir()}, &stdout, &stderr)
	if code != exitFailure {
		t.Errorf("exit %d, want %d", code, exitFailure)
	}
	if !strings.Contains(stderr.String(), "cannot reach Ollama at http://127.0.0.1:1") {
		t.Errorf("stderr = %q, want the host and the fix", stderr.String())
	}
}

// fakeNvidiaSMI puts a script named nvidia-smi first on PATH: one NVIDIA L4
// drawing 70 W, sampled every 20 ms whatever the -lms argument requests.
func fakeNvidiaSMI(t *testing.T) {
	t.Helper()
	dir := t.TempDir()
	script := `#!/bin/sh
case "$1" in
--query-gpu=name,memory.total,driver_version) echo "NVIDIA L4, 23034, 550.54.15"; exit 0;;
--query-gpu=index,*) while true; do echo "0, NVIDIA L4, 4000, 90, 70, 2000"; sleep 0.02; done;;
esac
exit 2
`
	if err := os.WriteFile(filepath.Join(dir, "nvidia-smi"), []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	t.Setenv("PATH", dir+string(os.PathListSeparator)+os.Getenv("PATH"))
}

// streamTokens responds to a generate request with n chunks 10 ms apart, then a
// final chunk whose eval_duration is the time spent.
func streamTokens(w http.ResponseWriter, prompt string, n int) {
	start := time.Now()
	var chunks []ollamafake.Chunk
	for range n {
		time.Sleep(10 * time.Millisecond)
		ollamafake.WriteStream(w, ollamafake.Chunk{"response": "x", "done": false})
	}
	chunks = append(chunks, ollamafake.Chunk{"done": true, "done_reason": "length",
		"prompt_eval_count": len(strings.Fields(prompt)) + 3, "prompt_eval_duration": 5_000_000,
		"eval_count": n, "eval_duration": time.Since(start).Nanoseconds(), "total_duration": time.Since(start).Nanoseconds()})
	ollamafake.WriteStream(w, chunks...)
}

func TestThroughputTelemetryFolder(t *testing.T) {
	fakeNvidiaSMI(t)
	srv := ollamafake.New(t, ollamafake.Models[2])
	srv.BeforeGenerate = func(w http.ResponseWriter, n int64, prompt string) bool {
		streamTokens(w, prompt, 20)
		return true
	}
	out := t.TempDir()
	var stdout, stderr bytes.Buffer
	code := run([]string{"throughput", "--host", srv.URL, "--model", "m:q4_K_M", "--out", out,
		"--input-tokens", "40", "--output-tokens", "20", "--concurrency-max", "2", "--repetitions", "2",
		"--warmup", "1", "--stop-when-flat", "-1"}, &stdout, &stderr)
	if code != exitOK {
		t.Fatalf("exit %d\nstderr:\n%s", code, stderr.String())
	}

	dirs, _ := filepath.Glob(filepath.Join(out, "throughput-*"))
	if len(dirs) != 1 {
		t.Fatalf("results folders = %v, want one", dirs)
	}
	data, err := os.ReadFile(filepath.Join(dirs[0], results.SummaryJSON))
	if err != nil {
		t.Fatal(err)
	}
	var summary results.Summary
	if err := json.Unmarshal(data, &summary); err != nil {
		t.Fatal(err)
	}
	if gpus := summary.Run.Machine.GPUs; len(gpus) != 1 || gpus[0].BandwidthGB != 300 {
		t.Fatalf("run.json GPUs = %+v, want the NVIDIA L4 at 300 GB/s", gpus)
	}
	speed := summary.Throughput
	if speed == nil || len(speed.Levels) != 2 {
		t.Fatalf("throughput summary = %+v, want 2 levels", speed)
	}
	for _, l := range speed.Levels {
		p := l.Power
		if p == nil || p.Samples == 0 {
			t.Errorf("level %d: power = %+v, want samples from the fake nvidia-smi", l.Concurrency, p)
			continue
		}
		if *p.MeanPowerW != 70 || *p.PeakMemoryMiB != 4000 {
			t.Errorf("level %d: mean power %v W, peak memory %v MiB; want 70 and 4000", l.Concurrency, *p.MeanPowerW, *p.PeakMemoryMiB)
		}
		want := 70 * l.WallSeconds / float64(l.OutputTokens) * 1000
		if math.Abs(*p.EnergyPer1kTokensJ-want) > 1e-9 {
			t.Errorf("level %d: energy = %v J/1k tokens, want 70 W × %v s / %d tokens × 1000 = %v",
				l.Concurrency, *p.EnergyPer1kTokensJ, l.WallSeconds, l.OutputTokens, want)
		}
	}
	m := speed.Models[0]
	if m.GPUName != "NVIDIA L4" || m.DecodeCeilingTPS == nil || *m.DecodeCeilingTPS != 300e9/1000 || m.DecodeCeilingPct == nil {
		t.Errorf("model GPU columns = %q, ceiling %v, pct %v; want NVIDIA L4, 3e8 (300 GB/s over 1000 bytes) and a share",
			m.GPUName, m.DecodeCeilingTPS, m.DecodeCeilingPct)
	}
	if !strings.Contains(stdout.String(), "power W") {
		t.Errorf("printed table lacks the power column:\n%s", stdout.String())
	}
}

func TestCreateRunFolderKeepsEarlierRun(t *testing.T) {
	parent := t.TempDir()
	first := &results.RunManifest{RunID: "throughput-20260101-000000"}
	second := &results.RunManifest{RunID: "throughput-20260101-000000"}

	dir1, err := createRunFolder(parent, first)
	if err != nil {
		t.Fatal(err)
	}
	dir2, err := createRunFolder(parent, second)
	if err != nil {
		t.Fatal(err)
	}
	if dir1 == dir2 || second.RunID != "throughput-20260101-000000-2" {
		t.Errorf("folders %s and %s, second run id %s; want distinct folders and the -2 suffix", dir1, dir2, second.RunID)
	}
}

func TestThroughputRejectsSilentDefaults(t *testing.T) {
	tests := [][]string{
		{"--concurrency-max", "0"},
		{"--repetitions", "0"},
		{"--stop-when-flat", "NaN"},
		{"--prompt-file", "/nonexistent/words.txt"},
	}
	for _, args := range tests {
		var stdout, stderr bytes.Buffer
		code := run(append([]string{"throughput", "--model", "m:q4", "--host", "127.0.0.1:1"}, args...), &stdout, &stderr)
		if code != exitUsage || !strings.Contains(stderr.String(), args[0]) {
			t.Errorf("%v: exit %d, stderr %q; want a usage error naming %s", args, code, stderr.String(), args[0])
		}
	}
}
