package report

import (
	"fmt"
	"io"
	"strconv"
	"text/tabwriter"

	"github.com/quantbench/quantbench/results"
	"github.com/quantbench/quantbench/results/tco"
)

// speedRow is one model's throughput headline.
type speedRow struct {
	results.ModelSpeed
	// SpeedUp is the single-stream decode rate over the baseline's; nil when
	// either is unknown or the model is the baseline.
	SpeedUp  *float64
	Baseline bool
}

func (d *reportData) speedRows() []speedRow {
	t := d.s.Throughput
	if t == nil {
		return nil
	}
	var base *float64
	for _, m := range t.Models {
		if m.Model == d.baseline.Name {
			base = m.SingleStreamDecodeTPS
		}
	}
	rows := make([]speedRow, 0, len(t.Models))
	for _, m := range t.Models {
		row := speedRow{ModelSpeed: m, Baseline: m.Model == d.baseline.Name}
		if row.Quantization == "" {
			if info, ok := d.model(m.Model); ok {
				row.Quantization = info.Quantization
			}
		}
		if !row.Baseline && finite(base) && *base > 0 && finite(m.SingleStreamDecodeTPS) {
			ratio := *m.SingleStreamDecodeTPS / *base
			row.SpeedUp = &ratio
		}
		rows = append(rows, row)
	}
	return rows
}

var speedColumns = []string{"model", "quant", "decode tok/s (1 stream)", "speed-up", "peak output tok/s", "at concurrency", "VRAM", "on GPU", "load ms"}

func speedCells(r speedRow) []string {
	speedUp := none
	if r.Baseline {
		speedUp = "baseline"
	} else if finite(r.SpeedUp) {
		speedUp = strconv.FormatFloat(*r.SpeedUp, 'f', 2, 64) + "×"
	}
	concurrency := none
	if r.PeakConcurrency > 0 {
		concurrency = strconv.Itoa(r.PeakConcurrency)
	}
	return []string{
		r.Model, orNone(r.Quantization), formatFloat(r.SingleStreamDecodeTPS, 1), speedUp,
		formatFloat(r.PeakOutputTPS, 1), concurrency, formatGiB(r.SizeVRAMBytes),
		formatPct(r.GPUOffloadPct), formatFloat(r.LoadMS, 0),
	}
}

func printSpeed(w io.Writer, d *reportData) {
	rows := d.speedRows()
	if len(rows) == 0 {
		return
	}
	fmt.Fprintln(w)
	fmt.Fprintln(w, "throughput")
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	printRow(tw, speedColumns)
	for _, r := range rows {
		printRow(tw, speedCells(r))
	}
	tw.Flush()
}

// costKind selects how a cost fact's value is formatted.
type costKind int

const (
	costMoney costKind = iota
	costMoneyPerDoc
	costCount
	costText
)

// costFact is one line of the cost headline.
type costFact struct {
	Label string
	Value *float64
	Text  string // for costText, and the reason when Value is nil
	Kind  costKind
}

func (f costFact) text() string {
	switch {
	case f.Kind == costText:
		return f.Text
	case f.Value == nil && f.Text != "":
		return f.Text
	case f.Value == nil:
		return none
	case f.Kind == costCount:
		return formatFloat(f.Value, 0)
	default:
		return formatMoney(*f.Value)
	}
}

func money(v float64) *float64 { return &v }

// costFacts is the cost headline: the API against a local server for the
// run's workload, and the hybrid routing plan's monthly cost.
func costFacts(c *results.CostReport) []costFact {
	r := c.Result
	servers := float64(r.Servers)
	payback := costFact{Label: "Payback month", Kind: costCount, Text: "none within the horizon"}
	if r.PaybackMonth != nil {
		m := float64(*r.PaybackMonth)
		payback.Value = &m
	}
	facts := []costFact{
		{Label: "Priced variant", Kind: costText, Text: c.Variant},
		{Label: "Tokens per document from", Kind: costText, Text: c.TokensSource},
		{Label: "Throughput from", Kind: costText, Text: throughputSource(c)},
		{Label: "Volume (documents per month)", Kind: costCount, Value: money(r.Inputs.VolumePerMonth)},
		{Label: "API cost per document", Kind: costMoneyPerDoc, Value: money(r.APICostPerDoc)},
		{Label: "API cost per month", Kind: costMoney, Value: money(r.APICostPerMonth)},
		{Label: "API cost per year", Kind: costMoney, Value: money(r.APICostPerYear)},
		{Label: "Servers needed", Kind: costCount, Value: &servers},
		{Label: "Local cost, year 1", Kind: costMoney, Value: money(r.LocalCostYear1)},
		{Label: "Local cost, year 2 onwards", Kind: costMoney, Value: money(r.LocalCostYear2)},
		{Label: "Savings, year 1", Kind: costMoney, Value: money(r.SavingsYear1)},
		{Label: "Savings, year 2", Kind: costMoney, Value: money(r.SavingsYear2)},
		{Label: "Break-even (documents per month)", Kind: costCount, Value: r.BreakEvenDocsPerMonth, Text: "n/a: the API cost per document is 0"},
		{Label: "Break-even with engineering (documents per month)", Kind: costCount, Value: r.BreakEvenWithEngineeringDocsPerMonth, Text: "n/a: the API cost per document is 0"},
		payback,
	}
	if p := c.Plan; p != nil {
		facts = append(facts,
			costFact{Label: "All API per month", Kind: costMoney, Value: money(p.AllAPIPerMonth)},
			costFact{Label: "All local per month, year 1", Kind: costMoney, Value: money(p.AllLocalPerMonthYear1)},
			costFact{Label: "Hybrid per month, year 1", Kind: costMoney, Value: money(p.HybridPerMonthYear1)},
			costFact{Label: "Hybrid per month, year 2", Kind: costMoney, Value: money(p.HybridPerMonthYear2)},
		)
	}
	return facts
}

func throughputSource(c *results.CostReport) string {
	if c.Concurrency > 0 {
		return fmt.Sprintf("%s (concurrency %d)", c.ThroughputSource, c.Concurrency)
	}
	return c.ThroughputSource
}

var routeColumns = []string{"category", "share", "documents/month", "verdict", "API cost/month", "route", "reason"}

func routeCells(r tco.Route) []string {
	return []string{
		r.Category, formatRate(&r.Share), formatFloat(&r.VolumePerMonth, 0), orNone(r.Verdict),
		formatMoney(r.APICostPerMonth), r.Recommendation, r.Reason,
	}
}

func printCost(w io.Writer, d *reportData) {
	c := d.s.Cost
	if c == nil {
		return
	}
	fmt.Fprintln(w)
	fmt.Fprintln(w, "cost")
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	for _, f := range costFacts(c) {
		printRow(tw, []string{f.Label, f.text()})
	}
	tw.Flush()

	if c.Plan == nil || len(c.Plan.Routes) == 0 {
		return
	}
	fmt.Fprintln(w)
	fmt.Fprintln(w, "routing")
	printRow(tw, routeColumns)
	for _, r := range c.Plan.Routes {
		printRow(tw, routeCells(r))
	}
	tw.Flush()
}
