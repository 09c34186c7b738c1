package report

import (
	"archive/zip"
	"bytes"
	"encoding/csv"
	"fmt"
	"io"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/quantbench/quantbench/results"
	"github.com/quantbench/quantbench/results/tco"
)

// workedExampleInputs is the published worked example at volume documents a month.
func workedExampleInputs(volume float64) tco.Inputs {
	return tco.Inputs{
		VolumePerMonth: volume, InputTokensPerDoc: 800, OutputTokensPerDoc: 200,
		Preset: "claude-haiku", APIInputPrice: 0.25, APIOutputPrice: 1.25,
		Capex: 18000, PowerRackMonth: 400, MaintenanceMonth: 200, Engineering: 8000,
	}
}

// workedExampleSummary is a summary priced with the worked example and no run data.
func workedExampleSummary(t *testing.T, volume float64) *results.Summary {
	t.Helper()
	r, err := tco.Compute(workedExampleInputs(volume))
	if err != nil {
		t.Fatal(err)
	}
	return &results.Summary{Cost: &results.CostReport{
		Variant: "m:q4_K_M", TokensSource: results.SourceGiven, ThroughputSource: results.SourceNone, Result: r,
	}}
}

func tcoFloat(v float64) *float64 { return &v }

// tcoPlanSummary is a run with two categories of measured tokens, one PASS and
// one FAIL, and a measured throughput, priced through results.PriceSummary.
func tcoPlanSummary(t *testing.T) *results.Summary {
	t.Helper()
	s := &results.Summary{}
	s.Run.Models = []results.ModelInfo{{Name: "m:f16", Role: results.RoleBaseline}, {Name: "m:q4_K_M", Role: results.RoleVariant}}
	s.Categories = []results.CategoryScore{
		{Category: "classification", Model: "m:q4_K_M", MeanInputTokens: tcoFloat(600), MeanOutputTokens: tcoFloat(100)},
		{Category: "reasoning", Model: "m:q4_K_M", MeanInputTokens: tcoFloat(1000), MeanOutputTokens: tcoFloat(300)},
	}
	s.Comparisons = []results.Comparison{
		{Category: "classification", Variant: "m:q4_K_M", Verdict: results.VerdictPass},
		{Category: "reasoning", Variant: "m:q4_K_M", Verdict: results.VerdictFail},
	}
	s.Throughput = &results.SpeedReport{Levels: []results.LevelSpeed{{Model: "m:q4_K_M", Concurrency: 4, DocumentsPerHour: tcoFloat(12000)}}}
	in := workedExampleInputs(14_000_000)
	in.InputTokensPerDoc, in.OutputTokensPerDoc = 0, 0
	in.Utilisation = 1
	in.CategoryShares = map[string]float64{"classification": 0.6, "reasoning": 0.4}
	cost, _, err := results.PriceSummary(s, in, results.PriceOptions{})
	if err != nil {
		t.Fatal(err)
	}
	s.Cost = cost
	return s
}

