package bench

import (
	"context"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/url"

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
	slog.Info("throughput phase started", "models", len(s.models), "host", s.hosts[0])
	logLevel := throughput.WithLevelDone(func(l throughput.LevelResult) {
		slog.Info("throughput level finished", "model", l.Model, "concurrency", l.Concurrency,
			"requests", len(l.Records), "output_tokens_per_s", fmt.Sprintf("%.1f", l.OutputTPS))
	})
	base, err := url.Parse(s.hosts[0])
	if err != nil {
		return fmt.Errorf("throughput phase: %w", err)
	}
	transport := http.DefaultTransport.(*http.Transport).Clone()
	transport.MaxIdleConnsPerHost = s.suite.Throughput.WithDefaults().ConcurrencyMax + 1
	endpoint := throughput.WithEndpoint(base, &http.Client{Transport: transport})
	if err := throughput.RunInFolder(ctx, s.clients[0], *s.suite.Throughput, s.dir, s.manifest, endpoint, logLevel); err != nil {
		return fmt.Errorf("throughput phase: %w", err)
	}
	return nil
}

// DescribeMachine records the CPU and GPUs of this machine when every host
// is on it. For a remote server the GPU columns stay blank, with the reason.
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
