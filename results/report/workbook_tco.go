package report

import (
	"fmt"
	"strings"

	"github.com/xuri/excelize/v2"

	"github.com/quantbench/quantbench/results"
	"github.com/quantbench/quantbench/results/tco"
)

// The TCO sheet is the cost model as live formulas. Inputs are yellow cells
// marked "edit me". Every output is a formula over them, written with its
// cached value so that readers which do not recalculate still show numbers.
//
// The sheet is written with excelize's StreamWriter, because in excelize
// v2.11 only it stores a formula together with a numeric cached value:
// SetCellFormula marks the cached value as a string, and SetCellValue drops
// the formula. The chart, comments and data validation are added before
// streaming, since the stream writer copies them from the worksheet it
// starts from.

const (
	tcoSensitivityPoints = 13  // volumes 0, step, ..., 12 × step
	tcoSensitivitySpan   = 1.5 // the table reaches 1.5 × max(volume, break-even)
	tcoUndefined         = "undefined"
	tcoUnknown           = "unknown"
	numFmtTokens         = "#,##0.0"
	numFmtPrice          = `"$"#,##0.00##`
)

// tcoNoPayback is the payback cell's text when no month within the horizon pays back.
var tcoNoPayback = fmt.Sprintf("none within %d months", tco.PaybackHorizonMonths)

// WriteTCOSheet adds the TCO sheet to f for the summary s, or fills the
// workbook's empty TCO sheet. The sheet holds the cost model's inputs, its
// outputs as formulas, the routing plan per category when the run priced
// one, a volume sensitivity table and a chart of cost against volume with
// the break-even point. Without s.Cost the inputs are 0, ready to fill in.
//
// The sheet is streamed, so excelize saves the streamed rows: later changes
// to the TCO sheet through excelize's cell, style or chart functions are lost.
func WriteTCOSheet(f *excelize.File, s *results.Summary) error {
	layout, err := buildTCOLayout(s)
	if err != nil {
		return err
	}
	index, err := f.GetSheetIndex(sheetTCO)
	if err != nil {
		return err
	}
	if index < 0 {
		if _, err := f.NewSheet(sheetTCO); err != nil {
			return err
		}
	}
	st, err := newTCOStyles(f)
	if err != nil {
		return fmt.Errorf("TCO styles: %w", err)
	}
	if err := addTCODecorations(f, layout); err != nil {
		return err
	}
	return streamTCORows(f, layout, st)
}

// tcoCell is one cell of the layout. A formula uses {name} placeholders for
// the cells named in tcoLayout.refs; value is its cached result.
type tcoCell struct {
	value   any
	formula string
	style   tcoStyle
}

type tcoRow struct {
	number int
	cells  []tcoCell // from column A
}

// tcoLayout is the sheet before it is written: rows in ascending order and
// the absolute reference of every named cell or range.
type tcoLayout struct {
	rows   []tcoRow
	refs   map[string]string
	inputs []string // cells the user may edit
	next   int

	// Rows of the sensitivity table and of the break-even point, for the chart.
	sensitivityFirst, sensitivityLast, breakEvenRow int
}

func (l *tcoLayout) add(cells ...tcoCell) int {
	n := l.next
	l.rows = append(l.rows, tcoRow{number: n, cells: cells})
	l.next++
	return n
}

func (l *tcoLayout) blank() { l.next++ }

// name records the absolute reference of column col in row n.
func (l *tcoLayout) name(name, col string, n int) {
	l.refs[name] = fmt.Sprintf("$%s$%d", col, n)
}

// tcoStyle names a cell style; newTCOStyles maps each to an excelize style id.
type tcoStyle int

const (
	tcoStyleNone tcoStyle = iota
	tcoStyleTitle
	tcoStyleSection
	tcoStyleHeader
	tcoStyleNote
	tcoStyleEditMe
	tcoStyleInputCount
	tcoStyleInputTokens
	tcoStyleInputPrice
	tcoStyleInputMoney
	tcoStyleInputPercent
	tcoStyleInputText
	tcoStyleMoney
	tcoStyleMoneyDoc
	tcoStyleCount
	tcoStyleTokens
	tcoStylePercent
	tcoStyleText
)

