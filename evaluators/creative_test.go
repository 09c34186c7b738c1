package evaluators

import (
	"context"
	"reflect"
	"strings"
	"testing"

	"github.com/quantbench/quantbench/datasets"
)

func TestCheckConstraints(t *testing.T) {
	tests := []struct {
		name   string
		output string
		c      datasets.Constraints
		failed []string
	}{
		{"min words met", "one two three four", datasets.Constraints{MinWords: 4}, nil},
		{"min words missed", "one two three", datasets.Constraints{MinWords: 4}, []string{"min_words: 3 words, want at least 4"}},
		{"max words met", "- one, two!\n- **three**", datasets.Constraints{MaxWords: 3}, nil},
		{"max words exceeded", "one two three four", datasets.Constraints{MaxWords: 3}, []string{"max_words: 4 words, want at most 3"}},
		{"hyphenated word counts once", "well-known fact", datasets.Constraints{MaxWords: 2}, nil},
		{"required whole word any case", "The Ocean's edge.", datasets.Constraints{Required: []string{"ocean", "edge"}}, nil},
		{"required word inside another word", "A category of things.", datasets.Constraints{Required: []string{"cat"}}, []string{`required: "cat" is missing`}},
		{"required phrase", "Under the old oak tree.", datasets.Constraints{Required: []string{"oak tree"}}, nil},
		{"forbidden word used", "The SUN rose.", datasets.Constraints{Forbidden: []string{"sun", "moon"}}, []string{`forbidden: "sun" is used`}},
		{"forbidden word inside another word", "Sunday came.", datasets.Constraints{Forbidden: []string{"sun"}}, nil},
		{"lines exact", "a\n\nb\nc\n", datasets.Constraints{Lines: 3}, nil},
		{"lines wrong", "a\nb", datasets.Constraints{Lines: 3}, []string{"lines: 2 lines, want 3"}},
		{"bullets", "Intro\n- one\n* two\n• three\n1. four\n2) five", datasets.Constraints{Bullets: 5}, nil},
		{"bullets wrong", "- one\n-two\n- three", datasets.Constraints{Bullets: 3}, []string{"bullets: 2 bullets, want 3"}},
		{"acrostic", "Rain on roofs\nAll night long\nIn the gutters\nNow it stops", datasets.Constraints{Form: "acrostic:RAIN"}, nil},
		{"acrostic with marks and title", "# Rain\n**R**ain falls\n- all night\n\"In\" time\nnow", datasets.Constraints{Form: "acrostic:rain"}, nil},
		{"acrostic wrong", "Rain\nAll\nNope\nNow", datasets.Constraints{Form: "acrostic:RAIN"}, []string{`form acrostic:RAIN: the lines start with "RANN", want "RAIN"`}},
		{"acrostic extra line", "Rain\nAll\nIn\nNow\nThe end", datasets.Constraints{Form: "acrostic:RAIN"}, []string{`form acrostic:RAIN: the lines start with "RAINT", want "RAIN"`}},
		{"haiku", "old pond\nfrog jumps in\nsplash", datasets.Constraints{Form: "haiku"}, nil},
		{"haiku wrong", "old pond\nfrog jumps in", datasets.Constraints{Form: "haiku"}, []string{"form haiku: 2 lines, want 3"}},
		{"ends with question", "Will you come?\"", datasets.Constraints{Form: "ends_with_question"}, nil},
		{"ends with question bold", "Will you come?**\n", datasets.Constraints{Form: "ends_with_question"}, nil},
		{"does not end with question", "Is it? It is.", datasets.Constraints{Form: "ends_with_question"}, []string{"form ends_with_question: the text does not end with a question mark"}},
		{"title case", "# The Joy of Slow Mornings\nbody text", datasets.Constraints{Form: "title_case_first_line"}, nil},
		{"title case minor first word", "the Joy of Mornings", datasets.Constraints{Form: "title_case_first_line"}, []string{`form title_case_first_line: word "the" of the first line is not capitalised`}},
		{"title case lower word", "The joy of Mornings", datasets.Constraints{Form: "title_case_first_line"}, []string{`form title_case_first_line: word "joy" of the first line is not capitalised`}},
		{"several failures", "one two", datasets.Constraints{MinWords: 5, Required: []string{"three"}, Lines: 1}, []string{"min_words: 2 words, want at least 5", `required: "three" is missing`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, failed := CheckConstraints(tt.output, &tt.c)
			want := tt.failed
			if want == nil {
				want = []string{}
			}
			if !reflect.DeepEqual(failed, want) {
				t.Errorf("CheckConstraints(%q) failed = %q, want %q", tt.output, failed, want)
			}
		})
	}
}

func TestConstraintScorer(t *testing.T) {
	m := &datasets.Manifest{Name: "w", Category: datasets.Creative}
	s, err := For(m)
	if err != nil {
		t.Fatal(err)
	}
	item := &datasets.Item{ID: "w1", Expected: datasets.Expected{Constraints: &datasets.Constraints{
		MinWords: 3, MaxWords: 10, Required: []string{"tide", "salt"}, Forbidden: []string{"sea"}, Lines: 2,
	}}}

	got, err := s.Score(context.Background(), m, item, "The tide comes in\nand the sea is grey")
	if err != nil {
		t.Fatal(err)
	}
	// Six constraints: min, max, two required, one forbidden, lines.
	// "salt" is missing and "sea" is used.
	if got.Value != 4.0/6 || got.Outcome != Partial || got.Binary {
		t.Errorf("score = %+v, want value 4/6, partial, not binary", got)
	}
	if got.Detail["checked"] != 6 {
		t.Errorf("checked = %v, want 6", got.Detail["checked"])
	}
	failed, _ := got.Detail["failed"].([]string)
	if len(failed) != 2 || !strings.Contains(failed[0], "salt") || !strings.Contains(failed[1], "sea") {
		t.Errorf("failed = %q, want the missing salt and the used sea", failed)
	}

	full, err := s.Score(context.Background(), m, item, "Salt and tide\ncome home")
	if err != nil {
		t.Fatal(err)
	}
	if full.Value != 1 {
		t.Errorf("all constraints met: value %v (detail %v), want 1", full.Value, full.Detail)
	}

	empty, err := s.Score(context.Background(), m, item, " \n")
	if err != nil {
		t.Fatal(err)
	}
	if empty.Outcome != NoAnswer || empty.Value != 0 {
		t.Errorf("empty output: %+v, want no_answer with value 0", empty)
	}
}

func TestConstraintScorerRejectsBadItems(t *testing.T) {
	m := &datasets.Manifest{Name: "w", Category: datasets.Creative}
	s, err := For(m)
	if err != nil {
		t.Fatal(err)
	}
	tests := map[string]*datasets.Constraints{
		"expected.constraints is missing": nil,
		"unknown form \"sonnet\"":         {Form: "sonnet"},
		"needs a word of letters":         {Form: "acrostic:"},
		"min_words 10 is above max_words": {MinWords: 10, MaxWords: 5},
		"no constraint to check":          {},
	}
	for problem, c := range tests {
		item := &datasets.Item{ID: "bad", Expected: datasets.Expected{Constraints: c}}
		_, err := s.Score(context.Background(), m, item, "text")
		if err == nil || !strings.Contains(err.Error(), problem) {
			t.Errorf("constraints %+v: error %v, want one with %q", c, err, problem)
		}
	}
}
