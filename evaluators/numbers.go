package evaluators

import (
	"math"
	"regexp"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// NumberAnswer is a number extracted from a model's output.
type NumberAnswer struct {
	Value float64
	// Text is the number as written, without separators or signs of currency.
	Text string
	// Rule names the rule that found it: "####", "answer phrase", "boxed" or
	// "last number".
	Rule string
}

// Number extraction rules, in the order ExtractNumber tries them.
const (
	RuleHashes     = "####"
	RuleAnswerText = "answer phrase"
	RuleBoxed      = "boxed"
	RuleLastNumber = "last number"
)

// answerPhraseRE finds "the answer is", "the final answer is", "final answer:"
// and "answer:" (any case). The number must follow on the same line.
var answerPhraseRE = regexp.MustCompile(`(?i)\b(?:the\s+(?:final\s+)?answer\s+is|final\s+answer\s*(?:is|:|=)|answer\s*:)`)

// ExtractNumber returns the answer of a reasoning output. It tries, in order:
//  1. the first number after the last "####" on its line (GSM8K's marker);
//  2. the number right after the last "the answer is", "final answer:" or
//     "answer:" that a number follows;
//  3. the content of the last \boxed{...} (a number or \frac{a}{b});
//  4. the last number anywhere in the text.
//
// A number has at least one digit. Commas count only as thousands separators
// in groups of three ("1,234,567"), LaTeX "{,}" and "\," are read as such
// separators, and a leading "$" or a trailing "%" or period is ignored. A rule
// that finds no number falls through to the next.
func ExtractNumber(text string) (NumberAnswer, bool) {
	text = cleanMath(text)

	if i := strings.LastIndex(text, "####"); i >= 0 {
		if n, ok := firstNumber(restOfLine(text[i+4:])); ok {
			return NumberAnswer{Value: n.value, Text: n.text, Rule: RuleHashes}, true
		}
	}

	matches := answerPhraseRE.FindAllStringIndex(text, -1)
	for k := len(matches) - 1; k >= 0; k-- {
		if n, ok := numberAfterPhrase(text[matches[k][1]:]); ok {
			return NumberAnswer{Value: n.value, Text: n.text, Rule: RuleAnswerText}, true
		}
	}

	if n, ok := boxedNumber(text); ok {
		return NumberAnswer{Value: n.value, Text: n.text, Rule: RuleBoxed}, true
	}

	numbers := scanNumbers(text, -1)
	if len(numbers) > 0 {
		n := numbers[len(numbers)-1]
		return NumberAnswer{Value: n.value, Text: n.text, Rule: RuleLastNumber}, true
	}
	return NumberAnswer{}, false
}

// NumbersEqual reports whether got equals want within a relative tolerance
// (tol times the larger magnitude, at least tol itself).
func NumbersEqual(got, want, tol float64) bool {
	if math.IsNaN(got) || math.IsNaN(want) {
		return false
	}
	scale := math.Max(1, math.Max(math.Abs(got), math.Abs(want)))
	return math.Abs(got-want) <= tol*scale
}

// DefaultTolerance is the relative tolerance of reasoning answers.
const DefaultTolerance = 1e-6

// cleanMath removes markup that hides numbers: Markdown emphasis and code
// marks, LaTeX thousands separators and escaped dollar and percent signs.
func cleanMath(s string) string {
	r := strings.NewReplacer(
		"{,}", ",",
		`\,`, ",",
		`\$`, "$",
		`\%`, "%",
		"**", "",
		"__", "",
		"`", "",
		`\!`, "",
	)
	return r.Replace(s)
}

// phraseWindow is the number of bytes after an answer phrase searched for its number.
const phraseWindow = 256

// numberAfterPhrase reads the number that directly follows an answer phrase,
// after spaces, ":", "=", "(" and "$" or a \boxed{ that holds it; a phrase
// followed by words ("the answer is unclear") gives none.
func numberAfterPhrase(s string) (scannedNumber, bool) {
	// The number follows within a few characters, so a bounded window keeps
	// text with thousands of phrases linear.
	if len(s) > phraseWindow {
		s = s[:phraseWindow]
	}
	s = strings.TrimLeft(restOfLine(s), " \t:=(")
	if strings.HasPrefix(s, `\boxed{`) || strings.HasPrefix(s, `$\boxed{`) {
		return boxedNumber(s)
	}
	s = strings.TrimLeft(s, "$ ")
	if s == "" || !startsNumber(s, 0) {
		return scannedNumber{}, false
	}
	n, end := readNumber(s, 0)
	return n, end > 0
}

func restOfLine(s string) string {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i]
	}
	return s
}

// boxedNumber reads the last \boxed{...} or \fbox{...} in s.
func boxedNumber(s string) (scannedNumber, bool) {
	start := -1
	for _, marker := range []string{`\boxed{`, `\fbox{`} {
		if i := strings.LastIndex(s, marker); i >= 0 && i+len(marker) > start {
			start = i + len(marker)
		}
	}
	if start < 0 {
		return scannedNumber{}, false
	}
	content, ok := braced(s[start:])
	if !ok {
		return scannedNumber{}, false
	}
	if n, ok := fraction(content); ok {
		return n, true
	}
	return firstNumber(content)
}