func tcoText(v string) tcoCell                       { return tcoCell{value: v, style: tcoStyleText} }
func tcoStyled(v any, style tcoStyle) tcoCell        { return tcoCell{value: v, style: style} }
func tcoFormula(f string, v any, s tcoStyle) tcoCell { return tcoCell{formula: f, value: v, style: s} }

// tcoModel is what the sheet shows: the inputs, their result and the plan.
type tcoModel struct {
	result tco.Result
	plan   *tco.Plan
	note   string
}

// newTCOModel prices the summary's cost inputs again, so that every cached
// value is exactly what the sheet's formulas compute, whatever wrote s.Cost.
// With a plan, the tokens per document are the share-weighted mean of the
// routes' tokens, as in the sheet.
func newTCOModel(s *results.Summary) (tcoModel, error) {
	if s == nil || s.Cost == nil {
		result, err := tco.Compute(tco.Inputs{})
		return tcoModel{result: result, note: "This run has no cost inputs: fill in the yellow cells, or add a tco section to the suite and run quantbench report again."}, err
	}
	m := tcoModel{note: fmt.Sprintf("Priced model: %s. Tokens per document: %s. Documents per hour: %s.",
		s.Cost.Variant, s.Cost.TokensSource, s.Cost.ThroughputSource)}
	in := s.Cost.Result.Inputs
	if s.Cost.Plan != nil && len(s.Cost.Plan.Routes) > 0 {
		loads := make([]tco.CategoryLoad, len(s.Cost.Plan.Routes))
		for i, r := range s.Cost.Plan.Routes {
			loads[i] = tco.CategoryLoad{Category: r.Category, Share: r.Share, Verdict: r.Verdict,
				InputTokensPerDoc: r.InputTokensPerDoc, OutputTokensPerDoc: r.OutputTokensPerDoc}
		}
		plan, err := tco.PlanRoutes(in, loads)
		if err != nil {
			return tcoModel{}, fmt.Errorf("TCO sheet: %w", err)
		}
		in.InputTokensPerDoc, in.OutputTokensPerDoc = 0, 0
		for i, r := range plan.Routes {
			in.InputTokensPerDoc += r.Share * loads[i].InputTokensPerDoc
			in.OutputTokensPerDoc += r.Share * loads[i].OutputTokensPerDoc
		}
		m.plan = &plan
	}
	result, err := tco.Compute(in)
	if err != nil {
		return tcoModel{}, fmt.Errorf("TCO sheet: %w", err)
	}
	m.result = result
	return m, nil
}

func buildTCOLayout(s *results.Summary) (*tcoLayout, error) {
	m, err := newTCOModel(s)
	if err != nil {
		return nil, err
	}
	l := &tcoLayout{refs: map[string]string{}, next: 1}
	l.add(tcoStyled("Total cost of ownership: API against a local server", tcoStyleTitle))
	l.add(tcoStyled("Yellow cells are inputs: edit them and every output recomputes. Money is in US dollars; a month is 730 hours.", tcoStyleNote))
	l.add(tcoStyled(m.note, tcoStyleNote))
	l.blank()

	l.addInputs(m)
	l.blank()
	if err := l.addOutputs(m); err != nil {
		return nil, err
	}
	if m.plan != nil {
		l.blank()
		l.addPlan(m)
	}
	l.blank()
	if err := l.addSensitivity(m); err != nil {
		return nil, err
	}
	return l, l.resolve()
}

