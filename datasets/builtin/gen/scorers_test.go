package gen

import (
	"context"
	"encoding/json"
	"fmt"
	"path/filepath"
	"testing"

	"github.com/quantbench/quantbench/datasets"
	"github.com/quantbench/quantbench/evaluators"
)

// idealOutput writes the answer a perfect model would give to an item, in the
// format the prompt requests.
func idealOutput(t *testing.T, category datasets.Category, it datasets.Item) string {
	t.Helper()
	e := it.Expected
	switch category {
	case datasets.Classification:
		return e.Label
	case datasets.Extraction:
		data, err := json.Marshal(e.Fields)
		if err != nil {
			t.Fatal(err)
		}
		return string(data)
	case datasets.Reasoning:
		return fmt.Sprintf("Working it through step by step gives the result.\n#### %s", groupDigits(int(*e.Number)))
	case datasets.Code:
		for _, task := range codeTasks {
			if task.entry == e.EntryPoint {
				return "```python\n" + task.solution + "```"
			}
		}
		t.Fatalf("item %s: no reference solution", it.ID)
	case datasets.Creative:
		return witnessText(e.Constraints)
	}
	t.Fatalf("item %s: unknown category %s", it.ID, category)
	return ""
}

// TestScorersGiveFullMarks loads each committed dataset as the runner does and
// scores an ideal output for every item with the category's real scorer. Code
// items run in the scorer's sandbox.
func TestScorersGiveFullMarks(t *testing.T) {
	python(t)
	if testing.Short() {
		t.Skip("runs every code task in the sandbox")
	}

	for _, d := range Datasets() {
		ds, err := datasets.Load(filepath.Join(builtinDir, d.Manifest.Name+".jsonl"))
		if err != nil {
			t.Fatalf("%s: %v", d.Manifest.Name, err)
		}
		scorer, err := evaluators.For(&ds.Manifest)
		if err != nil {
			t.Fatalf("%s: %v", d.Manifest.Name, err)
		}

		for _, it := range ds.Items {
			output := idealOutput(t, ds.Manifest.Category, it)
			score, err := scorer.Score(context.Background(), &ds.Manifest, &it, output)
			if err != nil {
				t.Errorf("%s item %s: %v", ds.Manifest.Name, it.ID, err)
				continue
			}
			if score.Value != 1 {
				t.Errorf("%s item %s: ideal output scores %v (%s), detail %v", ds.Manifest.Name, it.ID, score.Value, score.Outcome, score.Detail)
			}
		}
	}
}
