package results

import (
	"fmt"
	"math"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"github.com/quantbench/quantbench/results/tco"
)

// Sources of the cost model's token and throughput inputs.
const (
	SourceMeasured = "measured"
	SourceGiven    = "given"
	SourceNone     = "none"
)

// CostNotePrefix starts every cost footnote, so that in the mixed footnote
// list each cost note names the table it belongs to.
const CostNotePrefix = "Cost model: "

// CostReport is the cost model applied to the run's measurements.
type CostReport struct {
	// Variant is the model whose measured tokens and throughput were priced.
	Variant string `json:"variant"`
	// Concurrency is the throughput level whose documents per hour were used;
	// 0 when the run has no throughput measurement.
	Concurrency int `json:"concurrency,omitempty"`

	// TokensSource and ThroughputSource are the origin of those inputs:
	// "measured" (this run), "given" (the suite's tco section or flags) or
	// "none".
	TokensSource     string `json:"tokens_source"`
	ThroughputSource string `json:"throughput_source"`

	// Result is the whole workload priced with volume-weighted mean tokens.
	Result tco.Result `json:"result"`
	// Plan is the per-category routing advice; nil when the run has no categories.
	Plan *tco.Plan `json:"plan,omitempty"`
}

// summarizeCost prices the run with the suite's TCO inputs, when it has
// them. The run's measured tokens and throughput replace the suite's values.
// Invalid inputs leave the cost out with a footnote, so that the other
// reports of a finished run are still written.
func summarizeCost(s *Summary) (*CostReport, []string, error) {
	if s.Run.Analysis.TCO == nil {
		return nil, nil, nil
	}
	report, notes, err := PriceSummary(s, *s.Run.Analysis.TCO, PriceOptions{})
	if err != nil {
		return nil, []string{fmt.Sprintf("%snot computed: %v. Fix analysis.tco in %s, or price the run with quantbench tco --run.", CostNotePrefix, err, RunFile)}, nil
	}
	return report, notes, nil
}

// PriceOptions selects the inputs that override the run's measurements.
type PriceOptions struct {
	// KeepTokens prices in's tokens per document even where the run measured them.
	KeepTokens bool
	// KeepThroughput prices in's documents per hour even when the run measured them.
	KeepThroughput bool
}

// PriceSummary applies the cost model to a run's summary. Measured values
// replace in's unless opts keeps them, and in's values remain the fallback
// where the run measured nothing. Measured tokens are the chosen variant's
// mean prompt_eval_count and eval_count per item in each category, weighted
// by the categories' shares of the volume. Measured throughput is the
// variant's documents per hour at in.Concurrency, or at its best level when
// that is 0. Prices missing from in come from the preset in.Preset (built
// in, or from $QUANTBENCH_PRESETS_FILE).
//
// It returns the report, footnotes for Summary.Footnotes, and an error for
// invalid inputs or an unknown preset.
func PriceSummary(s *Summary, in tco.Inputs, opts PriceOptions) (*CostReport, []string, error) {
	var notes []string
	if err := resolvePreset(&in); err != nil {
		return nil, nil, err
	}
	report := &CostReport{}

	variant, note := chooseVariant(s, in.Variant)
	report.Variant = variant
	notes = appendNote(notes, note)
	notes = append(notes, useThroughput(report, &in, s.Throughput, opts.KeepThroughput)...)

	loads, measured, loadNotes := categoryLoads(s, variant, in, opts.KeepTokens)
	notes = append(notes, loadNotes...)
	if err := priceLoads(report, &in, loads, measured); err != nil {
		return nil, nil, err
	}
	notes = append(notes, report.Result.Warnings...)
	notes = append(notes, report.Result.Notes...)
	if report.Plan != nil {
		notes = append(notes, report.Plan.Notes...)
	}
	for i := range notes {
		notes[i] = CostNotePrefix + notes[i]
	}
	return report, notes, nil
}

// useThroughput sets in's documents per hour from the variant's measured
// level unless keep is set or nothing was measured, and returns its notes.
func useThroughput(report *CostReport, in *tco.Inputs, speed *SpeedReport, keep bool) []string {
	report.ThroughputSource = SourceGiven
	if in.DocsPerHourPerServer == 0 {
		report.ThroughputSource = SourceNone
	}
	if keep && in.DocsPerHourPerServer > 0 {
		return nil
	}
	level, note := chooseLevel(speed, report.Variant, in.Concurrency)
	if level == nil {
		return nil
	}
	in.DocsPerHourPerServer = *level.DocumentsPerHour
	report.ThroughputSource, report.Concurrency = SourceMeasured, level.Concurrency
	return append(appendNote(nil, note), throughputNote(level))
}

