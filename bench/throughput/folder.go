package throughput

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"

	"github.com/ollama/ollama/api"

	"github.com/quantbench/quantbench/bench/telemetry"
	"github.com/quantbench/quantbench/results"
)

// RunInFolder runs the sweep on every model of m and writes the records to
// dir's throughput.jsonl. When m.Machine lists a GPU, it samples nvidia-smi
// into dir's telemetry.jsonl meanwhile. Both files are truncated first: a
// level's wall time runs from its first request to its last, so records of
// two sessions must not mix. It is the throughput phase of a run
// and of `quantbench throughput`. The run id and model facts come from m,
// and opts are applied after them, so they may override them.
func RunInFolder(ctx context.Context, client *api.Client, cfg Config, dir string, m *results.RunManifest, opts ...Option) error {
	path := filepath.Join(dir, results.ThroughputFile)
	file, err := os.Create(path)
	if err != nil {
		return fmt.Errorf("create %s: %w", path, err)
	}
	defer file.Close()

	all := []Option{WithRunID(m.RunID), WithModelInfo(m.Models)}
	if len(m.Machine.GPUs) > 0 {
		sampler, err := telemetry.StartFileSampler(ctx, filepath.Join(dir, results.TelemetryFile), telemetry.DefaultInterval)
		if err != nil {
			slog.Warn("GPU telemetry disabled", "err", err)
		} else {
			defer func() {
				if err := sampler.Stop(); err != nil {
					slog.Warn("GPU telemetry incomplete", "err", err)
				}
			}()
			all = append(all, WithPhaseMarker(sampler))
		}
	}

	models := make([]string, len(m.Models))
	for i, info := range m.Models {
		models[i] = info.Name
	}
	runErr := Run(ctx, client, cfg, models, file, append(all, opts...)...)
	if err := file.Sync(); err != nil {
		return errors.Join(runErr, fmt.Errorf("sync %s: %w", path, err))
	}
	return runErr
}
