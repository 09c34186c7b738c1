package telemetry

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strings"
	"time"

	"github.com/quantbench/quantbench/results"
)

// Machine describes this machine: CPU model and logical core count from
// /proc/cpuinfo, and each NVIDIA GPU with its memory bandwidth from the
// table in Bandwidth. Without a usable nvidia-smi, GPUs is empty and
// GPUReason contains the reason.
func Machine(ctx context.Context) results.MachineInfo {
	var info results.MachineInfo
	if f, err := os.Open("/proc/cpuinfo"); err == nil {
		info.CPUModel, info.CPUCores = parseCPUInfo(f)
		f.Close()
	}
	info.GPUs, info.GPUReason = probeGPUs(ctx)
	return info
}

// parseCPUInfo returns the first "model name" of a /proc/cpuinfo text and
// its number of "processor" entries (logical cores).
func parseCPUInfo(r io.Reader) (string, int) {
	var model string
	var cores int
	scanner := bufio.NewScanner(r)
	for scanner.Scan() {
		key, value, ok := strings.Cut(scanner.Text(), ":")
		if !ok {
			continue
		}
		switch strings.TrimSpace(key) {
		case "processor":
			cores++
		case "model name":
			if model == "" {
				model = strings.TrimSpace(value)
			}
		}
	}
	return model, cores
}

// probeGPUs lists the GPUs nvidia-smi reports, or returns the reason there
// are none.
func probeGPUs(ctx context.Context) ([]results.GPUInfo, string) {
	path, err := exec.LookPath("nvidia-smi")
	if err != nil {
		return nil, ErrNoNvidiaSMI.Error()
	}
	ctx, cancel := context.WithTimeout(ctx, 15*time.Second)
	defer cancel()
	out, err := exec.CommandContext(ctx, path, "--query-gpu=name,memory.total,driver_version", "--format=csv,noheader,nounits").Output()
	if err != nil {
		var exitErr *exec.ExitError
		if errors.As(err, &exitErr) {
			return nil, fmt.Sprintf("nvidia-smi failed: %v: %s", err, strings.TrimSpace(string(exitErr.Stderr)))
		}
		return nil, fmt.Sprintf("nvidia-smi failed: %v", err)
	}
	gpus := parseGPUs(string(out))
	if len(gpus) == 0 {
		return nil, "nvidia-smi lists no GPU"
	}
	return gpus, ""
}

// parseGPUs parses nvidia-smi's name,memory.total,driver_version CSV lines.
func parseGPUs(out string) []results.GPUInfo {
	var gpus []results.GPUInfo
	for line := range strings.Lines(out) {
		fields := strings.Split(line, ",")
		if len(fields) != 3 {
			continue
		}
		gpu := results.GPUInfo{Name: strings.TrimSpace(fields[0]), Driver: strings.TrimSpace(fields[2])}
		if mem := parseValue(strings.TrimSpace(fields[1])); mem != nil {
			gpu.MemoryMiB = *mem
		}
		gpu.BandwidthGB, _ = Bandwidth(gpu.Name, gpu.MemoryMiB)
		gpus = append(gpus, gpu)
	}
	return gpus
}