// addInputs writes the editable inputs. With a plan, tokens per document are
// formulas over the category table, whose shares and tokens are the inputs.
func (l *tcoLayout) addInputs(m tcoModel) {
	in := m.result.Inputs
	l.add(tcoStyled("Inputs", tcoStyleSection), tcoStyled("Value", tcoStyleSection), tcoStyled("", tcoStyleSection), tcoStyled("Meaning", tcoStyleSection))
	input := func(name, label string, value any, style tcoStyle, meaning string) {
		n := l.add(tcoText(label), tcoStyled(value, style), tcoStyled("edit me", tcoStyleEditMe), tcoStyled(meaning, tcoStyleNote))
		l.name(name, "B", n)
		l.inputs = append(l.inputs, fmt.Sprintf("B%d", n))
	}
	input("volume", "Documents per month", in.VolumePerMonth, tcoStyleInputCount, "Monthly volume of the workload.")
	if m.plan != nil {
		n := l.add(tcoText("Input tokens per document"), tcoFormula("SUMPRODUCT({shares},{cat_in})/SUM({shares})", in.InputTokensPerDoc, tcoStyleTokens), tcoStyled("", tcoStyleNone), tcoStyled("Share-weighted mean of the category table below.", tcoStyleNote))
		l.name("in_tokens", "B", n)
		n = l.add(tcoText("Output tokens per document"), tcoFormula("SUMPRODUCT({shares},{cat_out})/SUM({shares})", in.OutputTokensPerDoc, tcoStyleTokens), tcoStyled("", tcoStyleNone), tcoStyled("Share-weighted mean of the category table below.", tcoStyleNote))
		l.name("out_tokens", "B", n)
	} else {
		input("in_tokens", "Input tokens per document", in.InputTokensPerDoc, tcoStyleInputTokens, "Prompt tokens per document.")
		input("out_tokens", "Output tokens per document", in.OutputTokensPerDoc, tcoStyleInputTokens, "Generated tokens per document.")
	}
	input("in_price", "API price per million input tokens", in.APIInputPrice, tcoStyleInputPrice, tcoPresetMeaning(in))
	input("out_price", "API price per million output tokens", in.APIOutputPrice, tcoStyleInputPrice, "List prices change: check the provider's pricing page.")
	input("capex", "Server capex", in.Capex, tcoStyleInputMoney, "Purchase price of one server.")
	input("power", "Power and rack per server per month", in.PowerRackMonth, tcoStyleInputMoney, "")
	input("maint", "Maintenance and monitoring per server per month", in.MaintenanceMonth, tcoStyleInputMoney, "")
	input("eng", "One-time engineering", in.Engineering, tcoStyleInputMoney, "Paid once, whatever the number of servers.")
	input("dph", "Documents per hour per server", in.DocsPerHourPerServer, tcoStyleInputCount, "Measured throughput; 0 means unknown.")
	input("util", "Target utilisation", in.Utilisation, tcoStyleInputPercent, "Share of a server's hours it is busy.")
	input("hours", "Hours per month", tco.HoursPerMonth, tcoStyleInputCount, "8,760 hours a year / 12.")
}

func tcoPresetMeaning(in tco.Inputs) string {
	if in.Preset == "" {
		return "US dollars per million tokens."
	}
	return "From preset " + in.Preset + "."
}

