package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/quantbench/quantbench/datasets"
)

func runDatasetsCLI(args ...string) (stdout, stderr string, status int) {
	var out, errOut bytes.Buffer
	status = run(args, &out, &errOut)
	return out.String(), errOut.String(), status
}

func TestDatasetsList(t *testing.T) {
	stdout, stderr, status := runDatasetsCLI("datasets", "list")
	if status != exitOK {
		t.Fatalf("status = %d, stderr:\n%s", status, stderr)
	}
	lines := strings.Split(strings.TrimSpace(stdout), "\n")
	if !strings.HasPrefix(lines[0], "NAME") || !strings.Contains(lines[0], "CATEGORY") || !strings.Contains(lines[0], "SOURCE") {
		t.Errorf("header = %q", lines[0])
	}
	if got, want := len(lines)-1, len(datasets.BuiltinNames()); got != want {
		t.Errorf("rows = %d, want %d built-in datasets", got, want)
	}
	for _, name := range datasets.BuiltinNames() {
		if !strings.Contains(stdout, "builtin:"+name) {
			t.Errorf("list lacks builtin:%s", name)
		}
	}
}

const cliDataset = `---
name: cli-sample
category: reasoning
template: "Question: {{.q}}"
num_predict: 32
---
{"id": "q1", "input": {"q": "What is 6 times 7?"}, "expected": {"number": 42}}
{"id": "q2", "input": {"q": "What is 10 minus 3?"}, "expected": {"number": 7}}
`

func TestDatasetsShowAndValidate(t *testing.T) {
	path := filepath.Join(t.TempDir(), "sample.jsonl")
	if err := os.WriteFile(path, []byte(cliDataset), 0o644); err != nil {
		t.Fatal(err)
	}

	stdout, stderr, status := runDatasetsCLI("datasets", "show", "--items", "1", path)
	if status != exitOK {
		t.Fatalf("show status = %d, stderr:\n%s", status, stderr)
	}
	for _, want := range []string{"Dataset cli-sample: reasoning, 2 items", "num_predict: 32", `"id":"q1"`, "Prompt of item \"q1\":\n  Question: What is 6 times 7?"} {
		if !strings.Contains(stdout, want) {
			t.Errorf("show output lacks %q:\n%s", want, stdout)
		}
	}
	if strings.Contains(stdout, `"id":"q2"`) {
		t.Errorf("show --items 1 printed the second item:\n%s", stdout)
	}

	stdout, _, status = runDatasetsCLI("datasets", "validate", path)
	if status != exitOK || !strings.Contains(stdout, "ok  cli-sample  reasoning  2 items") {
		t.Errorf("validate = %d, %q", status, stdout)
	}
}

func TestDatasetsValidateReportsProblems(t *testing.T) {
	path := filepath.Join(t.TempDir(), "bad.jsonl")
	bad := strings.Replace(cliDataset, `"number": 7`, `"number": "seven"`, 1)
	bad = strings.Replace(bad, `"id": "q2"`, `"id": "q1"`, 1)
	if err := os.WriteFile(path, []byte(bad), 0o644); err != nil {
		t.Fatal(err)
	}
	_, stderr, status := runDatasetsCLI("datasets", "validate", path)
	if status != exitFailure {
		t.Errorf("status = %d, want %d", status, exitFailure)
	}
	want := path + ":8: expected.number: must be a JSON number, got a JSON string"
	if !strings.Contains(stderr, want) {
		t.Errorf("stderr lacks %q:\n%s", want, stderr)
	}
}

func TestDatasetsValidateChecksScorer(t *testing.T) {
	path := filepath.Join(t.TempDir(), "scored.jsonl")
	bad := strings.Replace(cliDataset, "num_predict: 32", "num_predict: 32\nscorer_options: {tolerence: 0.1}", 1)
	if err := os.WriteFile(path, []byte(bad), 0o644); err != nil {
		t.Fatal(err)
	}
	_, stderr, status := runDatasetsCLI("datasets", "validate", path)
	if status != exitFailure || !strings.Contains(stderr, "invalid scorer settings in dataset cli-sample") || !strings.Contains(stderr, "tolerence") {
		t.Errorf("validate = %d, stderr:\n%s", status, stderr)
	}
}

