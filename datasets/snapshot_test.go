package datasets

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

func number(f float64) *float64 { return &f }

// sampleDatasets returns one dataset a category, with the manifest features
// that a YAML round trip could lose: multi-line templates, a "---" line
// inside a template, trailing spaces, non-ASCII text, scorer options of
// several types and an ordered schema.
func sampleDatasets() []*Dataset {
	return []*Dataset{
		{Manifest: Manifest{
			Name: "intents", Category: Classification, Description: "Support intents: refunds & <delivery>",
			Template: "Classify: {{.text}}\n---\nLabels: {{labels}}  \n", System: "You are terse.\n\n", NumPredict: 16,
			Labels: []string{"refund", "delivery", "yes", "null", "123"},
		}, Items: []Item{
			{ID: "i1", Input: map[string]string{"text": "Où est mon colis ? <b>"}, Expected: Expected{Label: "delivery"}},
			{ID: "i2", Input: map[string]string{"text": "money back\tplease"}, Expected: Expected{Label: "refund"}},
		}},
		{Manifest: Manifest{
			Name: "invoices", Category: Extraction, Template: "Document:\n{{.doc}}\n", NumPredict: 256,
			Scorer:        "json_fields",
			ScorerOptions: map[string]any{"fields": []any{"total", "date"}, "date_order": "dmy", "threshold": 0.5, "strict": true, "count": 2},
			Schema:        json.RawMessage(`{"type":"object","properties":{"total":{"type":"string"},"date":{"type":"string","format":"date"}},"required":["total"],"max":1.0}`),
		}, Items: []Item{
			{ID: "d1", Input: map[string]string{"doc": "Total: 1.234,50 €\nDate: 3/4/2024"}, Expected: Expected{Fields: map[string]string{"total": "1234.50", "date": "2024-04-03"}}},
		}},
		{Manifest: Manifest{Name: "funcs", Category: Code, Template: "{{.prompt}}", NumPredict: 512}, Items: []Item{
			{ID: "c1", Input: map[string]string{"prompt": "def add(a, b):\n    \"\"\"Return a+b.\"\"\"\n"}, Expected: Expected{Tests: "assert add(1, 2) == 3\nassert add(-1, 1) == 0\n", EntryPoint: "add"}},
		}},
		{Manifest: Manifest{Name: "sums", Category: Reasoning, Template: "Q: {{.q}}", NumPredict: 300}, Items: []Item{
			{ID: "r1", Input: map[string]string{"q": "10 - 12.5?"}, Expected: Expected{Number: number(-2.5)}},
			{ID: "r2", Input: map[string]string{"q": "big"}, Expected: Expected{Number: number(1e21)}},
			{ID: "r3", Input: map[string]string{"q": "zero"}, Expected: Expected{Number: number(0)}},
		}},
		{Manifest: Manifest{Name: "poems", Category: Creative, Template: "Write about {{.topic}}.", NumPredict: 200}, Items: []Item{
			{ID: "p1", Input: map[string]string{"topic": "rain"}, Expected: Expected{Constraints: &Constraints{MinWords: 20, MaxWords: 60, Required: []string{"cloud"}, Forbidden: []string{"sun"}, Lines: 4, Form: "acrostic:RAIN"}}},
		}},
	}
}

func TestSnapshotRoundTrip(t *testing.T) {
	dir := t.TempDir()
	for _, ds := range sampleDatasets() {
		t.Run(ds.Manifest.Name, func(t *testing.T) {
			orig, err := finishImport("sample", ds)
			if err != nil {
				t.Fatalf("validate sample: %v", err)
			}
			rel, err := WriteSnapshot(orig, dir)
			if err != nil {
				t.Fatalf("WriteSnapshot: %v", err)
			}
			if want := filepath.Join("datasets", orig.Manifest.Name+".jsonl"); rel != want {
				t.Errorf("relative path = %q, want %q", rel, want)
			}
			back, err := Load(filepath.Join(dir, rel))
			if err != nil {
				t.Fatalf("Load(snapshot): %v", err)
			}
			if back.SHA256 != orig.SHA256 {
				t.Errorf("sha256 after round trip = %s, want %s", back.SHA256, orig.SHA256)
			}
			if !reflect.DeepEqual(back.Manifest, orig.Manifest) {
				t.Errorf("manifest after round trip:\n got %#v\nwant %#v", back.Manifest, orig.Manifest)
			}
			for i := range orig.Items {
				back.Items[i].Line = 0
				if !reflect.DeepEqual(back.Items[i], orig.Items[i]) {
					t.Errorf("item %d after round trip:\n got %#v\nwant %#v", i, back.Items[i], orig.Items[i])
				}
			}

			again, err := WriteSnapshot(back, dir)
			if err != nil || again != rel {
				t.Errorf("second WriteSnapshot of the same content = %q, %v; want %q, nil", again, err, rel)
			}
		})
	}
}

