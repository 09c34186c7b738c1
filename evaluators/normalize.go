package evaluators

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode"
)

// Field types of extraction datasets, as given in scorer_options.fields.
const (
	FieldText   = "text"
	FieldDate   = "date"
	FieldAmount = "amount"
	FieldNumber = "number"
)

// DateOrder is the order of day and month in a date written with numbers
// only, such as 03/04/2024, when both numbers could be the month.
type DateOrder string

// Date orders.
const (
	MonthFirst DateOrder = "mdy"
	DayFirst   DateOrder = "dmy"
)

// NormalizeText lowercases s, collapses runs of white space to one space and
// trims it.
func NormalizeText(s string) string {
	return strings.Join(strings.Fields(strings.ToLower(s)), " ")
}

// NormalizeField normalises a value of the given field type. A date or an
// amount that cannot be read falls back to NormalizeText, so it still matches
// an identical expected value.
func NormalizeField(kind, value string, order DateOrder) string {
	switch kind {
	case FieldDate:
		if d, ok := NormalizeDate(value, order); ok {
			return d
		}
	case FieldAmount, FieldNumber:
		if a, ok := NormalizeAmount(value); ok {
			return a
		}
	}
	return NormalizeText(value)
}

var (
	isoDateRE     = regexp.MustCompile(`^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[t\s].*)?$`)
	compactDateRE = regexp.MustCompile(`^(\d{4})(\d{2})(\d{2})$`)
	numericDateRE = regexp.MustCompile(`^(\d{1,2})([-/.])(\d{1,2})([-/.])(\d{2}|\d{4})$`)
	timeTokenRE   = regexp.MustCompile(`^(?:\d{1,2}:\d{2}(?::\d{2})?|am|pm|a\.m\.|p\.m\.|utc|gmt|z)$`)
	ordinalRE     = regexp.MustCompile(`^(\d{1,2})(?:st|nd|rd|th)$`)
	yearTokenRE   = regexp.MustCompile(`^'?(\d{2}|\d{4})$`)
)

var months = map[string]time.Month{
	"january": time.January, "jan": time.January,
	"february": time.February, "feb": time.February,
	"march": time.March, "mar": time.March,
	"april": time.April, "apr": time.April,
	"may":  time.May,
	"june": time.June, "jun": time.June,
	"july": time.July, "jul": time.July,
	"august": time.August, "aug": time.August,
	"september": time.September, "sep": time.September, "sept": time.September,
	"october": time.October, "oct": time.October,
	"november": time.November, "nov": time.November,
	"december": time.December, "dec": time.December,
}

var weekdays = map[string]bool{
	"monday": true, "mon": true, "tuesday": true, "tue": true, "tues": true,
	"wednesday": true, "wed": true, "thursday": true, "thu": true, "thur": true, "thurs": true,
	"friday": true, "fri": true, "saturday": true, "sat": true, "sunday": true, "sun": true,
}

// NormalizeDate rewrites a date as ISO 8601 (YYYY-MM-DD). It reads:
//   - year first: 2024-03-05 (with an optional time after it), 2024/03/05,
//     2024.03.05 and 20240305;
//   - numbers only: 05.03.2024 is always day first. In 03/05/2024 and
//     03-05-24 a number over 12 is the day, and order decides when both
//     are 12 or less;
//   - a month name: "March 5, 2024", "5 March 2024", "5th of Mar. 2024",
//     "Tuesday, 5 March 2024" and "05-Mar-2024".
//
// Two-digit years below 70 are 20xx, others 19xx. Invalid dates such as
// 30 February are rejected.
func NormalizeDate(s string, order DateOrder) (string, bool) {
	s = strings.ToLower(strings.TrimSpace(s))
	if s == "" || len(s) > 64 {
		return "", false
	}

	if m := isoDateRE.FindStringSubmatch(s); m != nil {
		return isoDate(atoi(m[1]), atoi(m[2]), atoi(m[3]))
	}
	if m := compactDateRE.FindStringSubmatch(s); m != nil {
		return isoDate(atoi(m[1]), atoi(m[2]), atoi(m[3]))
	}

	tokens := dateTokens(s)
	if len(tokens) == 1 {
		if m := numericDateRE.FindStringSubmatch(tokens[0]); m != nil && m[2] == m[4] {
			return numericDate(atoi(m[1]), atoi(m[3]), m[5], m[2] == ".", order)
		}
	}
	return namedMonthDate(tokens)
}

