package throughput

import (
	"context"
	"io"
	"slices"
	"testing"

	"github.com/ollama/ollama/api"

	"github.com/quantbench/quantbench/results"
)

// The benchmarks measure the harness's own cost per request against an
// httptest server that streams 20 chunks with no delay: building the
// request, streaming and timing every chunk, computing the rates and
// encoding the record. overhead-µs/req is the client's end-to-end latency
// minus the server's total_duration (its handler time). Target: under
// 1 ms per request at concurrency 1, and no lost requests at 256.

func benchmarkRunner(b *testing.B, f *fakeOllama) (*runner, *sender, *workload) {
	b.Helper()
	client := f.start(b)
	cfg := Config{InputTokens: 64, OutputTokens: 20, ConcurrencyMax: 256, Repetitions: 1}.WithDefaults()
	r := &runner{client: client, endpoint: f.endpoint, cfg: cfg, out: io.Discard, info: map[string]results.ModelInfo{}, marker: noMarker{},
		warned: map[string]bool{"fake:q4": true}} // the fake's partial offload is not news here
	s := &sender{client: client, endpoint: f.endpoint, cfg: cfg, options: r.options(), runID: "bench"}
	work, err := newWorkload("", 0, "bench")
	if err != nil {
		b.Fatal(err)
	}
	work.wordCount = 48
	return r, s, work
}

// overheadMicros is the mean client time beyond the server's handler time.
func overheadMicros(recs []results.ThroughputRecord) float64 {
	var sum float64
	var n int
	for _, rec := range recs {
		if rec.TotalDuration == nil {
			continue
		}
		sum += rec.E2EMS*1000 - float64(*rec.TotalDuration)/1000
		n++
	}
	if n == 0 {
		return 0
	}
	return sum / float64(n)
}

func BenchmarkRequestConcurrency1(b *testing.B) {
	f := &fakeOllama{tokens: 20, forgetPrompts: true}
	r, s, work := benchmarkRunner(b, f)
	prompt := work.prompt("bench", work.wordCount)
	recs := make([]results.ThroughputRecord, 0, b.N)
	ctx := context.Background()

	b.ReportAllocs()
	b.ResetTimer()
	for i := range b.N {
		rec := s.send(ctx, job{model: "fake:q4", phase: results.PhaseMeasure, concurrency: 1, index: i, prompt: prompt})
		if err := r.write(&rec); err != nil {
			b.Fatal(err)
		}
		recs = append(recs, rec)
	}
	b.StopTimer()

	lost := 0
	for _, rec := range recs {
		if rec.Status != results.StatusOK || rec.Chunks != 20 {
			lost++
		}
	}
	b.ReportMetric(overheadMicros(recs), "overhead-µs/req")
	b.ReportMetric(float64(lost), "lost-requests")
}

func BenchmarkRequestConcurrency256(b *testing.B) {
	f := &fakeOllama{tokens: 20, forgetPrompts: true}
	r, s, work := benchmarkRunner(b, f)
	ctx := context.Background()
	var all []results.ThroughputRecord

	b.ResetTimer()
	for range b.N {
		level, err := r.runLevel(ctx, s, work, "fake:q4", 256)
		if err != nil {
			b.Fatal(err)
		}
		all = append(all, level.Records...)
	}
	b.StopTimer()

	ok := 0
	for _, rec := range all {
		if rec.Status == results.StatusOK && rec.Chunks == 20 {
			ok++
		}
	}
	sent := 256 * b.N
	b.ReportMetric(float64(sent), "requests")
	b.ReportMetric(float64(sent-ok), "lost-requests")
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(sent), "ns/req")
	if f.requests != sent {
		b.Errorf("server received %d requests, client sent %d", f.requests, sent)
	}
	if i := slices.IndexFunc(all, func(r results.ThroughputRecord) bool { return r.Status != results.StatusOK }); i >= 0 {
		b.Errorf("request failed: %s", all[i].Error)
	}
}

// BenchmarkOllamaClientOnly is the floor under BenchmarkRequestConcurrency1:
// the same request through api.Client.Generate with a callback that does
// nothing, so the difference between the two is quantbench's own cost.
func BenchmarkOllamaClientOnly(b *testing.B) {
	f := &fakeOllama{tokens: 20, forgetPrompts: true}
	_, s, work := benchmarkRunner(b, f)
	stream := true
	req := &api.GenerateRequest{Model: "fake:q4", Prompt: work.prompt("bench", work.wordCount), Stream: &stream, Options: s.options}
	ctx := context.Background()

	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		if err := s.client.Generate(ctx, req, func(api.GenerateResponse) error { return nil }); err != nil {
			b.Fatal(err)
		}
	}
}
