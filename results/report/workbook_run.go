package report

import (
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"time"
)

// writeRun fills the Run sheet with the facts needed to reproduce the run:
// versions, host, models with digests, datasets with hashes, decoding
// options, analysis settings, the machine, warnings and the resolved suite.
func (w *workbook) writeRun() error {
	run := w.s.Run
	sw := w.sheetWriter(sheetRun)
	if err := sw.widths(26, 40, 14, 16, 14, 14, 14, 16, 70); err != nil {
		return err
	}

	if err := sw.title("Run"); err != nil {
		return err
	}
	facts := []struct {
		name  string
		value cell
	}{
		{"Run ID", textCell(run.RunID)},
		{"quantbench version", textCell(run.QuantbenchVersion)},
		{"quantbench commit", textCell(run.Commit)},
		{"Ollama host", textCell(run.Host)},
		{"Ollama version", textCell(run.OllamaVersion)},
		{"Start (UTC)", timeCell(run.Start, w.styles.dateTime)},
		{"End (UTC)", timeCellPtr(run.End, w.styles.dateTime)},
		{"Duration", textCell(runDuration(run.Start, run.End))},
	}
	for _, fact := range facts {
		if err := sw.put(textCell(fact.name), fact.value); err != nil {
			return err
		}
	}

	steps := []func(*sheetWriter) error{w.runModels, w.runDatasets, w.runOptions, w.runAnalysis, w.runMachine, w.runWarnings, w.runSuite}
	for _, step := range steps {
		if err := step(sw); err != nil {
			return err
		}
	}
	return nil
}

func (w *workbook) runModels(sw *sheetWriter) error {
	if err := sw.title("Models"); err != nil {
		return err
	}
	if err := sw.header("Name", "Digest", "Role", "Family", "Parameters", "Quantization", "Format", "Size (bytes)"); err != nil {
		return err
	}
	for _, m := range w.s.Run.Models {
		size := blank()
		if m.SizeBytes > 0 {
			size = cell{value: m.SizeBytes, style: w.styles.integer}
		}
		err := sw.put(textCell(m.Name), textCell(m.Digest), textCell(m.Role), textCell(m.Family),
			textCell(m.ParameterSize), textCell(m.Quantization), textCell(m.Format), size)
		if err != nil {
			return err
		}
	}
	return nil
}

func (w *workbook) runDatasets(sw *sheetWriter) error {
	if err := sw.title("Datasets"); err != nil {
		return err
	}
	if err := sw.header("Name", "SHA-256", "Category", "Items", "Source", "Snapshot"); err != nil {
		return err
	}
	for _, d := range w.s.Run.Datasets {
		err := sw.put(textCell(d.Name), textCell(d.SHA256), textCell(d.Category),
			cell{value: d.Items, style: w.styles.integer}, textCell(d.Source), textCell(d.Snapshot))
		if err != nil {
			return err
		}
	}
	return nil
}

// runOptions lists the decoding options sent with every request, sorted by name.
func (w *workbook) runOptions(sw *sheetWriter) error {
	if err := sw.title("Decoding options"); err != nil {
		return err
	}
	if err := sw.header("Option", "Value"); err != nil {
		return err
	}
	names := make([]string, 0, len(w.s.Run.Options))
	for name := range w.s.Run.Options {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		if err := sw.put(textCell(name), anyCell(w.s.Run.Options[name])); err != nil {
			return err
		}
	}
	return nil
}

func (w *workbook) runAnalysis(sw *sheetWriter) error {
	a := w.s.Run.Analysis
	if err := sw.title("Analysis settings"); err != nil {
		return err
	}
	rows := []struct {
		name  string
		value cell
	}{
		{"Bootstrap resamples", cell{value: a.BootstrapResamples, style: w.styles.integer}},
		{"Bootstrap seed", cell{value: a.BootstrapSeed}},
		{"Confidence", floatCell(a.Confidence, w.styles.percent)},
		{"Minimum pairs for a reliable interval", cell{value: a.MinPairs}},
	}
	for _, row := range rows {
		if err := sw.put(textCell(row.name), row.value); err != nil {
			return err
		}
	}

	categories := make([]string, 0, len(a.Tolerances))
	for c := range a.Tolerances {
		categories = append(categories, c)
	}
	sortCategories(categories)
	for _, c := range categories {
		if err := sw.put(textCell("Tolerance: "+c), floatCell(a.Tolerances[c], w.styles.percent)); err != nil {
			return err
		}
	}
	return nil
}

func (w *workbook) runMachine(sw *sheetWriter) error {
	m := w.s.Run.Machine
	if err := sw.title("Machine"); err != nil {
		return err
	}
	if err := sw.put(textCell("CPU"), textCell(m.CPUModel)); err != nil {
		return err
	}
	cores := blank()
	if m.CPUCores > 0 {
		cores = cell{value: m.CPUCores}
	}
	if err := sw.put(textCell("CPU cores"), cores); err != nil {
		return err
	}
	if len(m.GPUs) == 0 {
		reason := m.GPUReason
		if reason == "" {
			reason = "none reported"
		}
		return sw.put(textCell("GPU"), textCell(reason))
	}
	if err := sw.header("GPU", "Memory (MiB)", "Driver", "Bandwidth (GB/s)"); err != nil {
		return err
	}
	for _, g := range m.GPUs {
		err := sw.put(textCell(g.Name), floatCell(g.MemoryMiB, w.styles.integer), textCell(g.Driver),
			numberCell(positive(g.BandwidthGB), w.styles.rate))
		if err != nil {
			return err
		}
	}
	return nil
}

func (w *workbook) runWarnings(sw *sheetWriter) error {
	if len(w.s.Run.Warnings) == 0 {
		return nil
	}
	if err := sw.title("Warnings"); err != nil {
		return err
	}
	for _, warning := range w.s.Run.Warnings {
		if err := sw.put(textCell(warning)); err != nil {
			return err
		}
	}
	return nil
}

// runSuite stores the resolved suite as indented JSON text, one cell.
func (w *workbook) runSuite(sw *sheetWriter) error {
	if len(w.s.Run.Suite) == 0 {
		return nil
	}
	if err := sw.title("Suite as resolved (JSON)"); err != nil {
		return err
	}
	var indented strings.Builder
	var v any
	text := string(w.s.Run.Suite)
	if json.Unmarshal(w.s.Run.Suite, &v) == nil {
		data, _ := json.MarshalIndent(v, "", "  ")
		indented.Write(data)
		text = indented.String()
	}
	return sw.put(textCell(text))
}

// anyCell shows a decoded JSON value: numbers as numbers, the rest as text.
func anyCell(v any) cell {
	switch v := v.(type) {
	case float64:
		return cell{value: v}
	case int:
		return cell{value: v}
	case string:
		return textCell(v)
	case nil:
		return blank()
	default:
		data, err := json.Marshal(v)
		if err != nil {
			return textCell(fmt.Sprint(v))
		}
		return textCell(string(data))
	}
}

func timeCell(t time.Time, style int) cell {
	if t.IsZero() {
		return blank()
	}
	return cell{value: t, style: style}
}

func timeCellPtr(t *time.Time, style int) cell {
	if t == nil {
		return blank()
	}
	return timeCell(*t, style)
}

// runDuration is End - Start rounded to the second, or "unfinished".
func runDuration(start time.Time, end *time.Time) string {
	if end == nil || start.IsZero() {
		return "unfinished"
	}
	return end.Sub(start).Round(time.Second).String()
}

func positive(v float64) *float64 {
	if v <= 0 {
		return nil
	}
	return &v
}
