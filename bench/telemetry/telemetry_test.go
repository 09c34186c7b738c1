package telemetry

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/quantbench/quantbench/results"
)

// fakeNvidiaSMI puts a shell script named nvidia-smi first on PATH. In
// sampling mode it prints two GPUs every 50 ms; the second reports
// utilisation and clock as unavailable, as some boards do.
func fakeNvidiaSMI(t *testing.T) {
	t.Helper()
	dir := t.TempDir()
	script := `#!/bin/sh
case "$1" in
--query-gpu=name,memory.total,driver_version)
  echo "NVIDIA L4, 23034, 550.54.15"
  echo "NVIDIA A100-SXM4-80GB, 81920, 550.54.15"
  exit 0;;
--query-gpu=index,name,memory.used,utilization.gpu,power.draw,clocks.sm)
  while true; do
    echo "0, NVIDIA L4, 1000, 50, 60.5, 1800"
    echo "1, NVIDIA A100-SXM4-80GB, 2000, [N/A], 30.25, [Not Supported]"
    sleep 0.05
  done;;
esac
echo "unexpected arguments: $*" >&2
exit 2
`
	if err := os.WriteFile(filepath.Join(dir, "nvidia-smi"), []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	t.Setenv("PATH", dir+string(os.PathListSeparator)+os.Getenv("PATH"))
}

// syncBuffer is a bytes.Buffer safe for the sampler's goroutine.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) samples(t *testing.T) []results.TelemetrySample {
	t.Helper()
	b.mu.Lock()
	defer b.mu.Unlock()
	var out []results.TelemetrySample
	scanner := bufio.NewScanner(bytes.NewReader(b.buf.Bytes()))
	for scanner.Scan() {
		var s results.TelemetrySample
		if err := json.Unmarshal(scanner.Bytes(), &s); err != nil {
			t.Fatalf("invalid sample line %q: %v", scanner.Text(), err)
		}
		out = append(out, s)
	}
	return out
}

func TestSamplerFakeNvidiaSMI(t *testing.T) {
	fakeNvidiaSMI(t)
	var out syncBuffer
	s, err := StartSampler(context.Background(), &out, 50*time.Millisecond)
	if err != nil {
		t.Fatal(err)
	}
	s.SetPhase("m:q4", 2)
	deadline := time.Now().Add(5 * time.Second)
	for s.Samples() < 6 && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	if err := s.Stop(); err != nil {
		t.Fatal(err)
	}

	samples := out.samples(t)
	if len(samples) < 6 {
		t.Fatalf("%d samples after 5 s, want at least 6", len(samples))
	}
	var tagged *results.TelemetrySample
	for i := range samples {
		if samples[i].Model == "m:q4" && samples[i].GPU == 0 {
			tagged = &samples[i]
		}
	}
	if tagged == nil {
		t.Fatal("no sample of GPU 0 tagged with the phase m:q4")
	}
	if tagged.Concurrency != 2 || tagged.Name != "NVIDIA L4" {
		t.Errorf("sample = %+v, want concurrency 2 on NVIDIA L4", *tagged)
	}
	if *tagged.MemoryUsedMiB != 1000 || *tagged.UtilizationPct != 50 || *tagged.PowerW != 60.5 || *tagged.ClockSMMHz != 1800 {
		t.Errorf("GPU 0 readings = %v MiB, %v %%, %v W, %v MHz; want 1000, 50, 60.5, 1800",
			*tagged.MemoryUsedMiB, *tagged.UtilizationPct, *tagged.PowerW, *tagged.ClockSMMHz)
	}
	for i := 1; i < len(samples); i++ {
		if samples[i].GPU != 1 {
			continue
		}
		if !samples[i].Time.Equal(samples[i-1].Time) {
			t.Errorf("GPU 1 sample at %v, GPU 0 of the same period at %v: want one time per period", samples[i].Time, samples[i-1].Time)
		}
		if samples[i].UtilizationPct != nil || samples[i].ClockSMMHz != nil {
			t.Errorf("GPU 1 unavailable fields = %v, %v; want nil", samples[i].UtilizationPct, samples[i].ClockSMMHz)
		}
		if samples[i].PowerW == nil || *samples[i].PowerW != 30.25 {
			t.Errorf("GPU 1 power = %v, want 30.25", samples[i].PowerW)
		}
	}
}

func TestFileSamplerWritesAndCloses(t *testing.T) {
	fakeNvidiaSMI(t)
	path := filepath.Join(t.TempDir(), "telemetry.jsonl")
	s, err := StartFileSampler(context.Background(), path, 50*time.Millisecond)
	if err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(5 * time.Second)
	for s.Samples() < 2 && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	if err := s.Stop(); err != nil {
		t.Fatal(err)
	}

	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Count(string(data), "\n")
	if lines < 2 || lines != s.Samples() {
		t.Errorf("file has %d lines, sampler counted %d; want equal and at least 2", lines, s.Samples())
	}
}

