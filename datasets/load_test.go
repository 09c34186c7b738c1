package datasets

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// sentimentHeader is a valid manifest header; items start on line 8.
const sentimentHeader = `---
name: sentiment-test
category: classification
template: "Review: {{.text}}\nSentiment:"
num_predict: 8
labels: [negative, positive]
---
`

func writeFile(t *testing.T, path, content string) string {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestLoadHeaderDataset(t *testing.T) {
	path := writeFile(t, filepath.Join(t.TempDir(), "s.jsonl"), sentimentHeader+
		`{"id": "a", "input": {"text": "Loved it"}, "expected": {"label": "positive"}}`+"\n\n"+
		`{"id": "b", "input": {"text": "Dull <and> slow"}, "expected": {"label": "negative"}}`+"\r\n")

	ds, err := Load(path)
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	if ds.Manifest.Name != "sentiment-test" || ds.Manifest.Category != Classification || ds.Manifest.NumPredict != 8 {
		t.Errorf("manifest = %+v", ds.Manifest)
	}
	if len(ds.Items) != 2 {
		t.Fatalf("items = %d, want 2", len(ds.Items))
	}
	if ds.Items[0].Line != 8 || ds.Items[1].Line != 10 {
		t.Errorf("item lines = %d, %d, want 8, 10", ds.Items[0].Line, ds.Items[1].Line)
	}
	if ds.Items[1].Input["text"] != "Dull <and> slow" || ds.Items[1].Expected.Label != "negative" {
		t.Errorf("item b = %+v", ds.Items[1])
	}
	if ds.Source != path {
		t.Errorf("source = %q, want %q", ds.Source, path)
	}
	if len(ds.SHA256) != 64 {
		t.Errorf("sha256 = %q, want 64 hex digits", ds.SHA256)
	}
}

func TestLoadManifestLocations(t *testing.T) {
	const manifest = "name: m\ncategory: reasoning\ntemplate: \"Q: {{.q}}\"\nnum_predict: 64\n"
	const items = `{"id": "1", "input": {"q": "2+2"}, "expected": {"number": 4}}` + "\n"

	dir := t.TempDir()
	header := writeFile(t, filepath.Join(dir, "header", "m.jsonl"), "---\n"+manifest+"---\n"+items)
	besideYAML := writeFile(t, filepath.Join(dir, "beside", "m.jsonl"), items)
	writeFile(t, filepath.Join(dir, "beside", "m.yaml"), manifest)
	besideYML := writeFile(t, filepath.Join(dir, "yml", "m.jsonl"), items)
	writeFile(t, filepath.Join(dir, "yml", "m.yml"), manifest)
	folder := writeFile(t, filepath.Join(dir, "folder", "m.jsonl"), items)
	writeFile(t, filepath.Join(dir, "folder", "manifest.yaml"), manifest)

	want := ""
	for _, path := range []string{header, besideYAML, besideYML, folder, filepath.Join(dir, "beside", "m.yaml")} {
		ds, err := Load(path)
		if err != nil {
			t.Fatalf("Load(%s): %v", path, err)
		}
		if want == "" {
			want = ds.SHA256
		}
		if ds.SHA256 != want {
			t.Errorf("Load(%s) sha256 = %s, want %s as for the header form", path, ds.SHA256, want)
		}
		if len(ds.Items) != 1 || *ds.Items[0].Expected.Number != 4 {
			t.Errorf("Load(%s) items = %+v", path, ds.Items)
		}
	}
}

func TestLoadHeaderAndBesideManifest(t *testing.T) {
	dir := t.TempDir()
	path := writeFile(t, filepath.Join(dir, "s.jsonl"), sentimentHeader+`{"id": "a", "input": {"text": "x"}, "expected": {"label": "positive"}}`+"\n")
	writeFile(t, filepath.Join(dir, "s.yaml"), "name: other\n")
	_, err := Load(path)
	if err == nil || !strings.Contains(err.Error(), "s.jsonl:1: the file has a manifest header and") {
		t.Fatalf("Load = %v, want an error about two manifests", err)
	}
}

func TestLoadMissingFile(t *testing.T) {
	_, err := Load(filepath.Join(t.TempDir(), "absent.jsonl"))
	if err == nil || !strings.Contains(err.Error(), "absent.jsonl") {
		t.Fatalf("Load = %v, want an error naming the file", err)
	}
}

// item is a valid sentiment item line with the given id and label.
func item(id, label string) string {
	return `{"id": "` + id + `", "input": {"text": "fine"}, "expected": {"label": "` + label + `"}}`
}

func TestLoadValidationErrors(t *testing.T) {
	long := `{"id": "big", "input": {"text": "` + strings.Repeat("x", MaxLineBytes) + `"}, "expected": {"label": "positive"}}`
	tests := []struct {
		name    string
		content string
		want    []string
	}{
		{"invalid JSON syntax", sentimentHeader + `{"id": "a",, "input": {}}`,
			[]string{"F:8: invalid JSON at byte 12: invalid character ','"}},
		{"truncated object", sentimentHeader + `{"id": "a", "input": {"text": "x"}`,
			[]string{"F:8: invalid JSON: the object ends before its closing brace"}},
		{"extra text after object", sentimentHeader + item("a", "positive") + ` {"id": "b"}`,
			[]string{"F:8: invalid JSON: extra text after the object"}},
		{"line not an object", sentimentHeader + `["a", "b"]`,
			[]string{"F:8: each line must be a JSON object, got a JSON array"}},
		{"missing id", sentimentHeader + `{"input": {"text": "x"}, "expected": {"label": "positive"}}`,
			[]string{"F:8: id: missing"}},
		{"id with newline", sentimentHeader + item(`a\nb`, "positive"),
			[]string{`F:8: id: "a\nb" contains a control character`}},
		{"id with outer space", sentimentHeader + item(" a", "positive"),
			[]string{`F:8: id: " a" starts or ends with white space`}},
		{"missing input", sentimentHeader + `{"id": "a", "expected": {"label": "positive"}}`,
			[]string{"F:8: input: missing"}},
		{"input value not a string", sentimentHeader + `{"id": "a", "input": {"text": 5}, "expected": {"label": "positive"}}`,
			[]string{"F:8: input.text: must be a JSON string, got a JSON number"}},
		{"unknown item field", sentimentHeader + `{"id": "a", "input": {"text": "x"}, "expected": {"lable": "positive"}}`,
			[]string{`F:8: lable: unknown field; an item has id, input and expected`}},
		{"missing label", sentimentHeader + `{"id": "a", "input": {"text": "x"}, "expected": {}}`,
			[]string{`F:8: expected.label: missing; give the correct label, one of ["negative", "positive"]`}},
		{"label not in label set", sentimentHeader + item("a", "neutral"),
			[]string{`F:8: expected.label: label "neutral" is not in the label set ["negative", "positive"]`}},
		{"duplicate id", sentimentHeader + item("a", "positive") + "\n" + item("b", "positive") + "\n" + item("a", "negative"),
			[]string{`F:10: id: duplicate id "a", first used on line 8`}},
		{"invalid UTF-8", sentimentHeader + `{"id": "a", "input": {"text": "caf` + "\xe9" + `"}, "expected": {"label": "positive"}}`,
			[]string{"F:8: invalid UTF-8 at byte 35; save the file as UTF-8"}},
		{"line over size limit", sentimentHeader + item("a", "positive") + "\n" + long,
			[]string{"F:9: the line is 1048647 bytes, over the limit of 1048576 bytes"}},
		{"expected field of other category", sentimentHeader + `{"id": "a", "input": {"text": "x"}, "expected": {"label": "positive", "number": 3}}`,
			[]string{"F:8: expected.number: is not used by classification datasets (they use expected.label)"}},
		{"template references missing key", "---\nname: s\ncategory: classification\ntemplate: \"{{.review}}\"\nnum_predict: 8\nlabels: [negative, positive]\n---\n" + item("a", "positive"),
			[]string{`F:8: input: the template references {{.review}} but the item's input has no key "review"`}},
		{"template does not parse", "---\nname: s\ncategory: classification\ntemplate: \"{{.text\"\nnum_predict: 8\nlabels: [negative, positive]\n---\n" + item("a", "positive"),
			[]string{"F:4: template: does not parse: template:1: unclosed action"}},
		{"system template does not parse", "---\nname: s\ncategory: classification\ntemplate: \"{{.text}}\"\nsystem: \"{{end}}\"\nnum_predict: 8\nlabels: [negative, positive]\n---\n" + item("a", "positive"),
			[]string{"F:5: system: does not parse"}},
		{"missing template", "---\nname: s\ncategory: classification\nnum_predict: 8\nlabels: [negative, positive]\n---\n" + item("a", "positive"),
			[]string{"F:2: template: missing"}},
		{"unknown category", "---\nname: s\ncategory: poetry\ntemplate: x\nnum_predict: 8\n---\n" + item("a", "positive"),
			[]string{`F:3: category: unknown category "poetry"; use one of classification, extraction, code, reasoning, creative`}},
		{"missing name", "---\ncategory: classification\ntemplate: x\nnum_predict: 8\nlabels: [a]\n---\n" + item("a", "a"),
			[]string{"F:2: name: missing"}},
		{"invalid name", "---\nname: my set\ncategory: classification\ntemplate: x\nnum_predict: 8\nlabels: [a]\n---\n" + item("a", "a"),
			[]string{`F:2: name: invalid name "my set"`}},
		{"num_predict missing", "---\nname: s\ncategory: classification\ntemplate: x\nlabels: [a]\n---\n" + item("a", "a"),
			[]string{"F:2: num_predict: missing; set the maximum number of tokens"}},
		{"num_predict zero", "---\nname: s\ncategory: classification\ntemplate: x\nnum_predict: 0\nlabels: [a]\n---\n" + item("a", "a"),
			[]string{"F:5: num_predict: must be greater than 0, got 0"}},
		{"num_predict negative", "---\nname: s\ncategory: classification\ntemplate: x\nnum_predict: -5\nlabels: [a]\n---\n" + item("a", "a"),
			[]string{"F:5: num_predict: must be greater than 0, got -5"}},
		{"num_predict not a number", "---\nname: s\ncategory: classification\ntemplate: x\nnum_predict: lots\nlabels: [a]\n---\n" + item("a", "a"),
			[]string{"F:5: num_predict: cannot unmarshal !!str `lots` into int"}},
		{"unknown manifest key", "---\nname: s\ncategory: classification\ntemperature: 0.7\ntemplate: x\nnum_predict: 8\nlabels: [a]\n---\n" + item("a", "a"),
			[]string{"F:4: temperature: unknown manifest key; the known keys are name, category, description, template, system, scorer, scorer_options, num_predict, labels, schema"}},
		{"invalid manifest YAML", "---\nname: s\ncategory: [classification\n---\n" + item("a", "a"),
			[]string{"F:3: invalid manifest YAML: did not find expected ',' or ']'"}},
		{"manifest not a mapping", "---\n- name\n---\n" + item("a", "a"),
			[]string{"F:2: the manifest must be a YAML mapping"}},
		{"labels missing", "---\nname: s\ncategory: classification\ntemplate: x\nnum_predict: 8\n---\n" + item("a", "a"),
			[]string{"F:2: labels: missing"}},
		{"duplicate label", "---\nname: s\ncategory: classification\ntemplate: x\nnum_predict: 8\nlabels: [a, b, a]\n---\n" + item("a", "a"),
			[]string{`F:6: labels[2]: duplicate label "a"`}},
		{"labels on another category", "---\nname: s\ncategory: reasoning\ntemplate: x\nnum_predict: 8\nlabels: [a]\n---\n" + `{"id": "1", "input": {}, "expected": {"number": 1}}`,
			[]string{"F:6: labels: only classification datasets take a label set"}},
		{"schema on another category", "---\nname: s\ncategory: reasoning\ntemplate: x\nnum_predict: 8\nschema: {type: object}\n---\n" + `{"id": "1", "input": {}, "expected": {"number": 1}}`,
			[]string{"F:6: schema: only extraction datasets take a schema"}},
		{"schema not an object", "---\nname: s\ncategory: extraction\ntemplate: x\nnum_predict: 8\nschema: [1, 2]\n---\n" + `{"id": "1", "input": {}, "expected": {"fields": {"a": "b"}}}`,
			[]string{"F:6: schema: must be a JSON schema object"}},
		{"schema string not JSON", "---\nname: s\ncategory: extraction\ntemplate: x\nnum_predict: 8\nschema: '{type: object'\n---\n" + `{"id": "1", "input": {}, "expected": {"fields": {"a": "b"}}}`,
			[]string{"F:6: schema: is not valid JSON"}},
		{"extraction missing fields", "---\nname: s\ncategory: extraction\ntemplate: x\nnum_predict: 8\n---\n" + `{"id": "1", "input": {}, "expected": {}}`,
			[]string{"F:7: expected.fields: missing"}},
		{"extraction field outside schema", "---\nname: s\ncategory: extraction\ntemplate: x\nnum_predict: 8\nschema: {type: object, properties: {total: {type: string}, date: {type: string}}}\n---\n" + `{"id": "1", "input": {}, "expected": {"fields": {"total": "1", "vendor": "Acme"}}}`,
			[]string{"F:8: expected.fields.vendor: is not a property of the manifest's schema (date, total)"}},
		{"reasoning missing number", "---\nname: s\ncategory: reasoning\ntemplate: x\nnum_predict: 8\n---\n" + `{"id": "1", "input": {}, "expected": {}}`,
			[]string{"F:7: expected.number: missing"}},
		{"reasoning number as string", "---\nname: s\ncategory: reasoning\ntemplate: x\nnum_predict: 8\n---\n" + `{"id": "1", "input": {}, "expected": {"number": "42"}}`,
			[]string{"F:7: expected.number: must be a JSON number, got a JSON string"}},
		{"code missing tests and entry point", "---\nname: s\ncategory: code\ntemplate: x\nnum_predict: 8\n---\n" + `{"id": "1", "input": {}, "expected": {}}`,
			[]string{"F:7: expected.tests: missing", "F:7: expected.entry_point: missing"}},
		{"code entry point not an identifier", "---\nname: s\ncategory: code\ntemplate: x\nnum_predict: 8\n---\n" + `{"id": "1", "input": {}, "expected": {"tests": "assert f()", "entry_point": "f()"}}`,
			[]string{`F:7: expected.entry_point: "f()" is not a Python identifier`}},
		{"creative missing constraints", "---\nname: s\ncategory: creative\ntemplate: x\nnum_predict: 8\n---\n" + `{"id": "1", "input": {}, "expected": {}}`,
			[]string{"F:7: expected.constraints: missing"}},
		{"creative empty constraints", "---\nname: s\ncategory: creative\ntemplate: x\nnum_predict: 8\n---\n" + `{"id": "1", "input": {}, "expected": {"constraints": {}}}`,
			[]string{"F:7: expected.constraints: missing; give at least one constraint"}},
		{"creative word range reversed", "---\nname: s\ncategory: creative\ntemplate: x\nnum_predict: 8\n---\n" + `{"id": "1", "input": {}, "expected": {"constraints": {"min_words": 50, "max_words": 10}}}`,
			[]string{"F:7: expected.constraints.min_words: min_words 50 is greater than max_words 10"}},
		{"creative required and forbidden", "---\nname: s\ncategory: creative\ntemplate: x\nnum_predict: 8\n---\n" + `{"id": "1", "input": {}, "expected": {"constraints": {"required": ["sea"], "forbidden": ["sea"]}}}`,
			[]string{`F:7: expected.constraints.required[0]: "sea" is both required and forbidden`}},
		{"unclosed header", "---\nname: s\n" + item("a", "a"),
			[]string{"F:1: the manifest header opened by --- on line 1 is not closed"}},
		{"no manifest", item("a", "a"),
			[]string{"F:1: no manifest found"}},
		{"no items", sentimentHeader + "\n\n",
			[]string{"F: the dataset has no items"}},
		{"manifest error keeps item checks", "---\nname: s\ncategory: classification\ntemplate: \"{{.txt}}\"\nnum_predict: 0\nlabels: [a]\n---\n" + item("1", "b"),
			[]string{"F:5: num_predict: must be greater than 0", `F:8: expected.label: label "b" is not in the label set ["a"]`, `F:8: input: the template references {{.txt}}`}},
		{"tab in manifest", "---\nname: s\ncategory: classification\n\ttemplate: x\n---\n" + item("a", "a"),
			[]string{"F:3: invalid manifest YAML: found a tab character that violates indentation"}},
		{"several errors in one file", sentimentHeader + item("a", "neutral") + "\n" + `{"id": "b"` + "\n" + item("a", "positive"),
			[]string{`F:8: expected.label: label "neutral"`, "F:9: invalid JSON", `F:10: id: duplicate id "a", first used on line 8`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := writeFile(t, filepath.Join(t.TempDir(), "d.jsonl"), tt.content)
			_, err := Load(path)
			if err == nil {
				t.Fatal("Load succeeded, want an error")
			}
			var ve *ValidationError
			if !errors.As(err, &ve) {
				t.Fatalf("Load error %T %q, want a *ValidationError", err, err)
			}
			msg := err.Error()
			for _, want := range tt.want {
				want = strings.ReplaceAll(want, "F:", path+":")
				if !strings.Contains(msg, want) {
					t.Errorf("error does not contain %q:\n%s", want, msg)
				}
			}
			if len(ve.Errors) < len(tt.want) {
				t.Errorf("got %d errors, want at least %d:\n%s", len(ve.Errors), len(tt.want), msg)
			}
		})
	}
}

func TestLoadBesideManifestErrorsNameManifest(t *testing.T) {
	dir := t.TempDir()
	items := writeFile(t, filepath.Join(dir, "q.jsonl"), `{"id": "1", "input": {}, "expected": {"number": 1}}`+"\n")
	manifest := writeFile(t, filepath.Join(dir, "q.yaml"), "name: q\ncategory: maths\ntemplate: x\nnum_predict: 8\n")
	_, err := Load(items)
	want := manifest + `:2: category: unknown category "maths"`
	if err == nil || !strings.Contains(err.Error(), want) {
		t.Fatalf("Load = %v, want an error containing %q", err, want)
	}
}

func TestLoadCollectsAtMostMaxErrors(t *testing.T) {
	var b strings.Builder
	b.WriteString(sentimentHeader)
	for range MaxErrors + 7 {
		b.WriteString("not json\n")
	}
	path := writeFile(t, filepath.Join(t.TempDir(), "bad.jsonl"), b.String())
	_, err := Load(path)
	var ve *ValidationError
	if !errors.As(err, &ve) {
		t.Fatalf("Load = %v, want a *ValidationError", err)
	}
	if len(ve.Errors) != MaxErrors || ve.Omitted != 7 {
		t.Errorf("errors = %d, omitted = %d, want %d and 7", len(ve.Errors), ve.Omitted, MaxErrors)
	}
	lines := strings.Split(err.Error(), "\n")
	if len(lines) != MaxErrors+1 || lines[len(lines)-1] != "... and 7 more errors" {
		t.Errorf("last line = %q of %d lines", lines[len(lines)-1], len(lines))
	}
	if !strings.HasPrefix(lines[1], path+":9: invalid JSON") {
		t.Errorf("second line = %q, want it to start with %s:9", lines[1], path)
	}
}

func TestLoadTemplateMissingKeyCountsRepeats(t *testing.T) {
	var b strings.Builder
	b.WriteString("---\nname: s\ncategory: classification\ntemplate: \"{{.review}}\"\nnum_predict: 8\nlabels: [positive]\n---\n")
	for i := range 10 {
		b.WriteString(item(string(rune('a'+i)), "positive") + "\n")
	}
	path := writeFile(t, filepath.Join(t.TempDir(), "d.jsonl"), b.String())
	_, err := Load(path)
	var ve *ValidationError
	if !errors.As(err, &ve) {
		t.Fatalf("Load = %v, want a *ValidationError", err)
	}
	if len(ve.Errors) != maxRenderReports+1 {
		t.Fatalf("errors = %d, want %d:\n%v", len(ve.Errors), maxRenderReports+1, err)
	}
	if last := ve.Errors[maxRenderReports].Error(); !strings.Contains(last, `7 more items have no input key "review"`) {
		t.Errorf("last error = %q", last)
	}
}

func TestLoadStripsBOM(t *testing.T) {
	path := writeFile(t, filepath.Join(t.TempDir(), "bom.jsonl"), "\xef\xbb\xbf"+sentimentHeader+item("a", "positive")+"\n")
	if _, err := Load(path); err != nil {
		t.Fatalf("Load: %v", err)
	}
}

func TestLoadSchemaForms(t *testing.T) {
	const items = `{"id": "1", "input": {"doc": "x"}, "expected": {"fields": {"total": "1"}}}` + "\n"
	head := "---\nname: inv\ncategory: extraction\ntemplate: \"{{.doc}}\"\nnum_predict: 64\n"
	forms := map[string]string{
		"yaml mapping": "schema:\n  type: object\n  properties:\n    total: {type: string}\n    date: {type: string}\n  required: [total]\n",
		"json string":  `schema: '{"type": "object", "properties": {"total": {"type": "string"}, "date": {"type": "string"}}, "required": ["total"]}'` + "\n",
		"json flow":    `schema: {"type": "object", "properties": {"total": {"type": "string"}, "date": {"type": "string"}}, "required": ["total"]}` + "\n",
	}
	const want = `{"type":"object","properties":{"total":{"type":"string"},"date":{"type":"string"}},"required":["total"]}`
	for name, schema := range forms {
		t.Run(name, func(t *testing.T) {
			path := writeFile(t, filepath.Join(t.TempDir(), "inv.jsonl"), head+schema+"---\n"+items)
			ds, err := Load(path)
			if err != nil {
				t.Fatalf("Load: %v", err)
			}
			if string(ds.Manifest.Schema) != want {
				t.Errorf("schema = %s, want %s", ds.Manifest.Schema, want)
			}
		})
	}
}

func TestLoadSchemaJSONMode(t *testing.T) {
	path := writeFile(t, filepath.Join(t.TempDir(), "inv.jsonl"),
		"---\nname: inv\ncategory: extraction\ntemplate: x\nnum_predict: 64\nschema: json\n---\n"+`{"id": "1", "input": {}, "expected": {"fields": {"a": "b"}}}`+"\n")
	ds, err := Load(path)
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	if string(ds.Manifest.Schema) != `"json"` {
		t.Errorf("schema = %s, want \"json\"", ds.Manifest.Schema)
	}
}

func TestSHA256ChangesWithContent(t *testing.T) {
	dir := t.TempDir()
	a := writeFile(t, filepath.Join(dir, "a.jsonl"), sentimentHeader+item("x", "positive")+"\n")
	b := writeFile(t, filepath.Join(dir, "b.jsonl"), sentimentHeader+item("x", "negative")+"\n")
	c := writeFile(t, filepath.Join(dir, "c.jsonl"), strings.Replace(sentimentHeader, "num_predict: 8", "num_predict: 9", 1)+item("x", "positive")+"\n")
	reformatted := writeFile(t, filepath.Join(dir, "d.jsonl"), sentimentHeader+`{ "expected": {"label": "positive"}, "id": "x",   "input": {"text": "fine"} }`+"\n")

	sum := func(path string) string {
		ds, err := Load(path)
		if err != nil {
			t.Fatalf("Load(%s): %v", path, err)
		}
		return ds.SHA256
	}
	if sum(a) == sum(b) {
		t.Error("an item's label change kept the sha256")
	}
	if sum(a) == sum(c) {
		t.Error("a manifest change kept the sha256")
	}
	if sum(a) != sum(reformatted) {
		t.Error("reordering an item's keys changed the sha256")
	}
}
