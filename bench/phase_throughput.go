package bench

import (
	"context"

	"github.com/quantbench/quantbench/bench/throughput"
)

// ThroughputSection is the suite's throughput phase: the same workload
// settings as `quantbench throughput`.
type ThroughputSection = throughput.Config

// executeThroughput runs the speed phase on every model of the suite.
// TODO: wire to bench/throughput when its runner lands.
func (s *runState) executeThroughput(ctx context.Context) error {
	return nil
}
