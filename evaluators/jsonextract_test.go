package evaluators

import (
	"context"
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	"github.com/quantbench/quantbench/datasets"
)

func TestExtractJSON(t *testing.T) {
	tests := []struct {
		name     string
		text     string
		want     string // compact JSON of the value; "" for none
		repaired bool
	}{
		{"bare object", `{"a": 1}`, `{"a":1}`, false},
		{"leading prose", `Here is the JSON you asked for: {"a": "x"} Hope it helps.`, `{"a":"x"}`, false},
		{"json fence", "Sure!\n```json\n{\"total\": \"12.50\"}\n```\nDone.", `{"total":"12.50"}`, false},
		{"plain fence", "```\n{\"a\": true}\n```", `{"a":true}`, false},
		{"unclosed fence", "```json\n{\"a\": null}", `{"a":null}`, false},
		{"fence preferred over earlier prose object", "Format {\"x\": 0}\n```json\n{\"a\": 2}\n```", `{"a":2}`, false},
		{"first of two objects", `{"a": 1} {"b": 2}`, `{"a":1}`, false},
		{"nested", `{"a": {"b": [1, 2, {"c": "}"}]}}`, `{"a":{"b":[1,2,{"c":"}"}]}}`, false},
		{"brace in string", `{"note": "use { and ] freely"}`, `{"note":"use { and ] freely"}`, false},
		{"escaped quote", `{"q": "say \"hi\" {"}`, `{"q":"say \"hi\" {"}`, false},
		{"trailing comma object", `{"a": 1, "b": 2,}`, `{"a":1,"b":2}`, true},
		{"trailing comma nested", "{\"a\": [1, 2, ],\n \"b\": {\"c\": 3,\n},\n}", `{"a":[1,2],"b":{"c":3}}`, true},
		{"comma inside string kept", `{"a": "x,}", "b": 1,}`, `{"a":"x,}","b":1}`, true},
		{"skips non-json braces", `Fields {name} and {date}: {"name": "Acme"}`, `{"name":"Acme"}`, false},
		{"array", `Values: [1, 2, 3]`, `[1,2,3]`, false},
		{"array of objects", `[{"a": 1}]`, `[{"a":1}]`, false},
		{"earlier array wins", `See [1]. {"a": 1}`, `[1]`, false},
		{"invalid bracket text skipped", `See [note]. {"a": 1}`, `{"a":1}`, false},
		{"unicode", `{"city": "Zürich"}`, `{"city":"Zürich"}`, false},
		{"big number kept exact", `{"n": 12345678901234567890}`, `{"n":12345678901234567890}`, false},
		{"truncated", `{"a": 1, "b": `, "", false},
		{"truncated with complete inner object", `{"a": {"b": 1}, "c": [`, "", false},
		{"mismatched brackets skipped", `{"a": [1}, {"b": 2}`, `{"b":2}`, false},
		{"no json", "I could not find any fields.", "", false},
		{"single quotes", `{'a': 1}`, "", false},
		{"missing comma not repaired", `{"a": 1 "b": 2}`, "", false},
		{"empty", "", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := ExtractJSON(tt.text)
			if ok != (tt.want != "") {
				t.Fatalf("ExtractJSON(%q) ok = %v (%+v), want %v", tt.text, ok, got, tt.want != "")
			}
			if !ok {
				return
			}
			b, err := json.Marshal(got.Value)
			if err != nil {
				t.Fatal(err)
			}
			if string(b) != tt.want {
				t.Errorf("ExtractJSON(%q) = %s, want %s", tt.text, b, tt.want)
			}
			if got.Repaired != tt.repaired {
				t.Errorf("ExtractJSON(%q) repaired = %v, want %v", tt.text, got.Repaired, tt.repaired)
			}
		})
	}
}