// addOutputs writes the model's outputs as formulas, in the order of tco.Compute.
func (l *tcoLayout) addOutputs(m tcoModel) error {
	r := m.result
	l.add(tcoStyled("Outputs", tcoStyleSection), tcoStyled("Value", tcoStyleSection), tcoStyled("", tcoStyleSection), tcoStyled("Formula", tcoStyleSection))
	output := func(name, label, f string, value any, style tcoStyle, meaning string) {
		n := l.add(tcoText(label), tcoFormula(f, value, style), tcoStyled("", tcoStyleNone), tcoStyled(meaning, tcoStyleNote))
		l.name(name, "B", n)
	}
	capacity := any(tcoUnknown)
	if r.CapacityDocsPerMonth != nil {
		capacity = *r.CapacityDocsPerMonth
	}
	output("cost_doc", "API cost per document", "({in_tokens}*{in_price}+{out_tokens}*{out_price})/1000000", r.APICostPerDoc, tcoStyleMoneyDoc, "(input tokens × input price + output tokens × output price) / 1,000,000")
	output("api_month", "API cost per month", "{cost_doc}*{volume}", r.APICostPerMonth, tcoStyleMoney, "cost per document × documents per month")
	output("api_year", "API cost per year", "12*{api_month}", r.APICostPerYear, tcoStyleMoney, "12 × cost per month")
	output("capacity", "Capacity per server (documents per month)", `IF({dph}>0,{dph}*{hours}*{util},"`+tcoUnknown+`")`, capacity, tcoStyleCount, "documents per hour × hours per month × utilisation")
	output("servers", "Servers needed", "IF(ISNUMBER({capacity}),MAX(1,ROUNDUP({volume}/{capacity},0)),1)", r.Servers, tcoStyleCount, "ceil(volume / capacity), at least 1; 1 when the capacity is unknown")
	output("opex", "Local opex per month", "{servers}*({power}+{maint})", r.LocalOpexPerMonth, tcoStyleMoney, "servers × (power and rack + maintenance)")
	output("local_y1", "Local cost in year 1", "{servers}*{capex}+{eng}+12*{opex}", r.LocalCostYear1, tcoStyleMoney, "servers × capex + engineering + 12 × opex")
	output("local_y2", "Local cost in each later year", "12*{opex}", r.LocalCostYear2, tcoStyleMoney, "12 × opex")
	output("save_y1", "Savings in year 1", "{api_year}-{local_y1}", r.SavingsYear1, tcoStyleMoney, "API cost per year − local cost in year 1")
	output("save_y2", "Savings in year 2", "{api_year}-{local_y2}", r.SavingsYear2, tcoStyleMoney, "API cost per year − local cost in year 2")

	serverYear := "({capex}+12*({power}+{maint}))"
	output("be_year", "Break-even documents per year", `IF({cost_doc}>0,`+serverYear+`/{cost_doc},"`+tcoUndefined+`")`, tcoOrText(r.BreakEvenDocsPerYear, tcoUndefined), tcoStyleCount, "(capex + 12 months of opex) / API cost per document, one server")
	output("be_month", "Break-even documents per month", `IF({cost_doc}>0,{be_year}/12,"`+tcoUndefined+`")`, tcoOrText(r.BreakEvenDocsPerMonth, tcoUndefined), tcoStyleCount, "break-even per year / 12")
	output("bee_year", "Break-even with engineering, per year", `IF({cost_doc}>0,(`+serverYear+`+{eng})/{cost_doc},"`+tcoUndefined+`")`, tcoOrText(r.BreakEvenWithEngineeringDocsPerYear, tcoUndefined), tcoStyleCount, "(capex + 12 months of opex + engineering) / API cost per document")
	output("bee_month", "Break-even with engineering, per month", `IF({cost_doc}>0,{bee_year}/12,"`+tcoUndefined+`")`, tcoOrText(r.BreakEvenWithEngineeringDocsPerMonth, tcoUndefined), tcoStyleCount, "break-even with engineering per year / 12")
	output("be_fits", "Break-even within one server's capacity", `IF(OR({cost_doc}<=0,NOT(ISNUMBER({capacity}))),"`+tcoUnknown+`",IF({be_month}>{capacity},"no: year 1 never breaks even","yes"))`, tcoBreakEvenFits(r), tcoStyleText, "when no, every server costs more in its first year than the API for the documents it can process")

	upfront := "({servers}*{capex}+{eng})"
	ratio := "MAX(1,ROUNDUP(" + upfront + "/({api_month}-{opex}),0))"
	payback := fmt.Sprintf(`IF({api_month}-{opex}>0,IF(%s<=%d,%s,"%s"),IF(AND({api_month}-{opex}=0,%s=0),1,"%s"))`,
		ratio, tco.PaybackHorizonMonths, ratio, tcoNoPayback, upfront, tcoNoPayback)
	var paybackValue any = tcoNoPayback
	if r.PaybackMonth != nil {
		paybackValue = *r.PaybackMonth
	}
	output("payback", "Payback month at this volume", payback, paybackValue, tcoStyleCount, "first month in which the cumulative API cost reaches the cumulative local cost")
	return nil
}

func tcoOrText(v *float64, fallback string) any {
	if v == nil {
		return fallback
	}
	return *v
}

func tcoBreakEvenFits(r tco.Result) string {
	switch {
	case r.BreakEvenDocsPerMonth == nil || r.CapacityDocsPerMonth == nil:
		return tcoUnknown
	case r.BreakEvenAboveCapacity:
		return "no: year 1 never breaks even"
	}
	return "yes"
}

