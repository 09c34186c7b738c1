package evaluators

import (
	"encoding/json"
	"math"
	"sort"

	"github.com/quantbench/quantbench/datasets"
)

// Metrics returns a dataset's metrics from its item scores, as fractions in
// [0, 1]. Counts of outcomes (no_answer, format_error, timeout) are not here;
// the caller counts Score.Outcome.
//   - classification: "accuracy", the mean of Value (no answer counts as
//     wrong); "macro_f1", the unweighted mean over labels of per-label F1,
//     where the labels are those expected or predicted (Answer against
//     Detail["expected"]); a missing answer is a false negative of the
//     expected label only.
//   - extraction: "precision", "recall" and "f1", micro-averaged over fields:
//     the sums of Detail["tp"], ["fp"] and ["fn"] over items.
//   - reasoning: "accuracy", the mean of Value.
//   - code: "pass_at_1", the fraction of items with Outcome Passed.
//   - creative: "constraint_fraction", the mean over items of the fraction of
//     constraints satisfied.
//
// An empty score list gives an empty map, as does an unknown category.
func Metrics(category datasets.Category, scores []Score) map[string]float64 {
	out := map[string]float64{}
	if len(scores) == 0 {
		return out
	}
	switch category {
	case datasets.Classification:
		out["accuracy"] = meanValue(scores)
		out["macro_f1"] = macroF1(scores)
	case datasets.Extraction:
		p, r, f := microFieldF1(scores)
		out["precision"], out["recall"], out["f1"] = p, r, f
	case datasets.Reasoning:
		out["accuracy"] = meanValue(scores)
	case datasets.Code:
		passed := 0
		for _, s := range scores {
			if s.Outcome == Passed {
				passed++
			}
		}
		out["pass_at_1"] = float64(passed) / float64(len(scores))
	case datasets.Creative:
		out["constraint_fraction"] = meanValue(scores)
	}
	return out
}

func meanValue(scores []Score) float64 {
	sum := 0.0
	for _, s := range scores {
		sum += s.Value
	}
	return sum / float64(len(scores))
}

func macroF1(scores []Score) float64 {
	type counts struct{ tp, fp, fn int }
	perLabel := map[string]*counts{}
	get := func(label string) *counts {
		if perLabel[label] == nil {
			perLabel[label] = &counts{}
		}
		return perLabel[label]
	}

	for _, s := range scores {
		expected, _ := s.Detail["expected"].(string)
		predicted := s.Answer
		if s.Outcome == NoAnswer {
			predicted = ""
		}
		switch {
		case expected != "" && predicted == expected:
			get(expected).tp++
		default:
			if expected != "" {
				get(expected).fn++
			}
			if predicted != "" {
				get(predicted).fp++
			}
		}
	}
	if len(perLabel) == 0 {
		return 0
	}

	labels := make([]string, 0, len(perLabel))
	for l := range perLabel {
		labels = append(labels, l)
	}
	sort.Strings(labels)
	sum := 0.0
	for _, l := range labels {
		c := perLabel[l]
		sum += 2 * float64(c.tp) / float64(2*c.tp+c.fp+c.fn)
	}
	return sum / float64(len(labels))
}

// microFieldF1 sums the field counts of all items. Precision is 1 when no
// field was extracted, and recall is 1 when none was expected, so an empty
// side does not turn F1 into a division by zero.
func microFieldF1(scores []Score) (precision, recall, f1 float64) {
	var tp, fp, fn float64
	for _, s := range scores {
		tp += detailNumber(s.Detail, "tp")
		fp += detailNumber(s.Detail, "fp")
		fn += detailNumber(s.Detail, "fn")
	}
	precision, recall = 1, 1
	if tp+fp > 0 {
		precision = tp / (tp + fp)
	}
	if tp+fn > 0 {
		recall = tp / (tp + fn)
	}
	if precision+recall > 0 {
		f1 = 2 * precision * recall / (precision + recall)
	}
	return precision, recall, f1
}

// detailNumber reads a count from Detail, which holds int when the score is
// fresh and float64 or json.Number after a JSON round trip.
func detailNumber(detail map[string]any, key string) float64 {
	switch v := detail[key].(type) {
	case int:
		return float64(v)
	case int64:
		return float64(v)
	case float64:
		if math.IsNaN(v) {
			return 0
		}
		return v
	case json.Number:
		f, err := v.Float64()
		if err != nil {
			return 0
		}
		return f
	}
	return 0
}
