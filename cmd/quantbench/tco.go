package main

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/quantbench/quantbench/bench"
	"github.com/quantbench/quantbench/results"
	"github.com/quantbench/quantbench/results/tco"
)

const tcoUsage = `
Usage: quantbench tco --volume N (--preset NAME | --api-input-price P --api-output-price P) [options]
       quantbench tco --run RUN_DIR [options]
       quantbench tco --list-presets

Prices a workload on an API against a local server: the API cost per
document, month and year; the local cost in year 1 (servers × capex +
engineering + 12 months of power, rack and maintenance) and in each later
year; the savings; the break-even volume, (capex + first-year opex) / API cost
per document, with and without engineering; the payback month; and, from
documents per hour, the capacity per server and the servers the volume needs.
A month is 730 hours. It prints a table, or one JSON object with --json.

With --run it takes the tokens per document (each category's mean
prompt_eval_count and eval_count of the priced variant) and documents per hour
(its throughput sweep) from a results folder, and adds a routing plan: a
category goes local when its quality verdict is PASS and its volume is above
break-even, else to the API.

Arguments:
  none. Inputs come from --suite's tco section, else from --run's run.json,
  then from the flags below, which override both. With --run, the measured
  tokens and documents per hour replace the suite's values, unless
  --input-tokens, --output-tokens or --docs-per-hour is given.

Prices: --preset names a preset (see --list-presets). Its prices are list
prices that change, so check them. --api-input-price and --api-output-price
override it. --presets-file, else QUANTBENCH_PRESETS_FILE, adds presets.

Examples:
  # The worked example: 10M documents a month on Claude 3 Haiku prices.
  quantbench tco --volume 10000000 --input-tokens 800 --output-tokens 200 \
      --preset claude-haiku --capex 18000 --power-rack-month 400 \
      --maintenance-month 200 --engineering 8000

  # Measured tokens and throughput from a run, as JSON.
  quantbench tco --run runs/standard-20261204-210000 --volume 2000000 \
      --preset gpt-4o-mini --capex 9000 --power-rack-month 250 --json

  # The presets and their dates.
  quantbench tco --list-presets
`

func init() {
	register(command{Name: "tco", Summary: "price a workload on an API against a local server", Run: runTCO})
}

// tcoOutput is the --json output: the result's fields at the top level,
// then where the inputs came from and the routing plan.
type tcoOutput struct {
	tco.Result
	Variant          string    `json:"variant,omitempty"`
	Concurrency      int       `json:"concurrency,omitempty"`
	TokensSource     string    `json:"tokens_source"`
	ThroughputSource string    `json:"throughput_source"`
	Plan             *tco.Plan `json:"plan,omitempty"`
	// Notes gathers the result's warnings and notes with those of the run.
	Notes []string `json:"notes,omitempty"`
}

// tcoFlags holds the flag values; set records which flags were given.
type tcoFlags struct {
	inputs      tco.Inputs
	presetsFile string
	runDir      string
	suite       string
	json        bool
	listPresets bool
	set         map[string]bool
}

func runTCO(args []string, stdout, stderr io.Writer) int {
	fs := newFlagSet("tco", tcoUsage, stderr)
	flags := defineTCOFlags(fs)
	if code := parseFlags(fs, args); code >= 0 {
		return code
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "quantbench tco: unexpected argument %q: every input is a flag, see --help\n", fs.Arg(0))
		return exitUsage
	}
	flags.set = map[string]bool{}
	fs.Visit(func(f *flag.Flag) { flags.set[f.Name] = true })

	presets, err := tco.LoadPresets(flags.presetsFile)
	if err != nil {
		fmt.Fprintf(stderr, "quantbench tco: %v\n", err)
		return exitFailure
	}
	if flags.listPresets {
		printPresets(stdout, presets)
		return exitOK
	}

	out, err := priceTCO(flags, presets)
	var usageErr usageError
	if errors.As(err, &usageErr) {
		fmt.Fprintf(stderr, "quantbench tco: %v\n", err)
		return exitUsage
	}
	if err != nil {
		fmt.Fprintf(stderr, "quantbench tco: %v\n", err)
		return exitFailure
	}

	if flags.json {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(out); err != nil {
			fmt.Fprintf(stderr, "quantbench tco: %v\n", err)
			return exitFailure
		}
		return exitOK
	}
	printTCO(stdout, out)
	return exitOK
}

// usageError is an input mistake the user fixes with flags (exit status 2).
type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