// addSensitivity writes yearly API and local costs over a range of volumes,
// and the break-even point the chart marks.
func (l *tcoLayout) addSensitivity(m tcoModel) error {
	in := m.result.Inputs
	l.add(tcoStyled("Volume sensitivity", tcoStyleSection))
	reach := in.VolumePerMonth
	if be := m.result.BreakEvenDocsPerMonth; be != nil {
		reach = max(reach, *be)
	}
	step := max(1, reach*tcoSensitivitySpan/float64(tcoSensitivityPoints-1))
	n := l.add(tcoText("Volume step (documents per month)"),
		tcoFormula(fmt.Sprintf(`MAX(1,MAX({volume},IF(ISNUMBER({be_month}),{be_month},0))*%g/%d)`, tcoSensitivitySpan, tcoSensitivityPoints-1), step, tcoStyleCount),
		tcoStyled("", tcoStyleNone), tcoStyled("Spans 1.5 × the larger of the volume and the break-even volume.", tcoStyleNote))
	l.name("step", "B", n)

	l.add(tcoStyled("Documents per month", tcoStyleHeader), tcoStyled("Servers", tcoStyleHeader), tcoStyled("API cost per year", tcoStyleHeader),
		tcoStyled("Local, year 1 without engineering", tcoStyleHeader), tcoStyled("Local, year 1", tcoStyleHeader), tcoStyled("Local, each later year", tcoStyleHeader))
	for i := 0; i < tcoSensitivityPoints; i++ {
		point := in
		point.VolumePerMonth = float64(i) * step
		r, err := tco.Compute(point)
		if err != nil {
			return fmt.Errorf("sensitivity at %s documents a month: %w", tco.FormatCount(point.VolumePerMonth), err)
		}
		row := l.next
		l.add(
			tcoFormula(fmt.Sprintf("%d*{step}", i), point.VolumePerMonth, tcoStyleCount),
			tcoFormula(fmt.Sprintf("IF(ISNUMBER({capacity}),MAX(1,ROUNDUP(A%d/{capacity},0)),1)", row), r.Servers, tcoStyleCount),
			tcoFormula(fmt.Sprintf("12*A%d*{cost_doc}", row), r.APICostPerYear, tcoStyleMoney),
			tcoFormula(fmt.Sprintf("B%d*({capex}+12*({power}+{maint}))", row), float64(r.Servers)*tco.ServerCostFirstYear(in), tcoStyleMoney),
			tcoFormula(fmt.Sprintf("D%d+{eng}", row), r.LocalCostYear1, tcoStyleMoney),
			tcoFormula(fmt.Sprintf("12*B%d*({power}+{maint})", row), r.LocalCostYear2, tcoStyleMoney),
		)
		if i == 0 {
			l.sensitivityFirst = row
		}
		l.sensitivityLast = row
	}

	var x, y any = tcoUndefined, tcoUndefined
	if be := m.result.BreakEvenDocsPerMonth; be != nil {
		x, y = *be, 12**be*m.result.APICostPerDoc
	}
	l.breakEvenRow = l.add(tcoText("Break-even point"), tcoFormula("{be_month}", x, tcoStyleCount),
		tcoFormula(`IF(ISNUMBER({be_month}),12*{be_month}*{cost_doc},"`+tcoUndefined+`")`, y, tcoStyleMoney),
		tcoStyled("Documents per month and API cost per year where the API costs as much as one server's first year without engineering.", tcoStyleNote))
	return nil
}

