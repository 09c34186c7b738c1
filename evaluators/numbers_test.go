package evaluators

import (
	"context"
	"testing"

	"github.com/quantbench/quantbench/datasets"
)

func TestExtractNumber(t *testing.T) {
	tests := []struct {
		name  string
		text  string
		want  float64
		rule  string
		found bool
	}{
		{"gsm8k marker", "She pays 3 * 4 = 12 dollars.\n#### 12", 12, RuleHashes, true},
		{"marker beats later numbers", "#### 72\nThat took 5 steps.", 72, RuleHashes, true},
		{"last marker wins", "#### 1\nwait, recount\n#### 2", 2, RuleHashes, true},
		{"marker with thousands", "#### 1,234,567", 1234567, RuleHashes, true},
		{"marker without number falls through", "####\nThe answer is 9", 9, RuleAnswerText, true},
		{"answer phrase", "First 3 + 4 = 7. The answer is 42.", 42, RuleAnswerText, true},
		{"final answer colon", "Steps: 10, 20.\nFinal answer: 30", 30, RuleAnswerText, true},
		{"final answer is", "so the final answer is $1,250.00.", 1250, RuleAnswerText, true},
		{"answer phrase case", "THE ANSWER IS -7", -7, RuleAnswerText, true},
		{"bold answer", "The answer is **18**", 18, RuleAnswerText, true},
		{"last answer phrase wins", "The answer is 3? No. The answer is 4.", 4, RuleAnswerText, true},
		{"phrase beats boxed", "\\boxed{5}\nThe answer is 6", 6, RuleAnswerText, true},
		{"phrase with boxed", "The answer is \\boxed{1{,}024}.", 1024, RuleAnswerText, true},
		{"phrase without number falls through", "The answer is unclear, but 5 + 5 = 10", 10, RuleLastNumber, true},
		{"boxed", "Thus $x = \\boxed{17}$ and we check 17 - 2 = 15", 17, RuleBoxed, true},
		{"boxed latex comma", "\\boxed{12{,}500}", 12500, RuleBoxed, true},
		{"boxed thin space", "\\boxed{12\\,500}", 12500, RuleBoxed, true},
		{"boxed dollar", "\\boxed{\\$45.50}", 45.5, RuleBoxed, true},
		{"boxed fraction", "\\boxed{\\frac{3}{4}}", 0.75, RuleBoxed, true},
		{"boxed negative dfrac", "\\boxed{-\\dfrac{1}{2}}", -0.5, RuleBoxed, true},
		{"last boxed wins", "\\boxed{1} then \\boxed{2}", 2, RuleBoxed, true},
		{"nested braces in boxed", "\\boxed{\\text{42}}", 42, RuleBoxed, true},
		{"last number", "He had 5 apples and ate 2, leaving 3.", 3, RuleLastNumber, true},
		{"dollar and cents", "Total cost: $1,234.00", 1234, RuleLastNumber, true},
		{"percent", "The discount is 25%", 25, RuleLastNumber, true},
		{"trailing period", "So 48.", 48, RuleLastNumber, true},
		{"decimal", "Each costs 2.75", 2.75, RuleLastNumber, true},
		{"leading dot decimal", "about .5 of it", 0.5, RuleLastNumber, true},
		{"negative", "The change is -15 degrees", -15, RuleLastNumber, true},
		{"unicode minus", "It fell to −3", -3, RuleLastNumber, true},
		{"negative dollars", "a loss of -$20", -20, RuleLastNumber, true},
		{"list of small numbers", "sizes 3,4,5", 5, RuleLastNumber, true},
		{"invalid group splits", "value 1,23", 23, RuleLastNumber, true},
		{"four digits then comma", "1234,567", 567, RuleLastNumber, true},
		{"hyphen range is not negative", "pages 10-12", 12, RuleLastNumber, true},
		{"word with digit skipped", "Use H2O, 7 cups", 7, RuleLastNumber, true},
		{"identifier skipped", "version v2", 0, "", false},
		{"zero padding", "#### 007", 7, RuleHashes, true},
		{"no digits", "I cannot solve this.", 0, "", false},
		{"bare comma", "The answer is ,", 0, "", false},
		{"bare period and dollar", "#### $.", 0, "", false},
		{"empty", "", 0, "", false},
		{"comma only", ",,,", 0, "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := ExtractNumber(tt.text)
			if ok != tt.found {
				t.Fatalf("ExtractNumber(%q) found = %v (%+v), want %v", tt.text, ok, got, tt.found)
			}
			if !ok {
				return
			}
			if got.Value != tt.want {
				t.Errorf("ExtractNumber(%q) = %v, want %v", tt.text, got.Value, tt.want)
			}
			if got.Rule != tt.rule {
				t.Errorf("ExtractNumber(%q) rule = %q, want %q", tt.text, got.Rule, tt.rule)
			}
		})
	}
}

func TestNumbersEqual(t *testing.T) {
	tests := []struct {
		got, want float64
		equal     bool
	}{
		{42, 42, true},
		{0.1 + 0.2, 0.3, true},
		{1e9 + 0.5, 1e9, true},
		{41.999, 42, false},
		{12, 120, false},
		{2, 12, false},
		{-5, 5, false},
		{0, 1e-9, true},
		{0, 1e-3, false},
	}
	for _, tt := range tests {
		if got := NumbersEqual(tt.got, tt.want, DefaultTolerance); got != tt.equal {
			t.Errorf("NumbersEqual(%v, %v) = %v, want %v", tt.got, tt.want, got, tt.equal)
		}
	}
}

func TestNumericScorer(t *testing.T) {
	m := &datasets.Manifest{Name: "math", Category: datasets.Reasoning}
	s, err := For(m)
	if err != nil {
		t.Fatal(err)
	}
	want := 120.0
	item := &datasets.Item{ID: "r1", Expected: datasets.Expected{Number: &want}}

	tests := []struct {
		output  string
		outcome Outcome
		value   float64
		answer  string
	}{
		{"5 boxes of 24 make 120.\n#### 120", Correct, 1, "120"},
		{"The answer is $120.00.", Correct, 1, "120"},
		{"#### 12", Wrong, 0, "12"},
		{"The answer is 1200", Wrong, 0, "1200"},
		{"I do not know.", NoAnswer, 0, ""},
	}
	for _, tt := range tests {
		got, err := s.Score(context.Background(), m, item, tt.output)
		if err != nil {
			t.Fatalf("Score(%q): %v", tt.output, err)
		}
		if got.Outcome != tt.outcome || got.Value != tt.value || got.Answer != tt.answer || !got.Binary {
			t.Errorf("Score(%q) = %+v, want outcome %s value %v answer %q", tt.output, got, tt.outcome, tt.value, tt.answer)
		}
		if got.Detail["expected"] != "120" {
			t.Errorf("Score(%q) expected detail = %v, want 120", tt.output, got.Detail["expected"])
		}
	}
}

func TestNumericScorerMissingExpected(t *testing.T) {
	m := &datasets.Manifest{Name: "math", Category: datasets.Reasoning}
	s, err := For(m)
	if err != nil {
		t.Fatal(err)
	}
	_, err = s.Score(context.Background(), m, &datasets.Item{ID: "r9"}, "#### 1")
	if err == nil {
		t.Fatal("Score without expected.number returned no error")
	}
}
