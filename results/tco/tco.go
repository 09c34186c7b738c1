// Package tco is the total-cost-of-ownership model: what an API costs for a
// workload against what a local server costs, and where the two cross.
//
// Every function here is pure: Compute prices one workload, PlanRoutes splits
// it by task category, and the presets file supplies API prices by name.
// Money is in US dollars, volumes in documents, and a month is HoursPerMonth
// hours (a year of 8,760 hours divided by 12).
package tco

import (
	"errors"
	"fmt"
	"math"
)

// Model constants.
const (
	// HoursPerMonth is 8,760 hours a year divided by 12.
	HoursPerMonth = 730.0
	// DefaultUtilisation is the target utilisation used when Inputs leaves it
	// at 0, leaving 30% headroom for bursts and restarts.
	DefaultUtilisation = 0.7
	// PaybackHorizonMonths is how far ahead PaybackMonth looks.
	PaybackHorizonMonths = 60
	// VerdictPass is the quality verdict that allows routing a category locally.
	VerdictPass = "PASS"
	// MaxServers bounds the server count so that absurd inputs fail clearly.
	MaxServers = 1_000_000
)

// Inputs are the cost model's inputs. Money is in US dollars.
type Inputs struct {
	// VolumePerMonth is the number of documents processed per month.
	VolumePerMonth float64 `json:"volume_per_month" yaml:"volume_per_month"`

	InputTokensPerDoc  float64 `json:"input_tokens_per_doc" yaml:"input_tokens_per_doc"`
	OutputTokensPerDoc float64 `json:"output_tokens_per_doc" yaml:"output_tokens_per_doc"`

	// Preset names an API price preset; explicit prices override it.
	Preset string `json:"preset,omitempty" yaml:"preset,omitempty"`
	// API prices per million tokens.
	APIInputPrice  float64 `json:"api_input_price_per_mtok" yaml:"api_input_price_per_mtok"`
	APIOutputPrice float64 `json:"api_output_price_per_mtok" yaml:"api_output_price_per_mtok"`

	Capex            float64 `json:"capex" yaml:"capex"`
	PowerRackMonth   float64 `json:"power_rack_per_month" yaml:"power_rack_per_month"`
	MaintenanceMonth float64 `json:"maintenance_per_month" yaml:"maintenance_per_month"`
	Engineering      float64 `json:"engineering_one_time" yaml:"engineering_one_time"`

	// DocsPerHourPerServer is measured throughput at the chosen concurrency;
	// 0 means unknown, and capacity is then not computed.
	DocsPerHourPerServer float64 `json:"docs_per_hour_per_server,omitempty" yaml:"docs_per_hour_per_server,omitempty"`
	// Utilisation is the target fraction of the hours in a month a server is busy.
	Utilisation float64 `json:"utilisation,omitempty" yaml:"utilisation,omitempty"`

	// CategoryShares maps a task category to its fraction of VolumePerMonth.
	// Empty means equal shares over the categories of the run.
	CategoryShares map[string]float64 `json:"category_shares,omitempty" yaml:"category_shares,omitempty"`
	// Variant names the model whose measured tokens and throughput price a run;
	// empty means the variant with the fewest bits per weight.
	Variant string `json:"variant,omitempty" yaml:"variant,omitempty"`
	// Concurrency is the throughput sweep level whose documents per hour are
	// used; 0 means the level with the highest documents per hour.
	Concurrency int `json:"concurrency,omitempty" yaml:"concurrency,omitempty"`
}

