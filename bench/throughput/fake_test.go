package throughput

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ollama/ollama/api"

	"github.com/quantbench/quantbench/results"
)

// fakeOllama is an httptest Ollama that streams one chunk per token. Its
// prompt_eval_count is promptBase + the prompt's word count, so calibration
// has a linear tokenizer to fit.
type fakeOllama struct {
	promptBase int
	// tokensPerWord scales the prompt's word count (default 1); counts
	// above options.num_ctx are cut to it, as Ollama truncates the prompt.
	tokensPerWord int
	// tokens is the number of chunks streamed for a measured request.
	tokens int
	// tokenDelay is the pause before each chunk.
	tokenDelay time.Duration
	// serial makes the server generate one request at a time, like a
	// server with one slot.
	serial bool
	// final edits the final chunk's fields before it is sent; words is the
	// prompt's word count.
	final func(fields map[string]any, words int)
	// handler, when set, replaces the generate handler.
	handler http.HandlerFunc
	// forgetPrompts stops the fake keeping every prompt, for benchmarks.
	forgetPrompts bool

	// endpoint reaches the fake over plain HTTP, set by start.
	endpoint *Endpoint

	slot     sync.Mutex
	mu       sync.Mutex
	prompts  []string
	requests int
}

func (f *fakeOllama) start(t testing.TB) *api.Client {
	t.Helper()
	mux := http.NewServeMux()
	mux.HandleFunc("/api/generate", func(w http.ResponseWriter, r *http.Request) {
		if f.handler != nil {
			f.handler(w, r)
			return
		}
		f.generate(w, r)
	})
	mux.HandleFunc("/api/ps", func(w http.ResponseWriter, r *http.Request) {
		json.NewEncoder(w).Encode(api.ProcessResponse{Models: []api.ProcessModelResponse{
			{Name: "fake:q4", Model: "fake:q4", Size: 2000, SizeVRAM: 1000},
		}})
	})
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	base, _ := url.Parse(srv.URL)
	transport := srv.Client().Transport.(*http.Transport).Clone()
	transport.MaxIdleConnsPerHost = 300
	hc := &http.Client{Transport: transport}
	f.endpoint = &Endpoint{Base: base, HTTP: hc}
	return api.NewClient(base, hc)
}

func (f *fakeOllama) generate(w http.ResponseWriter, r *http.Request) {
	var req api.GenerateRequest
	if err := json.NewDecoder(r.Body).Decode(&req); err != nil {
		http.Error(w, `{"error":"bad request"}`, http.StatusBadRequest)
		return
	}
	f.mu.Lock()
	if !f.forgetPrompts {
		f.prompts = append(f.prompts, req.Prompt)
	}
	f.requests++
	f.mu.Unlock()

	if f.serial {
		f.slot.Lock()
		defer f.slot.Unlock()
	}
	start := time.Now()
	tokens := f.tokens
	if n, ok := req.Options["num_predict"].(float64); ok && int(n) < tokens {
		tokens = int(n)
	}
	words := len(strings.Fields(req.Prompt))
	promptCount := f.promptBase + words*max(1, f.tokensPerWord)
	if numCtx, ok := req.Options["num_ctx"].(float64); ok && promptCount > int(numCtx) {
		promptCount = int(numCtx)
	}
	enc := json.NewEncoder(w)
	flusher, _ := w.(http.Flusher)
	for range tokens {
		if f.tokenDelay > 0 {
			time.Sleep(f.tokenDelay)
		}
		enc.Encode(map[string]any{"model": req.Model, "response": "tok ", "done": false})
		if flusher != nil {
			flusher.Flush()
		}
	}
	final := map[string]any{
		"model": req.Model, "response": "", "done": true, "done_reason": "length",
		"total_duration":       time.Since(start).Nanoseconds(),
		"load_duration":        int64(2_000_000),
		"prompt_eval_count":    promptCount,
		"prompt_eval_duration": int64(10_000_000),
		"eval_count":           tokens,
		"eval_duration":        max(time.Since(start).Nanoseconds(), 1),
	}
	if f.final != nil {
		f.final(final, words)
	}
	enc.Encode(final)
}

// newTestSender returns a sender for the fake with the given config.
func newTestSender(client *api.Client, cfg Config, calibrated int) *sender {
	cfg = cfg.WithDefaults()
	r := &runner{cfg: cfg}
	return &sender{client: client, cfg: cfg, options: r.options(), runID: "test", calibrated: calibrated}
}

func sendOne(t *testing.T, f *fakeOllama, cfg Config, calibrated int) results.ThroughputRecord {
	t.Helper()
	client := f.start(t)
	s := newTestSender(client, cfg, calibrated)
	s.endpoint = f.endpoint
	return s.send(context.Background(), job{model: "fake:q4", phase: "measure", concurrency: 1, prompt: strings.Repeat("word ", 100)})
}