// addPlan writes the routing plan: per category, its share and tokens
// (inputs), its volume, API cost and break-even, and the recommended route,
// then the blended monthly costs.
func (l *tcoLayout) addPlan(m tcoModel) {
	l.add(tcoStyled("Routing plan per category", tcoStyleSection))
	l.add(tcoStyled("A category goes local when its verdict is PASS, its one-server break-even fits one server's capacity, and its volume is above the break-even of the servers it needs.", tcoStyleNote))
	l.add(tcoStyled("Category", tcoStyleHeader), tcoStyled("Share", tcoStyleHeader), tcoStyled("Input tokens", tcoStyleHeader), tcoStyled("Output tokens", tcoStyleHeader),
		tcoStyled("Verdict", tcoStyleHeader), tcoStyled("Documents per month", tcoStyleHeader), tcoStyled("API cost per document", tcoStyleHeader),
		tcoStyled("API cost per month", tcoStyleHeader), tcoStyled("Break-even per month, one server", tcoStyleHeader), tcoStyled("Servers", tcoStyleHeader),
		tcoStyled("Route", tcoStyleHeader), tcoStyled("Reason", tcoStyleHeader))
	first := l.next
	for _, route := range m.plan.Routes {
		n := l.next
		l.add(
			tcoText(route.Category),
			tcoStyled(route.Share, tcoStyleInputPercent),
			tcoStyled(route.InputTokensPerDoc, tcoStyleInputTokens),
			tcoStyled(route.OutputTokensPerDoc, tcoStyleInputTokens),
			tcoStyled(route.Verdict, tcoStyleInputText),
			tcoFormula(fmt.Sprintf("{volume}*B%d/SUM({shares})", n), route.VolumePerMonth, tcoStyleCount),
			tcoFormula(fmt.Sprintf("(C%d*{in_price}+D%d*{out_price})/1000000", n, n), route.APICostPerDoc, tcoStyleMoneyDoc),
			tcoFormula(fmt.Sprintf("F%d*G%d", n, n), route.APICostPerMonth, tcoStyleMoney),
			tcoFormula(fmt.Sprintf(`IF(G%d>0,({capex}+12*({power}+{maint}))/G%d/12,"%s")`, n, n, tcoUndefined), tcoOrText(route.BreakEvenDocsPerMonth, tcoUndefined), tcoStyleCount),
			tcoFormula(fmt.Sprintf("IF(ISNUMBER({capacity}),MAX(1,ROUNDUP(F%d/{capacity},0)),1)", n), route.Servers, tcoStyleCount),
			tcoFormula(fmt.Sprintf(`IF(AND(E%d="%s",ISNUMBER(I%d),OR(NOT(ISNUMBER({capacity})),I%d<={capacity}),F%d>J%d*I%d),"%s","%s")`,
				n, tco.VerdictPass, n, n, n, n, n, tco.RouteLocal, tco.RouteAPI), route.Recommendation, tcoStyleText),
			tcoStyled(route.Reason, tcoStyleNote),
		)
		for _, col := range []string{"B", "C", "D", "E"} {
			l.inputs = append(l.inputs, fmt.Sprintf("%s%d", col, n))
		}
	}
	last := l.next - 1
	column := func(col string) string { return fmt.Sprintf("$%s$%d:$%s$%d", col, first, col, last) }
	l.refs["shares"], l.refs["cat_in"], l.refs["cat_out"] = column("B"), column("C"), column("D")
	l.refs["cat_vol"], l.refs["cat_api"], l.refs["cat_route"] = column("F"), column("H"), column("K")
	l.addPlanTotals(m.plan)
}

func (l *tcoLayout) addPlanTotals(plan *tco.Plan) {
	l.blank()
	total := func(name, label, f string, value any, style tcoStyle) {
		n := l.add(tcoText(label), tcoFormula(f, value, style))
		l.name(name, "B", n)
	}
	apiPart := `SUMIF({cat_route},"` + tco.RouteAPI + `",{cat_api})`
	total("plan_local_vol", "Local documents per month", `SUMIF({cat_route},"`+tco.RouteLocal+`",{cat_vol})`, plan.LocalVolumePerMonth, tcoStyleCount)
	total("plan_servers", "Local servers for the plan", "IF({plan_local_vol}>0,IF(ISNUMBER({capacity}),MAX(1,ROUNDUP({plan_local_vol}/{capacity},0)),1),0)", plan.LocalServers, tcoStyleCount)
	l.add(tcoStyled("Monthly cost", tcoStyleHeader), tcoStyled("Year 1", tcoStyleHeader), tcoStyled("Year 2 on", tcoStyleHeader))
	l.add(tcoText("All API"), tcoFormula("SUM({cat_api})", plan.AllAPIPerMonth, tcoStyleMoney), tcoFormula("SUM({cat_api})", plan.AllAPIPerMonth, tcoStyleMoney))
	l.add(tcoText("All local"), tcoFormula("{local_y1}/12", plan.AllLocalPerMonthYear1, tcoStyleMoney), tcoFormula("{local_y2}/12", plan.AllLocalPerMonthYear2, tcoStyleMoney))
	l.add(tcoText("Hybrid plan"),
		tcoFormula(apiPart+"+IF({plan_servers}>0,({plan_servers}*{capex}+{eng}+12*{plan_servers}*({power}+{maint}))/12,0)", plan.HybridPerMonthYear1, tcoStyleMoney),
		tcoFormula(apiPart+"+{plan_servers}*({power}+{maint})", plan.HybridPerMonthYear2, tcoStyleMoney))
}

