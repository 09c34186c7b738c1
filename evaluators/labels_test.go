package evaluators

import (
	"context"
	"testing"

	"github.com/quantbench/quantbench/datasets"
)

func TestMatchLabel(t *testing.T) {
	sentiment := []string{"positive", "negative", "neutral"}
	intents := []string{"card_arrival", "card_not_working", "lost_or_stolen_card", "Refund"}
	tests := []struct {
		name   string
		output string
		labels []string
		want   string
		rule   string
	}{
		{"exact", "positive", sentiment, "positive", RuleFirstLine},
		{"case and period", "Negative.", sentiment, "negative", RuleFirstLine},
		{"bold", "**Neutral**", sentiment, "neutral", RuleFirstLine},
		{"quoted", `"positive"`, sentiment, "positive", RuleFirstLine},
		{"curly quotes", "“negative”", sentiment, "negative", RuleFirstLine},
		{"brackets", "[neutral]", sentiment, "neutral", RuleFirstLine},
		{"answer tag", "Answer: Positive", sentiment, "positive", RuleFirstLine},
		{"bold answer tag", "**Label:** negative!", sentiment, "negative", RuleFirstLine},
		{"final answer tag", "Final answer - neutral", sentiment, "neutral", RuleFirstLine},
		{"label then explanation", "Positive. The reviewer loved the acting.", sentiment, "positive", RuleFirstLine},
		{"label then dash", "Negative - the food was cold, not positive at all", sentiment, "negative", RuleFirstLine},
		{"label then bracket", "positive (the tone is warm)", sentiment, "positive", RuleFirstLine},
		{"label line then explanation", "negative\n\nThe customer was not positive about it.", sentiment, "negative", RuleFirstLine},
		{"underscore label as spaces", "card arrival", intents, "card_arrival", RuleFirstLine},
		{"underscore label exact", "`card_not_working`", intents, "card_not_working", RuleFirstLine},
		{"hyphenated label", "lost-or-stolen-card", intents, "lost_or_stolen_card", RuleFirstLine},
		{"label set case", "refund", intents, "Refund", RuleFirstLine},
		{"longest label wins", "card not working.", intents, "card_not_working", RuleFirstLine},
		{"heading mark", "## Positive", sentiment, "positive", RuleFirstLine},
		{"last line", "Let me think about the tone of this review.\nIt mentions a refund.\nNegative", sentiment, "negative", RuleLastLine},
		{"explicit phrase", "The reviewer complains at length. The sentiment is negative.", sentiment, "negative", RulePhrase},
		{"answer is", "Considering everything, the answer is **neutral**, because...", sentiment, "neutral", RulePhrase},
		{"classified as", "Given the praise, this text would be classified as positive.", sentiment, "positive", RulePhrase},
		{"phrase label followed by word", "It would be classified as positive overall", sentiment, "", ""},
		{"last phrase wins", "The answer is positive? Rereading, the answer is negative.", sentiment, "negative", RulePhrase},
		{"phrase skips adverb", "Hmm. The answer is clearly positive", sentiment, "", ""},
		{"word inside explanation", "The customer was happy, so overall it felt positive to me", sentiment, "", ""},
		{"negated", "Not positive, I think", sentiment, "", ""},
		{"label as part of word", "Positively glowing", sentiment, "", ""},
		{"label followed by word", "positive feedback is rare, negative is common", sentiment, "", ""},
		{"answer is not", "The answer is not positive", sentiment, "", ""},
		{"unknown label", "mixed", sentiment, "", ""},
		{"empty", "   \n  ", sentiment, "", ""},
		{"label not in set", "joyful", sentiment, "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, rule, ok := MatchLabel(tt.output, tt.labels)
			if ok != (tt.want != "") {
				t.Fatalf("MatchLabel(%q) = %q, %v; want %q", tt.output, got, ok, tt.want)
			}
			if got != tt.want {
				t.Errorf("MatchLabel(%q) = %q, want %q", tt.output, got, tt.want)
			}
			if rule != tt.rule {
				t.Errorf("MatchLabel(%q) rule = %q, want %q", tt.output, rule, tt.rule)
			}
		})
	}
}

func TestLabelScorer(t *testing.T) {
	m := &datasets.Manifest{Name: "sent", Category: datasets.Classification, Labels: []string{"positive", "negative"}}
	s, err := For(m)
	if err != nil {
		t.Fatal(err)
	}
	item := &datasets.Item{ID: "c1", Expected: datasets.Expected{Label: "negative"}}

	tests := []struct {
		output  string
		outcome Outcome
		value   float64
		answer  string
	}{
		{"Negative.", Correct, 1, "negative"},
		{"positive", Wrong, 0, "positive"},
		{"It is hard to say.", NoAnswer, 0, ""},
	}
	for _, tt := range tests {
		got, err := s.Score(context.Background(), m, item, tt.output)
		if err != nil {
			t.Fatal(err)
		}
		if got.Outcome != tt.outcome || got.Value != tt.value || got.Answer != tt.answer || !got.Binary {
			t.Errorf("Score(%q) = %+v, want %s %v %q", tt.output, got, tt.outcome, tt.value, tt.answer)
		}
		if got.Detail["expected"] != "negative" {
			t.Errorf("Score(%q) expected detail = %v", tt.output, got.Detail["expected"])
		}
	}
}

func TestLabelScorerNeedsLabels(t *testing.T) {
	_, err := For(&datasets.Manifest{Name: "sent", Category: datasets.Classification})
	if err == nil {
		t.Fatal("For accepted a classification dataset without labels")
	}
}

func TestLabelScorerCanonicalExpected(t *testing.T) {
	m := &datasets.Manifest{Name: "intents", Category: datasets.Classification, Labels: []string{"Card_Arrival", "refund"}}
	s, err := For(m)
	if err != nil {
		t.Fatal(err)
	}
	item := &datasets.Item{ID: "c2", Expected: datasets.Expected{Label: "card arrival"}}
	got, err := s.Score(context.Background(), m, item, "card_arrival")
	if err != nil {
		t.Fatal(err)
	}
	if got.Outcome != Correct || got.Answer != "Card_Arrival" || got.Detail["expected"] != "Card_Arrival" {
		t.Errorf("score = %+v, want correct with answer and expected both Card_Arrival", got)
	}
}