func TestSnapshotKeepsSHAOfLoadedFile(t *testing.T) {
	dir := t.TempDir()
	src := writeFile(t, filepath.Join(dir, "src", "q.jsonl"), `{"id":"1","input":{"q":"one"},"expected":{"number":1.50}}`+"\n")
	writeFile(t, filepath.Join(dir, "src", "q.yaml"), "# reasoning sample\nname: q\ncategory: reasoning\ntemplate: >-\n  Answer: {{.q}}\nnum_predict: 10\nscorer_options:\n  tolerance: 1e-6\n")
	ds, err := Load(src)
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	rel, err := WriteSnapshot(ds, filepath.Join(dir, "results"))
	if err != nil {
		t.Fatalf("WriteSnapshot: %v", err)
	}
	back, err := Load(filepath.Join(dir, "results", rel))
	if err != nil {
		t.Fatalf("Load(snapshot): %v", err)
	}
	if back.SHA256 != ds.SHA256 {
		t.Errorf("snapshot sha256 = %s, want %s", back.SHA256, ds.SHA256)
	}
	info, err := os.Stat(filepath.Join(dir, "results", rel))
	if err != nil {
		t.Fatal(err)
	}
	if perm := info.Mode().Perm(); perm != 0o644 {
		t.Errorf("snapshot mode = %v, want 0644", perm)
	}
}

func TestSnapshotRejectsPathInName(t *testing.T) {
	ds := &Dataset{Manifest: Manifest{Name: "../escape"}}
	if _, err := WriteSnapshot(ds, t.TempDir()); err == nil || !strings.Contains(err.Error(), `invalid dataset name "../escape"`) {
		t.Fatalf("WriteSnapshot = %v, want an invalid name error", err)
	}
}

func TestSnapshotRejectsOtherContentUnderSameName(t *testing.T) {
	dir := t.TempDir()
	samples := sampleDatasets()
	a, err := finishImport("a", samples[3])
	if err != nil {
		t.Fatal(err)
	}
	if _, err := WriteSnapshot(a, dir); err != nil {
		t.Fatal(err)
	}
	b := *a
	b.Items = a.Items[:1]
	_, err = WriteSnapshot(&b, dir)
	if err == nil || !strings.Contains(err.Error(), `two datasets named "sums"`) {
		t.Fatalf("WriteSnapshot = %v, want an error about two datasets named sums", err)
	}
}

func TestWriteManifestBeside(t *testing.T) {
	dir := t.TempDir()
	ds, err := finishImport("sample", sampleDatasets()[1])
	if err != nil {
		t.Fatal(err)
	}
	var manifest, items strings.Builder
	if err := WriteManifest(&manifest, ds); err != nil {
		t.Fatal(err)
	}
	if err := WriteItems(&items, ds.Items); err != nil {
		t.Fatal(err)
	}
	writeFile(t, filepath.Join(dir, "inv.yaml"), manifest.String())
	path := writeFile(t, filepath.Join(dir, "inv.jsonl"), items.String())
	back, err := Load(path)
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	if back.SHA256 != ds.SHA256 {
		t.Errorf("sha256 = %s, want %s", back.SHA256, ds.SHA256)
	}
}

func TestRender(t *testing.T) {
	m := &Manifest{
		Name: "t", Category: Classification, Labels: []string{"a", "b"},
		System:   "Answer with one of {{labels}}.",
		Template: "Text: {{.text}}\n{{if .hint}}Hint: {{.hint}}\n{{end}}Label:",
	}
	it := &Item{ID: "x", Input: map[string]string{"text": "hello <world>", "hint": ""}}
	system, prompt, err := Render(m, it)
	if err != nil {
		t.Fatalf("Render: %v", err)
	}
	if system != "Answer with one of a, b." {
		t.Errorf("system = %q", system)
	}
	if prompt != "Text: hello <world>\nLabel:" {
		t.Errorf("prompt = %q", prompt)
	}

	it.Input["hint"] = "short"
	if _, prompt, _ = Render(m, it); prompt != "Text: hello <world>\nHint: short\nLabel:" {
		t.Errorf("prompt with hint = %q", prompt)
	}
}

func TestRenderNoSystem(t *testing.T) {
	system, prompt, err := Render(&Manifest{Template: "{{.q}}?"}, &Item{Input: map[string]string{"q": "why"}})
	if err != nil || system != "" || prompt != "why?" {
		t.Errorf("Render = %q, %q, %v; want \"\", \"why?\", nil", system, prompt, err)
	}
}

func TestRenderMissingKey(t *testing.T) {
	_, _, err := Render(&Manifest{Template: "{{.text}} {{.other}}"}, &Item{ID: "i9", Input: map[string]string{"text": "x"}})
	var re *RenderError
	if !errors.As(err, &re) {
		t.Fatalf("Render error = %v, want a *RenderError", err)
	}
	if re.MissingKey != "other" || re.ItemID != "i9" || re.Template != "template" {
		t.Errorf("RenderError = %+v", re)
	}
	if !strings.Contains(err.Error(), `item "i9": the template references {{.other}}`) {
		t.Errorf("message = %q", err.Error())
	}
}

func TestRenderStopsRunawayTemplate(t *testing.T) {
	_, _, err := Render(&Manifest{Template: "{{range 100000000}}{{$.x}}{{end}}"}, &Item{Input: map[string]string{"x": "abcdefgh"}})
	if err == nil || !strings.Contains(err.Error(), "longer than") {
		t.Fatalf("Render = %v, want an error about the output size", err)
	}
}