// Result is the cost model's output for one set of Inputs. Money is in US
// dollars. A pointer field is nil when its value is undefined, and Notes
// explains why.
type Result struct {
	// Inputs are the inputs as used, with defaults filled in.
	Inputs Inputs `json:"inputs"`

	// APICostPerDoc is (InputTokensPerDoc*APIInputPrice + OutputTokensPerDoc*APIOutputPrice) / 1e6.
	APICostPerDoc   float64 `json:"api_cost_per_doc"`
	APICostPerMonth float64 `json:"api_cost_per_month"`
	APICostPerYear  float64 `json:"api_cost_per_year"`

	// CapacityDocsPerMonth is one server's capacity:
	// DocsPerHourPerServer * HoursPerMonth * Utilisation; nil without throughput.
	CapacityDocsPerMonth *float64 `json:"capacity_docs_per_month_per_server"`
	// Servers is ceil(VolumePerMonth / CapacityDocsPerMonth), at least 1; 1 when
	// the capacity is unknown.
	Servers int `json:"servers"`

	// LocalOpexPerMonth is Servers * (PowerRackMonth + MaintenanceMonth).
	LocalOpexPerMonth float64 `json:"local_opex_per_month"`
	// LocalCostYear1 is Servers*Capex + Engineering + 12*LocalOpexPerMonth.
	LocalCostYear1 float64 `json:"local_cost_year1"`
	// LocalCostYear2 is 12*LocalOpexPerMonth, the cost of every year after the first.
	LocalCostYear2 float64 `json:"local_cost_year2"`

	// SavingsYear1 and SavingsYear2 are APICostPerYear minus the local cost of
	// that year; negative when local costs more.
	SavingsYear1 float64 `json:"savings_year1"`
	SavingsYear2 float64 `json:"savings_year2"`

	// BreakEvenDocsPerYear is (Capex + 12*(PowerRackMonth+MaintenanceMonth)) /
	// APICostPerDoc for one server; nil when APICostPerDoc is 0.
	BreakEvenDocsPerYear  *float64 `json:"break_even_docs_per_year"`
	BreakEvenDocsPerMonth *float64 `json:"break_even_docs_per_month"`
	// The same with the one-time Engineering added to the numerator.
	BreakEvenWithEngineeringDocsPerYear  *float64 `json:"break_even_with_engineering_docs_per_year"`
	BreakEvenWithEngineeringDocsPerMonth *float64 `json:"break_even_with_engineering_docs_per_month"`
	// BreakEvenAboveCapacity is true when the break-even volume per month is
	// more than one server can process, so the local first-year cost stays
	// above the API's at any volume.
	BreakEvenAboveCapacity bool `json:"break_even_above_capacity"`

	// PaybackMonth is the first month, counted from 1, in which the cumulative
	// API cost reaches the cumulative local cost; nil if none within PaybackHorizonMonths.
	PaybackMonth *int `json:"payback_month"`

	// Warnings are caveats a reader must see next to the numbers.
	Warnings []string `json:"warnings,omitempty"`
	// Notes explain defaults and undefined values.
	Notes []string `json:"notes,omitempty"`
}

// CategoryLoad is one task category's part of the workload for routing.
type CategoryLoad struct {
	Category string `json:"category"`
	// Share is the category's fraction of the total monthly volume.
	Share              float64 `json:"share"`
	InputTokensPerDoc  float64 `json:"input_tokens_per_doc"`
	OutputTokensPerDoc float64 `json:"output_tokens_per_doc"`
	// Verdict is the quality verdict of the local variant on this category
	// ("PASS" means it keeps the baseline's quality within tolerance).
	Verdict string `json:"verdict"`
}

// Route is the routing recommendation for one category.
type Route struct {
	Category       string  `json:"category"`
	Share          float64 `json:"share"`
	VolumePerMonth float64 `json:"volume_per_month"`
	Verdict        string  `json:"verdict"`

	InputTokensPerDoc  float64 `json:"input_tokens_per_doc"`
	OutputTokensPerDoc float64 `json:"output_tokens_per_doc"`
	APICostPerDoc      float64 `json:"api_cost_per_doc"`
	APICostPerMonth    float64 `json:"api_cost_per_month"`
	// BreakEvenDocsPerMonth is the category's own break-even volume for one
	// server; nil when its API cost per document is 0.
	BreakEvenDocsPerMonth *float64 `json:"break_even_docs_per_month"`
	// Servers is the number of servers the category's volume needs alone
	// (1 when the capacity is unknown).
	Servers int `json:"servers"`

	// Recommendation is "local" or "api".
	Recommendation string `json:"recommendation"`
	Reason         string `json:"reason"`
}

// Plan is the hybrid routing plan and its monthly cost against all-API and all-local.
type Plan struct {
	Routes []Route `json:"routes"`

	LocalVolumePerMonth float64 `json:"local_volume_per_month"`
	// LocalServers is the number of servers the local share needs (0 when nothing is local).
	LocalServers int `json:"local_servers"`

	// Monthly costs. Year 1 spreads capex and engineering over 12 months; year 2
	// onwards is opex only.
	AllAPIPerMonth        float64 `json:"all_api_per_month"`
	AllLocalPerMonthYear1 float64 `json:"all_local_per_month_year1"`
	AllLocalPerMonthYear2 float64 `json:"all_local_per_month_year2"`
	HybridPerMonthYear1   float64 `json:"hybrid_per_month_year1"`
	HybridPerMonthYear2   float64 `json:"hybrid_per_month_year2"`

	Notes []string `json:"notes,omitempty"`
}

