package bench

import (
	"encoding/json"
	"fmt"
	"hash/fnv"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
)

// fakeModel is a model served by fakeOllama.
type fakeModel struct {
	Name, Digest, Quantization, Template, Parameters string
	// FlipEvery makes the model answer the other label on every item whose
	// prompt hash is divisible by it (0 never).
	FlipEvery uint32
}

// fakeOllama is an httptest Ollama that answers a sentiment prompt
// deterministically: "positive" when the review has more "good" than "bad"
// words. Hooks inject failures.
type fakeOllama struct {
	*httptest.Server
	models map[string]fakeModel

	mu       sync.Mutex
	requests atomic.Int64
	// beforeGenerate runs before each generate request; returning true means
	// it wrote the response itself.
	beforeGenerate func(w http.ResponseWriter, n int64, prompt string) bool
}

func newFakeOllama(t *testing.T, models ...fakeModel) *fakeOllama {
	t.Helper()
	f := &fakeOllama{models: map[string]fakeModel{}}
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

func (f *fakeOllama) tags(w http.ResponseWriter, r *http.Request) {
	var list []map[string]any
	for _, m := range f.models {
		list = append(list, map[string]any{"name": m.Name, "model": m.Name, "digest": m.Digest, "size": 1000})
	}
	json.NewEncoder(w).Encode(map[string]any{"models": list})
}

func (f *fakeOllama) show(w http.ResponseWriter, r *http.Request) {
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

func (f *fakeOllama) generate(w http.ResponseWriter, r *http.Request) {
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
	if f.beforeGenerate != nil && f.beforeGenerate(w, n, req.Prompt) {
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
	writeStream(w,
		chunk{"model": req.Model, "response": " " + answer, "done": false,
			"logprobs": []chunk{{"token": " " + answer, "logprob": -0.05, "top_logprobs": []chunk{{"token": " " + answer, "logprob": -0.05}, {"token": " other", "logprob": -3.0}}}}},
		chunk{"model": req.Model, "response": "", "done": true, "done_reason": "stop",
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

var testModels = []fakeModel{
	{Name: "m:f16", Digest: "sha256:aaaa", Quantization: "F16", Template: "{{ .Prompt }}"},
	{Name: "m:q8_0", Digest: "sha256:bbbb", Quantization: "Q8_0", Template: "{{ .Prompt }}", FlipEvery: 11},
	{Name: "m:q4_K_M", Digest: "sha256:cccc", Quantization: "Q4_K_M", Template: "{{ .Prompt }}", FlipEvery: 3},
}

// writeSentimentDataset writes a classification dataset of n items whose
// labels follow the fake model's rule, with a few deliberately wrong labels.
func writeSentimentDataset(t *testing.T, dir string, n int) string {
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

// testSuite is a suite against the fake server with one dataset.
func testSuite(t *testing.T, host, dataset string) *Suite {
	s := DefaultSuite()
	s.Name = "test"
	s.Hosts = []string{host}
	s.Baseline = "m:f16"
	s.Variants = []string{"m:q8_0", "m:q4_K_M"}
	s.Datasets = []string{dataset}
	s.Output = t.TempDir()
	s.RetryBackoff = Duration(1)
	s.Retries = 1
	s.Bootstrap.Resamples = 200
	return &s
}
