package throughput

import (
	"fmt"
	"io"
	"strconv"
	"text/tabwriter"

	"github.com/quantbench/quantbench/results"
)

// WriteTable prints the speed report: one row per model and concurrency
// level, then one row per model with memory, load time and the decode
// ceiling, then the footnotes. A blank figure is printed as "-".
func WriteTable(w io.Writer, r *results.SpeedReport) {
	if r == nil {
		fmt.Fprintln(w, "No throughput records.")
		return
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "model\tconc\tok/n\tout tok/s\treq/s\tdocs/h\tdecode tok/s\tprefill tok/s\tTTFT p50/p90/p99 ms\tITL p50/p90/p99 ms\tE2E p50/p90/p99 ms\tin/out tok/req\tpower W\tJ/1k tok\t")
	for _, l := range r.Levels {
		power, energy := "-", "-"
		if l.Power != nil {
			power, energy = formatFloat(l.Power.MeanPowerW, 0), formatFloat(l.Power.EnergyPer1kTokensJ, 0)
		}
		fmt.Fprintf(tw, "%s\t%d\t%d/%d\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s/%s\t%s\t%s\t\n",
			l.Model, l.Concurrency, l.OK, l.Requests,
			formatFloat(l.OutputTPS, 1), formatFloat(l.RequestsPerSecond, 2), formatFloat(l.DocumentsPerHour, 0),
			formatMeanN(l.DecodeTPS), formatMeanN(l.PrefillTPS),
			formatPercentiles(l.TTFTMS), formatPercentiles(l.ITLMS), formatPercentiles(l.E2EMS),
			formatFloat(l.PromptLength.Mean, 0), formatFloat(l.OutputLength.Mean, 0),
			power, energy)
	}
	tw.Flush()

	fmt.Fprintln(w)
	tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "model\tquant\tfile MB\tloaded MB\ton GPU %\tload ms\t1-stream decode tok/s\tceiling tok/s\t% of ceiling\tpeak out tok/s\t")
	for _, m := range r.Models {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s @%d\t\n",
			m.Model, m.Quantization, formatMB(m.FileSizeBytes), formatMB(m.SizeBytes), formatFloat(m.GPUOffloadPct, 0),
			formatFloat(m.LoadMS, 0), formatFloat(m.SingleStreamDecodeTPS, 1),
			formatFloat(m.DecodeCeilingTPS, 0), formatFloat(m.DecodeCeilingPct, 0),
			formatFloat(m.PeakOutputTPS, 1), m.PeakConcurrency)
	}
	tw.Flush()

	for _, m := range r.Models {
		if m.GPUReason != "" {
			fmt.Fprintf(w, "%s: GPU columns blank: %s\n", m.Model, m.GPUReason)
		}
		for _, warning := range m.Warnings {
			fmt.Fprintf(w, "%s: %s\n", m.Model, warning)
		}
	}
	for _, note := range r.Footnotes {
		fmt.Fprintln(w, "Note:", note)
	}
}

func formatFloat(v *float64, decimals int) string {
	if v == nil {
		return "-"
	}
	return strconv.FormatFloat(*v, 'f', decimals, 64)
}

// formatMeanN prints a distribution's mean with its sample count.
func formatMeanN(d results.Distribution) string {
	if d.N == 0 {
		return "-"
	}
	return fmt.Sprintf("%s (n=%d)", formatFloat(d.Mean, 1), d.N)
}

func formatPercentiles(d results.Distribution) string {
	if d.N == 0 {
		return "-"
	}
	return fmt.Sprintf("%s/%s/%s (n=%d)", formatFloat(d.P50, 1), formatFloat(d.P90, 1), formatFloat(d.P99, 1), d.N)
}

func formatMB(bytes int64) string {
	if bytes <= 0 {
		return "-"
	}
	return strconv.FormatFloat(float64(bytes)/1e6, 'f', 1, 64)
}
