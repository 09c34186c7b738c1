package datasets

import (
	"errors"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

func names(list []*Dataset) []string {
	out := make([]string, len(list))
	for i, ds := range list {
		out[i] = ds.Manifest.Name
	}
	return out
}

func TestBuiltinDatasetsAreValid(t *testing.T) {
	list, err := Builtin()
	if err != nil {
		t.Fatalf("Builtin: %v", err)
	}
	if len(list) == 0 {
		t.Skip("no built-in datasets in the builtin folder yet")
	}
	if got, want := len(list), len(BuiltinNames()); got != want {
		t.Errorf("Builtin returned %d datasets, BuiltinNames %d", got, want)
	}
	lastRank := -1
	for _, ds := range list {
		if ds.Source != BuiltinPrefix+ds.Manifest.Name {
			t.Errorf("%s: source = %q", ds.Manifest.Name, ds.Source)
		}
		rank := slices.Index(Categories, ds.Manifest.Category)
		if rank < lastRank {
			t.Errorf("%s (%s) comes after a later category", ds.Manifest.Name, ds.Manifest.Category)
		}
		lastRank = rank
		for i := range ds.Items {
			if _, _, err := Render(&ds.Manifest, &ds.Items[i]); err != nil {
				t.Errorf("%s: %v", ds.Manifest.Name, err)
			}
		}
	}
}

func TestBuiltinSnapshotsRoundTrip(t *testing.T) {
	list, err := Builtin()
	if err != nil {
		t.Fatalf("Builtin: %v", err)
	}
	dir := t.TempDir()
	for _, ds := range list {
		rel, err := WriteSnapshot(ds, dir)
		if err != nil {
			t.Fatalf("WriteSnapshot(%s): %v", ds.Manifest.Name, err)
		}
		back, err := Load(filepath.Join(dir, rel))
		if err != nil {
			t.Fatalf("Load snapshot of %s: %v", ds.Manifest.Name, err)
		}
		if back.SHA256 != ds.SHA256 {
			t.Errorf("%s: snapshot sha256 = %s, want %s", ds.Manifest.Name, back.SHA256, ds.SHA256)
		}
	}
}

func TestResolveBuiltinForms(t *testing.T) {
	all, err := Resolve("builtin")
	if err != nil {
		t.Fatalf("Resolve(builtin): %v", err)
	}
	if len(all) == 0 {
		t.Skip("no built-in datasets yet")
	}
	first := all[0]

	one, err := Resolve("builtin:" + first.Manifest.Name)
	if err != nil || len(one) != 1 || one[0].SHA256 != first.SHA256 {
		t.Errorf("Resolve(builtin:%s) = %v, %v", first.Manifest.Name, names(one), err)
	}

	byCategory, err := Resolve("builtin:" + string(first.Manifest.Category))
	if err != nil {
		t.Fatalf("Resolve(builtin:%s): %v", first.Manifest.Category, err)
	}
	for _, ds := range byCategory {
		if ds.Manifest.Category != first.Manifest.Category {
			t.Errorf("builtin:%s returned %s of category %s", first.Manifest.Category, ds.Manifest.Name, ds.Manifest.Category)
		}
	}
	if !slices.Contains(names(byCategory), first.Manifest.Name) {
		t.Errorf("builtin:%s = %v, want it to contain %s", first.Manifest.Category, names(byCategory), first.Manifest.Name)
	}

	twice, err := Resolve("builtin, builtin:" + first.Manifest.Name)
	if err != nil || len(twice) != len(all) {
		t.Errorf("Resolve with a repeated dataset = %d datasets, %v; want %d", len(twice), err, len(all))
	}
}

func TestResolveUnknownBuiltin(t *testing.T) {
	_, err := Resolve("builtin:no-such-set")
	if err == nil || !strings.Contains(err.Error(), `no built-in dataset or category "no-such-set"`) {
		t.Fatalf("Resolve = %v", err)
	}
}

func TestResolvePathsFormatsAndFolders(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "set", "b.jsonl"), strings.Replace(sentimentHeader, "sentiment-test", "b", 1)+item("1", "positive")+"\n")
	writeFile(t, filepath.Join(dir, "set", "a.jsonl"), strings.Replace(sentimentHeader, "sentiment-test", "a", 1)+item("1", "negative")+"\n")
	writeFile(t, filepath.Join(dir, "set", "notes.txt"), "not a dataset")
	sst := writeFile(t, filepath.Join(dir, "reviews.txt"), "1 a fine film\n0 a dull film\n")

	list, err := Resolve("sst:" + sst + ", " + filepath.Join(dir, "set"))
	if err != nil {
		t.Fatalf("Resolve: %v", err)
	}
	if got, want := names(list), []string{"reviews", "a", "b"}; !slices.Equal(got, want) {
		t.Errorf("names = %v, want %v", got, want)
	}
	if list[0].Source != "sst:"+sst || list[0].Items[0].Expected.Label != "positive" {
		t.Errorf("sst dataset = source %q, first label %q", list[0].Source, list[0].Items[0].Expected.Label)
	}
}

func TestResolveReportsEveryBadPart(t *testing.T) {
	dir := t.TempDir()
	bad1 := writeFile(t, filepath.Join(dir, "one.jsonl"), sentimentHeader+item("1", "maybe")+"\n")
	bad2 := writeFile(t, filepath.Join(dir, "two.jsonl"), sentimentHeader+"{oops\n")
	_, err := Resolve(bad1 + "," + bad2 + ",builtin")
	var ve *ValidationError
	if !errors.As(err, &ve) {
		t.Fatalf("Resolve = %v, want a *ValidationError", err)
	}
	msg := err.Error()
	for _, want := range []string{bad1 + `:8: expected.label: label "maybe"`, bad2 + ":8: invalid JSON"} {
		if !strings.Contains(msg, want) {
			t.Errorf("error does not contain %q:\n%s", want, msg)
		}
	}
}

func TestResolveRejectsTwoDatasetsWithOneName(t *testing.T) {
	dir := t.TempDir()
	a := writeFile(t, filepath.Join(dir, "a.jsonl"), sentimentHeader+item("1", "positive")+"\n")
	b := writeFile(t, filepath.Join(dir, "b.jsonl"), sentimentHeader+item("1", "negative")+"\n")
	_, err := Resolve(a + "," + b)
	if err == nil || !strings.Contains(err.Error(), `two different datasets are named "sentiment-test"`) {
		t.Fatalf("Resolve = %v", err)
	}
}

func TestResolveEmptyAndMissing(t *testing.T) {
	if _, err := Resolve(" , "); err == nil || !strings.Contains(err.Error(), "no datasets given") {
		t.Errorf("Resolve(empty) = %v", err)
	}
	if _, err := Resolve(filepath.Join(t.TempDir(), "missing.jsonl")); err == nil || !strings.Contains(err.Error(), "missing.jsonl") {
		t.Errorf("Resolve(missing) = %v", err)
	}
}
