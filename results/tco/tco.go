// Package tco is the total-cost-of-ownership model: what an API costs for a
// workload against what a local server costs, and where the two cross.
package tco

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
	// empty means the first quantised variant.
	Variant string `json:"variant,omitempty" yaml:"variant,omitempty"`
	// Concurrency is the throughput sweep level whose documents per hour are
	// used; 0 means the level with the highest documents per hour.
	Concurrency int `json:"concurrency,omitempty" yaml:"concurrency,omitempty"`
}

// Result is the cost model's output for one set of Inputs. Money is in US
// dollars. A pointer field is nil when its value is undefined, and Notes says why.
type Result struct {
	// Inputs are the inputs as used, with defaults filled in.
	Inputs Inputs `json:"inputs"`

	// APICostPerDoc is InputTokensPerDoc*APIInputPrice/1e6 + OutputTokensPerDoc*APIOutputPrice/1e6.
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
	// more than one server can process, so local never pays off at any volume.
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

	APICostPerDoc   float64 `json:"api_cost_per_doc"`
	APICostPerMonth float64 `json:"api_cost_per_month"`
	// BreakEvenDocsPerMonth is the category's own break-even volume for one
	// server; nil when its API cost per document is 0.
	BreakEvenDocsPerMonth *float64 `json:"break_even_docs_per_month"`

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
