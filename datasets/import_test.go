package datasets

import (
	"bytes"
	"compress/gzip"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// publicFile returns the path of a public benchmark file in the shared
// datasets folder beside the repository, or skips the test when it is absent.
func publicFile(t *testing.T, rel string) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			break
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Skip("repository root not found")
		}
		dir = parent
	}
	path := filepath.Join(dir, "..", "shared", "datasets", rel)
	if _, err := os.Stat(path); err != nil {
		t.Skipf("public benchmark file not available: %v", err)
	}
	return path
}

func mustImport(t *testing.T, format, path string, opts ImportOptions) *Dataset {
	t.Helper()
	ds, err := Import(format, path, opts)
	if err != nil {
		t.Fatalf("Import(%s, %s): %v", format, path, err)
	}
	return ds
}

func TestImportGSM8K(t *testing.T) {
	path := publicFile(t, "gsm8k/test.jsonl")
	ds := mustImport(t, "gsm8k", path, ImportOptions{})

	if ds.Manifest.Name != "gsm8k-test" || ds.Manifest.Category != Reasoning {
		t.Errorf("manifest name, category = %q, %q", ds.Manifest.Name, ds.Manifest.Category)
	}
	if len(ds.Items) != 1319 {
		t.Errorf("items = %d, want 1319", len(ds.Items))
	}
	if ds.Source != "gsm8k:"+path {
		t.Errorf("source = %q", ds.Source)
	}
	first := ds.Items[0]
	if first.ID != "gsm8k-test/0" || first.Line != 1 {
		t.Errorf("first id, line = %q, %d", first.ID, first.Line)
	}
	if !strings.HasPrefix(first.Input["question"], "Janet\u2019s ducks lay 16 eggs per day.") {
		t.Errorf("first question = %q", first.Input["question"])
	}
	// Expected answers read from the file: plain, thousands separators and negatives.
	want := map[int]float64{0: 18, 1: 3, 2: 70000, 146: 2125, 489: -10, 611: 1450000, 1113: -3}
	for i, n := range want {
		if got := *ds.Items[i].Expected.Number; got != n {
			t.Errorf("item %d number = %v, want %v", i, got, n)
		}
	}
	_, prompt, err := Render(&ds.Manifest, &first)
	if err != nil || !strings.Contains(prompt, "Problem: Janet\u2019s ducks") || !strings.Contains(prompt, "####") {
		t.Errorf("rendered prompt = %q, %v", prompt, err)
	}
}

