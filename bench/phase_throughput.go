package bench

import (
	"context"
	"fmt"
	"log/slog"
	"net"
	"net/url"
	"os"
	"path/filepath"

	"github.com/quantbench/quantbench/bench/telemetry"
	"github.com/quantbench/quantbench/bench/throughput"
	"github.com/quantbench/quantbench/results"
)

// ThroughputSection is the suite's throughput phase: the same workload
// settings as `quantbench throughput`.
type ThroughputSection = throughput.Config

// executeThroughput runs the speed phase on every model of the suite, on the
// first host, after the quality phase. A resumed run measures the phase
// again from the start, so its figures never mix two sessions' conditions.
func (s *runState) executeThroughput(ctx context.Context) error {
	path := filepath.Join(s.dir, results.ThroughputFile)
	out, err := os.Create(path)
	if err != nil {
		return fmt.Errorf("create %s: %w", path, err)
	}
	defer out.Close()

	opts := []throughput.Option{
		throughput.WithRunID(s.runID),
		throughput.WithModelInfo(s.manifest.Models),
		throughput.WithLevelDone(func(l throughput.LevelResult) {
			slog.Info("throughput level finished", "model", l.Model, "concurrency", l.Concurrency,
				"requests", len(l.Records), "output_tokens_per_s", fmt.Sprintf("%.1f", l.OutputTPS))
		}),
	}
	if len(s.manifest.Machine.GPUs) > 0 {
		sampler, err := telemetry.StartFileSampler(ctx, filepath.Join(s.dir, results.TelemetryFile), telemetry.DefaultInterval)
		if err != nil {
			slog.Warn("GPU telemetry disabled", "error", err)
		} else {
			defer func() {
				if err := sampler.Stop(); err != nil {
					slog.Warn("GPU telemetry incomplete", "error", err)
				}
			}()
			opts = append(opts, throughput.WithPhaseMarker(sampler))
		}
	}

	slog.Info("throughput phase started", "models", len(s.models), "host", s.hosts[0])
	if err := throughput.Run(ctx, s.clients[0], *s.suite.Throughput, s.suite.Models(), out, opts...); err != nil {
		return fmt.Errorf("throughput phase: %w", err)
	}
	return out.Sync()
}

// DescribeMachine records the CPU and GPUs of this machine when every host
// is on it; for a remote server the GPU columns stay blank with the reason.
func DescribeMachine(ctx context.Context, hosts []string) results.MachineInfo {
	for _, host := range hosts {
		u, err := url.Parse(host)
		if err != nil || !IsLoopback(u.Hostname()) {
			return results.MachineInfo{GPUReason: fmt.Sprintf("the server %s is not on this machine, so its GPU cannot be sampled", host)}
		}
	}
	return telemetry.Machine(ctx)
}

// IsLoopback reports whether hostname names this machine.
func IsLoopback(hostname string) bool {
	if hostname == "localhost" {
		return true
	}
	ip := net.ParseIP(hostname)
	return ip != nil && ip.IsLoopback()
}
