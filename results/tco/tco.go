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
}