// priceLoads computes the plan and the whole-workload result, with the
// share-weighted mean tokens when the run measured them.
func priceLoads(report *CostReport, in *tco.Inputs, loads []tco.CategoryLoad, measured bool) error {
	report.TokensSource = SourceGiven
	if len(loads) > 0 {
		plan, err := tco.PlanRoutes(*in, loads)
		if err != nil {
			return err
		}
		report.Plan = &plan
		if measured {
			in.InputTokensPerDoc, in.OutputTokensPerDoc = 0, 0
			for i, route := range plan.Routes {
				in.InputTokensPerDoc += route.Share * loads[i].InputTokensPerDoc
				in.OutputTokensPerDoc += route.Share * loads[i].OutputTokensPerDoc
			}
			report.TokensSource = SourceMeasured
		}
	}
	if !measured && in.InputTokensPerDoc == 0 && in.OutputTokensPerDoc == 0 {
		report.TokensSource = SourceNone
	}

	result, err := tco.Compute(*in)
	if err != nil {
		return err
	}
	if report.TokensSource == SourceNone {
		result.Notes = append(result.Notes, "No tokens per document measured or given: the API cost is 0. Give input_tokens_per_doc and output_tokens_per_doc.")
	}
	report.Result = result
	return nil
}

// resolvePreset fills the API prices that in leaves at 0 from its preset.
func resolvePreset(in *tco.Inputs) error {
	if in.Preset == "" {
		return nil
	}
	presets, err := tco.LoadPresets("")
	if err != nil {
		return err
	}
	preset, err := presets.Lookup(in.Preset)
	if err != nil {
		return fmt.Errorf("tco.preset: %w", err)
	}
	if in.APIInputPrice == 0 {
		in.APIInputPrice = preset.InputPerMTok
	}
	if in.APIOutputPrice == 0 {
		in.APIOutputPrice = preset.OutputPerMTok
	}
	return nil
}

// chooseVariant returns the model to price: requested when it is a model of the
// run, else the variant with the fewest bits per weight (the candidate a
// local deployment would use), else the first model.
func chooseVariant(s *Summary, requested string) (string, string) {
	names := make([]string, 0, len(s.Run.Models))
	for _, m := range s.Run.Models {
		if m.Name == requested {
			return requested, ""
		}
		names = append(names, m.Name)
	}
	chosen, fewest := "", math.Inf(1)
	for _, m := range s.Run.Models {
		if m.Role == RoleBaseline {
			continue
		}
		if bits := bitsPerWeight(m.Quantization); chosen == "" || bits < fewest {
			chosen, fewest = m.Name, bits
		}
	}
	if chosen == "" && len(s.Run.Models) > 0 {
		chosen = s.Run.Models[0].Name
	}
	if requested != "" {
		return chosen, fmt.Sprintf("tco.variant %q is not a model of this run (%s): priced %s instead.", requested, strings.Join(names, ", "), chosen)
	}
	return chosen, ""
}

// chooseLevel returns the variant's throughput level to price: the one at
// concurrency when given and measured, else the one with the most documents
// per hour, with a note when concurrency was given but not measured. It
// returns nil when no level has a documents-per-hour rate; tco.Compute then
// notes the unknown capacity.
func chooseLevel(speed *SpeedReport, variant string, concurrency int) (*LevelSpeed, string) {
	if speed == nil {
		return nil, ""
	}
	var best, exact *LevelSpeed
	for i := range speed.Levels {
		level := &speed.Levels[i]
		if level.Model != variant || level.DocumentsPerHour == nil || *level.DocumentsPerHour <= 0 {
			continue
		}
		if level.Concurrency == concurrency {
			exact = level
		}
		if best == nil || *level.DocumentsPerHour > *best.DocumentsPerHour {
			best = level
		}
	}
	switch {
	case best == nil:
		return nil, ""
	case exact != nil:
		return exact, ""
	case concurrency != 0:
		return best, fmt.Sprintf("tco.concurrency %d was not measured for %s: used concurrency %d, its best level.", concurrency, variant, best.Concurrency)
	}
	return best, ""
}

