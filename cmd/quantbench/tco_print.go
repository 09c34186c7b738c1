package main

import (
	"fmt"
	"io"
	"text/tabwriter"

	"github.com/quantbench/quantbench/results/tco"
)

// printTCO writes the cost comparison as a two-column table, then the
// routing plan and the notes.
func printTCO(w io.Writer, out *tcoOutput) {
	r, in := out.Result, out.Result.Inputs
	row := func(label, value string) { fmt.Fprintf(w, "  %-29s %s\n", label, value) }

	prices := fmt.Sprintf("$%g input, $%g output per million tokens", in.APIInputPrice, in.APIOutputPrice)
	if in.Preset != "" {
		prices = in.Preset + ": " + prices
	}
	fmt.Fprintf(w, "API (%s)\n", prices)
	row("Documents per month", tco.FormatCount(in.VolumePerMonth))
	row("Tokens per document", fmt.Sprintf("%.6g input, %.6g output (%s)", in.InputTokensPerDoc, in.OutputTokensPerDoc, out.TokensSource))
	row("Cost per document", tco.FormatMoney(r.APICostPerDoc))
	row("Cost per month", tco.FormatMoney(r.APICostPerMonth))
	row("Cost per year", tco.FormatMoney(r.APICostPerYear))

	fmt.Fprintln(w, "Local")
	row("Capacity per server", capacityText(r, out.ThroughputSource))
	row("Servers needed", fmt.Sprint(r.Servers))
	row("Opex per month", tco.FormatMoney(r.LocalOpexPerMonth))
	row("Cost in year 1", tco.FormatMoney(r.LocalCostYear1))
	row("Cost in each later year", tco.FormatMoney(r.LocalCostYear2))

	fmt.Fprintln(w, "Savings (API minus local)")
	row("Year 1", tco.FormatMoney(r.SavingsYear1))
	row("Year 2", tco.FormatMoney(r.SavingsYear2))

	fmt.Fprintln(w, "Break-even volume, one server")
	row("Documents per year", countOrUndefined(r.BreakEvenDocsPerYear))
	row("Documents per month", countOrUndefined(r.BreakEvenDocsPerMonth))
	row("With engineering, per year", countOrUndefined(r.BreakEvenWithEngineeringDocsPerYear))
	row("With engineering, per month", countOrUndefined(r.BreakEvenWithEngineeringDocsPerMonth))
	payback := fmt.Sprintf("none within %d months", tco.PaybackHorizonMonths)
	if r.PaybackMonth != nil {
		payback = fmt.Sprintf("month %d", *r.PaybackMonth)
	}
	fmt.Fprintln(w, "Payback at this volume")
	row("Cumulative API ≥ local from", payback)

	if out.Plan != nil {
		printPlan(w, out.Plan)
	}
	if len(out.Notes) > 0 {
		fmt.Fprintln(w)
		for _, note := range out.Notes {
			fmt.Fprintln(w, "Note:", note)
		}
	}
}

func printPlan(w io.Writer, plan *tco.Plan) {
	fmt.Fprintln(w)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "CATEGORY\tSHARE\tDOCS/MONTH\tAPI $/DOC\tAPI $/MONTH\tBREAK-EVEN/MONTH\tVERDICT\tROUTE\tREASON")
	for _, route := range plan.Routes {
		fmt.Fprintf(tw, "%s\t%.0f%%\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", route.Category, route.Share*100,
			tco.FormatCount(route.VolumePerMonth), tco.FormatMoney(route.APICostPerDoc),
			tco.FormatMoney(route.APICostPerMonth), countOrUndefined(route.BreakEvenDocsPerMonth),
			route.Verdict, route.Recommendation, route.Reason)
	}
	tw.Flush()
	tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "\nMONTHLY COST\tYEAR 1\tYEAR 2 ON")
	fmt.Fprintf(tw, "All API\t%s\t%s\n", tco.FormatMoney(plan.AllAPIPerMonth), tco.FormatMoney(plan.AllAPIPerMonth))
	fmt.Fprintf(tw, "All local\t%s\t%s\n", tco.FormatMoney(plan.AllLocalPerMonthYear1), tco.FormatMoney(plan.AllLocalPerMonthYear2))
	fmt.Fprintf(tw, "Hybrid (local servers: %d)\t%s\t%s\n", plan.LocalServers, tco.FormatMoney(plan.HybridPerMonthYear1), tco.FormatMoney(plan.HybridPerMonthYear2))
	tw.Flush()
}

func capacityText(r tco.Result, source string) string {
	if r.CapacityDocsPerMonth == nil {
		return "unknown (no documents per hour)"
	}
	return fmt.Sprintf("%s documents a month (%s documents an hour, %s, × %.0f hours × %.0f%%)",
		tco.FormatCount(*r.CapacityDocsPerMonth), tco.FormatCount(r.Inputs.DocsPerHourPerServer), source,
		tco.HoursPerMonth, r.Inputs.Utilisation*100)
}

func countOrUndefined(v *float64) string {
	if v == nil {
		return "undefined"
	}
	return tco.FormatCount(*v)
}