func TestDatasetsUsageErrors(t *testing.T) {
	for _, args := range [][]string{
		{"datasets"},
		{"datasets", "frobnicate"},
		{"datasets", "validate"},
		{"datasets", "show"},
		{"datasets", "import", "file.jsonl"},
		{"datasets", "list", "--no-such-flag"},
	} {
		if _, _, status := runDatasetsCLI(args...); status != exitUsage {
			t.Errorf("%v: status = %d, want %d", args, status, exitUsage)
		}
	}
	stdout, _, status := runDatasetsCLI("datasets", "--help")
	if status != exitOK || !strings.Contains(stdout, "Examples:") {
		t.Errorf("datasets --help = %d, %q", status, stdout)
	}
}

func TestDatasetsImportWritesLoadableFile(t *testing.T) {
	dir := t.TempDir()
	src := filepath.Join(dir, "reviews.txt")
	if err := os.WriteFile(src, []byte("1 a warm and funny film .\n0 a long , dull evening .\n"), 0o644); err != nil {
		t.Fatal(err)
	}

	out := filepath.Join(dir, "reviews.jsonl")
	_, stderr, status := runDatasetsCLI("datasets", "import", src, "--format", "sst", "--out", out, "--label-names", "bad, good")
	if status != exitOK {
		t.Fatalf("import status = %d, stderr:\n%s", status, stderr)
	}
	if !strings.Contains(stderr, "wrote 2 items of classification dataset reviews to "+out) {
		t.Errorf("stderr = %q", stderr)
	}
	ds, err := datasets.Load(out)
	if err != nil {
		t.Fatalf("Load(imported): %v", err)
	}
	if ds.Items[0].Expected.Label != "good" || ds.Items[1].Expected.Label != "bad" {
		t.Errorf("labels = %q, %q; want good, bad", ds.Items[0].Expected.Label, ds.Items[1].Expected.Label)
	}

	beside := filepath.Join(dir, "split", "reviews.jsonl")
	if err := os.MkdirAll(filepath.Dir(beside), 0o755); err != nil {
		t.Fatal(err)
	}
	if _, stderr, status := runDatasetsCLI("datasets", "import", "--format", "sst", "--manifest-beside", "--out", beside, src); status != exitOK {
		t.Fatalf("import --manifest-beside status = %d, stderr:\n%s", status, stderr)
	}
	if _, err := os.Stat(filepath.Join(dir, "split", "reviews.yaml")); err != nil {
		t.Errorf("manifest beside the items: %v", err)
	}

	stdout, _, status := runDatasetsCLI("datasets", "import", "--format", "sst", "--limit", "1", src)
	if status != exitOK || !strings.HasPrefix(stdout, "---\nname: reviews\n") || strings.Count(stdout, `"id"`) != 1 {
		t.Errorf("import to stdout = %d:\n%s", status, stdout)
	}
}

func TestDatasetsImportReportsSourceLine(t *testing.T) {
	src := filepath.Join(t.TempDir(), "reviews.txt")
	if err := os.WriteFile(src, []byte("1 fine\nx broken\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, stderr, status := runDatasetsCLI("datasets", "import", "--format", "sst", src)
	if status != exitFailure || !strings.Contains(stderr, src+`:2: label: "x" is not a label number`) {
		t.Errorf("import = %d, stderr:\n%s", status, stderr)
	}
}

func TestDatasetsImportKeepsInputAndExistingFiles(t *testing.T) {
	dir := t.TempDir()
	input := filepath.Join(dir, "sst.txt")
	original := "1 a fine film\n0 a dull film\n"
	os.WriteFile(input, []byte(original), 0o644)

	var stdout, stderr bytes.Buffer
	code := run([]string{"datasets", "import", "--format", "sst", "--out", input, input}, &stdout, &stderr)
	if code != exitUsage || !strings.Contains(stderr.String(), "is the input file") {
		t.Errorf("exit %d, stderr %q: want a usage error naming the input file", code, stderr.String())
	}
	if data, _ := os.ReadFile(input); string(data) != original {
		t.Errorf("the input file was changed: %q", data)
	}

	existing := filepath.Join(dir, "out.jsonl")
	os.WriteFile(existing, []byte("keep me\n"), 0o644)
	stderr.Reset()
	code = run([]string{"datasets", "import", "--format", "sst", "--out", existing, input}, &stdout, &stderr)
	if code != exitUsage || !strings.Contains(stderr.String(), "--force") {
		t.Errorf("exit %d, stderr %q: want a usage error suggesting --force", code, stderr.String())
	}
	if code := run([]string{"datasets", "import", "--format", "sst", "--force", "--out", existing, input}, &stdout, &stderr); code != exitOK {
		t.Errorf("with --force: exit %d, stderr %q", code, stderr.String())
	}
}
