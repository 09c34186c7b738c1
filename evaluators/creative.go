package evaluators

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"unicode"

	"github.com/quantbench/quantbench/datasets"
)

// constraintScorer scores creative outputs by the fraction of constraints
// they satisfy.
type constraintScorer struct{}

func newConstraintScorer(*datasets.Manifest) (Scorer, error) { return constraintScorer{}, nil }

// Score checks every constraint of the item with CheckConstraints. Value is
// the fraction satisfied; Detail["failed"] lists the failed ones with the
// measured value, and Detail["checked"] their number.
func (constraintScorer) Score(_ context.Context, m *datasets.Manifest, item *datasets.Item, output string) (Score, error) {
	c := item.Expected.Constraints
	if c == nil {
		return Score{}, fmt.Errorf("dataset %s, item %s: expected.constraints is missing", m.Name, item.ID)
	}
	if err := ValidateConstraints(c); err != nil {
		return Score{}, fmt.Errorf("dataset %s, item %s: %w", m.Name, item.ID, err)
	}
	output = StripThinking(output)
	if strings.TrimSpace(output) == "" {
		return Score{Outcome: NoAnswer, Detail: map[string]any{"failed": []string{"empty output"}}}, nil
	}

	checked, failed := CheckConstraints(output, c)
	if checked == 0 {
		return Score{}, fmt.Errorf("dataset %s, item %s: expected.constraints has no constraint to check", m.Name, item.ID)
	}
	detail := map[string]any{"checked": checked, "failed": failed}
	value := float64(checked-len(failed)) / float64(checked)
	return Score{Value: value, Outcome: Partial, Detail: detail}, nil
}

// Forms that Constraints.Form may name. "acrostic:WORD" takes a word.
const (
	FormAcrostic            = "acrostic"
	FormHaiku               = "haiku"
	FormEndsWithQuestion    = "ends_with_question"
	FormTitleCaseFirstLine  = "title_case_first_line"
	acrosticPrefix          = FormAcrostic + ":"
	validFormsForMessages   = "acrostic:WORD, haiku, ends_with_question or title_case_first_line"
	maxConstraintWordLength = 64
)

// ValidateConstraints reports constraints that cannot be checked: an unknown
// form, an acrostic without letters, or a minimum above the maximum.
func ValidateConstraints(c *datasets.Constraints) error {
	if c.MinWords < 0 || c.MaxWords < 0 || c.Lines < 0 || c.Bullets < 0 {
		return fmt.Errorf("expected.constraints: counts must not be negative")
	}
	if c.MaxWords > 0 && c.MinWords > c.MaxWords {
		return fmt.Errorf("expected.constraints: min_words %d is above max_words %d", c.MinWords, c.MaxWords)
	}
	switch {
	case c.Form == "", c.Form == FormHaiku, c.Form == FormEndsWithQuestion, c.Form == FormTitleCaseFirstLine:
	case strings.HasPrefix(c.Form, acrosticPrefix):
		word := strings.TrimPrefix(c.Form, acrosticPrefix)
		if word == "" || strings.IndexFunc(word, func(r rune) bool { return !unicode.IsLetter(r) }) >= 0 {
			return fmt.Errorf("expected.constraints.form: %q needs a word of letters after \"acrostic:\"", c.Form)
		}
	default:
		return fmt.Errorf("expected.constraints.form: unknown form %q; use %s", c.Form, validFormsForMessages)
	}
	return nil
}

// CheckConstraints checks output against c and returns the number of
// constraints checked and a description of each failed one. Each required
// and each forbidden word is its own constraint. The rules:
//   - words are runs of letters, digits, apostrophes and hyphens that hold a
//     letter or digit, so Markdown marks and bullets are not words;
//   - required and forbidden words match whole words, case-insensitively
//     ("cat" is not found in "category"); a phrase matches as a sequence of
//     whole words;
//   - lines count the non-empty lines;
//   - bullets count lines that start with "-", "*", "+" or "•" and a space,
//     or with a number and "." or ")";
//   - acrostic:WORD: the first letters of the non-empty lines spell WORD
//     (case-insensitive) with no extra lines, except that a leading Markdown
//     heading or a bold title line is skipped;
//   - haiku: exactly three non-empty lines (syllables are not counted);
//   - ends_with_question: the text ends with "?", ignoring closing quotes,
//     brackets and emphasis marks;
//   - title_case_first_line: every word of the first non-empty line starts
//     with an upper-case letter, except articles, short conjunctions and
//     short prepositions that are not the first word.
func CheckConstraints(output string, c *datasets.Constraints) (checked int, failed []string) {
	failed = []string{}
	check := func(ok bool, format string, args ...any) {
		checked++
		if !ok {
			failed = append(failed, fmt.Sprintf(format, args...))
		}
	}

	words := countWords(output)
	if c.MinWords > 0 {
		check(words >= c.MinWords, "min_words: %d words, want at least %d", words, c.MinWords)
	}
	if c.MaxWords > 0 {
		check(words <= c.MaxWords, "max_words: %d words, want at most %d", words, c.MaxWords)
	}
	for _, w := range c.Required {
		check(containsWord(output, w), "required: %q is missing", w)
	}
	for _, w := range c.Forbidden {
		check(!containsWord(output, w), "forbidden: %q is used", w)
	}

	lines := nonEmptyLines(output)
	if c.Lines > 0 {
		check(len(lines) == c.Lines, "lines: %d lines, want %d", len(lines), c.Lines)
	}
	if c.Bullets > 0 {
		n := countBullets(lines)
		check(n == c.Bullets, "bullets: %d bullets, want %d", n, c.Bullets)
	}
	if c.Form != "" {
		ok, got := checkForm(c.Form, output, lines)
		check(ok, "form %s: %s", c.Form, got)
	}
	return checked, failed
}

