package results

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
)

// Summary is everything the reports show, computed from a results folder alone.
type Summary struct {
	Run RunManifest `json:"run"`

	// Scores has one entry per dataset, model and repeat.
	Scores []ModelScore `json:"scores"`

	// Categories has one entry per category and model (repeat 0).
	Categories []CategoryScore `json:"categories"`

	// Comparisons has one entry per category and variant: the paired comparison
	// with the baseline.
	Comparisons []Comparison `json:"comparisons"`

	// NoiseFloors has one entry per category when the baseline ran twice.
	NoiseFloors []NoiseFloor `json:"noise_floors,omitempty"`

	Throughput *SpeedReport `json:"throughput,omitempty"`

	// Judgements counts the judge model's pairwise verdicts per category and
	// variant, when the suite named a judge.
	Judgements []JudgeSummary `json:"judgements,omitempty"`
	Cost       *CostReport    `json:"cost,omitempty"`

	// Footnotes are the statistical and measurement caveats, printed under the tables.
	Footnotes []string `json:"footnotes,omitempty"`
}

// Summarize builds the summary of the results folder dir from run.json,
// records.jsonl and, when present, throughput.jsonl and telemetry.jsonl.
func Summarize(dir string) (*Summary, error) {
	manifest, err := ReadManifest(dir)
	if err != nil {
		return nil, err
	}

	records, err := loadRecords(filepath.Join(dir, RecordsFile))
	if err != nil {
		return nil, err
	}

	s := &Summary{Run: *manifest}
	s.Scores, s.Categories = summarizeQuality(manifest, records)

	comparisons, noise, notes := compareVariants(manifest, records)
	s.Comparisons, s.NoiseFloors = comparisons, noise
	s.Footnotes = append(s.Footnotes, notes...)

	speed, err := summarizeSpeed(dir, manifest)
	if err != nil {
		return nil, err
	}
	s.Throughput = speed

	judgements, err := summarizeJudgements(dir)
	if err != nil {
		return nil, err
	}
	s.Judgements = judgements

	cost, notes, err := summarizeCost(s)
	if err != nil {
		return nil, err
	}
	s.Cost = cost
	s.Footnotes = append(s.Footnotes, notes...)
	return s, nil
}

// loadRecords reads every record, dropping the raw output and thinking text,
// which no summary uses, to bound memory on large runs. When a key occurs more
// than once (an infra_error retried by a resumed run), the last record wins,
// in the position of the first.
func loadRecords(path string) ([]*Record, error) {
	var records []*Record
	index := map[string]int{}
	err := ReadRecords(path, func(r *Record) error {
		r.RawOutput, r.Thinking = "", ""
		key := r.Key()
		if i, seen := index[key]; seen {
			records[i] = r
			return nil
		}
		index[key] = len(records)
		records = append(records, r)
		return nil
	})
	if errors.Is(err, os.ErrNotExist) {
		return nil, fmt.Errorf("no %s in %s: the run wrote no records yet", RecordsFile, filepath.Dir(path))
	}
	return records, err
}