func TestRemoveTrailingCommas(t *testing.T) {
	tests := []struct{ in, want string }{
		{`{"a":1,}`, `{"a":1}`},
		{`[1,2,\n]`, `[1,2,\n]`},
		{"[1,2,\n]", "[1,2\n]"},
		{`{"a":",}"}`, `{"a":",}"}`},
		{`{"a":"\",}",}`, `{"a":"\",}"}`},
		{`[1,,]`, `[1,]`},
	}
	for _, tt := range tests {
		if got := removeTrailingCommas(tt.in); got != tt.want {
			t.Errorf("removeTrailingCommas(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestFlattenJSON(t *testing.T) {
	v, err := decodeNumbers(`{"name": "Acme", "total": 12.50, "paid": false, "due": null,
		"customer": {"name": "Bo", "address": {"city": "Oslo"}}, "tags": ["a", "b"]}`)
	if err != nil {
		t.Fatal(err)
	}
	got := flattenJSON(v.(map[string]any))
	want := map[string]string{
		"name":                  "Acme",
		"total":                 "12.50",
		"paid":                  "false",
		"customer.name":         "Bo",
		"customer.address.city": "Oslo",
		"tags":                  `["a","b"]`,
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("flattenJSON = %v, want %v", got, want)
	}
}

func TestSchemaValidate(t *testing.T) {
	schema := `{
		"type": "object",
		"required": ["vendor", "total"],
		"additionalProperties": false,
		"properties": {
			"vendor": {"type": "string"},
			"total": {"type": ["string", "number"]},
			"count": {"type": "integer"},
			"currency": {"enum": ["EUR", "USD"]},
			"lines": {"type": "array", "items": {"type": "object", "required": ["sku"]}},
			"paid": {"type": "boolean"},
			"kind": {"const": "invoice"}
		}
	}`
	s, err := compileSchema(json.RawMessage(schema))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		doc     string
		problem string // substring of the error; "" for valid
	}{
		{`{"vendor": "Acme", "total": "12.00"}`, ""},
		{`{"vendor": "Acme", "total": 12, "count": 3, "currency": "EUR", "lines": [{"sku": "x"}], "paid": true, "kind": "invoice"}`, ""},
		{`{"vendor": "Acme", "total": 12, "count": 3.0}`, ""},
		{`{"vendor": "Acme"}`, `$: required property "total" is missing`},
		{`{"vendor": 5, "total": 1}`, "$.vendor: is integer, want string"},
		{`{"vendor": "A", "total": true}`, "$.total: is boolean, want string or number"},
		{`{"vendor": "A", "total": 1, "count": 1.5}`, "$.count: is number, want integer"},
		{`{"vendor": "A", "total": 1, "currency": "GBP"}`, "$.currency: \"GBP\" is not one of the allowed values"},
		{`{"vendor": "A", "total": 1, "lines": [{"sku": 1}, {}]}`, `$.lines[1]: required property "sku" is missing`},
		{`{"vendor": "A", "total": 1, "extra": 1}`, `$: property "extra" is not allowed`},
		{`{"vendor": "A", "total": 1, "kind": "receipt"}`, `$.kind: must be "invoice"`},
		{`[1]`, "$: is array, want object"},
		{`null`, "$: is null, want object"},
	}
	for _, tt := range tests {
		v, err := decodeNumbers(tt.doc)
		if err != nil {
			t.Fatal(err)
		}
		err = s.validate(v, "$")
		switch {
		case tt.problem == "" && err != nil:
			t.Errorf("validate(%s) = %v, want valid", tt.doc, err)
		case tt.problem != "" && (err == nil || !strings.Contains(err.Error(), tt.problem)):
			t.Errorf("validate(%s) = %v, want an error with %q", tt.doc, err, tt.problem)
		}
	}
}

func TestCompileSchemaRejects(t *testing.T) {
	tests := map[string]string{
		`{"type": "text"}`:                    `unknown type "text"`,
		`{"type": 5}`:                         "must be a string or a list",
		`{"required": "a"}`:                   "required: must be an array",
		`{"properties": {"a": 1}}`:            "schema.properties.a: a schema must be an object",
		`{"properties": {"a": {"enum": 1}}}`:  "schema.properties.a.enum: must be an array",
		`{"type": "object",`:                  "not valid JSON",
		`{"items": {"type": ["string", 1]}}`:  "list entries must be strings",
		`{"additionalProperties": "closed"}`:  "additionalProperties: a schema must be an object",
		`{"properties": {"a": false}}`:        "rejects every value",
		`{"type": "number", "const": 1e9999}`: "",
	}
	for schema, problem := range tests {
		_, err := compileSchema(json.RawMessage(schema))
		if problem == "" {
			if err != nil {
				t.Errorf("compileSchema(%s) = %v, want no error", schema, err)
			}
			continue
		}
		if err == nil || !strings.Contains(err.Error(), problem) {
			t.Errorf("compileSchema(%s) = %v, want an error with %q", schema, err, problem)
		}
	}
}

func extractionManifest(t *testing.T) *datasets.Manifest {
	t.Helper()
	return &datasets.Manifest{
		Name:     "invoices",
		Category: datasets.Extraction,
		Schema:   json.RawMessage(`{"type": "object", "required": ["vendor"], "properties": {"vendor": {"type": "string"}, "total": {"type": "string"}}}`),
		ScorerOptions: map[string]any{
			"fields": map[string]any{"date": "date", "total": "amount", "vendor": "text", "qty": "number"},
		},
	}
}

func TestFieldScorer(t *testing.T) {
	m := extractionManifest(t)
	s, err := For(m)
	if err != nil {
		t.Fatal(err)
	}
	item := &datasets.Item{ID: "e1", Expected: datasets.Expected{Fields: map[string]string{
		"vendor": "Acme Corp", "date": "2024-03-05", "total": "1234.50", "qty": "3",
	}}}

	tests := []struct {
		name       string
		output     string
		outcome    Outcome
		value      float64
		tp, fp, fn int
		repaired   bool
	}{
		{"all right in other formats", "```json\n{\"vendor\": \" ACME  corp\", \"date\": \"March 5, 2024\", \"total\": \"$1,234.50\", \"qty\": \"3.0\"}\n```", Partial, 1, 4, 0, 0, false},
		{"one wrong", `{"vendor": "Acme Corp", "date": "2024-03-06", "total": "1234.5", "qty": "3"}`, Partial, 6.0 / 8, 3, 1, 1, false},
		{"one missing and one extra", `{"vendor": "Acme Corp", "date": "2024-03-05", "total": "1.234,50", "note": "x"}`, Partial, 6.0 / 8, 3, 1, 1, false},
		{"null and empty are missing", `{"vendor": "Acme Corp", "date": null, "total": "", "qty": "3"}`, Partial, 4.0 / 6, 2, 0, 2, false},
		{"key case ignored and repaired", `{"vendor": "Acme Corp", "DATE": "5 March 2024", "total": "1234.50", "qty": "3",}`, Partial, 1, 4, 0, 0, true},
		{"schema violation", `{"total": "1234.50"}`, FormatError, 0, 0, 0, 4, false},
		{"schema type violation", `{"vendor": "Acme", "total": 1234.5}`, FormatError, 0, 0, 0, 4, false},
		{"array is format error", `[{"vendor": "Acme"}]`, FormatError, 0, 0, 0, 4, false},
		{"no json", "The vendor is Acme Corp.", NoAnswer, 0, 0, 0, 4, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := s.Score(context.Background(), m, item, tt.output)
			if err != nil {
				t.Fatal(err)
			}
			if got.Outcome != tt.outcome {
				t.Errorf("outcome = %s, want %s (detail %v)", got.Outcome, tt.outcome, got.Detail)
			}
			if diff := got.Value - tt.value; diff > 1e-12 || diff < -1e-12 {
				t.Errorf("value = %v, want %v (detail %v)", got.Value, tt.value, got.Detail)
			}
			if got.Detail["tp"] != tt.tp || got.Detail["fp"] != tt.fp || got.Detail["fn"] != tt.fn {
				t.Errorf("counts = tp %v fp %v fn %v, want %d %d %d", got.Detail["tp"], got.Detail["fp"], got.Detail["fn"], tt.tp, tt.fp, tt.fn)
			}
			if repaired, _ := got.Detail["repaired"].(bool); repaired != tt.repaired {
				t.Errorf("repaired = %v, want %v", repaired, tt.repaired)
			}
			if got.Binary {
				t.Error("extraction score is marked binary")
			}
		})
	}
}

func TestFieldScorerEmptyExpectedField(t *testing.T) {
	m := &datasets.Manifest{Name: "x", Category: datasets.Extraction}
	s, err := For(m)
	if err != nil {
		t.Fatal(err)
	}
	item := &datasets.Item{ID: "e2", Expected: datasets.Expected{Fields: map[string]string{"name": "Bo", "po_number": ""}}}

	absent, err := s.Score(context.Background(), m, item, `{"name": "Bo"}`)
	if err != nil {
		t.Fatal(err)
	}
	if absent.Value != 1 {
		t.Errorf("absent optional field: value %v, want 1 (detail %v)", absent.Value, absent.Detail)
	}
	invented, err := s.Score(context.Background(), m, item, `{"name": "Bo", "po_number": "123"}`)
	if err != nil {
		t.Fatal(err)
	}
	if invented.Detail["fp"] != 1 {
		t.Errorf("invented field: fp %v, want 1", invented.Detail["fp"])
	}
}

func TestFieldScorerDateOrder(t *testing.T) {
	m := &datasets.Manifest{Name: "x", Category: datasets.Extraction, ScorerOptions: map[string]any{
		"fields": map[string]any{"d": "date"}, "date_order": "dmy",
	}}
	s, err := For(m)
	if err != nil {
		t.Fatal(err)
	}
	item := &datasets.Item{ID: "e3", Expected: datasets.Expected{Fields: map[string]string{"d": "2024-05-03"}}}
	got, err := s.Score(context.Background(), m, item, `{"d": "03/05/2024"}`)
	if err != nil {
		t.Fatal(err)
	}
	if got.Value != 1 {
		t.Errorf("day-first date: value %v, want 1", got.Value)
	}
}

func TestFieldScorerRejectsBadOptions(t *testing.T) {
	tests := map[string]map[string]any{
		"fields.total: type": {"fields": map[string]any{"total": "money"}},
		"must be a map":      {"fields": []any{"total"}},
		"date_order":         {"date_order": "ymd"},
		"unknown option":     {"labels": 1},
	}
	for problem, opts := range tests {
		_, err := For(&datasets.Manifest{Name: "x", Category: datasets.Extraction, ScorerOptions: opts})
		if err == nil || !strings.Contains(err.Error(), problem) {
			t.Errorf("For(options %v) = %v, want an error with %q", opts, err, problem)
		}
	}
}
