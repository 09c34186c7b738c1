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