// Validate reports the first input that is negative, not a finite number, or
// out of range, naming its JSON field.
func (in Inputs) Validate() error {
	fields := []struct {
		name  string
		value float64
	}{
		{"volume_per_month", in.VolumePerMonth},
		{"input_tokens_per_doc", in.InputTokensPerDoc},
		{"output_tokens_per_doc", in.OutputTokensPerDoc},
		{"api_input_price_per_mtok", in.APIInputPrice},
		{"api_output_price_per_mtok", in.APIOutputPrice},
		{"capex", in.Capex},
		{"power_rack_per_month", in.PowerRackMonth},
		{"maintenance_per_month", in.MaintenanceMonth},
		{"engineering_one_time", in.Engineering},
		{"docs_per_hour_per_server", in.DocsPerHourPerServer},
		{"utilisation", in.Utilisation},
	}
	for _, f := range fields {
		if math.IsNaN(f.value) || math.IsInf(f.value, 0) {
			return fmt.Errorf("invalid %s %v: give a finite number", f.name, f.value)
		}
		if f.value < 0 {
			return fmt.Errorf("invalid %s %v: give 0 or more", f.name, f.value)
		}
	}
	if in.Utilisation > 1 {
		return fmt.Errorf("invalid utilisation %v: give a fraction in (0, 1], for example 0.7 for 70%%", in.Utilisation)
	}
	for category, share := range in.CategoryShares {
		if math.IsNaN(share) || math.IsInf(share, 0) || share < 0 {
			return fmt.Errorf("invalid category_shares.%s %v: give a fraction of 0 or more", category, share)
		}
	}
	if in.Concurrency < 0 {
		return fmt.Errorf("invalid concurrency %d: give 0 (best level) or a measured level", in.Concurrency)
	}
	return nil
}

// APICostPerDoc returns the API price of one document,
// (inputTokens*inputPrice + outputTokens*outputPrice) / 1e6, with prices per
// million tokens. The workbook's formula has the same order of operations.
func APICostPerDoc(inputTokens, outputTokens, inputPrice, outputPrice float64) float64 {
	return (inputTokens*inputPrice + outputTokens*outputPrice) / 1e6
}

// ServerCostFirstYear returns one server's capex plus its first 12 months of
// opex, the numerator of the break-even volume.
func ServerCostFirstYear(in Inputs) float64 {
	return in.Capex + 12*(in.PowerRackMonth+in.MaintenanceMonth)
}

// CapacityPerServer returns one server's documents per month,
// docsPerHour * HoursPerMonth * utilisation, and false when the throughput is unknown.
func CapacityPerServer(docsPerHour, utilisation float64) (float64, bool) {
	if docsPerHour <= 0 {
		return 0, false
	}
	return docsPerHour * HoursPerMonth * utilisation, true
}

// ServersNeeded returns ceil(volume / capacity), at least 1. Without a known
// capacity it returns 1.
func ServersNeeded(volume, capacity float64) int {
	if capacity <= 0 {
		return 1
	}
	return max(1, int(math.Ceil(volume/capacity)))
}

// BreakEvenDocsPerYear returns the yearly volume at which the API costs as
// much as fixedCost: fixedCost / costPerDoc, and false when costPerDoc is 0.
func BreakEvenDocsPerYear(fixedCost, costPerDoc float64) (float64, bool) {
	if costPerDoc <= 0 {
		return 0, false
	}
	return fixedCost / costPerDoc, true
}

// PaybackMonth returns the first month m (from 1) in which the cumulative API
// cost m*apiPerMonth reaches the cumulative local cost upfront + m*opexPerMonth,
// and false when that never happens within PaybackHorizonMonths. The month
// is max(1, ceil(upfront / (apiPerMonth - opexPerMonth))), the closed form the
// workbook uses too.
func PaybackMonth(upfront, apiPerMonth, opexPerMonth float64) (int, bool) {
	gain := apiPerMonth - opexPerMonth
	if gain <= 0 {
		return 1, gain == 0 && upfront == 0
	}
	month := max(1, math.Ceil(upfront/gain))
	if month > PaybackHorizonMonths {
		return 0, false
	}
	return int(month), true
}

// Compute prices the workload in: the API cost, the local cost with as many
// servers as the volume needs, the savings, the break-even volume and the
// payback month. It returns an error only for invalid inputs; undefined
// values are nil with a note, never NaN or infinity.
func Compute(in Inputs) (Result, error) {
	if err := in.Validate(); err != nil {
		return Result{}, err
	}
	r := Result{Inputs: in}
	if r.Inputs.Utilisation == 0 {
		r.Inputs.Utilisation = DefaultUtilisation
		if in.DocsPerHourPerServer > 0 {
			r.Notes = append(r.Notes, fmt.Sprintf("Utilisation not given: assumed %.0f%%.", DefaultUtilisation*100))
		}
	}

	r.APICostPerDoc = APICostPerDoc(in.InputTokensPerDoc, in.OutputTokensPerDoc, in.APIInputPrice, in.APIOutputPrice)
	r.APICostPerMonth = r.APICostPerDoc * in.VolumePerMonth
	r.APICostPerYear = 12 * r.APICostPerMonth

	if err := r.sizeServers(); err != nil {
		return Result{}, err
	}
	r.priceLocal()
	r.findBreakEven()
	r.findPayback()

	if err := r.checkFinite(); err != nil {
		return Result{}, err
	}
	return r, nil
}