// dateTokens splits a date at spaces, commas and, around a month name, at
// "-", "/" and ".", dropping weekdays, "of", and time-of-day tokens.
func dateTokens(s string) []string {
	fields := strings.FieldsFunc(s, func(r rune) bool { return unicode.IsSpace(r) || r == ',' })
	var tokens []string
	for _, f := range fields {
		parts := []string{f}
		if strings.IndexFunc(f, unicode.IsLetter) >= 0 {
			parts = strings.FieldsFunc(f, func(r rune) bool { return r == '-' || r == '/' || r == '.' })
		}
		for _, p := range parts {
			if p == "of" || weekdays[p] || timeTokenRE.MatchString(p) {
				continue
			}
			tokens = append(tokens, p)
		}
	}
	return tokens
}

func numericDate(a, b int, yearText string, dotted bool, order DateOrder) (string, bool) {
	year := expandYear(yearText)
	day, month := b, a
	switch {
	case dotted || a > 12:
		day, month = a, b
	case b > 12:
		day, month = b, a
	case order == DayFirst:
		day, month = a, b
	}
	return isoDate(year, month, day)
}

// namedMonthDate reads tokens with exactly one month name, one day and one
// year, in any order. A four-digit number is the year. Otherwise the first
// number is the day and the second the year.
func namedMonthDate(tokens []string) (string, bool) {
	var month time.Month
	var numbers []string
	for _, t := range tokens {
		t = strings.TrimSuffix(t, ".")
		if m, ok := months[t]; ok {
			if month != 0 {
				return "", false
			}
			month = m
			continue
		}
		if m := ordinalRE.FindStringSubmatch(t); m != nil {
			t = m[1]
		}
		if !yearTokenRE.MatchString(t) && !isDigits(t) {
			return "", false
		}
		numbers = append(numbers, t)
	}
	if month == 0 || len(numbers) != 2 {
		return "", false
	}

	dayText, yearText := numbers[0], numbers[1]
	if len(strings.TrimPrefix(dayText, "'")) == 4 {
		dayText, yearText = yearText, dayText
	}
	if strings.HasPrefix(dayText, "'") || len(dayText) > 2 {
		return "", false
	}
	if !yearTokenRE.MatchString(yearText) {
		return "", false
	}
	return isoDate(expandYear(strings.TrimPrefix(yearText, "'")), int(month), atoi(dayText))
}

func expandYear(s string) int {
	y := atoi(strings.TrimPrefix(s, "'"))
	if len(strings.TrimPrefix(s, "'")) == 2 {
		if y < 70 {
			return 2000 + y
		}
		return 1900 + y
	}
	return y
}

func isoDate(year, month, day int) (string, bool) {
	if year < 1 || year > 9999 || month < 1 || month > 12 || day < 1 || day > 31 {
		return "", false
	}
	t := time.Date(year, time.Month(month), day, 0, 0, 0, 0, time.UTC)
	if t.Day() != day {
		return "", false
	}
	return fmt.Sprintf("%04d-%02d-%02d", year, month, day), true
}

func atoi(s string) int {
	n, err := strconv.Atoi(s)
	if err != nil {
		return -1
	}
	return n
}

func isDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if !isDigit(s[i]) {
			return false
		}
	}
	return true
}

