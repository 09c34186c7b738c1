package evaluators

import (
	"context"
	"testing"

	"github.com/quantbench/quantbench/datasets"
)

func TestStripThinking(t *testing.T) {
	tests := []struct{ in, want string }{
		{"<think>hmm, 5 or 6?</think>\n\n#### 6", "#### 6"},
		{"  \n<thinking>a</thinking>positive", "positive"},
		{"<think>still going when the limit hit", ""},
		{"positive <think>x</think>", "positive <think>x</think>"},
		{"no tags", "no tags"},
		{"", ""},
	}
	for _, tt := range tests {
		if got := StripThinking(tt.in); got != tt.want {
			t.Errorf("StripThinking(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestScorersIgnoreThinking(t *testing.T) {
	m := &datasets.Manifest{Name: "sent", Category: datasets.Classification, Labels: []string{"positive", "negative"}}
	s, err := For(m)
	if err != nil {
		t.Fatal(err)
	}
	item := &datasets.Item{ID: "c1", Expected: datasets.Expected{Label: "negative"}}
	got, err := s.Score(context.Background(), m, item, "<think>\nThe answer is positive? No.\n</think>\nNegative")
	if err != nil {
		t.Fatal(err)
	}
	if got.Outcome != Correct || got.Detail["rule"] != RuleFirstLine {
		t.Errorf("score = %+v, want correct by the first line after the thinking", got)
	}

	unfinished, err := s.Score(context.Background(), m, item, "<think>\nnegative, or maybe")
	if err != nil {
		t.Fatal(err)
	}
	if unfinished.Outcome != NoAnswer {
		t.Errorf("unfinished thinking: outcome %s, want no_answer", unfinished.Outcome)
	}
}
