// Package ollamafake is an httptest Ollama server for unit tests: it lists,
// shows and serves a few fake models, answers a sentiment prompt by a fixed
// rule, and lets a test inject failures before any generate request.
package ollamafake

import (
	"encoding/json"
	"fmt"
	"hash/fnv"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
)

// Model is a model served by Server.
type Model struct {
	Name, Digest, Quantization, Template, Parameters string
	// FlipEvery makes the model answer the other label on every item whose
	// prompt hash is divisible by it (0 never).
	FlipEvery uint32
}

// Server is an httptest Ollama that answers a sentiment prompt
// deterministically: "positive" when the review has more "good" than "bad"
// words. Hooks inject failures.
type Server struct {
	*httptest.Server
	models map[string]Model

	requests atomic.Int64
	// BeforeGenerate, when set, runs before each generate request with the
	// request's number (from 1) and prompt; returning true means it wrote the
	// response itself. Set it before the first request.
	BeforeGenerate func(w http.ResponseWriter, n int64, prompt string) bool
}

// New starts a fake server with models; it stops when the test ends.
func New(t testing.TB, models ...Model) *Server {
	t.Helper()
	f := &Server{models: map[string]Model{}}
	for _, m := range models {
		f.models[m.Name] = m
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/api/version", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, `{"version":"0.17.4"}`)
	})
	mux.HandleFunc("/api/tags", f.tags)
	mux.HandleFunc("/api/show", f.show)
	mux.HandleFunc("/api/generate", f.generate)
	f.Server = httptest.NewServer(mux)
	t.Cleanup(f.Close)
	return f
}

func (f *Server) tags(w http.ResponseWriter, r *http.Request) {
	var list []map[string]any
	for _, m := range f.models {
		list = append(list, map[string]any{"name": m.Name, "model": m.Name, "digest": m.Digest, "size": 1000})
	}
	json.NewEncoder(w).Encode(map[string]any{"models": list})
}

func (f *Server) show(w http.ResponseWriter, r *http.Request) {
	var req struct{ Model string }
	json.NewDecoder(r.Body).Decode(&req)
	m, ok := f.models[req.Model]
	if !ok {
		w.WriteHeader(http.StatusNotFound)
		fmt.Fprintf(w, `{"error":"model '%s' not found"}`, req.Model)
		return
	}
	json.NewEncoder(w).Encode(map[string]any{
		"template": m.Template, "parameters": m.Parameters,
		"details": map[string]any{"family": "llama", "parameter_size": "1M", "quantization_level": m.Quantization, "format": "gguf"},
	})
}

func (f *Server) generate(w http.ResponseWriter, r *http.Request) {
	var req struct {
		Model   string
		Prompt  string
		Options map[string]any
	}
	json.NewDecoder(r.Body).Decode(&req)
	if req.Prompt == "" {
		fmt.Fprint(w, `{"done":true,"done_reason":"unload"}`+"\n")
		return
	}
	n := f.requests.Add(1)
	if f.BeforeGenerate != nil && f.BeforeGenerate(w, n, req.Prompt) {
		return
	}
	m, ok := f.models[req.Model]
	if !ok {
		w.WriteHeader(http.StatusNotFound)
		fmt.Fprintf(w, `{"error":"model '%s' not found"}`, req.Model)
		return
	}
	answer := sentimentOf(req.Prompt)
	if m.FlipEvery > 0 && promptHash(req.Prompt)%m.FlipEvery == 0 {
		answer = map[string]string{"positive": "negative", "negative": "positive"}[answer]
	}
	WriteStream(w,
		Chunk{"model": req.Model, "response": " " + answer, "done": false,
			"logprobs": []Chunk{{"token": " " + answer, "logprob": -0.05, "top_logprobs": []Chunk{{"token": " " + answer, "logprob": -0.05}, {"token": " other", "logprob": -3.0}}}}},
		Chunk{"model": req.Model, "response": "", "done": true, "done_reason": "stop",
			"prompt_eval_count": len(strings.Fields(req.Prompt)) + 2, "prompt_eval_duration": 2000000,
			"eval_count": 2, "eval_duration": 1000000, "total_duration": 5000000, "load_duration": 100000})
}

func sentimentOf(prompt string) string {
	good := strings.Count(prompt, "good")
	bad := strings.Count(prompt, "bad")
	if good >= bad {
		return "positive"
	}
	return "negative"
}

func promptHash(s string) uint32 {
	h := fnv.New32a()
	h.Write([]byte(s))
	return h.Sum32()
}

// Models are a baseline and two variants; the variants flip every 11th and
// every 3rd answer by prompt hash.
var Models = []Model{
	{Name: "m:f16", Digest: "sha256:aaaa", Quantization: "F16", Template: "{{ .Prompt }}"},
	{Name: "m:q8_0", Digest: "sha256:bbbb", Quantization: "Q8_0", Template: "{{ .Prompt }}", FlipEvery: 11},
	{Name: "m:q4_K_M", Digest: "sha256:cccc", Quantization: "Q4_K_M", Template: "{{ .Prompt }}", FlipEvery: 3},
}

// WriteSentimentDataset writes a classification dataset of n items whose
// labels follow the fake model's rule, with a few deliberately wrong labels.
func WriteSentimentDataset(t testing.TB, dir string, n int) string {
	t.Helper()
	manifest := `name: fake-sentiment
category: classification
template: "Review: {{.text}}\nSentiment:"
num_predict: 4
labels: [positive, negative]
`
	var items strings.Builder
	for i := 0; i < n; i++ {
		text := fmt.Sprintf("item %d was good", i)
		label := "positive"
		if i%3 == 0 {
			text = fmt.Sprintf("item %d was bad and bad", i)
			label = "negative"
		}
		if i%10 == 7 {
			label = map[string]string{"positive": "negative", "negative": "positive"}[label]
		}
		fmt.Fprintf(&items, `{"id":"s%03d","input":{"text":%q},"expected":{"label":%q}}`+"\n", i, text, label)
	}
	if err := os.WriteFile(filepath.Join(dir, "fake-sentiment.yaml"), []byte(manifest), 0o644); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "fake-sentiment.jsonl")
	if err := os.WriteFile(path, []byte(items.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// Chunk is one line of a fake /api/generate stream.
type Chunk map[string]any

// WriteStream writes chunks as NDJSON lines, flushing after each.
func WriteStream(w http.ResponseWriter, chunks ...Chunk) {
	w.Header().Set("Content-Type", "application/x-ndjson")
	for _, c := range chunks {
		line, _ := json.Marshal(c)
		w.Write(append(line, '\n'))
		if f, ok := w.(http.Flusher); ok {
			f.Flush()
		}
	}
}