func TestImportHumanEvalGzipAndPlain(t *testing.T) {
	path := publicFile(t, "humaneval/HumanEval.jsonl.gz")
	ds := mustImport(t, "humaneval", path, ImportOptions{})
	if ds.Manifest.Name != "humaneval" || ds.Manifest.Category != Code || len(ds.Items) != 164 {
		t.Fatalf("name, category, items = %q, %q, %d", ds.Manifest.Name, ds.Manifest.Category, len(ds.Items))
	}
	first := ds.Items[0]
	if first.ID != "HumanEval/0" || first.Expected.EntryPoint != "has_close_elements" {
		t.Errorf("first id, entry point = %q, %q", first.ID, first.Expected.EntryPoint)
	}
	if !strings.HasPrefix(first.Input["prompt"], "from typing import List\n\n\ndef has_close_elements(numbers: List[float], threshold: float) -> bool:") {
		t.Errorf("first prompt = %q", first.Input["prompt"])
	}
	tests := first.Expected.Tests
	if !strings.Contains(tests, "def check(candidate):\n    assert candidate([1.0, 2.0, 3.9, 4.0, 5.0, 2.2], 0.3) == True") {
		t.Errorf("first tests lack the file's first assert:\n%s", tests)
	}
	if !strings.HasSuffix(tests, "\ncheck(has_close_elements)\n") {
		t.Errorf("first tests do not end with the check call:\n%s", tests)
	}
	if last := ds.Items[163]; last.ID != "HumanEval/163" || last.Expected.EntryPoint != "generate_integers" {
		t.Errorf("last id, entry point = %q, %q", last.ID, last.Expected.EntryPoint)
	}

	// The same file decompressed, under the same name, imports to the same
	// content: gzip is detected by its magic bytes, not by the name.
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	zr, err := gzip.NewReader(bytes.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	var plain bytes.Buffer
	if _, err := plain.ReadFrom(zr); err != nil {
		t.Fatal(err)
	}
	plainPath := writeFile(t, filepath.Join(t.TempDir(), "HumanEval.jsonl.gz"), plain.String())
	ds2 := mustImport(t, "humaneval", plainPath, ImportOptions{})
	if ds2.SHA256 != ds.SHA256 {
		t.Errorf("plain import sha256 = %s, gzipped %s", ds2.SHA256, ds.SHA256)
	}
}

func TestImportMBPP(t *testing.T) {
	ds := mustImport(t, "mbpp", filepath.Join("testdata", "mbpp.jsonl"), ImportOptions{})
	if ds.Manifest.Category != Code || len(ds.Items) != 3 {
		t.Fatalf("category, items = %q, %d", ds.Manifest.Category, len(ds.Items))
	}
	tests := []struct {
		id, entry, tests, text string
	}{
		{"mbpp/901", "sum_squares", "assert sum_squares([1, 2, 3]) == 14\nassert sum_squares([]) == 0\n", "Write a function that returns the sum of the squares of a list of integers."},
		{"mbpp/902", "circle_area", "import math\nassert math.isclose(circle_area(1.0), 3.141592653589793)\nassert circle_area(0) == 0\n", "Write a function that returns the area of a circle of radius r."},
		{"mbpp/903", "shared_items", "assert set(shared_items([1, 2, 3], [2, 3, 4])) == {2, 3}\n", "Write a function that returns the elements two lists have in common."},
	}
	for i, want := range tests {
		it := ds.Items[i]
		if it.ID != want.id || it.Expected.EntryPoint != want.entry || it.Expected.Tests != want.tests || it.Input["text"] != want.text {
			t.Errorf("item %d = %+v, want %+v", i, it, want)
		}
		if it.Line != i+1 {
			t.Errorf("item %d line = %d, want %d", i, it.Line, i+1)
		}
	}
	_, prompt, err := Render(&ds.Manifest, &ds.Items[0])
	if err != nil || !strings.Contains(prompt, "assert sum_squares([]) == 0") {
		t.Errorf("prompt = %q, %v; want the tests shown", prompt, err)
	}
}

func TestImportMBPPSanitizedArray(t *testing.T) {
	ds := mustImport(t, "mbpp", filepath.Join("testdata", "mbpp-sanitized.json"), ImportOptions{})
	if len(ds.Items) != 2 {
		t.Fatalf("items = %d, want 2", len(ds.Items))
	}
	first, second := ds.Items[0], ds.Items[1]
	if first.ID != "mbpp/951" || first.Expected.EntryPoint != "reverse_words" || first.Input["text"] != "Write a function that reverses the words of a sentence." || first.Line != 2 {
		t.Errorf("first item = %+v", first)
	}
	if second.ID != "mbpp/952" || second.Expected.Tests != "assert count_vowels('Banana') == 3\nassert count_vowels('') == 0\n" || second.Line != 10 {
		t.Errorf("second item = %+v", second)
	}
}

func TestImportCSVBanking77(t *testing.T) {
	path := publicFile(t, "banking77/test.csv")
	categories := publicFile(t, "banking77/categories.json")
	ds := mustImport(t, "csv", path, ImportOptions{LabelsFile: categories})

	if ds.Manifest.Name != "banking77-test" || len(ds.Items) != 3080 {
		t.Fatalf("name, items = %q, %d", ds.Manifest.Name, len(ds.Items))
	}
	labels := ds.Manifest.Labels
	if len(labels) != 77 || labels[0] != "card_arrival" || labels[1] != "card_linking" {
		t.Errorf("labels = %d, first %v", len(labels), labels[:min(2, len(labels))])
	}
	checks := []struct {
		index int
		line  int
		text  string
		label string
	}{
		{0, 2, "How do I locate my card?", "card_arrival"},
		{1, 3, "I still have not received my new card, I ordered over a week ago.", "card_arrival"},
		{559, 561, "Where can I get my PIN unblocked?", "pin_blocked"},
		{3079, 3085, "Can the card be mailed and used in Europe?", "country_support"},
	}
	for _, c := range checks {
		it := ds.Items[c.index]
		if it.Input["text"] != c.text || it.Expected.Label != c.label || it.Line != c.line {
			t.Errorf("item %d = text %q, label %q, line %d; want %q, %q, %d", c.index, it.Input["text"], it.Expected.Label, it.Line, c.text, c.label, c.line)
		}
	}
	_, prompt, err := Render(&ds.Manifest, &ds.Items[0])
	if err != nil || !strings.Contains(prompt, "card_arrival, card_linking, exchange_rate") {
		t.Errorf("prompt does not list the labels: %q, %v", prompt, err)
	}

	// Without the categories file the label set is the distinct labels, sorted.
	found := mustImport(t, "csv", path, ImportOptions{LabelColumn: "category", Limit: 40})
	if len(found.Items) != 40 || !slices.IsSorted(found.Manifest.Labels) || !slices.Contains(found.Manifest.Labels, "card_arrival") {
		t.Errorf("limited import: %d items, labels %v", len(found.Items), found.Manifest.Labels)
	}
}

func TestImportSST(t *testing.T) {
	path := publicFile(t, "sst2/stsa.binary.test")
	ds := mustImport(t, "sst", path, ImportOptions{})
	if len(ds.Items) != 1821 || !slices.Equal(ds.Manifest.Labels, []string{"negative", "positive"}) {
		t.Fatalf("items, labels = %d, %v", len(ds.Items), ds.Manifest.Labels)
	}
	first, fifth := ds.Items[0], ds.Items[4]
	if first.Input["text"] != "no movement , no yuks , not much of anything ." || first.Expected.Label != "negative" {
		t.Errorf("first item = %+v", first)
	}
	if fifth.Input["text"] != "this is one of polanski 's best films ." || fifth.Expected.Label != "positive" || fifth.Line != 5 {
		t.Errorf("fifth item = %+v", fifth)
	}
	positives := 0
	for _, it := range ds.Items {
		if it.Expected.Label == "positive" {
			positives++
		}
	}
	if positives != 909 {
		t.Errorf("positive items = %d, want 909", positives)
	}

	named := mustImport(t, "sst", path, ImportOptions{LabelNames: []string{"bad", "good"}, Limit: 5, Name: "sst-named"})
	if named.Items[4].Expected.Label != "good" || named.Items[4].ID != "sst-named/4" {
		t.Errorf("named labels item 4 = %+v", named.Items[4])
	}
}

func TestImportSpansRestaurant8k(t *testing.T) {
	path := publicFile(t, "restaurant8k/test.json")
	ds := mustImport(t, "spans", path, ImportOptions{})
	if ds.Manifest.Category != Extraction || len(ds.Items) != 3731-1352 {
		t.Fatalf("category, items = %q, %d; want extraction, %d", ds.Manifest.Category, len(ds.Items), 3731-1352)
	}
	if !strings.Contains(ds.Manifest.Description, "1352 items without labelled spans were left out") {
		t.Errorf("description = %q", ds.Manifest.Description)
	}
	const schema = `{"type":"object","properties":{"date":{"type":"string"},"first_name":{"type":"string"},"last_name":{"type":"string"},"people":{"type":"string"},"time":{"type":"string"}}}`
	if string(ds.Manifest.Schema) != schema {
		t.Errorf("schema = %s", ds.Manifest.Schema)
	}

	first := ds.Items[0]
	if first.ID != "restaurant8k-test/0" || first.Input["text"] != "13" || first.Input["requested_slots"] != "time" || first.Expected.Fields["time"] != "13" || len(first.Expected.Fields) != 1 {
		t.Errorf("first item = %+v", first)
	}
	if first.Line != 2 {
		t.Errorf("first item line = %d, want 2", first.Line)
	}

	// Array item 102 has a curly apostrophe before its spans, so the offsets
	// only fit when counted in code points; its startIndex values are given.
	var davina *Item
	for i := range ds.Items {
		if ds.Items[i].ID == "restaurant8k-test/102" {
			davina = &ds.Items[i]
		}
	}
	if davina == nil {
		t.Fatal("item restaurant8k-test/102 not imported")
	}
	want := map[string]string{"first_name": "Davina", "last_name": "Freedman", "date": "Sunday, December 30"}
	for slot, value := range want {
		if got := davina.Expected.Fields[slot]; got != value {
			t.Errorf("item 102 %s = %q, want %q", slot, got, value)
		}
	}
	if davina.Input["requested_slots"] != "" {
		t.Errorf("item 102 requested_slots = %q, want empty", davina.Input["requested_slots"])
	}
}

func TestImportErrors(t *testing.T) {
	tests := []struct {
		name, format, content string
		opts                  ImportOptions
		want                  string
	}{
		{"gsm8k invalid JSON", "gsm8k", `{"question": "a", "answer": "#### 1"}` + "\n{\"question\": \n", ImportOptions{}, "F:2: invalid JSON"},
		{"gsm8k missing answer", "gsm8k", `{"question": "What is one?"}`, ImportOptions{}, "F:1: answer: missing or empty"},
		{"gsm8k no final line", "gsm8k", `{"question": "q", "answer": "It is 4."}`, ImportOptions{}, `F:1: answer: no final line "#### N"`},
		{"gsm8k not a number", "gsm8k", `{"question": "q", "answer": "x\n#### four"}`, ImportOptions{}, `F:1: answer: the final line "#### four" does not end in a number`},
		{"gsm8k question not a string", "gsm8k", `{"question": 7, "answer": "#### 7"}`, ImportOptions{}, "F:1: question: must be a JSON string, got a JSON number"},
		{"humaneval missing entry point", "humaneval", `{"task_id": "T/0", "prompt": "def f():\n", "test": "def check(c): pass"}`, ImportOptions{}, "F:1: entry_point: missing or empty"},
		{"humaneval duplicate task id", "humaneval", `{"task_id": "T/0", "prompt": "p", "test": "t", "entry_point": "f"}` + "\n" + `{"task_id": "T/0", "prompt": "p", "test": "t", "entry_point": "f"}`, ImportOptions{}, `F:2: id: duplicate id "T/0", first used on line 1`},
		{"humaneval bad gzip", "humaneval", "\x1f\x8b\x08garbage", ImportOptions{}, "F: invalid gzip data"},
		{"mbpp missing tests", "mbpp", `{"task_id": 1, "text": "Do it.", "test_list": []}`, ImportOptions{}, "F:1: test_list: missing or empty"},
		{"mbpp no call in test", "mbpp", `{"task_id": 1, "text": "Do it.", "test_list": ["assert True"]}`, ImportOptions{}, "F:1: test_list[0]: no function call found"},
		{"mbpp array item without tests", "mbpp", "[\n  {\"task_id\": 1, \"prompt\": \"p\", \"test_list\": [\"assert f(1)\"]},\n  {\"task_id\": 2, \"prompt\": \"q\"}\n]", ImportOptions{}, "F:3: test_list: missing or empty"},
		{"mbpp array wrong type", "mbpp", "[\n  {\"task_id\": 1, \"prompt\": 5}\n]", ImportOptions{}, "F:2: [0].prompt: must be a JSON string, got a JSON number"},
		{"mbpp missing task id", "mbpp", `{"text": "Do it.", "test_list": ["assert f(1) == 1"]}`, ImportOptions{}, "F:1: task_id: missing"},
		{"csv missing label column", "csv", "text,intent\nhello,greet\n", ImportOptions{}, `F:1: the header has no label column "label" or "category"; the columns are ["text", "intent"]: choose one with --label-column`},
		{"csv missing text column", "csv", "body,label\nhello,greet\n", ImportOptions{}, `F:1: the header has no text column "text"; the columns are ["body", "label"]`},
		{"csv bare quote", "csv", "text,label\n\"hello,greet\nbye,x\n", ImportOptions{}, "F:2: invalid CSV in a row starting here, at line 3 column 7: extraneous or missing \" in quoted-field"},
		{"csv wrong field count", "csv", "text,label\nhello,greet,extra\nbye,farewell\n", ImportOptions{}, "F:2: invalid CSV in a row at column 1: wrong number of fields"},
		{"csv empty label", "csv", "text,label\nhello,\n", ImportOptions{}, "F:2: label: the label is empty"},
		{"csv empty file", "csv", "", ImportOptions{}, "F:1: the file is empty"},
		{"csv label outside labels file", "csv", "text,label\nhello,greet\nbye,leave\n", ImportOptions{LabelsFile: "LABELS"}, `F:3: expected.label: label "leave" is not in the label set ["greet"]`},
		{"sst label out of range", "sst", "0 fine\n2 odd\n", ImportOptions{}, `F:2: label: "2" is not a label number from 0 to 1`},
		{"sst no text", "sst", "1\n", ImportOptions{}, "F:1: text: the text after the label is empty"},
		{"csv invalid UTF-8", "csv", "text,label\nok,a\ncaf\xe9,b\n", ImportOptions{}, "F:3: invalid UTF-8 at byte 4 of the line"},
		{"spans invalid UTF-8", "spans", "[\n{\"userInput\": {\"text\": \"\xff\"}}]", ImportOptions{}, "F:2: invalid UTF-8 at byte 25 of the line"},
		{"sst invalid UTF-8", "sst", "1 caf\xe9\n", ImportOptions{}, "F:1: invalid UTF-8 at byte 6"},
		{"spans not an array", "spans", `{"userInput": {"text": "x"}}`, ImportOptions{}, "F:1: the file must be a JSON array"},
		{"spans span out of range", "spans", "[\n{\"userInput\": {\"text\": \"for 4\"}, \"labels\": [{\"slot\": \"people\", \"valueSpan\": {\"startIndex\": 4, \"endIndex\": 9}}]}\n]", ImportOptions{}, "F:2: [0].labels[0].valueSpan: span 4..9 does not fit the text of 5 characters"},
		{"spans missing end", "spans", "[{\"userInput\": {\"text\": \"x\"}}, {\"userInput\": {\"text\": \"y\"}, \"labels\": [{\"slot\": \"time\", \"valueSpan\": {}}]}]", ImportOptions{}, "F:1: [1].labels[0].valueSpan.endIndex: missing"},
		{"spans missing text", "spans", "[\n  {\"labels\": []}\n]", ImportOptions{}, "F:2: [0].userInput.text: missing"},
		{"spans wrong type", "spans", "[\n  {\"userInput\": {\"text\": 4}}\n]", ImportOptions{}, "F:2: [0].userInput.text: must be a JSON string, got a JSON number"},
		{"spans no labelled items", "spans", `[{"userInput": {"text": "hi"}}]`, ImportOptions{}, "F: no items found"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			path := writeFile(t, filepath.Join(dir, "input.txt"), tt.content)
			if tt.opts.LabelsFile != "" {
				tt.opts.LabelsFile = writeFile(t, filepath.Join(dir, "labels.txt"), "greet\n")
			}
			_, err := Import(tt.format, path, tt.opts)
			if err == nil {
				t.Fatal("Import succeeded, want an error")
			}
			var ve *ValidationError
			if !errors.As(err, &ve) {
				t.Errorf("error %T, want a *ValidationError", err)
			}
			want := strings.Replace(tt.want, "F:", path+":", 1)
			if !strings.Contains(err.Error(), want) {
				t.Errorf("error does not contain %q:\n%v", want, err)
			}
		})
	}
}