// braced returns s up to the brace that closes an already opened one.
func braced(s string) (string, bool) {
	depth := 1
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '{':
			depth++
		case '}':
			depth--
			if depth == 0 {
				return s[:i], true
			}
		}
	}
	return "", false
}

var fractionRE = regexp.MustCompile(`^\s*(-?)\s*\\d?frac\{\s*(\d+)\s*\}\{\s*(\d+)\s*\}\s*$`)

// fraction reads \frac{a}{b} or \dfrac{a}{b}, optionally negative.
func fraction(s string) (scannedNumber, bool) {
	m := fractionRE.FindStringSubmatch(s)
	if m == nil {
		return scannedNumber{}, false
	}
	num, err1 := strconv.ParseFloat(m[2], 64)
	den, err2 := strconv.ParseFloat(m[3], 64)
	if err1 != nil || err2 != nil || den == 0 {
		return scannedNumber{}, false
	}
	v := num / den
	if m[1] == "-" {
		v = -v
	}
	return scannedNumber{value: v, text: strconv.FormatFloat(v, 'f', -1, 64)}, true
}

type scannedNumber struct {
	value float64
	text  string
}

func firstNumber(s string) (scannedNumber, bool) {
	numbers := scanNumbers(s, 1)
	if len(numbers) == 0 {
		return scannedNumber{}, false
	}
	return numbers[0], true
}

// scanNumbers returns up to limit numbers in s (all when limit < 0). A number
// directly after a letter or digit is part of a name ("H2O", "v2") and is
// skipped.
func scanNumbers(s string, limit int) []scannedNumber {
	var out []scannedNumber
	i := 0
	for i < len(s) && (limit < 0 || len(out) < limit) {
		if !startsNumber(s, i) {
			i++
			continue
		}
		n, end := readNumber(s, i)
		if end <= i {
			i++
			continue
		}
		out = append(out, n)
		i = end
	}
	return out
}

// startsNumber reports whether a number may begin at byte i: a digit, or a
// sign, "$" or "." directly before a digit, not glued to a preceding word.
func startsNumber(s string, i int) bool {
	if i > 0 {
		prev, _ := utf8.DecodeLastRuneInString(s[:i])
		if unicode.IsLetter(prev) || unicode.IsDigit(prev) || prev == '.' {
			return false
		}
	}
	j := i
	if s[j] == '-' || s[j] == '+' {
		j++
	} else if strings.HasPrefix(s[j:], "−") {
		j += len("−")
	}
	if j < len(s) && s[j] == '$' {
		j++
	}
	if j < len(s) && s[j] == '.' {
		j++
	}
	return j < len(s) && isDigit(s[j])
}

// readNumber reads the number that starts at i (see startsNumber) and returns
// it with the index just past it.
func readNumber(s string, i int) (scannedNumber, int) {
	negative := false
	j := i
	switch {
	case s[j] == '-':
		negative = true
		j++
	case s[j] == '+':
		j++
	case strings.HasPrefix(s[j:], "−"):
		negative = true
		j += len("−")
	}
	if s[j] == '$' {
		j++
	}

	var digits strings.Builder
	start := j
	for j < len(s) && isDigit(s[j]) {
		j++
	}
	digits.WriteString(s[start:j])
	// Thousands groups: a comma and exactly three digits, only after a
	// leading run of one to three digits.
	if j-start >= 1 && j-start <= 3 {
		for j+3 < len(s) && s[j] == ',' && isDigit(s[j+1]) && isDigit(s[j+2]) && isDigit(s[j+3]) && (j+4 >= len(s) || !isDigit(s[j+4])) {
			digits.WriteString(s[j+1 : j+4])
			j += 4
		}
	}
	if j+1 < len(s) && s[j] == '.' && isDigit(s[j+1]) {
		k := j + 1
		for k < len(s) && isDigit(s[k]) {
			k++
		}
		digits.WriteString(s[j:k])
		j = k
	}

	text := digits.String()
	if text == "" || !isDigit(text[len(text)-1]) {
		return scannedNumber{}, i
	}
	if text[0] == '.' {
		text = "0" + text
	}
	v, err := strconv.ParseFloat(text, 64)
	if err != nil || math.IsInf(v, 0) {
		return scannedNumber{}, i
	}
	if negative {
		v = -v
		text = "-" + text
	}
	return scannedNumber{value: v, text: canonicalDecimal(text)}, j
}

func isDigit(b byte) bool { return b >= '0' && b <= '9' }

// canonicalDecimal drops leading zeros of the integer part and trailing zeros
// of the fraction, so "0042.500" and "42.5" read the same.
func canonicalDecimal(s string) string {
	negative := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	whole, frac, hasFrac := strings.Cut(s, ".")
	whole = strings.TrimLeft(whole, "0")
	if whole == "" {
		whole = "0"
	}
	if hasFrac {
		frac = strings.TrimRight(frac, "0")
	}
	out := whole
	if frac != "" {
		out += "." + frac
	}
	if negative && out != "0" {
		out = "-" + out
	}
	return out
}
