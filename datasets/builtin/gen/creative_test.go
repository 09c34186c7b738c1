package gen

import (
	"regexp"
	"strconv"
	"strings"
	"testing"
)

var knownForms = regexp.MustCompile(`^(haiku|ends_with_question|title_case_first_line|acrostic:[A-Z]+)$`)

func containsWord(text, word string) bool {
	re := regexp.MustCompile(`(?i)\b` + regexp.QuoteMeta(word) + `\b`)
	return re.MatchString(text)
}

func TestConstrainedWritingSatisfiable(t *testing.T) {
	d := creativeDataset()
	if len(d.Items) < 60 {
		t.Fatalf("constrained_writing has %d items, want at least 60", len(d.Items))
	}

	for _, it := range d.Items {
		c := it.Expected.Constraints
		if c == nil {
			t.Errorf("item %s: constraints missing", it.ID)
			continue
		}
		prompt := it.Input["prompt"]

		if c.MinWords == 0 && c.MaxWords == 0 && len(c.Required) == 0 && len(c.Forbidden) == 0 && c.Lines == 0 && c.Bullets == 0 && c.Form == "" {
			t.Errorf("item %s: no constraint set", it.ID)
		}
		if c.MaxWords > 0 && c.MinWords > c.MaxWords {
			t.Errorf("item %s: min_words %d > max_words %d", it.ID, c.MinWords, c.MaxWords)
		}
		if c.MaxWords > 0 && c.MaxWords < len(c.Required)+c.Lines+c.Bullets {
			t.Errorf("item %s: max_words %d leaves no room for %d required words and %d lines or bullets", it.ID, c.MaxWords, len(c.Required), c.Lines+c.Bullets)
		}
		if c.Lines > 0 && c.Bullets > 0 {
			t.Errorf("item %s: both lines and bullets set", it.ID)
		}

		for _, r := range c.Required {
			for _, f := range c.Forbidden {
				if strings.Contains(strings.ToLower(r), strings.ToLower(f)) || strings.Contains(strings.ToLower(f), strings.ToLower(r)) {
					t.Errorf("item %s: required %q and forbidden %q overlap", it.ID, r, f)
				}
			}
			if !strings.Contains(prompt, strconv.Quote(r)) {
				t.Errorf("item %s: prompt does not name required word %q", it.ID, r)
			}
		}
		for _, f := range c.Forbidden {
			if !strings.Contains(prompt, strconv.Quote(f)) {
				t.Errorf("item %s: prompt does not name forbidden word %q", it.ID, f)
			}
			// The prompt names the word in quotes, but the subject must not use it.
			if containsWord(strings.ReplaceAll(prompt, strconv.Quote(f), ""), f) {
				t.Errorf("item %s: prompt uses forbidden word %q outside the rule", it.ID, f)
			}
		}

		for _, n := range []int{c.MinWords, c.MaxWords, c.Lines, c.Bullets} {
			if n > 0 && !containsWord(prompt, strconv.Itoa(n)) && !(c.Form == "haiku" && n == 3) {
				t.Errorf("item %s: prompt does not state the number %d", it.ID, n)
			}
		}

		if c.Form != "" && !knownForms.MatchString(c.Form) {
			t.Errorf("item %s: unknown form %q", it.ID, c.Form)
		}
		if c.Form == "haiku" && c.Lines != 3 {
			t.Errorf("item %s: haiku with lines %d, want 3", it.ID, c.Lines)
		}
		if word, ok := strings.CutPrefix(c.Form, "acrostic:"); ok {
			if c.Lines != len(word) {
				t.Errorf("item %s: acrostic %s with lines %d", it.ID, word, c.Lines)
			}
			if !strings.Contains(prompt, word) {
				t.Errorf("item %s: prompt does not name the acrostic word %s", it.ID, word)
			}
		}
	}
}
