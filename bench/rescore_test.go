package bench

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/quantbench/quantbench/bench/ollamafake"
	"github.com/quantbench/quantbench/results"
)

func TestRescoreRestoresScoresFromRecords(t *testing.T) {
	fake := ollamafake.New(t, ollamafake.Models...)
	dataset := ollamafake.WriteSentimentDataset(t, t.TempDir(), 10)
	dir, err := Run(context.Background(), testSuite(t, fake.URL, dataset), RunOptions{})
	if err != nil {
		t.Fatal(err)
	}
	want, err := results.Summarize(dir)
	if err != nil {
		t.Fatal(err)
	}

	// Overwrite every score with a wrong one, as an older scorer might have.
	path := filepath.Join(dir, results.RecordsFile)
	data, _ := os.ReadFile(path)
	tampered := strings.ReplaceAll(string(data), `"value":1,`, `"value":0,`)
	if tampered == string(data) {
		t.Fatal("the records hold no score of 1 to tamper with")
	}
	os.WriteFile(path, []byte(tampered), 0o644)

	sum, err := Rescore(context.Background(), dir)
	if err != nil {
		t.Fatal(err)
	}
	if sum.Scored != 30 || sum.Changed == 0 {
		t.Errorf("scored %d changed %d, want 30 scored and some changed", sum.Scored, sum.Changed)
	}
	backup, err := os.ReadFile(sum.Backup)
	if err != nil || string(backup) != tampered {
		t.Errorf("the old records were not kept in %s (error %v)", sum.Backup, err)
	}

	got, err := results.Summarize(dir)
	if err != nil {
		t.Fatal(err)
	}
	for i := range want.Categories {
		if *got.Categories[i].Score != *want.Categories[i].Score {
			t.Errorf("%s: rescored %v, want %v as first scored", want.Categories[i].Model, *got.Categories[i].Score, *want.Categories[i].Score)
		}
	}
}