func TestImportUnknownFormat(t *testing.T) {
	_, err := Import("parquet", "x", ImportOptions{})
	if err == nil || !strings.Contains(err.Error(), `unknown import format "parquet"; use one of csv, gsm8k, humaneval, mbpp, spans, sst`) {
		t.Fatalf("Import = %v", err)
	}
}

func TestDefaultName(t *testing.T) {
	tests := map[string]string{
		"data/gsm8k/test.jsonl":        "gsm8k-test",
		"x/HumanEval.jsonl.gz":         "humaneval",
		"banking77/test.csv":           "banking77-test",
		"sst2/stsa.binary.test":        "stsa.binary",
		"My Files/Support Tickets.csv": "support-tickets",
		"test.csv":                     "test",
		"__.csv":                       "csv",
	}
	for path, want := range tests {
		if got := defaultName("csv", path); got != want {
			t.Errorf("defaultName(%q) = %q, want %q", path, got, want)
		}
	}
}

func TestGSM8KAnswer(t *testing.T) {
	tests := map[string]float64{
		"a\n#### 18":       18,
		"#### 1,450,000":   1450000,
		"#### -10":         -10,
		"#### 3.5":         3.5,
		"#### $5.":         5,
		"x #### 1\n#### 2": 2,
	}
	for in, want := range tests {
		got, err := gsm8kAnswer(in)
		if err != nil || got != want {
			t.Errorf("gsm8kAnswer(%q) = %v, %v; want %v", in, got, err, want)
		}
	}
	for _, bad := range []string{"18", "#### ", "#### 1,00", "#### ,", "#### 12 apples"} {
		if _, err := gsm8kAnswer(bad); err == nil {
			t.Errorf("gsm8kAnswer(%q) succeeded, want an error", bad)
		}
	}
}

