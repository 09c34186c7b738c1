package results

import (
	"errors"
	"os"
	"path/filepath"
	"sort"
)

// JudgementsFile holds one line per creative item and variant when the suite
// names a judge model.
const JudgementsFile = "judgements.jsonl"

// JudgementRecord is one pairwise judgement: the judge model compared the
// baseline's and a variant's outputs for the same prompt, in both orders.
type JudgementRecord struct {
	Dataset  string `json:"dataset"`
	Category string `json:"category"`
	ItemID   string `json:"item_id"`
	Baseline string `json:"baseline"`
	Variant  string `json:"variant"`
	Judge    string `json:"judge"`

	// Verdict is "win", "tie" or "loss" from the variant's side; empty when
	// Error is set.
	Verdict       string `json:"verdict,omitempty"`
	BaselineFirst string `json:"baseline_first,omitempty"`
	VariantFirst  string `json:"variant_first,omitempty"`
	Error         string `json:"error,omitempty"`
}

// Key identifies a judgement within a run.
func (j *JudgementRecord) Key() string {
	return j.Dataset + "\x00" + j.ItemID + "\x00" + j.Variant
}

// JudgeSummary counts one variant's pairwise judgements in one category.
// WinRate is (wins + ties/2) / judged, the usual pairwise score, where 0.5
// means the judge cannot tell the variant from the baseline.
type JudgeSummary struct {
	Category string   `json:"category"`
	Variant  string   `json:"variant"`
	Judge    string   `json:"judge"`
	Wins     int      `json:"wins"`
	Ties     int      `json:"ties"`
	Losses   int      `json:"losses"`
	Errors   int      `json:"errors"`
	WinRate  *float64 `json:"win_rate,omitempty"`
}

// summarizeJudgements counts the judgements in dir, when the run has any.
func summarizeJudgements(dir string) ([]JudgeSummary, error) {
	byKey := map[string]*JudgementRecord{}
	err := ReadJSONLines(filepath.Join(dir, JudgementsFile), func(j *JudgementRecord) error {
		byKey[j.Key()] = j
		return nil
	})
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}

	groups := map[[2]string]*JudgeSummary{}
	for _, j := range byKey {
		g := groups[[2]string{j.Category, j.Variant}]
		if g == nil {
			g = &JudgeSummary{Category: j.Category, Variant: j.Variant, Judge: j.Judge}
			groups[[2]string{j.Category, j.Variant}] = g
		}
		switch j.Verdict {
		case "win":
			g.Wins++
		case "tie":
			g.Ties++
		case "loss":
			g.Losses++
		default:
			g.Errors++
		}
	}

	out := make([]JudgeSummary, 0, len(groups))
	for _, g := range groups {
		if judged := g.Wins + g.Ties + g.Losses; judged > 0 {
			rate := (float64(g.Wins) + float64(g.Ties)/2) / float64(judged)
			g.WinRate = &rate
		}
		out = append(out, *g)
	}
	sort.Slice(out, func(i, k int) bool {
		if out[i].Category != out[k].Category {
			return categoryRank(out[i].Category) < categoryRank(out[k].Category)
		}
		return out[i].Variant < out[k].Variant
	})
	return out, nil
}
