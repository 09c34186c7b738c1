package results

// SpeedReport is the throughput phase's summary.
type SpeedReport struct{}

// summarizeSpeed reads throughput.jsonl and telemetry.jsonl, when present.
func summarizeSpeed(dir string, m *RunManifest) (*SpeedReport, error) {
	// TODO: throughput summary.
	return nil, nil
}
