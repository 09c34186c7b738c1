//go:build integration

package datasets_test

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/quantbench/quantbench/datasets"
	"github.com/quantbench/quantbench/evaluators"
)

// sharedFile returns the path of a public benchmark file beside the
// repository, or skips the test when it is absent.
func sharedFile(t *testing.T, rel string) string {
	t.Helper()
	path := filepath.Join("..", "..", "shared", "datasets", rel)
	if _, err := os.Stat(path); err != nil {
		t.Skipf("public benchmark file not available: %v", err)
	}
	return path
}

// scoreFirst scores the first n items of ds with output(item) and fails
// unless each gets the wanted outcome.
func scoreFirst(t *testing.T, ds *datasets.Dataset, n int, want evaluators.Outcome, output func(it *datasets.Item) string) {
	t.Helper()
	scorer, err := evaluators.For(&ds.Manifest)
	if err != nil {
		t.Fatalf("%s: scorer: %v", ds.Manifest.Name, err)
	}
	for i := range min(n, len(ds.Items)) {
		it := &ds.Items[i]
		s, err := scorer.Score(context.Background(), &ds.Manifest, it, output(it))
		if err != nil {
			t.Fatalf("%s item %s: %v", ds.Manifest.Name, it.ID, err)
		}
		if s.Outcome != want {
			t.Errorf("%s item %s: outcome %s (value %v, detail %v), want %s", ds.Manifest.Name, it.ID, s.Outcome, s.Value, s.Detail, want)
		}
	}
}

func TestIntegrationImportedReasoningScores(t *testing.T) {
	ds, err := datasets.Import("gsm8k", sharedFile(t, "gsm8k/test.jsonl"), datasets.ImportOptions{})
	if err != nil {
		t.Fatal(err)
	}
	scoreFirst(t, ds, 200, evaluators.Correct, func(it *datasets.Item) string {
		return "Working it out step by step.\n#### " + strconv.FormatFloat(*it.Expected.Number, 'f', -1, 64)
	})
	scoreFirst(t, ds, 20, evaluators.Wrong, func(it *datasets.Item) string {
		return "#### " + strconv.FormatFloat(*it.Expected.Number+1, 'f', -1, 64)
	})
}

func TestIntegrationImportedLabelsScore(t *testing.T) {
	sst, err := datasets.Import("sst", sharedFile(t, "sst2/stsa.binary.test"), datasets.ImportOptions{})
	if err != nil {
		t.Fatal(err)
	}
	banking, err := datasets.Import("csv", sharedFile(t, "banking77/test.csv"), datasets.ImportOptions{LabelsFile: sharedFile(t, "banking77/categories.json")})
	if err != nil {
		t.Fatal(err)
	}
	for _, ds := range []*datasets.Dataset{sst, banking} {
		scoreFirst(t, ds, 200, evaluators.Correct, func(it *datasets.Item) string { return it.Expected.Label })
		scoreFirst(t, ds, 20, evaluators.Wrong, func(it *datasets.Item) string {
			for _, l := range ds.Manifest.Labels {
				if l != it.Expected.Label {
					return l
				}
			}
			return ""
		})
	}
}

func TestIntegrationImportedSpansScore(t *testing.T) {
	ds, err := datasets.Import("spans", sharedFile(t, "restaurant8k/test.json"), datasets.ImportOptions{})
	if err != nil {
		t.Fatal(err)
	}
	scorer, err := evaluators.For(&ds.Manifest)
	if err != nil {
		t.Fatal(err)
	}
	for i := range 200 {
		it := &ds.Items[i]
		out, _ := json.Marshal(it.Expected.Fields)
		s, err := scorer.Score(context.Background(), &ds.Manifest, it, string(out))
		if err != nil {
			t.Fatalf("item %s: %v", it.ID, err)
		}
		if s.Value != 1 {
			t.Errorf("item %s: value %v (%s, %v) for the expected fields, want 1", it.ID, s.Value, s.Outcome, s.Detail)
		}
	}
}

// canonicalSolutions reads HumanEval's reference solutions by task id.
func canonicalSolutions(t *testing.T, path string) map[string]string {
	t.Helper()
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	zr, err := gzip.NewReader(bytes.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	sc := bufio.NewScanner(zr)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		var row struct {
			TaskID   string `json:"task_id"`
			Solution string `json:"canonical_solution"`
		}
		if err := json.Unmarshal(sc.Bytes(), &row); err != nil {
			t.Fatal(err)
		}
		out[row.TaskID] = row.Solution
	}
	return out
}

func TestIntegrationImportedCodeScores(t *testing.T) {
	if _, err := exec.LookPath("python3"); err != nil {
		t.Skip("python3 not found")
	}
	path := sharedFile(t, "humaneval/HumanEval.jsonl.gz")
	ds, err := datasets.Import("humaneval", path, datasets.ImportOptions{Limit: 8})
	if err != nil {
		t.Fatal(err)
	}
	solutions := canonicalSolutions(t, path)
	scoreFirst(t, ds, 8, evaluators.Passed, func(it *datasets.Item) string {
		return "```python\n" + it.Input["prompt"] + solutions[it.ID] + "```\n"
	})
	scoreFirst(t, ds, 3, evaluators.Failed, func(it *datasets.Item) string {
		return "```python\n" + it.Input["prompt"] + "    return None\n```\n"
	})

	mbpp, err := datasets.Import("mbpp", filepath.Join("testdata", "mbpp.jsonl"), datasets.ImportOptions{Limit: 2})
	if err != nil {
		t.Fatal(err)
	}
	references := map[string]string{
		"mbpp/901": "def sum_squares(values):\n    return sum(v * v for v in values)\n",
		"mbpp/902": "import math\ndef circle_area(r):\n    return math.pi * r * r\n",
	}
	scoreFirst(t, mbpp, 2, evaluators.Passed, func(it *datasets.Item) string {
		return "```python\n" + references[it.ID] + "```"
	})
}
