package evaluators

import (
	"context"
	"errors"
	"fmt"
	"strconv"

	"github.com/quantbench/quantbench/datasets"
)

// numericScorer scores reasoning outputs: the number ExtractNumber finds
// against expected.number, equal within a relative tolerance.
type numericScorer struct {
	tolerance float64
}

func newNumericScorer(m *datasets.Manifest) (Scorer, error) {
	tol, ok, err := optionFloat(m, "tolerance")
	if err != nil {
		return nil, err
	}
	if !ok {
		tol = DefaultTolerance
	}
	if tol < 0 || tol >= 1 {
		return nil, errors.New("scorer_options.tolerance: must be at least 0 and below 1 (a relative tolerance such as 1e-6)")
	}
	return numericScorer{tolerance: tol}, nil
}

func (s numericScorer) Score(_ context.Context, m *datasets.Manifest, item *datasets.Item, output string) (Score, error) {
	if item.Expected.Number == nil {
		return Score{}, fmt.Errorf("dataset %s, item %s: expected.number is missing", m.Name, item.ID)
	}
	want := *item.Expected.Number
	detail := map[string]any{"expected": strconv.FormatFloat(want, 'f', -1, 64)}

	got, ok := ExtractNumber(StripThinking(output))
	if !ok {
		return Score{Binary: true, Outcome: NoAnswer, Detail: detail}, nil
	}
	detail["rule"] = got.Rule
	score := Score{Binary: true, Outcome: Wrong, Answer: got.Text, Detail: detail}
	if NumbersEqual(got.Value, want, s.tolerance) {
		score.Value, score.Outcome = 1, Correct
	}
	return score, nil
}
