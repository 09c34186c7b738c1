package report

import (
	"archive/zip"
	"fmt"
	"io"
	"strings"

	"github.com/xuri/excelize/v2"

	"github.com/quantbench/quantbench/results"
)

// Sheet names, in workbook order.
const (
	sheetSummary     = "Summary"
	sheetDegradation = "Degradation"
	sheetThroughput  = "Throughput"
	sheetTCO         = "TCO"
	sheetCharts      = "Charts"
	sheetItems       = "Items"
	sheetRun         = "Run"
)

var sheetOrder = []string{sheetSummary, sheetDegradation, sheetThroughput, sheetTCO, sheetCharts, sheetItems, sheetRun}

// maxSheetName is Excel's limit on the length of a sheet name.
const maxSheetName = 31

// sheetName makes name valid as an Excel sheet name: the characters
// []:*?/\ become '_', a leading or trailing apostrophe is dropped, and the
// name is cut to 31 characters.
func sheetName(name string) string {
	name = strings.Map(func(r rune) rune {
		if strings.ContainsRune(`[]:*?/\`, r) {
			return '_'
		}
		return r
	}, name)
	name = strings.Trim(name, "'")
	if runes := []rune(name); len(runes) > maxSheetName {
		name = string(runes[:maxSheetName])
	}
	if name == "" {
		name = "Sheet"
	}
	return name
}

// workbook is report.xlsx while it is being built.
type workbook struct {
	f       *excelize.File
	s       *results.Summary
	styles  styles
	records string // path of records.jsonl
}

// WriteWorkbook writes report.xlsx for the summary s to w. recordsPath is the
// run's records.jsonl, streamed into the Items sheet one row at a time.
func WriteWorkbook(w io.Writer, s *results.Summary, recordsPath string) error {
	f := excelize.NewFile()
	defer f.Close()

	wb := &workbook{f: f, s: s, records: recordsPath}
	if err := wb.build(); err != nil {
		return err
	}

	// excelize (v2.11.1) assembles the whole .xlsx in a bytes.Buffer before
	// copying it to w, which would hold the compressed Items sheet in memory
	// (about 85 MB for a million records). The zip writer is pointed at w
	// instead, so WriteTo's buffer stays empty and the archive streams out.
	// NOTE: excelize also patches zip64 local headers in that buffer for
	// parts over 4 GiB uncompressed; with w written directly that patch is
	// skipped, so a single Items sheet that large may not open in Excel.
	f.SetZipWriter(func(io.Writer) excelize.ZipWriter { return zip.NewWriter(w) })
	if _, err := f.WriteTo(io.Discard); err != nil {
		return fmt.Errorf("encode workbook: %w", err)
	}
	return nil
}

func (w *workbook) build() error {
	var err error
	if w.styles, err = newStyles(w.f); err != nil {
		return fmt.Errorf("workbook styles: %w", err)
	}
	if err := w.createSheets(); err != nil {
		return err
	}

	steps := []struct {
		sheet string
		write func() error
	}{
		{sheetSummary, w.writeSummary},
		{sheetDegradation, w.writeDegradation},
		{sheetThroughput, w.writeThroughput},
		{sheetTCO, w.writeTCO},
		{sheetCharts, w.writeCharts},
		{sheetItems, w.writeItems},
		{sheetRun, w.writeRun},
	}
	for _, step := range steps {
		if err := step.write(); err != nil {
			return fmt.Errorf("workbook sheet %s: %w", step.sheet, err)
		}
	}

	w.f.SetActiveSheet(0)
	return w.f.SetDocProps(&excelize.DocProperties{
		Title:       "quantbench report " + w.s.Run.RunID,
		Subject:     "Quality, speed and cost of quantised models against their baseline",
		Creator:     "quantbench " + w.s.Run.QuantbenchVersion,
		Description: "Rebuild with: quantbench report RUN_DIR",
	})
}

// createSheets adds every sheet in workbook order, renaming the default one.
func (w *workbook) createSheets() error {
	if err := w.f.SetSheetName("Sheet1", sheetOrder[0]); err != nil {
		return err
	}
	for _, name := range sheetOrder[1:] {
		if _, err := w.f.NewSheet(name); err != nil {
			return fmt.Errorf("add sheet %s: %w", name, err)
		}
	}
	return nil
}

// writeTCO fills the TCO sheet: editable inputs, formulas over them, the
// volume sensitivity table and the cost-against-volume chart.
func (w *workbook) writeTCO() error {
	return WriteTCOSheet(w.f, w.s)
}