func TestSamplerWithoutNvidiaSMI(t *testing.T) {
	t.Setenv("PATH", t.TempDir())
	_, err := StartSampler(context.Background(), &syncBuffer{}, 0)
	if !errors.Is(err, ErrNoNvidiaSMI) {
		t.Errorf("error = %v, want ErrNoNvidiaSMI", err)
	}
	path := filepath.Join(t.TempDir(), "telemetry.jsonl")
	if _, err := StartFileSampler(context.Background(), path, 0); !errors.Is(err, ErrNoNvidiaSMI) {
		t.Errorf("file sampler error = %v, want ErrNoNvidiaSMI", err)
	}
	if _, err := os.Stat(path); !os.IsNotExist(err) {
		t.Errorf("telemetry file created without nvidia-smi: %v", err)
	}
	info := Machine(context.Background())
	if len(info.GPUs) != 0 || !strings.Contains(info.GPUReason, "nvidia-smi not found") {
		t.Errorf("machine = %+v, want no GPUs and the reason", info)
	}
}

func TestMachineFakeNvidiaSMI(t *testing.T) {
	fakeNvidiaSMI(t)
	info := Machine(context.Background())

	if len(info.GPUs) != 2 {
		t.Fatalf("GPUs = %+v, want 2", info.GPUs)
	}
	l4 := info.GPUs[0]
	if l4.Name != "NVIDIA L4" || l4.MemoryMiB != 23034 || l4.Driver != "550.54.15" || l4.BandwidthGB != 300 {
		t.Errorf("GPU 0 = %+v, want NVIDIA L4, 23034 MiB, driver 550.54.15, 300 GB/s", l4)
	}
	if info.GPUs[1].BandwidthGB != 2039 {
		t.Errorf("A100 80GB SXM bandwidth = %v, want 2039", info.GPUs[1].BandwidthGB)
	}
	if info.GPUReason != "" {
		t.Errorf("GPU reason = %q with GPUs present, want empty", info.GPUReason)
	}
}

func TestParseCPUInfo(t *testing.T) {
	text := "processor\t: 0\nmodel name\t: AMD EPYC 7R13 Processor\ncpu cores\t: 2\n\n" +
		"processor\t: 1\nmodel name\t: AMD EPYC 7R13 Processor\n"
	model, cores := parseCPUInfo(strings.NewReader(text))
	if model != "AMD EPYC 7R13 Processor" || cores != 2 {
		t.Errorf("cpuinfo = %q, %d cores; want AMD EPYC 7R13 Processor, 2", model, cores)
	}
}

func TestBandwidthTable(t *testing.T) {
	cases := []struct {
		name      string
		memoryMiB float64
		want      float64
	}{
		{"NVIDIA A10G", 23028, 600},
		{"NVIDIA A10", 23028, 600},
		{"NVIDIA L4", 23034, 300},
		{"NVIDIA L40S", 46068, 864},
		{"NVIDIA GeForce RTX 4090", 24564, 1008},
		{"NVIDIA A100-SXM4-40GB", 40960, 1555},
		{"NVIDIA A100-PCIE-40GB", 40960, 1555},
		{"NVIDIA A100-SXM4-80GB", 81920, 2039},
		{"NVIDIA A100 80GB PCIe", 81920, 1935},
		{"NVIDIA A100", 81920, 2039},
		{"NVIDIA H100 80GB HBM3", 81559, 3350},
		{"NVIDIA H100 PCIe", 81559, 2000},
		{"NVIDIA H100 NVL", 95830, 3900},
		{"NVIDIA H200", 143771, 4800},
		{"Tesla T4", 15360, 320},
	}
	for _, c := range cases {
		got, ok := Bandwidth(c.name, c.memoryMiB)
		if !ok || got != c.want {
			t.Errorf("Bandwidth(%q) = %v, %v; want %v", c.name, got, ok, c.want)
		}
	}
	if got, ok := Bandwidth("NVIDIA A100", 0); ok {
		t.Errorf("A100 of unknown memory = %v, want unknown", got)
	}
	if got, ok := Bandwidth("Quadro K620", 2000); ok {
		t.Errorf("Quadro K620 = %v, want not in the table", got)
	}
}

func TestSamplerNvidiaSMIFailsEarly(t *testing.T) {
	dir := t.TempDir()
	script := "#!/bin/sh\necho 'NVIDIA-SMI has failed because it could not communicate with the NVIDIA driver.' >&2\nexit 9\n"
	if err := os.WriteFile(filepath.Join(dir, "nvidia-smi"), []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	t.Setenv("PATH", dir)

	var out syncBuffer
	s, err := StartSampler(context.Background(), &out, 50*time.Millisecond)
	if err != nil {
		t.Fatal(err)
	}
	select {
	case <-s.done: // nvidia-smi exited and its output is read
	case <-time.After(10 * time.Second):
		t.Fatal("the failing nvidia-smi was not noticed within 10 s")
	}
	if err := s.Stop(); err != nil {
		t.Errorf("Stop = %v, want nil: a failed nvidia-smi leaves the run without samples, not failed", err)
	}
	if n := s.Samples(); n != 0 {
		t.Errorf("samples = %d, want 0", n)
	}
	if !s.exitedEarly {
		t.Error("early exit not noticed")
	}
}