// writeTCOWorkbook writes a workbook with only the TCO sheet and reopens it.
func writeTCOWorkbook(t *testing.T, s *results.Summary) (*excelize.File, []byte) {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	if err := WriteTCOSheet(f, s); err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if _, err := f.WriteTo(&buf); err != nil {
		t.Fatal(err)
	}
	g, err := excelize.OpenReader(bytes.NewReader(buf.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { g.Close() })
	return g, buf.Bytes()
}

// tcoRowOf returns the row whose column A holds label.
func tcoRowOf(t *testing.T, f *excelize.File, label string) int {
	t.Helper()
	rows, err := f.GetRows(sheetTCO)
	if err != nil {
		t.Fatal(err)
	}
	for i, row := range rows {
		if len(row) > 0 && row[0] == label {
			return i + 1
		}
	}
	t.Fatalf("no row labelled %q", label)
	return 0
}

// tcoCachedNumber returns the cached value of cell as a number.
func tcoCachedNumber(t *testing.T, f *excelize.File, cell string) float64 {
	t.Helper()
	text, err := f.GetCellValue(sheetTCO, cell, excelize.Options{RawCellValue: true})
	if err != nil {
		t.Fatal(err)
	}
	v, err := strconv.ParseFloat(text, 64)
	if err != nil {
		t.Fatalf("%s = %q, want a number", cell, text)
	}
	return v
}

func tcoClose(got, want float64) bool {
	return math.Abs(got-want) <= 1e-9*math.Max(1, math.Abs(want))
}

func TestTCOSheetWorkedExampleValues(t *testing.T) {
	f, _ := writeTCOWorkbook(t, workedExampleSummary(t, 10_000_000))
	want := map[string]float64{
		"Documents per month":                    10_000_000,
		"API cost per document":                  0.00045,
		"API cost per month":                     4500,
		"API cost per year":                      54000,
		"Servers needed":                         1,
		"Local cost in year 1":                   33200,
		"Local cost in each later year":          7200,
		"Savings in year 1":                      20800,
		"Savings in year 2":                      46800,
		"Break-even documents per year":          56_000_000,
		"Break-even documents per month":         56_000_000.0 / 12,
		"Break-even with engineering, per year":  33200 / 0.00045,
		"Break-even with engineering, per month": 33200 / 0.00045 / 12,
		"Payback month at this volume":           7,
	}
	for label, value := range want {
		cell := fmt.Sprintf("B%d", tcoRowOf(t, f, label))
		if got := tcoCachedNumber(t, f, cell); !tcoClose(got, value) {
			t.Errorf("%s (%s) = %v, want %v", label, cell, got, value)
		}
	}
	capacity, _ := f.GetCellValue(sheetTCO, fmt.Sprintf("B%d", tcoRowOf(t, f, "Capacity per server (documents per month)")))
	if capacity != tcoUnknown {
		t.Errorf("capacity = %q without throughput, want %q", capacity, tcoUnknown)
	}
}

func TestTCOSheetFormulasReferenceInputs(t *testing.T) {
	f, _ := writeTCOWorkbook(t, workedExampleSummary(t, 10_000_000))
	volume := tcoRowOf(t, f, "Documents per month")
	costDoc := tcoRowOf(t, f, "API cost per document")
	got, err := f.GetCellFormula(sheetTCO, fmt.Sprintf("B%d", tcoRowOf(t, f, "API cost per month")))
	if err != nil {
		t.Fatal(err)
	}
	if want := fmt.Sprintf("$B$%d*$B$%d", costDoc, volume); got != want {
		t.Errorf("API cost per month formula = %q, want %q", got, want)
	}
	inputFormula, _ := f.GetCellFormula(sheetTCO, fmt.Sprintf("B%d", volume))
	if inputFormula != "" {
		t.Errorf("volume input holds formula %q, want a plain value", inputFormula)
	}
}

func TestTCOSheetInputsMarkedEditable(t *testing.T) {
	f, _ := writeTCOWorkbook(t, workedExampleSummary(t, 500_000))
	comments, err := f.GetComments(sheetTCO)
	if err != nil {
		t.Fatal(err)
	}
	commented := map[string]bool{}
	for _, c := range comments {
		commented[c.Cell] = strings.Contains(c.Text, "edit me")
	}
	for _, label := range []string{"Documents per month", "Input tokens per document", "API price per million input tokens", "Server capex", "Target utilisation"} {
		row := tcoRowOf(t, f, label)
		cell := fmt.Sprintf("B%d", row)
		if !commented[cell] {
			t.Errorf("%s (%s) has no edit me comment", label, cell)
		}
		note, _ := f.GetCellValue(sheetTCO, fmt.Sprintf("C%d", row))
		if note != "edit me" {
			t.Errorf("%s: column C = %q, want edit me", label, note)
		}
		styleID, err := f.GetCellStyle(sheetTCO, cell)
		if err != nil {
			t.Fatal(err)
		}
		style, err := f.GetStyle(styleID)
		if err != nil {
			t.Fatal(err)
		}
		if len(style.Fill.Color) == 0 || style.Fill.Color[0] != "FFF2CC" {
			t.Errorf("%s fill = %v, want FFF2CC", label, style.Fill.Color)
		}
	}
	validations, err := f.GetDataValidations(sheetTCO)
	if err != nil {
		t.Fatal(err)
	}
	if len(validations) != 1 || !strings.Contains(validations[0].Sqref, fmt.Sprintf("B%d", tcoRowOf(t, f, "Documents per month"))) {
		t.Errorf("data validations = %+v, want one covering the volume", validations)
	}
}

func TestTCOSheetNumberFormats(t *testing.T) {
	f, _ := writeTCOWorkbook(t, workedExampleSummary(t, 500_000))
	cases := map[string]string{
		"API cost per document":         numFmtMoneyDoc,
		"API cost per month":            numFmtMoney,
		"Server capex":                  numFmtMoney,
		"Break-even documents per year": numFmtInteger,
		"Target utilisation":            numFmtPercent,
		"Input tokens per document":     numFmtTokens,
	}
	for label, format := range cases {
		styleID, err := f.GetCellStyle(sheetTCO, fmt.Sprintf("B%d", tcoRowOf(t, f, label)))
		if err != nil {
			t.Fatal(err)
		}
		style, err := f.GetStyle(styleID)
		if err != nil {
			t.Fatal(err)
		}
		if style.CustomNumFmt == nil || *style.CustomNumFmt != format {
			t.Errorf("%s number format = %v, want %s", label, style.CustomNumFmt, format)
		}
	}
	shown, _ := f.GetCellValue(sheetTCO, fmt.Sprintf("B%d", tcoRowOf(t, f, "API cost per document")))
	if shown != "$0.000450" {
		t.Errorf("API cost per document shows %q, want $0.000450", shown)
	}
}

// checkTCOFormulas evaluates every formula of the TCO sheet with
// excelize's engine and compares it with the cached value.
func checkTCOFormulas(t *testing.T, f *excelize.File) int {
	t.Helper()
	rows, err := f.GetRows(sheetTCO, excelize.Options{RawCellValue: true})
	if err != nil {
		t.Fatal(err)
	}
	count := 0
	for r, row := range rows {
		for c := range row {
			cell, _ := excelize.CoordinatesToCellName(c+1, r+1)
			formula, err := f.GetCellFormula(sheetTCO, cell)
			if err != nil || formula == "" {
				continue
			}
			count++
			cached, _ := f.GetCellValue(sheetTCO, cell, excelize.Options{RawCellValue: true})
			computed, err := f.CalcCellValue(sheetTCO, cell, excelize.Options{RawCellValue: true})
			if err != nil {
				t.Errorf("%s: %s: %v", cell, formula, err)
				continue
			}
			if !tcoSameValue(cached, computed) {
				t.Errorf("%s: %s computes %q, cached %q", cell, formula, computed, cached)
			}
		}
	}
	return count
}

func tcoSameValue(a, b string) bool {
	x, errX := strconv.ParseFloat(a, 64)
	y, errY := strconv.ParseFloat(b, 64)
	if errX == nil && errY == nil {
		return tcoClose(x, y)
	}
	return a == b
}

func TestTCOSheetFormulasMatchCache(t *testing.T) {
	cases := map[string]*results.Summary{
		"worked example 10M":   workedExampleSummary(t, 10_000_000),
		"worked example 500k":  workedExampleSummary(t, 500_000),
		"zero API cost":        tcoZeroPriceSummary(t),
		"no cost inputs":       {},
		"plan with throughput": tcoPlanSummary(t),
		"plan with fallbacks":  tcoMixedSummary(t),
	}
	for name, s := range cases {
		t.Run(name, func(t *testing.T) {
			f, _ := writeTCOWorkbook(t, s)
			if n := checkTCOFormulas(t, f); n < 40 {
				t.Errorf("%d formulas checked, want the outputs and the sensitivity table (40 or more)", n)
			}
		})
	}
}

// tcoMixedSummary is a plan where one category has no measured tokens and
// falls back to the given 2,000 and 500, with unequal given shares.
func tcoMixedSummary(t *testing.T) *results.Summary {
	t.Helper()
	s := tcoPlanSummary(t)
	s.Categories = append(s.Categories, results.CategoryScore{Category: "creative", Model: "m:q4_K_M"})
	in := s.Cost.Result.Inputs
	in.InputTokensPerDoc, in.OutputTokensPerDoc = 2000, 500
	in.CategoryShares = map[string]float64{"classification": 5, "reasoning": 3, "creative": 2}
	cost, _, err := results.PriceSummary(s, in, results.PriceOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if cost.Plan.Routes[0].Category != "classification" || cost.Plan.Routes[0].InputTokensPerDoc != 600 {
		t.Fatalf("routes = %+v, want classification first with its measured 600 tokens", cost.Plan.Routes)
	}
	s.Cost = cost
	return s
}

func tcoZeroPriceSummary(t *testing.T) *results.Summary {
	s := workedExampleSummary(t, 1000)
	in := s.Cost.Result.Inputs
	in.APIInputPrice, in.APIOutputPrice = 0, 0
	r, err := tco.Compute(in)
	if err != nil {
		t.Fatal(err)
	}
	s.Cost.Result = r
	return s
}

func TestTCOSheetPlan(t *testing.T) {
	s := tcoPlanSummary(t)
	f, _ := writeTCOWorkbook(t, s)
	header := tcoRowOf(t, f, "Category")
	for i, route := range s.Cost.Plan.Routes {
		row := header + 1 + i
		category, _ := f.GetCellValue(sheetTCO, fmt.Sprintf("A%d", row))
		recommendation, _ := f.GetCellValue(sheetTCO, fmt.Sprintf("K%d", row))
		if category != route.Category || recommendation != route.Recommendation {
			t.Errorf("row %d = %s %s, want %s %s", row, category, recommendation, route.Category, route.Recommendation)
		}
	}
	// classification: 8.4M a month at 600/100 tokens, above its break-even of
	// 7,636,364 and within one server's 8,760,000: local. reasoning fails its verdict.
	if got := s.Cost.Plan.Routes[0].Recommendation; got != tco.RouteLocal {
		t.Errorf("classification route = %s, want local", got)
	}
	hybrid := tcoRowOf(t, f, "Hybrid plan")
	if got := tcoCachedNumber(t, f, fmt.Sprintf("B%d", hybrid)); !tcoClose(got, s.Cost.Plan.HybridPerMonthYear1) {
		t.Errorf("hybrid year 1 = %v, want %v", got, s.Cost.Plan.HybridPerMonthYear1)
	}
	tokens, _ := f.GetCellFormula(sheetTCO, fmt.Sprintf("B%d", tcoRowOf(t, f, "Input tokens per document")))
	if !strings.HasPrefix(tokens, "SUMPRODUCT(") {
		t.Errorf("input tokens formula = %q, want the share-weighted mean", tokens)
	}
}

func TestTCOSheetChart(t *testing.T) {
	_, data := writeTCOWorkbook(t, workedExampleSummary(t, 500_000))
	archive, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	var chart string
	for _, file := range archive.File {
		if strings.HasPrefix(file.Name, "xl/charts/chart") {
			rc, err := file.Open()
			if err != nil {
				t.Fatal(err)
			}
			b, _ := io.ReadAll(rc)
			rc.Close()
			chart = string(b)
		}
	}
	if chart == "" {
		t.Fatal("no chart in the workbook")
	}
	f, _ := writeTCOWorkbook(t, workedExampleSummary(t, 500_000))
	breakEven := tcoRowOf(t, f, "Break-even point")
	for _, want := range []string{"scatterChart", fmt.Sprintf("<f>TCO!$A$%d</f>", breakEven), "TCO!$C$", "TCO!$E$"} {
		if !strings.Contains(chart, want) {
			t.Errorf("chart XML lacks %q:\n%.600s", want, chart)
		}
	}
}

func TestTCOSheetReplacesEmptySheet(t *testing.T) {
	f := excelize.NewFile()
	defer f.Close()
	if _, err := f.NewSheet(sheetTCO); err != nil {
		t.Fatal(err)
	}
	if err := WriteTCOSheet(f, workedExampleSummary(t, 500_000)); err != nil {
		t.Fatal(err)
	}
	if got := len(f.GetSheetList()); got != 2 {
		t.Errorf("%d sheets, want Sheet1 and TCO", got)
	}
}

// TestTCOSheetRecomputesInLibreOffice changes the volume cell, has LibreOffice
// recalculate and export the sheet as CSV, and compares its outputs with the
// cost model at the new volume.
func TestTCOSheetRecomputesInLibreOffice(t *testing.T) {
	soffice, err := exec.LookPath("soffice")
	if err != nil {
		t.Skip("LibreOffice (soffice) not installed: install libreoffice-calc-nogui to run this check")
	}
	cases := map[string]*results.Summary{"worked example": workedExampleSummary(t, 500_000), "plan": tcoPlanSummary(t)}
	for name, s := range cases {
		t.Run(name, func(t *testing.T) {
			const volume = 10_000_000.0
			f, _ := writeTCOWorkbook(t, s)
			if err := f.SetCellValue(sheetTCO, fmt.Sprintf("B%d", tcoRowOf(t, f, "Documents per month")), volume); err != nil {
				t.Fatal(err)
			}
			dir := t.TempDir()
			path := filepath.Join(dir, "tco.xlsx")
			if err := f.SaveAs(path); err != nil {
				t.Fatal(err)
			}
			rows := tcoLibreOfficeCSV(t, soffice, path)

			in := s.Cost.Result.Inputs
			in.VolumePerMonth = volume
			want, err := tco.Compute(in)
			if err != nil {
				t.Fatal(err)
			}
			checks := map[string]float64{
				"API cost per month":             want.APICostPerMonth,
				"API cost per year":              want.APICostPerYear,
				"Servers needed":                 float64(want.Servers),
				"Local cost in year 1":           want.LocalCostYear1,
				"Savings in year 2":              want.SavingsYear2,
				"Break-even documents per month": *want.BreakEvenDocsPerMonth,
			}
			for label, value := range checks {
				got, ok := rows[label]
				if !ok {
					t.Errorf("LibreOffice output lacks %q", label)
					continue
				}
				if x, err := strconv.ParseFloat(got, 64); err != nil || !tcoClose(x, value) {
					t.Errorf("%s = %q after recalculation, want %v", label, got, value)
				}
			}
		})
	}
}

// tcoLibreOfficeCSV converts the TCO sheet of path to CSV with LibreOffice,
// recalculating every formula on load, and maps column A to column B.
func tcoLibreOfficeCSV(t *testing.T, soffice, path string) map[string]string {
	t.Helper()
	dir := filepath.Dir(path)
	profile := filepath.Join(dir, "profile")
	// OOXMLRecalcMode 0 recalculates .xlsx files on load; LibreOffice's
	// default keeps the cached values, which the test must not see.
	settings := `<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="OOXMLRecalcMode" oor:op="fuse"><value>0</value></prop></item>
</oor:items>`
	if err := os.MkdirAll(filepath.Join(profile, "user"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(profile, "user", "registrymodifications.xcu"), []byte(settings), 0o644); err != nil {
		t.Fatal(err)
	}
	// Filter options: comma, double quote, UTF-8, from line 1, raw values
	// (not as shown), every sheet to its own file.
	cmd := exec.Command(soffice, "-env:UserInstallation=file://"+profile, "--headless",
		"--convert-to", "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1",
		"--outdir", dir, path)
	done := make(chan struct{})
	var output []byte
	var runErr error
	go func() { output, runErr = cmd.CombinedOutput(); close(done) }()
	select {
	case <-done:
	case <-time.After(2 * time.Minute):
		_ = cmd.Process.Kill()
		t.Fatal("LibreOffice conversion timed out after 2 minutes")
	}
	if runErr != nil {
		t.Fatalf("soffice: %v\n%s", runErr, output)
	}
	data, err := os.ReadFile(filepath.Join(dir, "tco-"+sheetTCO+".csv"))
	if err != nil {
		t.Fatalf("LibreOffice wrote no TCO sheet: %v\n%s", err, output)
	}
	reader := csv.NewReader(bytes.NewReader(data))
	reader.FieldsPerRecord = -1
	records, err := reader.ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	rows := map[string]string{}
	for _, record := range records {
		if len(record) > 1 {
			rows[record[0]] = record[1]
		}
	}
	return rows
}

func TestTCOSheetRecomputesStoredResult(t *testing.T) {
	s := workedExampleSummary(t, 10_000_000)
	s.Cost.Result.LocalCostYear1 = 1 // a stale or hand-edited summary
	f, _ := writeTCOWorkbook(t, s)
	cell := fmt.Sprintf("B%d", tcoRowOf(t, f, "Local cost in year 1"))
	if got := tcoCachedNumber(t, f, cell); got != 33200 {
		t.Errorf("local cost in year 1 = %v, want 33200 recomputed from the inputs", got)
	}
	checkTCOFormulas(t, f)
}