// sizeServers sets the capacity per server and the servers the volume needs.
func (r *Result) sizeServers() error {
	capacity, known := CapacityPerServer(r.Inputs.DocsPerHourPerServer, r.Inputs.Utilisation)
	if !known {
		r.Servers = 1
		r.Notes = append(r.Notes, "Throughput unknown: capacity not computed, and one server is assumed to carry the volume. Give documents per hour (--docs-per-hour or --run) to size the servers.")
		return nil
	}
	r.CapacityDocsPerMonth = &capacity
	if r.Inputs.VolumePerMonth/capacity > MaxServers {
		return fmt.Errorf("volume_per_month %v needs more than %d servers of %s documents a month: check the volume and docs_per_hour_per_server",
			r.Inputs.VolumePerMonth, MaxServers, FormatCount(capacity))
	}
	r.Servers = ServersNeeded(r.Inputs.VolumePerMonth, capacity)
	if r.Servers > 1 {
		r.Warnings = append(r.Warnings, fmt.Sprintf(
			"%s documents a month need %d servers: one server carries %s a month (%s documents an hour × %.0f hours × %.0f%% utilisation), so capex and opex are multiplied by %d.",
			FormatCount(r.Inputs.VolumePerMonth), r.Servers, FormatCount(capacity),
			FormatCount(r.Inputs.DocsPerHourPerServer), HoursPerMonth, r.Inputs.Utilisation*100, r.Servers))
	}
	return nil
}

// priceLocal sets the local costs and the savings against the API.
func (r *Result) priceLocal() {
	in := r.Inputs
	servers := float64(r.Servers)
	r.LocalOpexPerMonth = servers * (in.PowerRackMonth + in.MaintenanceMonth)
	r.LocalCostYear1 = servers*in.Capex + in.Engineering + 12*r.LocalOpexPerMonth
	r.LocalCostYear2 = 12 * r.LocalOpexPerMonth
	r.SavingsYear1 = r.APICostPerYear - r.LocalCostYear1
	r.SavingsYear2 = r.APICostPerYear - r.LocalCostYear2
}

// findBreakEven sets the break-even volumes of one server.
func (r *Result) findBreakEven() {
	fixed := ServerCostFirstYear(r.Inputs)
	perYear, ok := BreakEvenDocsPerYear(fixed, r.APICostPerDoc)
	if !ok {
		r.Notes = append(r.Notes, "API cost per document is 0: break-even volume undefined.")
		return
	}
	perMonth := perYear / 12
	withEngineering := (fixed + r.Inputs.Engineering) / r.APICostPerDoc
	withEngineeringMonth := withEngineering / 12
	r.BreakEvenDocsPerYear, r.BreakEvenDocsPerMonth = &perYear, &perMonth
	r.BreakEvenWithEngineeringDocsPerYear, r.BreakEvenWithEngineeringDocsPerMonth = &withEngineering, &withEngineeringMonth

	if r.CapacityDocsPerMonth != nil && perMonth > *r.CapacityDocsPerMonth {
		r.BreakEvenAboveCapacity = true
		r.Warnings = append(r.Warnings, fmt.Sprintf(
			"Break-even is %s documents a month but one server carries only %s: every added server costs as much again, so the local first-year cost stays above the API's at any volume.",
			FormatCount(perMonth), FormatCount(*r.CapacityDocsPerMonth)))
	}
}

// findPayback sets the payback month at the given volume.
func (r *Result) findPayback() {
	upfront := float64(r.Servers)*r.Inputs.Capex + r.Inputs.Engineering
	month, ok := PaybackMonth(upfront, r.APICostPerMonth, r.LocalOpexPerMonth)
	if !ok {
		r.Notes = append(r.Notes, fmt.Sprintf("No payback within %d months at this volume: the cumulative API cost stays below the cumulative local cost.", PaybackHorizonMonths))
		return
	}
	r.PaybackMonth = &month
}

// errNotFinite is returned when inputs are so large that an output overflows.
var errNotFinite = errors.New("an output is not a finite number: the inputs are too large to price")

func (r *Result) checkFinite() error {
	values := []float64{r.APICostPerDoc, r.APICostPerMonth, r.APICostPerYear, r.LocalOpexPerMonth,
		r.LocalCostYear1, r.LocalCostYear2, r.SavingsYear1, r.SavingsYear2}
	for _, p := range []*float64{r.CapacityDocsPerMonth, r.BreakEvenDocsPerYear, r.BreakEvenDocsPerMonth,
		r.BreakEvenWithEngineeringDocsPerYear, r.BreakEvenWithEngineeringDocsPerMonth} {
		if p != nil {
			values = append(values, *p)
		}
	}
	for _, v := range values {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return errNotFinite
		}
	}
	return nil
}