func throughputNote(level *LevelSpeed) string {
	note := fmt.Sprintf("Documents per hour: %s at concurrency %d, measured on the throughput phase's synthetic requests", tco.FormatCount(*level.DocumentsPerHour), level.Concurrency)
	if level.PromptLength.Mean != nil && level.OutputLength.Mean != nil {
		note += fmt.Sprintf(" (%.0f prompt and %.0f output tokens on average)", *level.PromptLength.Mean, *level.OutputLength.Mean)
	}
	return note + ", not on the datasets' documents."
}

// categoryLoads builds one load per category the variant was scored on,
// with its share, tokens and verdict. A category's tokens are its measured
// means unless keepTokens is set or it has none, and in's tokens otherwise.
// measured reports whether any category's tokens came from the run.
func categoryLoads(s *Summary, variant string, in tco.Inputs, keepTokens bool) ([]tco.CategoryLoad, bool, []string) {
	var notes []string
	verdicts := map[string]string{}
	for _, c := range s.Comparisons {
		if c.Variant == variant {
			verdicts[c.Category] = c.Verdict
		}
	}

	measured := false
	var unmeasured []string
	var loads []tco.CategoryLoad
	for _, c := range s.Categories {
		if c.Model != variant {
			continue
		}
		load := tco.CategoryLoad{Category: c.Category, Share: in.CategoryShares[c.Category], Verdict: verdicts[c.Category]}
		if load.Verdict == "" {
			load.Verdict = VerdictNA
		}
		load.InputTokensPerDoc, load.OutputTokensPerDoc = in.InputTokensPerDoc, in.OutputTokensPerDoc
		switch {
		case keepTokens:
		case c.MeanInputTokens != nil && c.MeanOutputTokens != nil:
			load.InputTokensPerDoc, load.OutputTokensPerDoc = *c.MeanInputTokens, *c.MeanOutputTokens
			measured = true
		default:
			unmeasured = append(unmeasured, c.Category)
		}
		loads = append(loads, load)
	}
	sort.Slice(loads, func(i, j int) bool { return loads[i].Category < loads[j].Category })
	sort.Strings(unmeasured)

	if measured && len(unmeasured) > 0 {
		notes = append(notes, fmt.Sprintf("No token counts measured for %s: priced at the given %.6g input and %.6g output tokens per document.",
			strings.Join(unmeasured, ", "), in.InputTokensPerDoc, in.OutputTokensPerDoc))
	}
	if measured && (in.InputTokensPerDoc != 0 || in.OutputTokensPerDoc != 0) {
		notes = append(notes, fmt.Sprintf("Tokens per document are the datasets' measured means, not the given %.6g input and %.6g output: give --input-tokens and --output-tokens to quantbench tco to price your own documents.",
			in.InputTokensPerDoc, in.OutputTokensPerDoc))
	}
	return loads, measured, append(notes, shareNotes(loads, in.CategoryShares)...)
}

// shareNotes explains shares that name no category of the run, and run
// categories left without a share when others have one.
func shareNotes(loads []tco.CategoryLoad, shares map[string]float64) []string {
	if len(shares) == 0 {
		return nil
	}
	var notes []string
	inRun := map[string]bool{}
	var unshared []string
	for _, load := range loads {
		inRun[load.Category] = true
		if _, ok := shares[load.Category]; !ok {
			unshared = append(unshared, load.Category)
		}
	}
	var unknown []string
	for category := range shares {
		if !inRun[category] {
			unknown = append(unknown, category)
		}
	}
	sort.Strings(unknown)
	if len(unknown) > 0 {
		notes = append(notes, fmt.Sprintf("tco.category_shares names categories this run did not score (%s): their shares are left out.", strings.Join(unknown, ", ")))
	}
	if len(unshared) > 0 && len(unshared) < len(loads) {
		notes = append(notes, fmt.Sprintf("tco.category_shares gives no share for %s: priced at 0 documents.", strings.Join(unshared, ", ")))
	}
	return notes
}

func appendNote(notes []string, note string) []string {
	if note == "" {
		return notes
	}
	return append(notes, note)
}

// quantBits matches the bit count in a quantization level such as Q4_K_M,
// IQ3_XXS, F16 or BF16.
var quantBits = regexp.MustCompile(`(?i)^(?:IQ|Q|BF|F)(\d+)`)

// bitsPerWeight returns the nominal bits per weight of a quantization level,
// or +Inf when the level cannot be read.
func bitsPerWeight(level string) float64 {
	m := quantBits.FindStringSubmatch(level)
	if m == nil {
		return math.Inf(1)
	}
	bits, err := strconv.Atoi(m[1])
	if err != nil {
		return math.Inf(1)
	}
	return float64(bits)
}
