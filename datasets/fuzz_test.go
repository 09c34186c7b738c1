package datasets

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

// roundTrip writes ds in the header form, parses it back and fails when the
// content changed.
func roundTrip(t *testing.T, ds *Dataset) {
	t.Helper()
	var buf bytes.Buffer
	if err := Write(&buf, ds); err != nil {
		t.Fatalf("Write: %v", err)
	}
	back, err := parse("round-trip.jsonl", buf.Bytes(), nil)
	if err != nil {
		t.Fatalf("written dataset does not load back: %v\n%s", err, buf.Bytes())
	}
	if back.SHA256 != ds.SHA256 {
		t.Fatalf("sha256 after round trip = %s, want %s\n%s", back.SHA256, ds.SHA256, buf.Bytes())
	}
}

func FuzzLoad(f *testing.F) {
	f.Add([]byte(sentimentHeader + item("a", "positive") + "\n" + item("b", "negative") + "\n"))
	f.Add([]byte("---\nname: inv\ncategory: extraction\ntemplate: \"{{.doc}}\"\nnum_predict: 64\nschema: {type: object, properties: {total: {type: string}}}\n---\n" +
		`{"id": "1", "input": {"doc": "x"}, "expected": {"fields": {"total": "1"}}}` + "\n"))
	f.Add([]byte("---\nname: q\ncategory: reasoning\ntemplate: |\n  Q: {{.q}}\n  ---\nnum_predict: 9\nscorer_options: {tolerance: 0.01}\n---\n" + `{"id": "1", "input": {"q": "x"}, "expected": {"number": -2.5e3}}`))
	f.Add([]byte("---\nname: c\ncategory: creative\ntemplate: \"{{range .}}{{.}}{{end}}\"\nnum_predict: 9\n---\n" + `{"id": "1", "input": {"t": "x"}, "expected": {"constraints": {"min_words": 3, "form": "haiku"}}}`))
	f.Add([]byte("---\nname: k\ncategory: code\ntemplate: \"{{.p}}\"\nnum_predict: 9\nschema: &a [*a]\n---\n{\"id\": \"1\"}\n"))
	f.Add([]byte("not json\n\xff\n"))

	f.Fuzz(func(t *testing.T, data []byte) {
		ds, err := parse("fuzz.jsonl", data, nil)
		if err != nil {
			return
		}
		for i := range ds.Items {
			if _, _, err := Render(&ds.Manifest, &ds.Items[i]); err != nil {
				t.Fatalf("a validated item does not render: %v", err)
			}
		}
		roundTrip(t, ds)
	})
}

// fuzzImport runs one importer on fuzzed bytes; an imported dataset must be
// valid and survive a round trip.
func fuzzImport(f *testing.F, format string, seeds ...string) {
	for _, s := range seeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		ds, err := importBytes(format, importers[format], "fuzz.txt", data, ImportOptions{Name: "fuzz"})
		if err != nil {
			return
		}
		roundTrip(t, ds)
	})
}

func FuzzImportGSM8K(f *testing.F) {
	fuzzImport(f, "gsm8k",
		`{"question": "Two apples and three more?", "answer": "2 + 3 = 5\n#### 5"}`+"\n",
		`{"question": "Debt?", "answer": "#### -1,250.5"}`,
		`{"question": "", "answer": "####"}`)
}

func FuzzImportHumanEval(f *testing.F) {
	fuzzImport(f, "humaneval",
		`{"task_id": "T/0", "prompt": "def inc(x):\n", "test": "def check(c):\n    assert c(1) == 2\n", "entry_point": "inc"}`,
		"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\xff")
}

func FuzzImportMBPP(f *testing.F) {
	seed, err := os.ReadFile(filepath.Join("testdata", "mbpp.jsonl"))
	if err != nil {
		f.Fatal(err)
	}
	array, err := os.ReadFile(filepath.Join("testdata", "mbpp-sanitized.json"))
	if err != nil {
		f.Fatal(err)
	}
	fuzzImport(f, "mbpp", string(seed), string(array), `{"task_id": "x", "prompt": "p", "test_list": ["assert g(1)"]}`)
}

func FuzzImportCSV(f *testing.F) {
	fuzzImport(f, "csv",
		"text,label\n\"hello, there\",greet\nbye,leave\n",
		"\xef\xbb\xbfText,Category\r\n\"multi\nline\",a\r\n",
		"label,text\n\"unclosed,x\n")
}

func FuzzImportSST(f *testing.F) {
	fuzzImport(f, "sst", "1 a fine film .\n0 a dull one .\n", "1\tx\n", "7 odd\n")
}

func FuzzImportSpans(f *testing.F) {
	fuzzImport(f, "spans",
		`[{"userInput": {"text": "table for 4 at 7pm"}, "context": {"requestedSlots": ["people"]}, "labels": [{"slot": "people", "valueSpan": {"startIndex": 10, "endIndex": 11}}, {"slot": "time", "valueSpan": {"startIndex": 15, "endIndex": 18}}]}]`,
		`[{"userInput": {"text": "né à 5"}, "labels": [{"slot": "time", "valueSpan": {"endIndex": 2}}]}, {"userInput": {"text": "x"}}]`,
		`[{"userInput": {"text": 5}}, 3]`)
}

func FuzzLoadBesideManifest(f *testing.F) {
	f.Add([]byte("name: q\ncategory: reasoning\ntemplate: \"{{.q}}\"\nnum_predict: 5\n"), []byte(`{"id": "1", "input": {"q": "x"}, "expected": {"number": 1}}`))
	f.Add([]byte("\xef\xbb\xbfname: q\nschema: {a: &x [1, *x]}\nunknown: 1\n"), []byte("\n\n{}\n"))
	f.Add([]byte("- not a mapping\n"), []byte(`{"id": 1}`))

	f.Fuzz(func(t *testing.T, manifest, items []byte) {
		ds, err := parse("fuzz.jsonl", items, &manifestFile{path: "fuzz.yaml", data: manifest})
		if err != nil {
			return
		}
		roundTrip(t, ds)
	})
}
