package report

import (
	"bufio"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"sync"
	"testing"
	"time"

	"github.com/quantbench/quantbench/evaluators"
	"github.com/quantbench/quantbench/results"
)

var benchRecords = flag.Int("bench-records", 1_000_000, "number of records BenchmarkWorkbookMillionRecords generates")

// BenchmarkWorkbookMillionRecords writes the workbook of a generated run with
// -bench-records records (1,000,000 by default: a baseline and two variants
// on a third of a million items each) and reports the peak heap and the peak
// memory obtained from the OS, sampled every 20 ms, beside the time. Memory
// should stay near the per-item baseline map plus excelize's buffers, far
// below the size of records.jsonl, because the Items sheet is streamed.
//
//	go test ./results/report -run '^$' -bench WorkbookMillionRecords -benchtime 1x
func BenchmarkWorkbookMillionRecords(b *testing.B) {
	dir := b.TempDir()
	recordsPath := filepath.Join(dir, results.RecordsFile)
	size, err := writeSyntheticRecords(recordsPath, *benchRecords)
	if err != nil {
		b.Fatal(err)
	}
	s := loadTestSummary(b)

	runtime.GC()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		sampler := startMemorySampler(20 * time.Millisecond)
		out, err := os.Create(filepath.Join(dir, results.WorkbookFile))
		if err != nil {
			b.Fatal(err)
		}
		if err := WriteWorkbook(out, s, recordsPath); err != nil {
			b.Fatal(err)
		}
		if err := out.Close(); err != nil {
			b.Fatal(err)
		}
		peak := sampler.stop()

		info, err := os.Stat(out.Name())
		if err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(float64(peak.heapInuse)/(1<<20), "peak-heap-MiB")
		b.ReportMetric(float64(peak.sys)/(1<<20), "peak-sys-MiB")
		b.ReportMetric(float64(peak.totalAlloc)/(1<<20), "alloc-MiB")
		b.ReportMetric(float64(info.Size())/(1<<20), "xlsx-MiB")
		b.ReportMetric(float64(size)/(1<<20), "records-MiB")
	}
}

// memoryPeak is the largest HeapInuse and Sys seen by a memorySampler, and
// the bytes allocated while it ran.
type memoryPeak struct {
	heapInuse, sys, totalAlloc uint64
}

type memorySampler struct {
	done  chan struct{}
	wg    sync.WaitGroup
	peak  memoryPeak
	start uint64
}

func startMemorySampler(every time.Duration) *memorySampler {
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	s := &memorySampler{done: make(chan struct{}), start: m.TotalAlloc}
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		ticker := time.NewTicker(every)
		defer ticker.Stop()
		for {
			s.sample()
			select {
			case <-s.done:
				return
			case <-ticker.C:
			}
		}
	}()
	return s
}

func (s *memorySampler) sample() {
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	s.peak.heapInuse = max(s.peak.heapInuse, m.HeapInuse)
	s.peak.sys = max(s.peak.sys, m.Sys)
	s.peak.totalAlloc = m.TotalAlloc - s.start
}

func (s *memorySampler) stop() memoryPeak {
	close(s.done)
	s.wg.Wait()
	s.sample()
	return s.peak
}

// writeSyntheticRecords writes n records shaped like a real run's: the
// outputs of a baseline and two variants on n/3 classification items, with
// timings, a short output and a score. It returns the file size.
func writeSyntheticRecords(path string, n int) (int64, error) {
	f, err := os.Create(path)
	if err != nil {
		return 0, err
	}
	w := bufio.NewWriterSize(f, 1<<20)
	enc := json.NewEncoder(w)

	models := []struct{ name, role, quant string }{
		{"bench:f16", results.RoleBaseline, "F16"},
		{"bench:q8_0", results.RoleVariant, "Q8_0"},
		{"bench:q4_K_M", results.RoleVariant, "Q4_K_M"},
	}
	items := (n + len(models) - 1) / len(models)
	start := time.Date(2026, 12, 4, 18, 0, 0, 0, time.UTC)
	written := 0
	for _, m := range models {
		for i := 0; i < items && written < n; i++ {
			rec := syntheticRecord(m.name, m.role, m.quant, i, start.Add(time.Duration(written)*time.Second))
			if err := enc.Encode(rec); err != nil {
				f.Close()
				return 0, err
			}
			written++
		}
	}
	if err := w.Flush(); err != nil {
		f.Close()
		return 0, err
	}
	if err := f.Close(); err != nil {
		return 0, err
	}
	info, err := os.Stat(path)
	if err != nil {
		return 0, err
	}
	return info.Size(), nil
}

func syntheticRecord(model, role, quant string, item int, start time.Time) *results.Record {
	promptTokens, evalTokens := 120+item%50, 3+item%4
	evalDuration, totalDuration := int64(evalTokens)*8_000_000, int64(evalTokens)*8_000_000+40_000_000
	ttft := 30.0 + float64(item%7)
	correct := (item*7+len(model))%10 < 8
	label := "positive"
	if !correct {
		label = "negative"
	}
	value := 0.0
	outcome := evaluators.Wrong
	if correct {
		value, outcome = 1, evaluators.Correct
	}
	return &results.Record{
		RunID: "bench", Dataset: "sentiment", Category: "classification",
		ItemID: fmt.Sprintf("item-%07d", item), Model: model, Role: role,
		Digest: "sha256:" + model, Quantization: quant,
		PromptHash: fmt.Sprintf("%064x", item),
		RawOutput:  "Sentiment: " + label, Output: "Sentiment: " + label,
		Status: results.StatusOK, Attempts: 1, DoneReason: "stop",
		Timings: results.Timings{
			TotalDuration: &totalDuration, PromptEvalCount: &promptTokens,
			EvalCount: &evalTokens, EvalDuration: &evalDuration,
		},
		WallMS: float64(totalDuration) / 1e6, TTFTMS: &ttft, Start: start,
		Score: &evaluators.Score{Value: value, Binary: true, Outcome: outcome, Answer: label},
	}
}
