package gen

import (
	"bufio"
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"text/template"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"

	"github.com/quantbench/quantbench/datasets"
)

// builtinDir is datasets/builtin, where the generated files are committed.
const builtinDir = ".."

func TestCommittedFilesUpToDate(t *testing.T) {
	files, err := Files()
	if err != nil {
		t.Fatal(err)
	}

	generated := map[string]bool{}
	for _, f := range files {
		generated[f.Name] = true
		got, err := os.ReadFile(filepath.Join(builtinDir, f.Name))
		if err != nil {
			t.Errorf("%s: %v; run go generate ./datasets/builtin/gen", f.Name, err)
			continue
		}
		if !bytes.Equal(got, f.Data) {
			t.Errorf("%s differs from the generator output; run go generate ./datasets/builtin/gen", f.Name)
		}
	}

	// A dataset file the generator no longer writes is stale. The sentiment set
	// is written by hand and is not the generator's.
	for _, pattern := range []string{"*.yaml", "*.jsonl"} {
		paths, err := filepath.Glob(filepath.Join(builtinDir, pattern))
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range paths {
			name := filepath.Base(p)
			if !generated[name] && !strings.HasPrefix(name, "sentiment.") {
				t.Errorf("%s is not written by the generator; delete it or add it to the generator", name)
			}
		}
	}
}

func TestFilesDecodeAsDatasets(t *testing.T) {
	files, err := Files()
	if err != nil {
		t.Fatal(err)
	}
	byName := map[string][]byte{}
	for _, f := range files {
		byName[f.Name] = f.Data
	}

	perCategory := map[datasets.Category]int{}
	for _, d := range Datasets() {
		name := d.Manifest.Name
		var m datasets.Manifest
		if err := yaml.Unmarshal(byName[name+".yaml"], &m); err != nil {
			t.Fatalf("%s.yaml: %v", name, err)
		}
		if m.Name != name || m.Category != d.Manifest.Category || m.NumPredict <= 0 || m.Template == "" {
			t.Errorf("%s.yaml decodes to name %q, category %q, num_predict %d, template %q", name, m.Name, m.Category, m.NumPredict, m.Template)
		}
		tmpl, err := template.New(name).Option("missingkey=error").Parse(m.Template)
		if err != nil {
			t.Fatalf("%s.yaml: template: %v", name, err)
		}

		items := decodeItems(t, name+".jsonl", byName[name+".jsonl"])
		if len(items) != len(d.Items) {
			t.Errorf("%s.jsonl: %d items, want %d", name, len(items), len(d.Items))
		}
		perCategory[m.Category] += len(items)

		for _, it := range items {
			if err := tmpl.Execute(new(bytes.Buffer), it.Input); err != nil {
				t.Errorf("%s.jsonl:%d: item %s: template: %v", name, it.Line, it.ID, err)
			}
			checkExpectedShape(t, name, m, it)
		}
	}

	for _, c := range datasets.Categories {
		if perCategory[c] < 60 {
			t.Errorf("category %s has %d generated items, want at least 60", c, perCategory[c])
		}
	}
}

func decodeItems(t *testing.T, name string, data []byte) []datasets.Item {
	t.Helper()
	var items []datasets.Item
	ids := map[string]int{}
	scanner := bufio.NewScanner(bytes.NewReader(data))
	scanner.Buffer(nil, 1<<20)
	for line := 1; scanner.Scan(); line++ {
		raw := scanner.Bytes()
		if !utf8.Valid(raw) {
			t.Errorf("%s:%d: invalid UTF-8", name, line)
		}
		if len(raw) > 16<<10 {
			t.Errorf("%s:%d: line of %d bytes, keep items under 16 KiB", name, line, len(raw))
		}

		dec := json.NewDecoder(bytes.NewReader(raw))
		dec.DisallowUnknownFields()
		var it datasets.Item
		if err := dec.Decode(&it); err != nil {
			t.Fatalf("%s:%d: %v", name, line, err)
		}
		it.Line = line
		if it.ID == "" {
			t.Errorf("%s:%d: empty id", name, line)
		}
		if first, dup := ids[it.ID]; dup {
			t.Errorf("%s:%d: id %s already used on line %d", name, line, it.ID, first)
		}
		ids[it.ID] = line
		items = append(items, it)
	}
	if err := scanner.Err(); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return items
}

func checkExpectedShape(t *testing.T, name string, m datasets.Manifest, it datasets.Item) {
	t.Helper()
	where := name + ".jsonl item " + it.ID
	e := it.Expected

	switch m.Category {
	case datasets.Classification:
		found := false
		for _, l := range m.Labels {
			found = found || l == e.Label
		}
		if !found {
			t.Errorf("%s: label %q not in %v", where, e.Label, m.Labels)
		}
	case datasets.Extraction:
		kinds, _ := m.ScorerOptions["fields"].(map[string]any)
		if len(e.Fields) == 0 || len(e.Fields) != len(kinds) {
			t.Errorf("%s: %d fields, scorer_options.fields has %d", where, len(e.Fields), len(kinds))
		}
		for field := range e.Fields {
			if _, ok := kinds[field]; !ok {
				t.Errorf("%s: field %s has no type in scorer_options.fields", where, field)
			}
		}
	case datasets.Code:
		if e.Tests == "" || e.EntryPoint == "" || !strings.Contains(it.Input["prompt"], "def "+e.EntryPoint+"(") {
			t.Errorf("%s: tests %d bytes, entry point %q not defined in the prompt", where, len(e.Tests), e.EntryPoint)
		}
	case datasets.Reasoning:
		if e.Number == nil {
			t.Errorf("%s: number missing", where)
		}
	case datasets.Creative:
		if e.Constraints == nil {
			t.Errorf("%s: constraints missing", where)
		}
	}
}

// The loader reads these files in every run, so each committed dataset must
// pass its validation.
func TestLoaderAcceptsCommittedFiles(t *testing.T) {
	for _, d := range Datasets() {
		name := d.Manifest.Name
		loaded, err := datasets.Load(filepath.Join(builtinDir, name+".jsonl"))
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		if loaded.Manifest.Category != d.Manifest.Category || len(loaded.Items) != len(d.Items) {
			t.Errorf("%s: loaded category %s with %d items, want %s with %d", name, loaded.Manifest.Category, len(loaded.Items), d.Manifest.Category, len(d.Items))
		}
		if d.Manifest.Schema != nil && len(loaded.Manifest.Schema) == 0 {
			t.Errorf("%s: schema lost on loading", name)
		}
	}
}
