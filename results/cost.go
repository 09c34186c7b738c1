package results

import "github.com/quantbench/quantbench/results/tco"

// CostReport is the cost model applied to the run's measurements.
type CostReport struct {
	// Variant is the model whose measured tokens and throughput were priced.
	Variant string `json:"variant"`
	// Concurrency is the throughput level whose documents per hour were used;
	// 0 when the run has no throughput measurement.
	Concurrency int `json:"concurrency,omitempty"`

	// TokensSource and ThroughputSource say where those inputs came from:
	// "measured", "suite" or "none".
	TokensSource     string `json:"tokens_source"`
	ThroughputSource string `json:"throughput_source"`

	// Result is the whole workload priced with volume-weighted mean tokens.
	Result tco.Result `json:"result"`
	// Plan is the per-category routing advice; nil when the run has no categories.
	Plan *tco.Plan `json:"plan,omitempty"`
}

// summarizeCost prices the run with the suite's TCO inputs, when it has them.
func summarizeCost(s *Summary) (*CostReport, []string, error) {
	// TODO: cost model.
	return nil, nil, nil
}