// resolve replaces every {name} placeholder with its reference and fails
// on a name the layout never defined.
func (l *tcoLayout) resolve() error {
	pairs := make([]string, 0, 2*len(l.refs))
	for name, ref := range l.refs {
		pairs = append(pairs, "{"+name+"}", ref)
	}
	replacer := strings.NewReplacer(pairs...)
	for i := range l.rows {
		for j := range l.rows[i].cells {
			c := &l.rows[i].cells[j]
			if c.formula == "" {
				continue
			}
			c.formula = replacer.Replace(c.formula)
			if strings.ContainsAny(c.formula, "{}") {
				return fmt.Errorf("TCO sheet: unresolved name in formula %s", c.formula)
			}
		}
	}
	return nil
}

// addTCODecorations adds the chart, the "edit me" comments and the input
// validation to the TCO sheet before it is streamed. The chart sits right of
// the sensitivity table, the last block of the sheet, so it covers no cells.
func addTCODecorations(f *excelize.File, l *tcoLayout) error {
	if err := addCostChart(f, sheetTCO, fmt.Sprintf("H%d", l.sensitivityFirst-2), l); err != nil {
		return fmt.Errorf("TCO chart: %w", err)
	}
	for _, cell := range l.inputs {
		if err := f.AddComment(sheetTCO, excelize.Comment{Cell: cell, Author: "quantbench", Text: "edit me: the outputs recompute from this cell"}); err != nil {
			return err
		}
	}
	validation := excelize.NewDataValidation(true)
	validation.Sqref = strings.Join(tcoNumericInputs(l), " ")
	validation.SetError(excelize.DataValidationErrorStyleStop, "Invalid input", "Give a number of 0 or more.")
	if err := validation.SetRange(0, 1e15, excelize.DataValidationTypeDecimal, excelize.DataValidationOperatorBetween); err != nil {
		return err
	}
	return f.AddDataValidation(sheetTCO, validation)
}

// tcoNumericInputs returns the input cells that hold numbers (all but verdicts).
func tcoNumericInputs(l *tcoLayout) []string {
	var cells []string
	for _, cell := range l.inputs {
		if !strings.HasPrefix(cell, "E") {
			cells = append(cells, cell)
		}
	}
	return cells
}

// AddCostChart draws the TCO sheet's cost-against-volume chart, with the
// break-even point, at cell of another sheet such as "Charts". The TCO sheet
// must be written by WriteTCOSheet for the same summary s.
func AddCostChart(f *excelize.File, s *results.Summary, sheet, cell string) error {
	layout, err := buildTCOLayout(s)
	if err != nil {
		return err
	}
	return addCostChart(f, sheet, cell, layout)
}

// addCostChart draws the chart of the sensitivity table in layout l.
func addCostChart(f *excelize.File, sheet, cell string, l *tcoLayout) error {
	column := func(col string) string {
		return fmt.Sprintf("%s!$%s$%d:$%s$%d", sheetTCO, col, l.sensitivityFirst, col, l.sensitivityLast)
	}
	// A series name is a cell reference: excelize writes it as a formula.
	header := func(col string) string { return fmt.Sprintf("%s!$%s$%d", sheetTCO, col, l.sensitivityFirst-1) }
	line := func(col string) excelize.ChartSeries {
		return excelize.ChartSeries{
			Name: header(col), Categories: column("A"), Values: column(col),
			Line:   excelize.LineOptions{Type: excelize.LineSolid, Width: 2},
			Marker: excelize.ChartMarker{Symbol: "none"},
		}
	}
	series := []excelize.ChartSeries{
		line("C"),
		line("D"),
		line("E"),
		line("F"),
		{
			Name:       fmt.Sprintf("%s!$A$%d", sheetTCO, l.breakEvenRow),
			Categories: fmt.Sprintf("%s!$B$%d", sheetTCO, l.breakEvenRow),
			Values:     fmt.Sprintf("%s!$C$%d", sheetTCO, l.breakEvenRow),
			Line:       excelize.LineOptions{Type: excelize.LineNone},
			Marker:     excelize.ChartMarker{Symbol: "diamond", Size: 10},
		},
	}
	return f.AddChart(sheet, cell, &excelize.Chart{
		Type:      excelize.Scatter,
		Series:    series,
		Dimension: excelize.ChartDimension{Width: 720, Height: 400},
		Title:     excelize.ChartTitle{Paragraph: []excelize.RichTextRun{{Text: "Cost per year against documents per month"}}},
		Legend:    excelize.ChartLegend{Position: "bottom"},
		XAxis: excelize.ChartAxis{
			Title:          excelize.ChartTitle{Paragraph: []excelize.RichTextRun{{Text: "Documents per month"}}},
			NumFmt:         excelize.ChartNumFmt{CustomNumFmt: "#,##0"},
			MajorGridLines: true,
		},
		YAxis: excelize.ChartAxis{
			Title:          excelize.ChartTitle{Paragraph: []excelize.RichTextRun{{Text: "US dollars per year"}}},
			NumFmt:         excelize.ChartNumFmt{CustomNumFmt: `"$"#,##0`},
			MajorGridLines: true,
		},
	})
}

