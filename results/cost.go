package results

// CostReport is the cost model applied to the run's measurements.
type CostReport struct{}

// summarizeCost prices the run with the suite's TCO inputs, when it has them.
func summarizeCost(s *Summary) (*CostReport, []string, error) {
	// TODO: cost model.
	return nil, nil, nil
}
