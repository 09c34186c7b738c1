package gen

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// dateStyle is one way business documents write a date. A style whose layout
// is ambiguous (day/month against month/day) comes with a note that the
// document states.
type dateStyle struct {
	layout string
	note   string
}

var dateStyles = []dateStyle{
	{layout: "2 January 2006"},
	{layout: "January 2, 2006"},
	{layout: "2006-01-02"},
	{layout: "02/01/2006", note: "All dates in this document are written day/month/year."},
	{layout: "01/02/2006", note: "Dates are written month/day/year."},
	{layout: "2 Jan 2006"},
	{layout: "Monday, 2 January 2006"},
}

// ambiguous reports whether the style writes day and month as bare numbers.
func (d dateStyle) ambiguous() bool { return d.note != "" }

// isoDate is the normalised form of a date in the expected fields.
func isoDate(t time.Time) string { return t.Format("2006-01-02") }

// amountStyle is one way business documents write a money amount.
type amountStyle struct {
	currency string
	format   func(cents int64) string

	// whole marks a style that documents use for whole amounts ("USD 99"), so
	// the generators round every amount of such a document to whole units.
	whole bool
}

var amountStyles = []amountStyle{
	{"USD", func(c int64) string { return "$" + groupedAmount(c, ",", ".") }, false},
	{"EUR", func(c int64) string { return groupedAmount(c, ".", ",") + " EUR" }, false},
	{"USD", func(c int64) string { return "USD " + trimZeroCents(groupedAmount(c, ",", ".")) }, true},
	{"GBP", func(c int64) string { return "£" + groupedAmount(c, ",", ".") }, false},
	{"EUR", func(c int64) string { return "€" + groupedAmount(c, ".", ",") }, false},
	{"GBP", func(c int64) string { return groupedAmount(c, "", ".") + " GBP" }, false},
	{"EUR", func(c int64) string { return "EUR " + groupedAmount(c, " ", ",") }, false},
}

// plainAmount is the normalised form of an amount in the expected fields:
// a decimal with two places and no currency sign or separators.
func plainAmount(cents int64) string { return fmt.Sprintf("%d.%02d", cents/100, cents%100) }

// groupedAmount writes cents with the given thousands and decimal separators.
func groupedAmount(cents int64, thousands, decimal string) string {
	whole := strconv.FormatInt(cents/100, 10)
	var b strings.Builder
	for i, r := range whole {
		if i > 0 && (len(whole)-i)%3 == 0 {
			b.WriteString(thousands)
		}
		b.WriteRune(r)
	}
	return fmt.Sprintf("%s%s%02d", b.String(), decimal, cents%100)
}

// trimZeroCents drops ".00", as in "USD 99".
func trimZeroCents(s string) string { return strings.TrimSuffix(s, ".00") }
