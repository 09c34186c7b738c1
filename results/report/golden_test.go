package report

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/quantbench/quantbench/results"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/golden from the current output")

// testRunDir is a hand-made results folder: run.json and records.jsonl of a
// baseline, its second repeat and two variants on three small datasets.
const testRunDir = "testdata/run"

// loadTestSummary reads testdata/summary.json, the hand-made summary of
// testRunDir. Its scores, flips and p-values follow from the records. Its
// bootstrap intervals, drift, throughput and cost figures are set by hand,
// because the writers only format them and the statistics have tests of
// their own.
func loadTestSummary(t testing.TB) *results.Summary {
	t.Helper()
	data, err := os.ReadFile("testdata/summary.json")
	if err != nil {
		t.Fatal(err)
	}
	var s results.Summary
	if err := json.Unmarshal(data, &s); err != nil {
		t.Fatalf("testdata/summary.json: %v", err)
	}
	return &s
}

// checkGolden compares got with testdata/golden/name, or rewrites the file
// when the test runs with -update.
func checkGolden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", "golden", name)
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -run %s -update to create it)", err, t.Name())
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from the output; rerun with -update if the change is intended\n--- got\n%s\n--- want\n%s", path, got, want)
	}
}

func TestPrintTableGolden(t *testing.T) {
	var buf bytes.Buffer
	PrintTable(&buf, loadTestSummary(t))
	checkGolden(t, "table.txt", buf.Bytes())
}

func TestWriteCSVGolden(t *testing.T) {
	var buf bytes.Buffer
	if err := WriteCSV(&buf, loadTestSummary(t)); err != nil {
		t.Fatal(err)
	}
	checkGolden(t, "summary.csv", buf.Bytes())
}

func TestWriteMarkdownGolden(t *testing.T) {
	var buf bytes.Buffer
	if err := WriteMarkdown(&buf, loadTestSummary(t)); err != nil {
		t.Fatal(err)
	}
	checkGolden(t, "report.md", buf.Bytes())
}
