package evaluators

import (
	"encoding/json"
	"math"
	"testing"

	"github.com/quantbench/quantbench/datasets"
)

func near(a, b float64) bool { return math.Abs(a-b) < 1e-12 }

func labelScore(expected, predicted string) Score {
	s := Score{Binary: true, Answer: predicted, Detail: map[string]any{"expected": expected}}
	switch {
	case predicted == "":
		s.Outcome = NoAnswer
	case predicted == expected:
		s.Value, s.Outcome = 1, Correct
	default:
		s.Outcome = Wrong
	}
	return s
}

func TestMetricsClassification(t *testing.T) {
	scores := []Score{
		labelScore("pos", "pos"),
		labelScore("pos", "neg"),
		labelScore("neg", "neg"),
		labelScore("neg", ""),
		labelScore("neu", "neu"),
	}
	got := Metrics(datasets.Classification, scores)
	// pos: tp 1, fn 1 -> F1 2/3. neg: tp 1, fp 1, fn 1 -> 1/2. neu: 1.
	wantF1 := (2.0/3 + 0.5 + 1) / 3
	if !near(got["accuracy"], 0.6) {
		t.Errorf("accuracy = %v, want 0.6", got["accuracy"])
	}
	if !near(got["macro_f1"], wantF1) {
		t.Errorf("macro_f1 = %v, want %v", got["macro_f1"], wantF1)
	}
	if len(got) != 2 {
		t.Errorf("metrics = %v, want accuracy and macro_f1 only", got)
	}
}

func TestMetricsClassificationPredictedOnlyLabel(t *testing.T) {
	// "neu" is never expected but predicted once: its F1 is 0 and it counts.
	got := Metrics(datasets.Classification, []Score{labelScore("pos", "pos"), labelScore("pos", "neu")})
	want := (2.0/3 + 0) / 2
	if !near(got["macro_f1"], want) {
		t.Errorf("macro_f1 = %v, want %v", got["macro_f1"], want)
	}
}

func TestMetricsExtraction(t *testing.T) {
	scores := []Score{
		{Value: 1, Outcome: Partial, Detail: map[string]any{"tp": 3, "fp": 0, "fn": 0}},
		{Value: 0.5, Outcome: Partial, Detail: map[string]any{"tp": 1, "fp": 1, "fn": 1}},
		{Outcome: NoAnswer, Detail: map[string]any{"tp": 0, "fp": 0, "fn": 2}},
	}
	got := Metrics(datasets.Extraction, scores)
	p, r := 4.0/5, 4.0/7
	if !near(got["precision"], p) || !near(got["recall"], r) || !near(got["f1"], 2*p*r/(p+r)) {
		t.Errorf("metrics = %v, want precision %v recall %v", got, p, r)
	}
}

func TestMetricsExtractionAfterJSONRoundTrip(t *testing.T) {
	fresh := []Score{{Value: 0.5, Outcome: Partial, Detail: map[string]any{"tp": 1, "fp": 1, "fn": 1}}}
	b, err := json.Marshal(fresh)
	if err != nil {
		t.Fatal(err)
	}
	var decoded []Score
	if err := json.Unmarshal(b, &decoded); err != nil {
		t.Fatal(err)
	}
	want := Metrics(datasets.Extraction, fresh)
	got := Metrics(datasets.Extraction, decoded)
	if got["f1"] != want["f1"] || !near(got["f1"], 0.5) {
		t.Errorf("f1 after round trip = %v, fresh %v, want 0.5", got["f1"], want["f1"])
	}
}

func TestMetricsOtherCategories(t *testing.T) {
	reasoning := Metrics(datasets.Reasoning, []Score{{Value: 1}, {Value: 0}, {Value: 1}, {Value: 0, Outcome: NoAnswer}})
	if !near(reasoning["accuracy"], 0.5) {
		t.Errorf("reasoning accuracy = %v, want 0.5", reasoning["accuracy"])
	}
	code := Metrics(datasets.Code, []Score{{Value: 1, Outcome: Passed}, {Outcome: Failed}, {Outcome: Timeout}, {Outcome: SandboxError}})
	if !near(code["pass_at_1"], 0.25) {
		t.Errorf("pass_at_1 = %v, want 0.25", code["pass_at_1"])
	}
	creative := Metrics(datasets.Creative, []Score{{Value: 1}, {Value: 0.5}, {Value: 0}})
	if !near(creative["constraint_fraction"], 0.5) {
		t.Errorf("constraint_fraction = %v, want 0.5", creative["constraint_fraction"])
	}
	if got := Metrics(datasets.Reasoning, nil); len(got) != 0 {
		t.Errorf("metrics of no scores = %v, want empty", got)
	}
	if got := Metrics("poetry", []Score{{Value: 1}}); len(got) != 0 {
		t.Errorf("metrics of an unknown category = %v, want empty", got)
	}
}
