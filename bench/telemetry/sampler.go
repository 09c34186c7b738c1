// Package telemetry samples NVIDIA GPUs with nvidia-smi while a benchmark
// runs, describes the machine (CPU model and cores, GPUs and their memory
// bandwidth), and holds the GPU memory-bandwidth table used for the
// single-stream decode ceiling.
package telemetry

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/quantbench/quantbench/results"
)

// sampleQuery lists the nvidia-smi fields of a sample, in column order.
const sampleQuery = "index,name,memory.used,utilization.gpu,power.draw,clocks.sm"

// DefaultInterval is the sampling period: two samples a second.
const DefaultInterval = 500 * time.Millisecond

// ErrNoNvidiaSMI means nvidia-smi is not on PATH, so there is no GPU telemetry.
var ErrNoNvidiaSMI = errors.New("nvidia-smi not found on PATH")

// Sampler runs `nvidia-smi --query-gpu=... --format=csv,noheader,nounits
// -lms N` and writes each reading as a results.TelemetrySample JSON line,
// tagged with the phase set by SetPhase. Readings of all GPUs printed in
// one period share one Time. It implements throughput.PhaseMarker.
type Sampler struct {
	out io.Writer
	// file is closed by Stop when the sampler opened it (StartFileSampler).
	file *os.File

	mu          sync.Mutex
	model       string
	concurrency int
	samples     int
	writeErr    error
	exitedEarly bool

	cancel  context.CancelFunc
	cmd     *exec.Cmd
	stderr  *bytes.Buffer
	stopped atomic.Bool
	done    chan struct{}
}

// StartSampler starts nvidia-smi sampling every interval and writes samples
// to out until Stop. It returns ErrNoNvidiaSMI when nvidia-smi is not on PATH.
func StartSampler(ctx context.Context, out io.Writer, interval time.Duration) (*Sampler, error) {
	path, err := exec.LookPath("nvidia-smi")
	if err != nil {
		return nil, ErrNoNvidiaSMI
	}
	if interval <= 0 {
		interval = DefaultInterval
	}

	ctx, cancel := context.WithCancel(ctx)
	cmd := exec.CommandContext(ctx, path, "--query-gpu="+sampleQuery, "--format=csv,noheader,nounits",
		"-lms", strconv.FormatInt(interval.Milliseconds(), 10))
	cmd.WaitDelay = time.Second
	stderr := &bytes.Buffer{}
	cmd.Stderr = stderr
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		cancel()
		return nil, fmt.Errorf("nvidia-smi: %w", err)
	}
	if err := cmd.Start(); err != nil {
		cancel()
		return nil, fmt.Errorf("start nvidia-smi: %w", err)
	}

	s := &Sampler{out: out, cancel: cancel, cmd: cmd, stderr: stderr, done: make(chan struct{})}
	go s.read(stdout)
	return s, nil
}

// StartFileSampler starts sampling into the file at path, typically a
// results folder's telemetry.jsonl, created or truncated: samples of an
// earlier session would carry the same model and level tags and mix into
// its power figures. Stop closes it.
// It returns ErrNoNvidiaSMI, without creating the file, when nvidia-smi is
// not on PATH.
func StartFileSampler(ctx context.Context, path string, interval time.Duration) (*Sampler, error) {
	if _, err := exec.LookPath("nvidia-smi"); err != nil {
		return nil, ErrNoNvidiaSMI
	}
	file, err := os.Create(path)
	if err != nil {
		return nil, fmt.Errorf("create telemetry file: %w", err)
	}
	s, err := StartSampler(ctx, file, interval)
	if err != nil {
		file.Close()
		return nil, err
	}
	s.file = file
	return s, nil
}

// SetPhase tags the following samples with model and concurrency.
func (s *Sampler) SetPhase(model string, concurrency int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.model, s.concurrency = model, concurrency
}

// Samples returns the number of samples written so far.
func (s *Sampler) Samples() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.samples
}

// Stop ends nvidia-smi, waits for the last sample to be written, closes the
// file of StartFileSampler and returns the first write error, if any. It returns no error for the process being
// killed.
func (s *Sampler) Stop() error {
	s.stopped.Store(true)
	s.cancel()
	// Wait closes the output pipe, which ends read, even when a child of
	// nvidia-smi (or of a wrapper script) still holds it open.
	_ = s.cmd.Wait()
	<-s.done
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.exitedEarly && s.stderr.Len() > 0 {
		slog.Warn("telemetry: nvidia-smi error output", "stderr", strings.TrimSpace(s.stderr.String()))
	}
	if s.file != nil {
		if err := s.file.Close(); err != nil && s.writeErr == nil {
			s.writeErr = fmt.Errorf("close telemetry file: %w", err)
		}
		s.file = nil
	}
	return s.writeErr
}

// read parses nvidia-smi's lines until its output closes. A new period
// starts when a GPU index is not greater than the previous line's.
func (s *Sampler) read(r io.Reader) {
	defer close(s.done)
	scanner := bufio.NewScanner(r)
	var (
		instant   time.Time
		lastIndex = -1
		skipped   int
	)
	for scanner.Scan() {
		sample, err := parseSample(scanner.Text())
		if err != nil {
			skipped++
			if skipped <= 3 {
				slog.Warn("telemetry: skipping an unreadable nvidia-smi line", "err", err)
			}
			continue
		}
		if sample.GPU <= lastIndex || instant.IsZero() {
			instant = time.Now()
		}
		lastIndex = sample.GPU
		sample.Time = instant
		s.write(sample)
	}
	if skipped > 3 {
		slog.Warn("telemetry: skipped unreadable nvidia-smi lines", "count", skipped)
	}
	if !s.stopped.Load() {
		s.mu.Lock()
		s.exitedEarly = true
		s.mu.Unlock()
		slog.Warn("telemetry: nvidia-smi stopped before the run ended; later phases have no GPU samples")
	}
}

func (s *Sampler) write(sample results.TelemetrySample) {
	s.mu.Lock()
	defer s.mu.Unlock()
	sample.Model, sample.Concurrency = s.model, s.concurrency
	line, err := json.Marshal(sample)
	if err == nil {
		_, err = s.out.Write(append(line, '\n'))
	}
	if err != nil && s.writeErr == nil {
		s.writeErr = fmt.Errorf("write telemetry sample: %w", err)
		return
	}
	s.samples++
}

// parseSample parses one CSV line of sampleQuery's columns. A value
// nvidia-smi cannot report ("[N/A]", "[Not Supported]") is left nil.
func parseSample(line string) (results.TelemetrySample, error) {
	fields := strings.Split(line, ",")
	if len(fields) != 6 {
		return results.TelemetrySample{}, fmt.Errorf("%d columns in %q, expected 6 (%s)", len(fields), line, sampleQuery)
	}
	for i := range fields {
		fields[i] = strings.TrimSpace(fields[i])
	}
	index, err := strconv.Atoi(fields[0])
	if err != nil {
		return results.TelemetrySample{}, fmt.Errorf("invalid GPU index %q in %q", fields[0], line)
	}
	return results.TelemetrySample{
		GPU:            index,
		Name:           fields[1],
		MemoryUsedMiB:  parseValue(fields[2]),
		UtilizationPct: parseValue(fields[3]),
		PowerW:         parseValue(fields[4]),
		ClockSMMHz:     parseValue(fields[5]),
	}, nil
}

// parseValue returns the number in v, or nil for a placeholder such as
// "[N/A]" or anything else that is not a number.
func parseValue(v string) *float64 {
	f, err := strconv.ParseFloat(v, 64)
	if err != nil {
		return nil
	}
	return &f
}
