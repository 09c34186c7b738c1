package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/quantbench/quantbench/results"
)

// copyTestRun copies the report package's hand-made results folder (run.json
// and records.jsonl) into a temporary folder.
func copyTestRun(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	for _, name := range []string{results.RunFile, results.RecordsFile} {
		data, err := os.ReadFile(filepath.Join("..", "..", "results", "report", "testdata", "run", name))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func runReport(args ...string) (int, string, string) {
	var stdout, stderr bytes.Buffer
	status := run(append([]string{"report"}, args...), &stdout, &stderr)
	return status, stdout.String(), stderr.String()
}

func TestReportRebuildsEveryFile(t *testing.T) {
	dir := copyTestRun(t)
	status, stdout, stderr := runReport(dir)
	if status != exitOK {
		t.Fatalf("status %d, stderr:\n%s", status, stderr)
	}
	for _, name := range []string{results.SummaryJSON, results.SummaryCSV, results.WorkbookFile, results.MarkdownFile} {
		if _, err := os.Stat(filepath.Join(dir, name)); err != nil {
			t.Errorf("missing %s: %v", name, err)
		}
	}
	if !strings.Contains(stdout, "classification") || !strings.Contains(stdout, "qb-tiny:q4_K_M") {
		t.Errorf("printed table lacks the category or the variant:\n%s", stdout)
	}
}

func TestReportOutFolder(t *testing.T) {
	dir := copyTestRun(t)
	out := filepath.Join(t.TempDir(), "review")
	status, _, stderr := runReport(dir, "--out", out)
	if status != exitOK {
		t.Fatalf("status %d, stderr:\n%s", status, stderr)
	}
	if _, err := os.Stat(filepath.Join(out, results.WorkbookFile)); err != nil {
		t.Errorf("no workbook in --out folder: %v", err)
	}
	if _, err := os.Stat(filepath.Join(dir, results.WorkbookFile)); err == nil {
		t.Error("--out also wrote into RUN_DIR")
	}
}

func TestReportUsageErrors(t *testing.T) {
	if status, _, stderr := runReport(); status != exitUsage || !strings.Contains(stderr, "RUN_DIR") {
		t.Errorf("no RUN_DIR: status %d, stderr %q", status, stderr)
	}
	if status, _, _ := runReport("a", "b"); status != exitUsage {
		t.Errorf("two folders: status %d, want %d", status, exitUsage)
	}
	if status, _, _ := runReport("--no-such-flag", "x"); status != exitUsage {
		t.Errorf("unknown flag: status %d, want %d", status, exitUsage)
	}
	status, _, stderr := runReport("--help")
	if status != exitOK {
		t.Errorf("--help: status %d", status)
	}
	for _, section := range []string{"Arguments:", "Options:", "Examples:"} {
		if !strings.Contains(stderr, section) {
			t.Errorf("--help lacks %s", section)
		}
	}
}

func TestReportMissingFiles(t *testing.T) {
	missing := filepath.Join(t.TempDir(), "nothing-here")
	status, _, stderr := runReport(missing)
	if status != exitFailure || !strings.Contains(stderr, missing) {
		t.Errorf("missing folder: status %d, stderr %q", status, stderr)
	}

	for _, name := range []string{results.RunFile, results.RecordsFile} {
		dir := copyTestRun(t)
		if err := os.Remove(filepath.Join(dir, name)); err != nil {
			t.Fatal(err)
		}
		status, _, stderr := runReport(dir)
		if status != exitFailure {
			t.Errorf("without %s: status %d, want %d", name, status, exitFailure)
		}
		if !strings.Contains(stderr, dir) || !strings.Contains(stderr, name) {
			t.Errorf("without %s: error %q does not name the folder and the file", name, stderr)
		}
	}
}
