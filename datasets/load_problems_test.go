package datasets

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestLoadRejectsEmptyRenderedPrompt(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "d.yaml"), []byte("name: d\ncategory: classification\ntemplate: \"{{.text}}\"\nnum_predict: 4\nlabels: [a, b]\n"), 0o644)
	path := filepath.Join(dir, "d.jsonl")
	os.WriteFile(path, []byte(`{"id":"1","input":{"text":"fine"},"expected":{"label":"a"}}`+"\n"+`{"id":"2","input":{"text":"  "},"expected":{"label":"b"}}`+"\n"), 0o644)

	_, err := Load(path)
	if err == nil {
		t.Fatal("a dataset whose second item renders an empty prompt was accepted")
	}
	if !strings.Contains(err.Error(), "d.jsonl:2") || !strings.Contains(err.Error(), "empty prompt") {
		t.Errorf("error = %q, want d.jsonl:2 and the empty prompt", err)
	}
}

func TestLoadReportsProblemsAfterUnknownKey(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "d.yaml"), []byte("name: d\ncategory: clasification\ntemplate: \"{{.text\"\nnum_predict: 4\ncolour: red\n"), 0o644)
	path := filepath.Join(dir, "d.jsonl")
	os.WriteFile(path, []byte(`{"id":"1","input":{"text":"x"},"expected":{"label":"a"}}`+"\n"+`{"id":"1","input":{"text":"y"},"expected":{"label":"a"}}`+"\n"), 0o644)

	_, err := Load(path)
	if err == nil {
		t.Fatal("an invalid dataset was accepted")
	}
	for _, want := range []string{"d.yaml:5: colour: unknown manifest key", "d.yaml:2: category", "d.yaml:3: template", "d.jsonl:2: id: duplicate id"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error lacks %q:\n%s", want, err)
		}
	}
}