func defineTCOFlags(fs *flag.FlagSet) *tcoFlags {
	f := &tcoFlags{}
	in := &f.inputs
	fs.Float64Var(&in.VolumePerMonth, "volume", 0, "`documents` processed per month")
	fs.Float64Var(&in.InputTokensPerDoc, "input-tokens", 0, "input (prompt) `tokens` per document; with --run, replaces the measured means")
	fs.Float64Var(&in.OutputTokensPerDoc, "output-tokens", 0, "output `tokens` per document; with --run, replaces the measured means")
	fs.Float64Var(&in.APIInputPrice, "api-input-price", 0, "API price per million input tokens, in US `dollars`")
	fs.Float64Var(&in.APIOutputPrice, "api-output-price", 0, "API price per million output tokens, in US `dollars`")
	fs.StringVar(&in.Preset, "preset", "", "API price preset `name`, for example claude-haiku (see --list-presets)")
	fs.StringVar(&f.presetsFile, "presets-file", "", "YAML `file` of extra presets; default $"+tco.PresetsFileEnv)
	fs.Float64Var(&in.Capex, "capex", 0, "purchase price of one server, in US `dollars`")
	fs.Float64Var(&in.PowerRackMonth, "power-rack-month", 0, "power and rack space per server per month, in US `dollars`")
	fs.Float64Var(&in.MaintenanceMonth, "maintenance-month", 0, "maintenance and monitoring per server per month, in US `dollars`")
	fs.Float64Var(&in.Engineering, "engineering", 0, "one-time engineering to set up the local service, in US `dollars`")
	fs.Float64Var(&in.DocsPerHourPerServer, "docs-per-hour", 0, "`documents` one server processes per hour; with --run, replaces the measured rate")
	fs.Float64Var(&in.Utilisation, "utilisation", 0, fmt.Sprintf("target busy `fraction` of a server's hours, in (0, 1]; default %.1f", tco.DefaultUtilisation))
	fs.IntVar(&in.Concurrency, "concurrency", 0, "with --run, the measured concurrency `level` whose documents per hour are used; 0 means the best")
	fs.StringVar(&in.Variant, "variant", "", "with --run, the `model` to price; default the variant with the fewest bits per weight")
	fs.StringVar(&f.runDir, "run", "", "results `folder` to take measured tokens, throughput and verdicts from")
	fs.StringVar(&f.suite, "suite", "", "suite YAML `file` (or built-in suite name) whose tco section gives the inputs")
	fs.BoolVar(&f.json, "json", false, "print one JSON object instead of a table")
	fs.BoolVar(&f.listPresets, "list-presets", false, "print the price presets and exit")
	return f
}

// priceTCO merges the inputs (suite, then run.json, then flags), resolves
// the preset and prices the workload, with the run's measurements when
// --run is given.
func priceTCO(flags *tcoFlags, presets tco.Presets) (*tcoOutput, error) {
	in, err := baseInputs(flags)
	if err != nil {
		return nil, err
	}
	var summary *results.Summary
	if flags.runDir != "" {
		summary, err = results.Summarize(flags.runDir)
		if err != nil {
			return nil, fmt.Errorf("read run %s: %w", flags.runDir, err)
		}
		if summary.Run.Analysis.TCO != nil && flags.suite == "" {
			in = *summary.Run.Analysis.TCO
		}
	}
	overrideInputs(&in, flags)
	if err := applyPreset(&in, presets, flags.set); err != nil {
		return nil, err
	}
	if in.VolumePerMonth <= 0 {
		return nil, usageError{"missing --volume: give the documents processed per month"}
	}
	if in.APIInputPrice == 0 && in.APIOutputPrice == 0 {
		return nil, usageError{fmt.Sprintf("missing API prices: give --preset (one of %s) or --api-input-price and --api-output-price", strings.Join(presets.Names(), ", "))}
	}
	if err := in.Validate(); err != nil {
		return nil, usageError{err.Error()}
	}
	if summary == nil && in.InputTokensPerDoc <= 0 && in.OutputTokensPerDoc <= 0 {
		return nil, usageError{"missing tokens per document: give --input-tokens and --output-tokens, or --run RUN_DIR to use a run's measured means"}
	}

	if summary != nil {
		opts := results.PriceOptions{
			KeepTokens:     flags.set["input-tokens"] || flags.set["output-tokens"],
			KeepThroughput: flags.set["docs-per-hour"],
		}
		return priceRun(summary, in, opts)
	}
	result, err := tco.Compute(in)
	if err != nil {
		return nil, err
	}
	source := results.SourceGiven
	if in.InputTokensPerDoc == 0 && in.OutputTokensPerDoc == 0 {
		source = results.SourceNone
	}
	throughput := results.SourceGiven
	if in.DocsPerHourPerServer == 0 {
		throughput = results.SourceNone
	}
	out := &tcoOutput{Result: result, TokensSource: source, ThroughputSource: throughput}
	out.Notes = append(append(out.Notes, result.Warnings...), result.Notes...)
	return out, nil
}

