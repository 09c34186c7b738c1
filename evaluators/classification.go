package evaluators

import (
	"context"
	"errors"
	"fmt"

	"github.com/quantbench/quantbench/datasets"
)

// labelScorer scores classification outputs: Correct when MatchLabel finds
// the item's label, Wrong for another label of the set, NoAnswer when it
// finds none.
type labelScorer struct{}

func newLabelScorer(m *datasets.Manifest) (Scorer, error) {
	if len(m.Labels) == 0 {
		return nil, errors.New("labels: missing; a classification dataset lists its label set")
	}
	return labelScorer{}, nil
}

func (labelScorer) Score(_ context.Context, m *datasets.Manifest, item *datasets.Item, output string) (Score, error) {
	expected := item.Expected.Label
	if expected == "" {
		return Score{}, fmt.Errorf("dataset %s, item %s: expected.label is missing", m.Name, item.ID)
	}
	expected = canonicalLabel(expected, m.Labels)
	detail := map[string]any{"expected": expected}

	label, rule, ok := MatchLabel(StripThinking(output), m.Labels)
	if !ok {
		return Score{Value: 0, Binary: true, Outcome: NoAnswer, Detail: detail}, nil
	}
	detail["rule"] = rule
	s := Score{Binary: true, Outcome: Wrong, Answer: label, Detail: detail}
	if label == expected {
		s.Value, s.Outcome = 1, Correct
	}
	return s, nil
}

// canonicalLabel returns the entry of labels that label matches after
// normalisation, so Answer and Detail["expected"] use one spelling and
// Metrics counts them as one class. A label outside the set is returned as
// it is.
func canonicalLabel(label string, labels []string) string {
	want := cleanLabelText(label)
	for _, l := range labels {
		if cleanLabelText(l) == want {
			return l
		}
	}
	return label
}
