package report

import (
	"math"
	"sort"
	"strconv"
	"strings"

	"github.com/quantbench/quantbench/datasets"
)

// categoryRank orders categories as datasets.Categories lists them; unknown
// categories follow, alphabetically.
func categoryRank(c string) int {
	for i, known := range datasets.Categories {
		if string(known) == c {
			return i
		}
	}
	return len(datasets.Categories)
}

// sortCategories sorts category names in report order.
func sortCategories(categories []string) {
	sort.SliceStable(categories, func(i, j int) bool {
		ri, rj := categoryRank(categories[i]), categoryRank(categories[j])
		if ri != rj {
			return ri < rj
		}
		return categories[i] < categories[j]
	})
}

// Text forms of numbers for the printed table, the Markdown and the CSV.
// Undefined values print as "-" in tables, and never as NaN or infinity.

const none = "-"

func finite(v *float64) bool {
	return v != nil && !math.IsNaN(*v) && !math.IsInf(*v, 0)
}

// formatScore prints a score in [0, 1] with three decimals.
func formatScore(v *float64) string {
	if !finite(v) {
		return none
	}
	return strconv.FormatFloat(*v, 'f', 3, 64)
}

// formatPct prints a value already in percent, such as PercentOfBaseline.
func formatPct(v *float64) string {
	if !finite(v) {
		return none
	}
	return strconv.FormatFloat(*v, 'f', 1, 64) + "%"
}

// formatRate prints a fraction (0.025) as a percentage (2.5%).
func formatRate(v *float64) string {
	if !finite(v) {
		return none
	}
	return strconv.FormatFloat(*v*100, 'f', 1, 64) + "%"
}

// formatInterval prints a percentile interval in percent; a nil end is
// unbounded.
func formatInterval(low, high *float64) string {
	if !finite(low) && !finite(high) {
		return none
	}
	end := func(v *float64) string {
		if !finite(v) {
			return "unbounded"
		}
		return formatPct(v)
	}
	return "[" + end(low) + ", " + end(high) + "]"
}

// formatPValue prints a p-value with four decimals, or "<0.0001".
func formatPValue(v *float64) string {
	if !finite(v) {
		return none
	}
	if *v < 0.0001 {
		return "<0.0001"
	}
	return strconv.FormatFloat(*v, 'f', 4, 64)
}

// formatFloat prints v with the given decimals and thousands separators.
func formatFloat(v *float64, decimals int) string {
	if !finite(v) {
		return none
	}
	return groupThousands(strconv.FormatFloat(*v, 'f', decimals, 64))
}

// formatMoney prints US dollars with cents and thousands separators; amounts
// under a cent (the API cost of one document) get six decimals.
func formatMoney(v float64) string {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return none
	}
	decimals := 2
	if v != 0 && math.Abs(v) < 0.01 {
		decimals = 6
	}
	text := groupThousands(strconv.FormatFloat(math.Abs(v), 'f', decimals, 64))
	if v < 0 {
		return "-$" + text
	}
	return "$" + text
}

// groupThousands inserts commas into the integer part of a decimal number.
func groupThousands(number string) string {
	sign := ""
	if strings.HasPrefix(number, "-") {
		sign, number = "-", number[1:]
	}
	integer, fraction, hasFraction := strings.Cut(number, ".")
	var b strings.Builder
	for i, digit := range integer {
		if i > 0 && (len(integer)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(digit)
	}
	if hasFraction {
		b.WriteString("." + fraction)
	}
	return sign + b.String()
}

// formatGiB prints a byte count in GiB with one decimal.
func formatGiB(bytes int64) string {
	if bytes <= 0 {
		return none
	}
	return strconv.FormatFloat(float64(bytes)/(1<<30), 'f', 1, 64) + " GiB"
}

var superscriptDigits = []rune("⁰¹²³⁴⁵⁶⁷⁸⁹")

// superscript prints footnote numbers as superscripts, benchstat style:
// [1 3] becomes "¹ ³".
func superscript(notes []int) string {
	parts := make([]string, len(notes))
	for i, n := range notes {
		var b strings.Builder
		for _, digit := range strconv.Itoa(n) {
			b.WriteRune(superscriptDigits[digit-'0'])
		}
		parts[i] = b.String()
	}
	return strings.Join(parts, " ")
}

// withNotes appends a row's footnote marks to a cell's text.
func withNotes(text string, notes []int) string {
	if len(notes) == 0 {
		return text
	}
	return text + " " + superscript(notes)
}
