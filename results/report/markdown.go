package report

import (
	"fmt"
	"io"
	"strings"

	"github.com/quantbench/quantbench/results"
)

// WriteMarkdown writes report.md: the headline tables of the printed table
// in Markdown, for a pull request or a review document, then the footnotes
// and the run's facts.
func WriteMarkdown(w io.Writer, s *results.Summary) error {
	d := newReportData(s)
	mw := &markdownWriter{w: w}

	mw.line("# quantbench report: %s", orNone(s.Run.RunID))
	mw.line("")
	baseline := d.baseline.Name
	if d.baseline.Quantization != "" {
		baseline += " (" + d.baseline.Quantization + ")"
	}
	mw.line("Baseline **%s**. Each variant's score is compared with the baseline's on the items both answered (paired).", mdEscape(orNone(baseline)))

	mw.line("")
	mw.line("## Quality")
	mw.line("")
	if len(d.rows) == 0 {
		mw.line("No scored categories: the run has no records with scores yet.")
	} else {
		mw.table(qualityColumns, len(d.rows), func(i int) []string { return qualityCells(d.rows[i]) })
	}

	if len(s.NoiseFloors) > 0 {
		mw.line("")
		mw.line("### Noise floor: the baseline against its own second repeat")
		mw.line("")
		mw.table(noiseColumns, len(s.NoiseFloors), func(i int) []string { return noiseCells(s.NoiseFloors[i]) })
	}

	if len(s.Judgements) > 0 {
		mw.line("")
		mw.line("### Pairwise judge %s: creative outputs against the baseline's, asked in both orders", mdEscape(s.Judgements[0].Judge))
		mw.line("")
		mw.table(judgeColumns, len(s.Judgements), func(i int) []string { return judgeCells(s.Judgements[i]) })
	}

	if rows := d.speedRows(); len(rows) > 0 {
		mw.line("")
		mw.line("## Throughput")
		mw.line("")
		mw.table(speedColumns, len(rows), func(i int) []string { return speedCells(rows[i]) })
	}

	if c := s.Cost; c != nil {
		mw.line("")
		mw.line("## Cost")
		mw.line("")
		facts := costFacts(c)
		mw.table([]string{"figure", "value"}, len(facts), func(i int) []string { return []string{facts[i].Label, facts[i].text()} })
		if c.Plan != nil && len(c.Plan.Routes) > 0 {
			mw.line("")
			mw.table(routeColumns, len(c.Plan.Routes), func(i int) []string { return routeCells(c.Plan.Routes[i]) })
		}
	}

	if len(d.footnotes.texts) > 0 {
		mw.line("")
		mw.line("## Notes")
		mw.line("")
		for i, text := range d.footnotes.texts {
			mw.line("%d. %s", i+1, mdEscape(text))
		}
	}

	mw.line("")
	mw.line("## Run")
	mw.line("")
	facts := runFacts(&s.Run)
	mw.table([]string{"fact", "value"}, len(facts), func(i int) []string { return facts[i] })
	return mw.err
}

// runFacts are the run's identifying facts as label and value.
func runFacts(run *results.RunManifest) [][]string {
	facts := [][]string{
		{"run", run.RunID},
		{"quantbench", strings.TrimSpace(run.QuantbenchVersion + " " + run.Commit)},
		{"Ollama", strings.TrimSpace(run.OllamaVersion + " at " + run.Host)},
	}

	if !run.Start.IsZero() {
		facts = append(facts, []string{"start (UTC)", run.Start.UTC().Format("2006-01-02 15:04:05")})
	}
	facts = append(facts, []string{"duration", runDuration(run.Start, run.End)})
	for _, m := range run.Models {
		facts = append(facts, []string{m.Role + " model", fmt.Sprintf("%s %s %s (%s)", m.Name, m.Quantization, m.ParameterSize, m.Digest)})
	}
	for _, ds := range run.Datasets {
		facts = append(facts, []string{"dataset", fmt.Sprintf("%s: %s, %d items, sha256 %s", ds.Category, ds.Name, ds.Items, ds.SHA256)})
	}

	machine := run.Machine.CPUModel
	if run.Machine.CPUCores > 0 {
		machine += fmt.Sprintf(", %d cores", run.Machine.CPUCores)
	}
	for _, g := range run.Machine.GPUs {
		machine += fmt.Sprintf("; GPU %s (%.0f MiB)", g.Name, g.MemoryMiB)
	}
	if len(run.Machine.GPUs) == 0 && run.Machine.GPUReason != "" {
		machine += "; no GPU: " + run.Machine.GPUReason
	}
	facts = append(facts, []string{"machine", strings.TrimPrefix(machine, "; ")})
	for _, warning := range run.Warnings {
		facts = append(facts, []string{"warning", warning})
	}

	for i := range facts {
		facts[i][1] = orNone(facts[i][1])
	}
	return facts
}

type markdownWriter struct {
	w   io.Writer
	err error
}

func (m *markdownWriter) line(format string, args ...any) {
	if m.err == nil {
		_, m.err = fmt.Fprintf(m.w, format+"\n", args...)
	}
}

// table writes a pipe table; numeric-looking columns are not right-aligned,
// because GitHub renders the cells as written.
func (m *markdownWriter) table(columns []string, n int, row func(int) []string) {
	m.line("| %s |", strings.Join(mdCells(columns), " | "))
	separators := make([]string, len(columns))
	for i := range separators {
		separators[i] = "---"
	}
	m.line("| %s |", strings.Join(separators, " | "))
	for i := 0; i < n; i++ {
		m.line("| %s |", strings.Join(mdCells(row(i)), " | "))
	}
}

func mdCells(cells []string) []string {
	out := make([]string, len(cells))
	for i, c := range cells {
		out[i] = mdEscape(c)
	}
	return out
}

// mdEscape keeps text from breaking a table or turning into markup: pipes
// and newlines would split cells, and *, `, < and [ would format or link.
// Underscores stay, because GitHub does not emphasise inside words such as
// q4_K_M.
var mdEscaper = strings.NewReplacer(
	"|", `\|`, "\n", " ", "\r", " ", "*", `\*`, "`", "\\`", "<", "&lt;", "[", `\[`,
)

func mdEscape(s string) string { return mdEscaper.Replace(s) }
