package results

// Comparison is the paired comparison of one variant with the baseline on one category.
type Comparison struct {
	Category string `json:"category"`
	Variant  string `json:"variant"`
	Baseline string `json:"baseline"`
}

// NoiseFloor is the baseline compared with its own second repeat.
type NoiseFloor struct {
	Category string `json:"category"`
}

// compareVariants pairs each variant's records with the baseline's.
func compareVariants(m *RunManifest, records []*Record) ([]Comparison, []NoiseFloor, []string) {
	// TODO: paired statistics.
	return nil, nil, nil
}
