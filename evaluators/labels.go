package evaluators

import (
	"regexp"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Label matching rules, in the order MatchLabel tries them.
const (
	RuleFirstLine = "first line"
	RuleLastLine  = "last line"
	RulePhrase    = "explicit phrase"
)

// MatchLabel returns the label of labels that output gives, or false when it
// gives none. Before matching, each line is lowercased, Markdown emphasis
// (*, `, ~), quotes and a leading "Answer:", "Label:" or "Final answer:" are
// removed, and "_" and a "-" inside a word read as spaces; labels are
// normalised the same way.
// The rules, in order:
//  1. the first non-empty line starts with a label, followed by the end of the
//     line or by punctuation (". , ; : ! ? ( ) [ ] -"): "Positive.",
//     "**Negative** - the reviewer...", "[neutral]";
//  2. the last non-empty line is a label and nothing else;
//  3. the last explicit phrase "answer is X", "label is X", "sentiment is X",
//     "category is X", "intent is X", "topic is X", "classified as X" or
//     "classify it as X", with X a label followed by the end or punctuation.
//
// A label that occurs only inside a sentence ("the customer was not positive
// about it") matches no rule, so the output has no answer. When several labels
// fit at one place, the longest wins.
func MatchLabel(output string, labels []string) (label, rule string, ok bool) {
	set := newLabelSet(labels)
	lines := nonEmptyLines(output)
	if len(lines) == 0 {
		return "", "", false
	}

	if l, ok := set.prefix(cleanLabelLine(lines[0])); ok {
		return l, RuleFirstLine, true
	}
	if l, ok := set.exact(cleanLabelLine(lines[len(lines)-1])); ok {
		return l, RuleLastLine, true
	}

	text := cleanLabelText(output)
	matches := labelPhraseRE.FindAllStringIndex(text, -1)
	for k := len(matches) - 1; k >= 0; k-- {
		rest := strings.TrimLeft(text[matches[k][1]:], " \t([")
		if l, ok := set.prefix(rest); ok {
			return l, RulePhrase, true
		}
	}
	return "", "", false
}

// labelPhraseRE finds phrases that introduce a label. It runs on cleaned text.
var labelPhraseRE = regexp.MustCompile(`\b(?:(?:answer|label|sentiment|category|class|classification|intent|topic)\s*(?:is|would be|:|=)|classified\s+as|classify\s+(?:it|this|the \w+)\s+as)\s*`)

// leadingTagRE is the "Answer:" or "Label:" that a model puts before its label.
var leadingTagRE = regexp.MustCompile(`^(?:final answer|answer|label|prediction|output)\s*[:=-]\s*`)

// labelSet is a label set in normalised form, longest first.
type labelSet struct {
	normal   []string
	original map[string]string
}

func newLabelSet(labels []string) labelSet {
	s := labelSet{original: map[string]string{}}
	for _, l := range labels {
		n := cleanLabelText(l)
		if n == "" {
			continue
		}
		if _, dup := s.original[n]; !dup {
			s.original[n] = l
			s.normal = append(s.normal, n)
		}
	}
	sort.SliceStable(s.normal, func(i, j int) bool { return len(s.normal[i]) > len(s.normal[j]) })
	return s
}

// exact returns the label equal to line.
func (s labelSet) exact(line string) (string, bool) {
	line = strings.TrimRightFunc(line, isLabelBoundary)
	l, ok := s.original[line]
	return l, ok
}

// prefix returns the longest label that text starts with, when the label is
// followed by the end of text or by punctuation.
func (s labelSet) prefix(text string) (string, bool) {
	for _, n := range s.normal {
		if !strings.HasPrefix(text, n) {
			continue
		}
		rest := strings.TrimLeft(text[len(n):], " \t")
		if rest == "" || strings.HasPrefix(rest, "\n") {
			return s.original[n], true
		}
		r, _ := utf8.DecodeRuneInString(rest)
		if isLabelBoundary(r) {
			return s.original[n], true
		}
	}
	return "", false
}

func isLabelBoundary(r rune) bool {
	return strings.ContainsRune(".,;:!?()[]{}<>-–—/|", r) || unicode.IsSpace(r)
}

// cleanLabelLine normalises one line and removes a leading "Answer:" tag and
// leading brackets, list marks and heading marks.
func cleanLabelLine(line string) string {
	line = cleanLabelText(line)
	line = strings.TrimLeft(line, " \t#>([{•")
	line = leadingTagRE.ReplaceAllString(line, "")
	line = strings.TrimLeft(line, " \t([{")
	return strings.TrimSpace(line)
}

// labelReplacer removes emphasis and quotes and turns "_" into a space.
var labelReplacer = strings.NewReplacer(
	"*", "", "`", "", "~", "",
	`"`, "", "'", "", "“", "", "”", "", "‘", "", "’", "", "«", "", "»", "",
	"_", " ",
)

// cleanLabelText lowercases s, removes emphasis and quotes, reads "_" and a
// "-" between two letters or digits as spaces, collapses runs of spaces and
// tabs, and trims it.
func cleanLabelText(s string) string {
	s = labelReplacer.Replace(strings.ToLower(s))
	runes := []rune(s)
	var b strings.Builder
	space := false
	for i, r := range runes {
		if r == '-' && i > 0 && i+1 < len(runes) && isWordRune(runes[i-1]) && isWordRune(runes[i+1]) {
			r = ' '
		}
		if r == ' ' || r == '\t' || r == '\r' {
			space = true
			continue
		}
		if space && b.Len() > 0 && r != '\n' {
			b.WriteByte(' ')
		}
		space = false
		b.WriteRune(r)
	}
	return strings.TrimSpace(b.String())
}

func isWordRune(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }

func nonEmptyLines(s string) []string {
	var out []string
	for _, line := range strings.Split(s, "\n") {
		if strings.TrimSpace(line) != "" {
			out = append(out, line)
		}
	}
	return out
}
