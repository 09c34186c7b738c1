package report

import (
	"archive/zip"
	"bytes"
	"html"
	"io"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/quantbench/quantbench/results"
)

// buildTestWorkbook writes the workbook of the test run and opens it.
func buildTestWorkbook(t *testing.T) (*excelize.File, []byte) {
	t.Helper()
	var buf bytes.Buffer
	if err := WriteWorkbook(&buf, loadTestSummary(t), filepath.Join(testRunDir, results.RecordsFile)); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(bytes.NewReader(buf.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	return f, buf.Bytes()
}

func countRecords(t testing.TB, path string) int {
	t.Helper()
	n := 0
	if err := results.ReadRecords(path, func(*results.Record) error { n++; return nil }); err != nil {
		t.Fatal(err)
	}
	return n
}

// findRow returns the 1-based row whose cells start with prefix, or 0.
func findRow(t *testing.T, f *excelize.File, sheet string, prefix ...string) int {
	t.Helper()
	rows, err := f.GetRows(sheet)
	if err != nil {
		t.Fatal(err)
	}
	for i, row := range rows {
		if len(row) >= len(prefix) {
			match := true
			for j, p := range prefix {
				if row[j] != p {
					match = false
					break
				}
			}
			if match {
				return i + 1
			}
		}
	}
	return 0
}

func cellNumFmt(t *testing.T, f *excelize.File, sheet, ref string) string {
	t.Helper()
	id, err := f.GetCellStyle(sheet, ref)
	if err != nil {
		t.Fatal(err)
	}
	style, err := f.GetStyle(id)
	if err != nil {
		t.Fatal(err)
	}
	if style.CustomNumFmt != nil {
		return *style.CustomNumFmt
	}
	if style.NumFmt == numFmtText {
		return "@"
	}
	return ""
}

func TestWorkbookSheetNames(t *testing.T) {
	f, _ := buildTestWorkbook(t)
	got := f.GetSheetList()
	want := []string{sheetSummary, sheetDegradation, sheetThroughput, sheetTCO, sheetCharts, sheetItems, sheetRun}
	if strings.Join(got, ",") != strings.Join(want, ",") {
		t.Errorf("sheets = %v, want %v", got, want)
	}
	for _, name := range got {
		if len([]rune(name)) > maxSheetName || strings.ContainsAny(name, `[]:*?/\`) {
			t.Errorf("sheet name %q is not valid in Excel", name)
		}
	}
}

func TestSheetNameSanitised(t *testing.T) {
	cases := map[string]string{
		"Items (2)":                     "Items (2)",
		"a/b\\c[d]e:f*g?h":              "a_b_c_d_e_f_g_h",
		"'quoted'":                      "quoted",
		strings.Repeat("x", 40):         strings.Repeat("x", 31),
		"":                              "Sheet",
		"qb-tiny:q4_K_M throughput log": "qb-tiny_q4_K_M throughput log",
	}
	for in, want := range cases {
		if got := sheetName(in); got != want {
			t.Errorf("sheetName(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestWorkbookItemsOneRowPerRecord(t *testing.T) {
	f, _ := buildTestWorkbook(t)
	rows, err := f.GetRows(sheetItems)
	if err != nil {
		t.Fatal(err)
	}
	records := countRecords(t, filepath.Join(testRunDir, results.RecordsFile))
	if records != 68 {
		t.Fatalf("test run has %d records, want 68", records)
	}
	if got := len(rows) - 1; got != records {
		t.Errorf("Items has %d data rows, want %d (one per record)", got, records)
	}
	if strings.Join(rows[0], ",") != strings.Join(itemColumns, ",") {
		t.Errorf("Items header = %v", rows[0])
	}
	tables, err := f.GetTables(sheetItems)
	if err != nil {
		t.Fatal(err)
	}
	if len(tables) != 1 || tables[0].Range != "A1:X69" {
		t.Errorf("Items tables = %+v, want one over A1:X69", tables)
	}

	// Rows are in file order: the first record is the baseline's first item.
	if rows[1][2] != "item-01" || rows[1][3] != "qb-tiny:f16" {
		t.Errorf("first Items row = %v, want item-01 of qb-tiny:f16", rows[1][:4])
	}
}

func TestWorkbookItemsFlips(t *testing.T) {
	f, _ := buildTestWorkbook(t)
	flipCol := columnOf(t, itemColumns, "Flip vs baseline")
	cases := []struct {
		dataset, item, model string
		repeat               string
		want                 string
	}{
		{"sentiment-mini", "item-02", "qb-tiny:q4_K_M", "0", flipCorrectToWrong},
		{"sentiment-mini", "item-01", "qb-tiny:q4_K_M", "0", flipNone},
		{"sentiment-mini", "item-06", "qb-tiny:f16", "1", flipCorrectToWrong}, // noise: the baseline's second repeat
		{"sentiment-mini", "item-01", "qb-tiny:f16", "0", ""},                 // the reference itself
		{"arith-mini", "item-02", "qb-tiny:q4_K_M", "0", flipWrongToCorrect},
		{"invoice-fields", "item-05", "qb-tiny:q8_0", "0", "score down"}, // 0.8 to 0.6, continuous
		{"invoice-fields", "item-06", "qb-tiny:q4_K_M", "0", ""},         // infra error: no score
	}
	rows, err := f.GetRows(sheetItems)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range cases {
		found := false
		for _, row := range rows[1:] {
			if row[0] == c.dataset && row[2] == c.item && row[3] == c.model && row[6] == c.repeat {
				found = true
				got := ""
				if len(row) > flipCol {
					got = row[flipCol]
				}
				if got != c.want {
					t.Errorf("%s %s %s repeat %s: flip = %q, want %q", c.dataset, c.item, c.model, c.repeat, got, c.want)
				}
			}
		}
		if !found {
			t.Errorf("no Items row for %s %s %s repeat %s", c.dataset, c.item, c.model, c.repeat)
		}
	}
}

func columnOf(t *testing.T, columns []string, name string) int {
	t.Helper()
	for i, c := range columns {
		if c == name {
			return i
		}
	}
	t.Fatalf("no column %q", name)
	return -1
}

// TestWorkbookFormulaTextStaysText checks that model outputs which look like
// formulas are stored as text cells, with the text format, and no formula.
func TestWorkbookFormulaTextStaysText(t *testing.T) {
	f, _ := buildTestWorkbook(t)
	outputCol := columnOf(t, itemColumns, "Output") + 1
	for _, output := range []string{`=HYPERLINK("http://example.com","click")`, "-1+2"} {
		rows, err := f.GetRows(sheetItems)
		if err != nil {
			t.Fatal(err)
		}
		row := 0
		for i, r := range rows {
			if len(r) >= outputCol && r[outputCol-1] == output {
				row = i + 1
			}
		}
		if row == 0 {
			t.Errorf("output %q not found in Items", output)
			continue
		}
		ref, _ := excelize.CoordinatesToCellName(outputCol, row)
		formula, err := f.GetCellFormula(sheetItems, ref)
		if err != nil {
			t.Fatal(err)
		}
		if formula != "" {
			t.Errorf("Items!%s holds formula %q, want none", ref, formula)
		}
		typ, err := f.GetCellType(sheetItems, ref)
		if err != nil {
			t.Fatal(err)
		}
		if typ != excelize.CellTypeInlineString && typ != excelize.CellTypeSharedString {
			t.Errorf("Items!%s has cell type %v, want a string type", ref, typ)
		}
		if got := cellNumFmt(t, f, sheetItems, ref); got != "@" {
			t.Errorf("Items!%s number format = %q, want the text format @", ref, got)
		}
	}
}

func TestSetTextFormulaLike(t *testing.T) {
	f := excelize.NewFile()
	defer f.Close()
	st, err := newStyles(f)
	if err != nil {
		t.Fatal(err)
	}
	w := &workbook{f: f, styles: st}
	inputs := []string{`=HYPERLINK("http://example.com","x")`, "-1+2", "+1", "@SUM(A1)", "\tx", "\rx", "plain", "1+2"}
	for i, text := range inputs {
		ref, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := w.setText("Sheet1", ref, text, 0); err != nil {
			t.Fatal(err)
		}
		got, err := f.GetCellValue("Sheet1", ref)
		if err != nil {
			t.Fatal(err)
		}
		if got != text {
			t.Errorf("%s = %q, want %q", ref, got, text)
		}
		formula, _ := f.GetCellFormula("Sheet1", ref)
		if formula != "" {
			t.Errorf("%s (%q) has formula %q", ref, text, formula)
		}
		typ, _ := f.GetCellType("Sheet1", ref)
		if typ != excelize.CellTypeSharedString {
			t.Errorf("%s (%q) has cell type %v, want a shared string", ref, text, typ)
		}
		wantFmt := ""
		if formulaLike(text) {
			wantFmt = "@"
		}
		if got := cellNumFmt(t, f, "Sheet1", ref); got != wantFmt {
			t.Errorf("%s (%q) number format = %q, want %q", ref, text, got, wantFmt)
		}
	}
}

func TestCSVTextGuardsFormulas(t *testing.T) {
	cases := map[string]string{"=1+1": "'=1+1", "-1+2": "'-1+2", "@x": "'@x", "+x": "'+x", "q4_K_M": "q4_K_M", "": ""}
	for in, want := range cases {
		if got := csvText(in); got != want {
			t.Errorf("csvText(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestCellTextTruncates(t *testing.T) {
	long := strings.Repeat("é", maxCellChars+10)
	got := cellText(long)
	if n := len([]rune(got)); n != maxCellChars {
		t.Errorf("cut text has %d characters, want %d", n, maxCellChars)
	}
	if !strings.HasSuffix(got, truncationMark) {
		t.Errorf("cut text does not end with %q", truncationMark)
	}
	if cellText("short") != "short" {
		t.Error("short text changed")
	}
}

func TestWorkbookSummaryValues(t *testing.T) {
	f, _ := buildTestWorkbook(t)
	row := findRow(t, f, sheetSummary, "classification", "qb-tiny:q4_K_M")
	if row == 0 {
		t.Fatal("no Summary row for classification, qb-tiny:q4_K_M")
	}
	checks := []struct {
		col    string
		value  float64
		format string
	}{
		{"D", 0.75, numFmtScore},    // baseline score
		{"E", 0.375, numFmtScore},   // variant score
		{"F", 0.5, numFmtPercent},   // % of baseline
		{"G", 0.167, numFmtPercent}, // interval low
		{"H", 0.8, numFmtPercent},   // interval high
	}
	for _, c := range checks {
		ref := c.col + itoa(row)
		raw, err := f.GetCellValue(sheetSummary, ref, excelize.Options{RawCellValue: true})
		if err != nil {
			t.Fatal(err)
		}
		got, err := strconv.ParseFloat(raw, 64)
		if err != nil || math.Abs(got-c.value) > 1e-9 {
			t.Errorf("Summary!%s = %q, want %g", ref, raw, c.value)
		}
		if format := cellNumFmt(t, f, sheetSummary, ref); format != c.format {
			t.Errorf("Summary!%s number format = %q, want %q", ref, format, c.format)
		}
	}
	if got, _ := f.GetCellValue(sheetSummary, "I"+itoa(row)); got != results.VerdictFail {
		t.Errorf("Summary!I%d = %q, want FAIL", row, got)
	}

	// The speed headline: speed-up of q4_K_M over the baseline, 190.8 / 120.4.
	speed := findRow(t, f, sheetSummary, "qb-tiny:q4_K_M", "Q4_K_M")
	if speed == 0 {
		t.Fatal("no Summary speed row for qb-tiny:q4_K_M")
	}
	got, _ := f.GetCellValue(sheetSummary, "D"+itoa(speed))
	if got != "1.58×" {
		t.Errorf("speed-up = %q, want 1.58×", got)
	}

	// The cost headline: money formats.
	cost := findRow(t, f, sheetSummary, "API cost per document")
	if cost == 0 {
		t.Fatal("no cost headline")
	}
	if got, _ := f.GetCellValue(sheetSummary, "B"+itoa(cost)); got != "$0.000450" {
		t.Errorf("API cost per document = %q, want $0.000450", got)
	}
	year1 := findRow(t, f, sheetSummary, "Local cost, year 1")
	if got, _ := f.GetCellValue(sheetSummary, "B"+itoa(year1)); got != "$33,200.00" {
		t.Errorf("local cost year 1 = %q, want $33,200.00", got)
	}
}

func TestWorkbookDegradationLayout(t *testing.T) {
	f, _ := buildTestWorkbook(t)
	rows, err := f.GetRows(sheetDegradation)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"Task category", "F16 quality", "Quantised quality", "Degradation"}
	if strings.Join(rows[0][:4], ",") != strings.Join(want, ",") {
		t.Errorf("Degradation header starts %v, want %v", rows[0][:4], want)
	}
	row := findRow(t, f, sheetDegradation, "extraction")
	if row == 0 {
		t.Fatal("no extraction row")
	}
	// extraction, q8_0: 0.808333 / 0.841667 = 96.04%, a 3.96% loss.
	got, _ := f.GetCellValue(sheetDegradation, "D"+itoa(row))
	if got != "4.0%" {
		t.Errorf("Degradation!D%d = %q, want 4.0%%", row, got)
	}
	verdictCol := columnOf(t, rows[0], "Verdict")
	if rows[row-1][verdictCol] != results.VerdictInconclusive {
		t.Errorf("extraction q8_0 verdict = %q", rows[row-1][verdictCol])
	}
	pCol := columnOf(t, rows[0], "p-value (McNemar)")
	classification := findRow(t, f, sheetDegradation, "classification", "0.750", "0.375")
	if classification == 0 {
		t.Fatal("no classification q4_K_M row")
	}
	if got := rows[classification-1][pCol]; got != "0.2500" {
		t.Errorf("p-value = %q, want 0.2500", got)
	}
	// Undefined values are blank, never NaN.
	for _, r := range rows {
		for _, v := range r {
			if strings.Contains(v, "NaN") || strings.Contains(v, "Inf") {
				t.Errorf("Degradation holds %q", v)
			}
		}
	}
}

func TestWorkbookThroughputTCOAndRun(t *testing.T) {
	f, _ := buildTestWorkbook(t)
	rows, err := f.GetRows(sheetThroughput)
	if err != nil {
		t.Fatal(err)
	}
	levels := 0
	for _, r := range rows[1:] {
		if len(r) > 2 && strings.HasPrefix(r[0], "qb-tiny:") && (r[2] == "1" || r[2] == "2" || r[2] == "4") {
			levels++
		}
	}
	if levels != 9 {
		t.Errorf("Throughput has %d level rows, want 9 (3 models x 3 levels)", levels)
	}

	tcoRows, err := f.GetRows(sheetTCO)
	if err != nil {
		t.Fatal(err)
	}
	if len(tcoRows) < 10 {
		t.Errorf("TCO sheet has %d rows; WriteTCOSheet did not fill it", len(tcoRows))
	}

	digest := findRow(t, f, sheetRun, "qb-tiny:q4_K_M", "sha256:3333cccc")
	if digest == 0 {
		t.Error("Run sheet lacks the q4_K_M digest")
	}
	if findRow(t, f, sheetRun, "Ollama version", "0.17.4") == 0 {
		t.Error("Run sheet lacks the Ollama version")
	}
	if findRow(t, f, sheetRun, "num_ctx", "2048") == 0 {
		t.Error("Run sheet lacks the num_ctx option")
	}
	if findRow(t, f, sheetRun, "GPU", "nvidia-smi not found") == 0 {
		t.Error("Run sheet lacks the reason for no GPU")
	}
}

// TestWorkbookCharts checks that the Charts sheet has the degradation bars
// and the throughput lines, pointing at its own data.
func TestWorkbookCharts(t *testing.T) {
	_, data := buildTestWorkbook(t)
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	var charts []string
	for _, file := range zr.File {
		if strings.HasPrefix(file.Name, "xl/charts/chart") && strings.HasSuffix(file.Name, ".xml") {
			rc, err := file.Open()
			if err != nil {
				t.Fatal(err)
			}
			body, _ := io.ReadAll(rc)
			rc.Close()
			charts = append(charts, html.UnescapeString(string(body)))
		}
	}
	var bars, lines bool
	for _, c := range charts {
		if strings.Contains(c, "<barChart>") && strings.Contains(c, "'Charts'!$B$3:$B$5") {
			bars = true
		}
		if strings.Contains(c, "<lineChart>") && strings.Contains(c, "'Charts'!$B$24:$B$26") {
			lines = true
		}
	}
	if len(charts) != 3 {
		t.Errorf("workbook has %d charts, want 3: degradation, throughput and the TCO sheet's cost against volume", len(charts))
	}
	if !bars {
		t.Errorf("no bar chart over 'Charts'!$B$3:$B$5 among %d charts", len(charts))
	}
	if !lines {
		t.Errorf("no line chart over the Charts sheet among %d charts", len(charts))
	}
}

func itoa(n int) string { return strconv.Itoa(n) }

// TestWriteAllFromFolder rebuilds every file from the test run folder with
// results.Summarize and checks that each exists and no temporary file stays.
func TestWriteAllFromFolder(t *testing.T) {
	s, err := results.Summarize(testRunDir)
	if err != nil {
		t.Fatal(err)
	}
	out := t.TempDir()
	if err := WriteAll(testRunDir, s, Into(out)); err != nil {
		t.Fatal(err)
	}
	entries, err := os.ReadDir(out)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	want := []string{results.WorkbookFile, results.MarkdownFile, results.SummaryCSV, results.SummaryJSON}
	if strings.Join(names, ",") != strings.Join(sortedCopy(want), ",") {
		t.Errorf("files = %v, want %v", names, sortedCopy(want))
	}
	for _, name := range []string{results.SummaryCSV, results.MarkdownFile, results.SummaryJSON} {
		data, err := os.ReadFile(filepath.Join(out, name))
		if err != nil {
			t.Fatal(err)
		}
		for _, bad := range []string{"NaN", "+Inf", "-Inf"} {
			if bytes.Contains(data, []byte(bad)) {
				t.Errorf("%s contains %s", name, bad)
			}
		}
	}
	f, err := excelize.OpenFile(filepath.Join(out, results.WorkbookFile))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := f.GetRows(sheetItems)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := len(rows)-1, countRecords(t, filepath.Join(testRunDir, results.RecordsFile)); got != want {
		t.Errorf("Items rows = %d, want %d", got, want)
	}
}

func sortedCopy(in []string) []string {
	out := append([]string(nil), in...)
	sort.Strings(out)
	return out
}

func TestWriteAllMissingRecords(t *testing.T) {
	dir := t.TempDir()
	data, err := os.ReadFile(filepath.Join(testRunDir, results.RunFile))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, results.RunFile), data, 0o644); err != nil {
		t.Fatal(err)
	}
	err = WriteAll(dir, loadTestSummary(t))
	if err == nil {
		t.Fatal("WriteAll without records.jsonl succeeded")
	}
	if !strings.Contains(err.Error(), results.RecordsFile) || !strings.Contains(err.Error(), dir) {
		t.Errorf("error %q does not name the folder and %s", err, results.RecordsFile)
	}
	if _, statErr := os.Stat(filepath.Join(dir, results.WorkbookFile)); statErr == nil {
		t.Error("a failed WriteAll left report.xlsx behind")
	}
	leftovers, _ := filepath.Glob(filepath.Join(dir, ".*.tmp"))
	if len(leftovers) > 0 {
		t.Errorf("temporary files left: %v", leftovers)
	}
}

func TestWorkbookItemsContinueOnNewSheet(t *testing.T) {
	saved := itemSheetRows
	itemSheetRows = 31 // a header and 30 records per sheet
	t.Cleanup(func() { itemSheetRows = saved })

	f, _ := buildTestWorkbook(t)
	want := []string{sheetSummary, sheetDegradation, sheetThroughput, sheetTCO, sheetCharts,
		sheetItems, "Items (2)", "Items (3)", sheetRun}
	if got := f.GetSheetList(); strings.Join(got, ",") != strings.Join(want, ",") {
		t.Fatalf("sheets = %v, want %v", got, want)
	}

	total := 0
	for i, name := range []string{sheetItems, "Items (2)", "Items (3)"} {
		rows, err := f.GetRows(name)
		if err != nil {
			t.Fatal(err)
		}
		if rows[0][0] != itemColumns[0] {
			t.Errorf("%s has no header row", name)
		}
		wantRows := []int{30, 30, 8}[i]
		if got := len(rows) - 1; got != wantRows {
			t.Errorf("%s has %d records, want %d", name, got, wantRows)
		}
		total += len(rows) - 1
	}
	if total != 68 {
		t.Errorf("Items sheets hold %d records, want 68", total)
	}
}

// TestWorkbookEmptySummary builds every file from a summary with nothing but
// the run manifest, as a run killed before its first scored item leaves.
func TestWorkbookEmptySummary(t *testing.T) {
	full := loadTestSummary(t)
	s := &results.Summary{Run: full.Run}
	out := t.TempDir()
	if err := WriteAll(testRunDir, s, Into(out)); err != nil {
		t.Fatal(err)
	}

	var table bytes.Buffer
	PrintTable(&table, s)
	if !strings.Contains(table.String(), "no scored categories") {
		t.Errorf("table of an empty summary:\n%s", table.String())
	}

	f, err := excelize.OpenFile(filepath.Join(out, results.WorkbookFile))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := f.GetRows(sheetThroughput)
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 1 || !strings.Contains(rows[0][0], "No throughput measurement") {
		t.Errorf("Throughput sheet of an empty summary = %v", rows)
	}
}

// TestTableWithoutComparisons prints rows from the category scores alone,
// as when the paired statistics produced nothing.
func TestTableWithoutComparisons(t *testing.T) {
	s := loadTestSummary(t)
	s.Comparisons, s.NoiseFloors, s.Throughput, s.Cost, s.Footnotes = nil, nil, nil, nil, nil

	var buf bytes.Buffer
	PrintTable(&buf, s)
	lines := strings.Split(buf.String(), "\n")
	var q4 string
	for _, line := range lines {
		if strings.HasPrefix(line, "classification") && strings.Contains(line, "qb-tiny:q4_K_M") {
			q4 = line
		}
	}
	if q4 == "" {
		t.Fatalf("no classification row for qb-tiny:q4_K_M:\n%s", buf.String())
	}
	fields := strings.Fields(q4)
	// category, items, baseline, variant, score, % of baseline, then "-" for
	// everything the comparison would have given.
	if fields[2] != "0.750" || fields[4] != "0.375" || fields[5] != "50.0%" {
		t.Errorf("row = %q, want baseline 0.750, score 0.375 and 50.0%%", q4)
	}
	if !strings.Contains(buf.String(), "reasoning: the baseline scored 0, so % of baseline is undefined (n/a)") {
		t.Errorf("no footnote for the undefined ratio:\n%s", buf.String())
	}
}
