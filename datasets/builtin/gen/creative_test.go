package gen

import (
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/quantbench/quantbench/datasets"
	"github.com/quantbench/quantbench/evaluators"
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

// fillerWords pad a witness text. Any that an item forbids are skipped.
var fillerWords = strings.Fields("steady bright small plain open warm slow clear even gentle calm simple")

// witnessText builds a text meant to satisfy every constraint of c: the
// required words, filler up to min_words, the lines or bullets, and the form.
// It is not good writing, but it shows that the constraints can be met together.
func witnessText(c *datasets.Constraints) string {
	forbidden := map[string]bool{}
	for _, f := range c.Forbidden {
		forbidden[strings.ToLower(f)] = true
	}
	var filler []string
	for _, w := range fillerWords {
		if !forbidden[w] {
			filler = append(filler, w)
		}
	}

	acrostic, isAcrostic := strings.CutPrefix(c.Form, "acrostic:")
	titled := c.Form == "title_case_first_line"
	lines := max(c.Lines, c.Bullets, 1)

	fixed := 0
	if isAcrostic {
		fixed += len(acrostic)
	}
	if titled {
		fixed += 3
	}
	body := max(c.MinWords-fixed, len(c.Required))
	if !isAcrostic {
		body = max(body, lines)
	}
	words := append([]string{}, c.Required...)
	for i := 0; len(words) < body; i++ {
		words = append(words, filler[i%len(filler)])
	}

	var out []string
	if titled {
		out = append(out, "Field Notes Today")
	}
	for i := 0; i < lines; i++ {
		line := words[i*len(words)/lines : (i+1)*len(words)/lines]
		if isAcrostic {
			line = append([]string{string(acrostic[i]) + "ale"}, line...)
		}
		text := strings.Join(line, " ")
		if c.Bullets > 0 {
			text = "- " + text
		}
		out = append(out, text)
	}
	text := strings.Join(out, "\n")
	if c.Form == "ends_with_question" {
		text += "?"
	}
	return text
}

// TestConstrainedWritingWitness checks, with the creative scorer's own
// checker, that one text meets all of each item's constraints at once.
func TestConstrainedWritingWitness(t *testing.T) {
	for _, it := range creativeDataset().Items {
		c := it.Expected.Constraints
		if err := evaluators.ValidateConstraints(c); err != nil {
			t.Errorf("item %s: %v", it.ID, err)
			continue
		}
		text := witnessText(c)
		checked, failed := evaluators.CheckConstraints(text, c)
		if checked == 0 || len(failed) > 0 {
			t.Errorf("item %s: witness meets %d of %d constraints, failed %v:\n%s", it.ID, checked-len(failed), checked, failed, text)
		}
	}
}