func TestMBPPEntryPoint(t *testing.T) {
	tests := []struct{ code, test, want string }{
		{"def helper(x):\n    pass\ndef main_fn(x):\n    return helper(x)", "assert main_fn(2) == 4", "main_fn"},
		{"", "assert sorted(find_pairs([1, 2])) == [1]", "find_pairs"},
		{"", "assert math.isclose(area(1), 3.14, rel_tol=0.01)", "area"},
		{"", "assert not is_even(3)", "is_even"},
		{"", "assert len(x) == 3", ""},
	}
	for _, tt := range tests {
		if got := mbppEntryPoint(tt.code, tt.test); got != tt.want {
			t.Errorf("mbppEntryPoint(%q, %q) = %q, want %q", tt.code, tt.test, got, tt.want)
		}
	}
}

func BenchmarkImportGSM8K(b *testing.B) {
	path := filepath.Join("..", "..", "shared", "datasets", "gsm8k", "test.jsonl")
	if _, err := os.Stat(path); err != nil {
		b.Skip("GSM8K file not available")
	}
	for b.Loop() {
		if _, err := Import("gsm8k", path, ImportOptions{}); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkBuiltin(b *testing.B) {
	for b.Loop() {
		if _, err := Builtin(); err != nil {
			b.Fatal(err)
		}
	}
}
