package bench

import "github.com/quantbench/quantbench/results"

// DescribeMachine records the CPU and GPUs of this machine.
// TODO: wire to bench/telemetry when it lands.
func DescribeMachine() results.MachineInfo {
	return results.MachineInfo{}
}