// tcoStyles maps tcoStyle to excelize style ids.
type tcoStyles map[tcoStyle]int

func newTCOStyles(f *excelize.File) (tcoStyles, error) {
	yellow := excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"FFF2CC"}}
	border := []excelize.Border{
		{Type: "left", Color: "BF8F00", Style: 1}, {Type: "right", Color: "BF8F00", Style: 1},
		{Type: "top", Color: "BF8F00", Style: 1}, {Type: "bottom", Color: "BF8F00", Style: 1},
	}
	input := func(format string) *excelize.Style {
		return &excelize.Style{Fill: yellow, Border: border, CustomNumFmt: &format}
	}
	output := func(format string) *excelize.Style { return &excelize.Style{CustomNumFmt: &format} }
	definitions := map[tcoStyle]*excelize.Style{
		tcoStyleTitle:        {Font: &excelize.Font{Bold: true, Size: 13}},
		tcoStyleSection:      {Font: &excelize.Font{Bold: true}, Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"D9E1F2"}}},
		tcoStyleHeader:       {Font: &excelize.Font{Bold: true}, Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"D9E1F2"}}, Alignment: &excelize.Alignment{WrapText: true, Vertical: "top"}},
		tcoStyleNote:         {Font: &excelize.Font{Italic: true, Color: "595959"}},
		tcoStyleEditMe:       {Font: &excelize.Font{Italic: true, Color: "BF8F00"}},
		tcoStyleInputCount:   input(numFmtInteger),
		tcoStyleInputTokens:  input(numFmtTokens),
		tcoStyleInputPrice:   input(numFmtPrice),
		tcoStyleInputMoney:   input(numFmtMoney),
		tcoStyleInputPercent: input(numFmtPercent),
		tcoStyleInputText:    {Fill: yellow, Border: border, NumFmt: numFmtText},
		tcoStyleMoney:        output(numFmtMoney),
		tcoStyleMoneyDoc:     output(numFmtMoneyDoc),
		tcoStyleCount:        {CustomNumFmt: tcoPointer(numFmtInteger), Alignment: &excelize.Alignment{Horizontal: "right"}},
		tcoStyleTokens:       output(numFmtTokens),
		tcoStylePercent:      output(numFmtPercent),
		tcoStyleText:         {NumFmt: numFmtText},
	}
	ids := tcoStyles{}
	for name, style := range definitions {
		id, err := f.NewStyle(style)
		if err != nil {
			return nil, err
		}
		ids[name] = id
	}
	return ids, nil
}

func tcoPointer[T any](v T) *T { return &v }

// streamTCORows writes the layout's rows with the stream writer.
func streamTCORows(f *excelize.File, l *tcoLayout, st tcoStyles) error {
	sw, err := f.NewStreamWriter(sheetTCO)
	if err != nil {
		return err
	}
	widths := []float64{44, 18, 22, 26, 16, 16, 18, 18, 18, 10, 10, 60}
	for i, width := range widths {
		if err := sw.SetColWidth(i+1, i+1, width); err != nil {
			return err
		}
	}
	for _, row := range l.rows {
		values := make([]any, len(row.cells))
		for i, c := range row.cells {
			values[i] = excelize.Cell{StyleID: st[c.style], Formula: c.formula, Value: c.value}
		}
		if err := sw.SetRow(fmt.Sprintf("A%d", row.number), values); err != nil {
			return fmt.Errorf("TCO row %d: %w", row.number, err)
		}
	}
	return sw.Flush()
}
