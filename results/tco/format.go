package tco

import (
	"math"
	"strconv"
	"strings"
)

// FormatCount formats v rounded to a whole number with comma thousands
// separators, for example 4,666,667.
func FormatCount(v float64) string {
	return groupThousands(strconv.FormatFloat(math.Round(v), 'f', 0, 64))
}

// FormatMoney formats v in US dollars with comma thousands separators: two
// decimals from one dollar up, and up to six significant decimals below, so
// $0.00045 a document stays visible.
func FormatMoney(v float64) string {
	sign := ""
	if v < 0 {
		sign, v = "-", -v
	}
	if v != 0 && v < 1 {
		text := strconv.FormatFloat(v, 'f', 6, 64)
		text = strings.TrimRight(text, "0")
		if len(text) < len("0.00") {
			text += strings.Repeat("0", len("0.00")-len(text))
		}
		return sign + "$" + text
	}
	text := strconv.FormatFloat(v, 'f', 2, 64)
	whole, cents, _ := strings.Cut(text, ".")
	return sign + "$" + groupThousands(whole) + "." + cents
}

// groupThousands inserts commas into a string of digits, keeping a leading minus.
func groupThousands(digits string) string {
	sign := ""
	if strings.HasPrefix(digits, "-") {
		sign, digits = "-", digits[1:]
	}
	var b strings.Builder
	for i, d := range digits {
		if i > 0 && (len(digits)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(d)
	}
	return sign + b.String()
}
