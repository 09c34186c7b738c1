package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/quantbench/quantbench/bench/ollamafake"
	"github.com/quantbench/quantbench/results"
)

func runCLI(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	code := run(args, &stdout, &stderr)
	return code, stdout.String(), stderr.String()
}

func TestRunHelpShowsExamples(t *testing.T) {
	code, _, stderr := runCLI(t, "run", "--help")
	if code != exitOK {
		t.Errorf("exit = %d, want 0", code)
	}
	for _, section := range []string{"Arguments:", "Options:", "Examples:", "--baseline", "--resume"} {
		if !strings.Contains(stderr, section) {
			t.Errorf("help lacks %q", section)
		}
	}
}

func TestRunUsageErrors(t *testing.T) {
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"no baseline", []string{"run", "--variant", "m:q4_K_M"}, "--baseline"},
		{"unknown flag", []string{"run", "--basline", "m:f16"}, "flag provided but not defined"},
		{"stray argument", []string{"run", "m:f16"}, "unexpected argument"},
		{"resume with models", []string{"run", "--resume", "x", "--baseline", "m:f16"}, "cannot change a resumed run"},
		{"bad tolerance", []string{"run", "--baseline", "a:f16", "--variant", "a:q4", "--tolerance", "reasoning"}, "CATEGORY=FRACTION"},
		{"unknown suite key", []string{"run", "--suite", writeFile(t, "s.yaml", "name: x\nbaselin: y\n")}, `unknown key "baselin"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, _, stderr := runCLI(t, tt.args...)
			if code != exitUsage {
				t.Errorf("exit = %d, want %d", code, exitUsage)
			}
			if !strings.Contains(stderr, tt.want) {
				t.Errorf("stderr = %q, want it to contain %q", stderr, tt.want)
			}
		})
	}
}

func writeFile(t *testing.T, name, content string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestRunMissingModelFails(t *testing.T) {
	fake := ollamafake.New(t, ollamafake.Models...)
	dataset := ollamafake.WriteSentimentDataset(t, t.TempDir(), 3)
	code, _, stderr := runCLI(t, "run", "--host", fake.URL, "--baseline", "m:f16", "--variant", "m:q3_K_S",
		"--datasets", dataset, "--output", t.TempDir())
	if code != exitFailure {
		t.Errorf("exit = %d, want %d", code, exitFailure)
	}
	if !strings.Contains(stderr, "ollama pull m:q3_K_S") {
		t.Errorf("stderr = %q, want the pull hint", stderr)
	}
}

func TestRunWritesEveryReportFile(t *testing.T) {
	fake := ollamafake.New(t, ollamafake.Models...)
	dataset := ollamafake.WriteSentimentDataset(t, t.TempDir(), 12)
	out := t.TempDir()
	code, stdout, stderr := runCLI(t, "run", "--host", fake.URL, "--baseline", "m:f16", "--variant", "m:q8_0",
		"--variant", "m:q4_K_M", "--datasets", dataset, "--output", out, "--name", "cli", "--bootstrap-resamples", "200")
	if code != exitOK {
		t.Fatalf("exit = %d\nstderr: %s", code, stderr)
	}
	if !strings.Contains(stdout, "classification") || !strings.Contains(stdout, "m:q4_K_M") {
		t.Errorf("the table lacks the category or a variant:\n%s", stdout)
	}

	dirs, _ := filepath.Glob(filepath.Join(out, "cli-*"))
	if len(dirs) != 1 {
		t.Fatalf("results folders = %v, want one", dirs)
	}
	for _, name := range []string{results.RunFile, results.RecordsFile, results.SummaryJSON, results.SummaryCSV, results.WorkbookFile, results.MarkdownFile} {
		info, err := os.Stat(filepath.Join(dirs[0], name))
		if err != nil || info.Size() == 0 {
			t.Errorf("%s missing or empty: %v", name, err)
		}
	}
}

func TestRunFlagsAddThroughputAndTCO(t *testing.T) {
	fs := newFlagSet("run", runUsage, &bytes.Buffer{})
	var f runFlags
	defineRunFlags(fs, &f)
	args := []string{"--suite", "quick", "--baseline", "a:f16", "--variant", "a:q4_K_M",
		"--throughput-input-tokens", "128", "--throughput-concurrency-max", "2",
		"--tco-preset", "claude-haiku", "--tco-volume", "500000", "--tco-capex", "18000"}
	if err := fs.Parse(args); err != nil {
		t.Fatal(err)
	}

	suite, err := resolveSuite(fs, &f)
	if err != nil {
		t.Fatal(err)
	}
	if suite.Throughput == nil {
		t.Fatal("no throughput section")
	}
	if suite.Throughput.InputTokens != 128 || suite.Throughput.ConcurrencyMax != 2 || suite.Throughput.OutputTokens != 0 {
		t.Errorf("throughput = %+v, want input 128, concurrency max 2, output left to the default", *suite.Throughput)
	}
	if suite.TCO == nil {
		t.Fatal("no tco section")
	}
	if suite.TCO.Preset != "claude-haiku" || suite.TCO.VolumePerMonth != 500000 || suite.TCO.Capex != 18000 {
		t.Errorf("tco = %+v", *suite.TCO)
	}
	if suite.Limit != 8 {
		t.Errorf("limit = %d, want the quick suite's 8", suite.Limit)
	}
}

func TestRunResumeRejectsDecodingFlags(t *testing.T) {
	for _, flagArgs := range [][]string{{"--temperature", "1.5"}, {"--seed", "9"}, {"--num-predict", "1"}, {"--think", "high"}, {"--num-ctx", "512"}} {
		args := append([]string{"run", "--resume", t.TempDir()}, flagArgs...)
		code, _, stderr := runCLI(t, args...)
		if code != exitUsage {
			t.Errorf("%v: exit = %d, want %d", flagArgs, code, exitUsage)
		}
		if !strings.Contains(stderr, flagArgs[0]+" cannot change a resumed run") {
			t.Errorf("%v: stderr = %q", flagArgs, stderr)
		}
	}
}