var wordRE = regexp.MustCompile(`[\p{L}\p{N}][\p{L}\p{N}'’-]*`)

func countWords(s string) int { return len(wordRE.FindAllStringIndex(s, -1)) }

// containsWord reports whether phrase occurs in s as whole words,
// case-insensitively.
func containsWord(s, phrase string) bool {
	target := strings.Fields(strings.ToLower(phrase))
	if len(target) == 0 || len(phrase) > maxConstraintWordLength*4 {
		return false
	}
	words := wordRE.FindAllString(strings.ToLower(s), -1)
	for i := 0; i+len(target) <= len(words); i++ {
		match := true
		for k, t := range target {
			if trimWordPunct(words[i+k]) != trimWordPunct(t) {
				match = false
				break
			}
		}
		if match {
			return true
		}
	}
	return false
}

// trimWordPunct drops a possessive or closing apostrophe and hyphens at the
// end of a word, so "ocean's" contains the word "ocean".
func trimWordPunct(w string) string {
	w = strings.TrimSuffix(w, "'s")
	w = strings.TrimSuffix(w, "’s")
	return strings.TrimRight(w, "'’-")
}

var (
	bulletRE   = regexp.MustCompile(`^\s*(?:[-*+•]\s+|\d{1,3}[.)]\s+)\S`)
	titleRE    = regexp.MustCompile(`^\s*(?:#{1,6}\s|\*\*.*\*\*\s*$|__.*__\s*$)`)
	leadMarkRE = regexp.MustCompile(`^[\s>#*_"'“‘(\[\-•+]*`)
)

func countBullets(lines []string) int {
	n := 0
	for _, l := range lines {
		if bulletRE.MatchString(l) {
			n++
		}
	}
	return n
}

func checkForm(form, output string, lines []string) (bool, string) {
	switch {
	case strings.HasPrefix(form, acrosticPrefix):
		return checkAcrostic(strings.TrimPrefix(form, acrosticPrefix), lines)
	case form == FormHaiku:
		return len(lines) == 3, fmt.Sprintf("%d lines, want 3", len(lines))
	case form == FormEndsWithQuestion:
		end := strings.TrimRight(output, " \t\r\n\"'”’)]*_`")
		return strings.HasSuffix(end, "?"), "the text does not end with a question mark"
	case form == FormTitleCaseFirstLine:
		if len(lines) == 0 {
			return false, "no first line"
		}
		return checkTitleCase(lines[0])
	}
	return false, "unknown form"
}

func checkAcrostic(word string, lines []string) (bool, string) {
	if len(lines) == len([]rune(word))+1 && titleRE.MatchString(lines[0]) {
		lines = lines[1:]
	}
	var initials []rune
	for _, l := range lines {
		l = leadMarkRE.ReplaceAllString(l, "")
		r := []rune(l)
		if len(r) == 0 {
			continue
		}
		initials = append(initials, unicode.ToUpper(r[0]))
	}
	got := string(initials)
	return got == strings.ToUpper(word), fmt.Sprintf("the lines start with %q, want %q", got, strings.ToUpper(word))
}

// minorTitleWords may stay lower-case in Title Case unless they come first.
var minorTitleWords = map[string]bool{
	"a": true, "an": true, "the": true, "and": true, "but": true, "or": true, "nor": true,
	"for": true, "so": true, "yet": true, "as": true, "at": true, "by": true, "in": true,
	"of": true, "on": true, "to": true, "up": true, "with": true, "from": true, "into": true,
	"via": true, "per": true, "vs": true, "over": true, "than": true,
}

func checkTitleCase(line string) (bool, string) {
	line = leadMarkRE.ReplaceAllString(line, "")
	words := wordRE.FindAllString(line, -1)
	if len(words) == 0 {
		return false, "the first line has no words"
	}
	for i, w := range words {
		r := []rune(w)
		if !unicode.IsLetter(r[0]) || unicode.IsUpper(r[0]) {
			continue
		}
		if i > 0 && minorTitleWords[strings.ToLower(w)] {
			continue
		}
		return false, fmt.Sprintf("word %q of the first line is not capitalised", w)
	}
	return true, ""
}