func priceRun(summary *results.Summary, in tco.Inputs, opts results.PriceOptions) (*tcoOutput, error) {
	report, notes, err := results.PriceSummary(summary, in, opts)
	if err != nil {
		return nil, err
	}
	out := &tcoOutput{
		Result:           report.Result,
		Variant:          report.Variant,
		Concurrency:      report.Concurrency,
		TokensSource:     report.TokensSource,
		ThroughputSource: report.ThroughputSource,
		Plan:             report.Plan,
	}
	for _, note := range notes {
		out.Notes = append(out.Notes, strings.TrimPrefix(note, results.CostNotePrefix))
	}
	return out, nil
}

// baseInputs returns the suite's tco section, or zero inputs without --suite.
func baseInputs(flags *tcoFlags) (tco.Inputs, error) {
	if flags.suite == "" {
		return tco.Inputs{}, nil
	}
	suite, err := bench.LoadSuite(flags.suite)
	if err != nil {
		return tco.Inputs{}, err
	}
	if suite.TCO == nil {
		return tco.Inputs{}, fmt.Errorf("suite %s has no tco section: add one or give the inputs as flags", flags.suite)
	}
	return *suite.TCO, nil
}

// overrideInputs copies every flag the user gave over the base inputs.
func overrideInputs(in *tco.Inputs, flags *tcoFlags) {
	flagged := flags.inputs
	fields := map[string]func(){
		"volume":            func() { in.VolumePerMonth = flagged.VolumePerMonth },
		"input-tokens":      func() { in.InputTokensPerDoc = flagged.InputTokensPerDoc },
		"output-tokens":     func() { in.OutputTokensPerDoc = flagged.OutputTokensPerDoc },
		"api-input-price":   func() { in.APIInputPrice = flagged.APIInputPrice },
		"api-output-price":  func() { in.APIOutputPrice = flagged.APIOutputPrice },
		"preset":            func() { in.Preset = flagged.Preset },
		"capex":             func() { in.Capex = flagged.Capex },
		"power-rack-month":  func() { in.PowerRackMonth = flagged.PowerRackMonth },
		"maintenance-month": func() { in.MaintenanceMonth = flagged.MaintenanceMonth },
		"engineering":       func() { in.Engineering = flagged.Engineering },
		"docs-per-hour":     func() { in.DocsPerHourPerServer = flagged.DocsPerHourPerServer },
		"utilisation":       func() { in.Utilisation = flagged.Utilisation },
		"concurrency":       func() { in.Concurrency = flagged.Concurrency },
		"variant":           func() { in.Variant = flagged.Variant },
	}
	for name, apply := range fields {
		if flags.set[name] {
			apply()
		}
	}
}

// applyPreset sets the prices from in.Preset. A --preset flag replaces
// prices from the suite or run.json; a price flag always wins.
func applyPreset(in *tco.Inputs, presets tco.Presets, set map[string]bool) error {
	if in.Preset == "" {
		return nil
	}
	preset, err := presets.Lookup(in.Preset)
	if err != nil {
		return usageError{err.Error()}
	}
	if !set["api-input-price"] && (set["preset"] || in.APIInputPrice == 0) {
		in.APIInputPrice = preset.InputPerMTok
	}
	if !set["api-output-price"] && (set["preset"] || in.APIOutputPrice == 0) {
		in.APIOutputPrice = preset.OutputPerMTok
	}
	return nil
}

func printPresets(w io.Writer, presets tco.Presets) {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "PRESET\tINPUT $/MTOK\tOUTPUT $/MTOK\tCHECKED\tDESCRIPTION")
	for _, name := range presets.Names() {
		p := presets[name]
		fmt.Fprintf(tw, "%s\t%g\t%g\t%s\t%s\n", name, p.InputPerMTok, p.OutputPerMTok, p.Checked, p.Description)
	}
	tw.Flush()
	fmt.Fprintln(w, "\nPrices change: check each provider's pricing page before relying on a preset.")
}
