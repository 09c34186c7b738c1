package report

import (
	"strings"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"
)

// maxCellChars is the longest text an Excel cell holds (32,767 characters).
// Longer text is cut, and the cut is marked with truncationMark.
const maxCellChars = 32767

const truncationMark = " …[truncated]"

// formulaPrefixes are the first characters that make a spreadsheet program
// read typed or imported text as a formula (OWASP's list for CSV injection).
const formulaPrefixes = "=+-@\t\r"

// formulaLike reports whether text would be read as a formula if it were
// typed into a cell or imported from CSV.
func formulaLike(text string) bool {
	return text != "" && strings.IndexByte(formulaPrefixes, text[0]) >= 0
}

// cellText cuts text to what one cell holds.
func cellText(text string) string {
	if utf8.RuneCountInString(text) <= maxCellChars {
		return text
	}
	keep := maxCellChars - utf8.RuneCountInString(truncationMark)
	runes := 0
	for i := range text {
		if runes == keep {
			return text[:i] + truncationMark
		}
		runes++
	}
	return text
}

// setText stores text in a cell as a string, never as a formula. Model output
// such as "=HYPERLINK(...)" or "-1+2" stays literal text: excelize writes
// strings as shared strings, and formula-like text additionally gets the
// text number format "@", so that editing the cell in Excel or LibreOffice
// keeps it text. style is the cell's style when the text is not formula-like
// (0 for the default).
func (w *workbook) setText(sheet, cell, text string, style int) error {
	if formulaLike(text) {
		style = w.styles.text
	}
	if err := w.f.SetCellStr(sheet, cell, cellText(text)); err != nil {
		return err
	}
	if style != 0 {
		return w.f.SetCellStyle(sheet, cell, cell, style)
	}
	return nil
}

// streamText is the stream-writer form of setText: an inline string cell,
// with the text format when the text is formula-like, or nil (a blank cell)
// for empty text.
func (w *workbook) streamText(text string) any {
	if text == "" {
		return nil
	}
	c := excelize.Cell{Value: cellText(text)}
	if formulaLike(text) {
		c.StyleID = w.styles.text
	}
	return c
}

// csvText guards a CSV text field against formula injection: a field that
// starts with one of =, +, -, @, tab or carriage return gets a leading
// apostrophe, which spreadsheet programs show as a text marker. Numbers are
// never passed through it, so a negative number stays a number.
func csvText(text string) string {
	if formulaLike(text) {
		return "'" + text
	}
	return text
}
