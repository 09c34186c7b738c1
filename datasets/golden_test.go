package datasets

import (
	"bytes"
	"compress/gzip"
	"flag"
	"os"
	"path/filepath"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/golden")

// TestImportGolden imports each fixture in testdata and compares the written
// dataset, byte for byte, with testdata/golden/NAME.jsonl. Run with -update
// after an intended change of an importer or of the file format.
func TestImportGolden(t *testing.T) {
	tests := []struct {
		format, file string
		opts         ImportOptions
	}{
		{"gsm8k", "gsm8k.jsonl", ImportOptions{}},
		{"humaneval", "humaneval.jsonl", ImportOptions{}},
		{"mbpp", "mbpp.jsonl", ImportOptions{}},
		{"mbpp", "mbpp-sanitized.json", ImportOptions{}},
		{"csv", "intents.csv", ImportOptions{}},
		{"sst", "sst.txt", ImportOptions{}},
		{"spans", "spans.json", ImportOptions{}},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			ds, err := Import(tt.format, filepath.Join("testdata", tt.file), tt.opts)
			if err != nil {
				t.Fatalf("Import: %v", err)
			}
			var got bytes.Buffer
			if err := Write(&got, ds); err != nil {
				t.Fatalf("Write: %v", err)
			}

			golden := filepath.Join("testdata", "golden", ds.Manifest.Name+".jsonl")
			if *update {
				if err := os.MkdirAll(filepath.Dir(golden), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(golden, got.Bytes(), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("read golden file (run go test -run TestImportGolden -update to create it): %v", err)
			}
			if !bytes.Equal(got.Bytes(), want) {
				t.Errorf("import of %s differs from %s:\n got:\n%s\nwant:\n%s", tt.file, golden, got.Bytes(), want)
			}

			back, err := Load(golden)
			if err != nil {
				t.Fatalf("Load(golden): %v", err)
			}
			if back.SHA256 != ds.SHA256 {
				t.Errorf("golden sha256 = %s, want %s", back.SHA256, ds.SHA256)
			}
		})
	}
}

func TestImportFixtureValues(t *testing.T) {
	gsm, err := Import("gsm8k", filepath.Join("testdata", "gsm8k.jsonl"), ImportOptions{})
	if err != nil {
		t.Fatal(err)
	}
	for i, want := range []float64{91, 1250, -4} {
		if got := *gsm.Items[i].Expected.Number; got != want {
			t.Errorf("gsm8k item %d number = %v, want %v", i, got, want)
		}
	}

	csv, err := Import("csv", filepath.Join("testdata", "intents.csv"), ImportOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if got := csv.Items[1].Input["text"]; got != "Refund me, please, it broke" {
		t.Errorf("csv item 1 text = %q", got)
	}
	if got := csv.Items[2].Input["text"]; got != "Two lines\nin one message" || csv.Items[2].Line != 4 || csv.Items[3].Line != 6 {
		t.Errorf("csv item 2 text = %q, lines %d and %d; want the two-line text on line 4 and the next row on 6", got, csv.Items[2].Line, csv.Items[3].Line)
	}

	spans, err := Import("spans", filepath.Join("testdata", "spans.json"), ImportOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(spans.Items) != 2 || spans.Items[1].ID != "spans/2" || spans.Items[1].Line != 13 {
		t.Fatalf("spans items = %+v", spans.Items)
	}
	want := map[string]string{"first_name": "Zoë", "last_name": "Brontë", "time": "7pm"}
	for slot, value := range want {
		if got := spans.Items[1].Expected.Fields[slot]; got != value {
			t.Errorf("spans item 2 %s = %q, want %q", slot, got, value)
		}
	}
}

func TestImportGzipFixture(t *testing.T) {
	plain, err := os.ReadFile(filepath.Join("testdata", "humaneval.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	var zipped bytes.Buffer
	zw := gzip.NewWriter(&zipped)
	zw.Write(plain)
	zw.Close()
	path := writeFile(t, filepath.Join(t.TempDir(), "humaneval.jsonl"), zipped.String())

	ds, err := Import("humaneval", path, ImportOptions{})
	if err != nil {
		t.Fatalf("Import(gzipped): %v", err)
	}
	want, err := Import("humaneval", filepath.Join("testdata", "humaneval.jsonl"), ImportOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if ds.SHA256 != want.SHA256 {
		t.Errorf("gzipped import sha256 = %s, plain %s", ds.SHA256, want.SHA256)
	}
	if ds.Items[1].Expected.Tests != "\n\ndef check(candidate):\n    assert candidate('cat')\n    assert not candidate('horse')\n\ncheck(is_short)\n" {
		t.Errorf("item 1 tests = %q", ds.Items[1].Expected.Tests)
	}
}
