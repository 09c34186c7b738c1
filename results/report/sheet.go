package report

import (
	"fmt"
	"math"
	"time"

	"github.com/xuri/excelize/v2"
)

// cell is one value for a (non-streamed) sheet, with its style.
type cell struct {
	value any // string, float64, int, int64, time.Time or nil for a blank
	style int
}

func textCell(s string) cell           { return cell{value: s} }
func styledText(s string, st int) cell { return cell{value: s, style: st} }
func blank() cell                      { return cell{} }

// numberCell is a number with a style, or a blank for nil, NaN or infinity,
// which a report never shows.
func numberCell(v *float64, style int) cell {
	if v == nil || math.IsNaN(*v) || math.IsInf(*v, 0) {
		return blank()
	}
	return cell{value: *v, style: style}
}

func floatCell(v float64, style int) cell { return numberCell(&v, style) }

// sheetWriter writes rows top to bottom into one sheet.
type sheetWriter struct {
	w     *workbook
	sheet string
	row   int // last row written
}

func (w *workbook) sheetWriter(sheet string) *sheetWriter {
	return &sheetWriter{w: w, sheet: sheet}
}

// put writes cells into the next row, from column A.
func (sw *sheetWriter) put(cells ...cell) error {
	sw.row++
	for i, c := range cells {
		if err := sw.set(i+1, sw.row, c); err != nil {
			return err
		}
	}
	return nil
}

// header writes a row of column titles.
func (sw *sheetWriter) header(titles ...string) error {
	cells := make([]cell, len(titles))
	for i, t := range titles {
		cells[i] = styledText(t, sw.w.styles.header)
	}
	return sw.put(cells...)
}

// title writes a section title, after a blank row unless it is the first row.
func (sw *sheetWriter) title(text string) error {
	if sw.row > 0 {
		sw.row++
	}
	return sw.put(styledText(text, sw.w.styles.title))
}

// skip leaves a blank row.
func (sw *sheetWriter) skip() { sw.row++ }

func (sw *sheetWriter) set(col, row int, c cell) error {
	ref, err := excelize.CoordinatesToCellName(col, row)
	if err != nil {
		return err
	}
	switch v := c.value.(type) {
	case nil:
		return nil
	case string:
		if v == "" {
			return nil
		}
		return sw.w.setText(sw.sheet, ref, v, c.style)
	case time.Time:
		if err := sw.w.f.SetCellValue(sw.sheet, ref, v.UTC()); err != nil {
			return err
		}
	case float64, int, int64:
		if err := sw.w.f.SetCellValue(sw.sheet, ref, v); err != nil {
			return err
		}
	default:
		return fmt.Errorf("cell %s!%s: unsupported value type %T", sw.sheet, ref, v)
	}
	if c.style != 0 {
		return sw.w.f.SetCellStyle(sw.sheet, ref, ref, c.style)
	}
	return nil
}

// widths sets column widths from column A.
func (sw *sheetWriter) widths(widths ...float64) error {
	for i, width := range widths {
		col, err := excelize.ColumnNumberToName(i + 1)
		if err != nil {
			return err
		}
		if err := sw.w.f.SetColWidth(sw.sheet, col, col, width); err != nil {
			return err
		}
	}
	return nil
}