// NormalizeAmount rewrites a money amount or a number as a plain decimal
// without currency, thousands separators, leading zeros or trailing zeros of
// the fraction: "$1,234.50", "1.234,50 EUR", "EUR 1 234,50", "1'234.50" and
// "(1,234.50)" (negative) become "1234.5" or "-1234.5". It reads the first
// number in s. When both "," and "." occur, the last one is the decimal
// separator. A lone "," is a thousands separator when exactly three digits
// follow it and one to three digits precede it ("1,234"), and a decimal comma
// otherwise ("12,5"). A lone "." is a decimal point; several are thousands
// separators ("1.234.567").
func NormalizeAmount(s string) (string, bool) {
	s = strings.TrimSpace(s)
	start := strings.IndexFunc(s, func(r rune) bool { return r >= '0' && r <= '9' })
	if start < 0 || len(s) > 128 {
		return "", false
	}
	negative := isNegativeAmount(s, start)

	body := amountBody(s[start:])
	whole, frac, ok := splitDecimal(body)
	if !ok {
		return "", false
	}
	text := whole
	if frac != "" {
		text += "." + frac
	}
	if negative {
		text = "-" + text
	}
	return canonicalDecimal(text), true
}

// isNegativeAmount looks for a minus sign before the first digit or an
// accounting parenthesis around the amount.
func isNegativeAmount(s string, firstDigit int) bool {
	before := s[:firstDigit]
	if strings.ContainsAny(before, "-−") {
		return true
	}
	return strings.Contains(before, "(") && strings.HasSuffix(strings.TrimRight(s, " "), ")")
}

// amountBody returns the digits and separators of the number that starts s.
// A space, non-breaking space, thin space or apostrophe is kept as a
// thousands separator only when exactly three digits follow it.
func amountBody(s string) string {
	runes := []rune(s)
	var b strings.Builder
	for i := 0; i < len(runes); i++ {
		r := runes[i]
		switch {
		case r >= '0' && r <= '9':
			b.WriteRune(r)
		case r == ',' || r == '.':
			if i+1 < len(runes) && runes[i+1] >= '0' && runes[i+1] <= '9' {
				b.WriteRune(r)
				continue
			}
			return b.String()
		case r == ' ' || r == '\u00a0' || r == '\u202f' || r == '\'' || r == '’':
			if threeDigitsFollow(runes, i+1) {
				continue
			}
			return b.String()
		default:
			return b.String()
		}
	}
	return b.String()
}

func threeDigitsFollow(runes []rune, i int) bool {
	for k := i; k < i+3; k++ {
		if k >= len(runes) || runes[k] < '0' || runes[k] > '9' {
			return false
		}
	}
	return i+3 >= len(runes) || runes[i+3] < '0' || runes[i+3] > '9'
}

// splitDecimal splits digits with separators into the whole and fraction
// digits, deciding which separator is the decimal one.
func splitDecimal(body string) (whole, frac string, ok bool) {
	lastComma := strings.LastIndexByte(body, ',')
	lastDot := strings.LastIndexByte(body, '.')
	commas := strings.Count(body, ",")
	dots := strings.Count(body, ".")

	decimal := -1
	switch {
	case commas > 0 && dots > 0:
		decimal = max(lastComma, lastDot)
	case commas == 1:
		before, after, _ := strings.Cut(body, ",")
		if !(len(after) == 3 && len(before) <= 3 && strings.TrimLeft(before, "0") != "") {
			decimal = lastComma
		}
	case dots == 1:
		// NOTE: "1.234" reads as one point two three four, so an amount
		// written with a dot for thousands and no cents is misread.
		decimal = lastDot
	}

	if decimal >= 0 {
		whole, frac = body[:decimal], body[decimal+1:]
	} else {
		whole = body
	}
	whole = strings.NewReplacer(",", "", ".", "").Replace(whole)
	if !isDigits(whole) || (frac != "" && !isDigits(frac)) {
		return "", "", false
	}
	return whole, frac, true
}
