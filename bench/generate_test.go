package bench

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ollama/ollama/api"

	"github.com/quantbench/quantbench/bench/ollamafake"
	"github.com/quantbench/quantbench/results"
)

// fakeGenerate serves /api/generate with handler and returns a client for it.
func fakeGenerate(t *testing.T, handler http.HandlerFunc) *api.Client {
	t.Helper()
	srv := httptest.NewServer(handler)
	t.Cleanup(srv.Close)
	base, err := url.Parse(srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	return api.NewClient(base, srv.Client())
}

func testRequest() *api.GenerateRequest {
	stream := true
	return &api.GenerateRequest{Model: "m:f16", Prompt: "p", Stream: &stream,
		Options: map[string]any{"temperature": 0, "seed": 42, "num_ctx": 512, "num_predict": 8}}
}

var fastPolicy = retryPolicy{Timeout: 2 * time.Second, Retries: 2, Backoff: time.Millisecond}

func TestGenerateMissingTimingField(t *testing.T) {
	client := fakeGenerate(t, func(w http.ResponseWriter, r *http.Request) {
		ollamafake.WriteStream(w,
			ollamafake.Chunk{"model": "m:f16", "response": "posi", "done": false},
			ollamafake.Chunk{"model": "m:f16", "response": "tive", "done": false},
			ollamafake.Chunk{"model": "m:f16", "response": "", "done": true, "done_reason": "stop",
				"prompt_eval_count": 12, "eval_count": 2, "eval_duration": 4000000})
	})
	result := generateWithRetry(context.Background(), client, testRequest(), fastPolicy, "item-1")
	if result.Err != nil {
		t.Fatalf("unexpected error: %v", result.Err)
	}

	rec := &results.Record{}
	fillGeneration(rec, result.Gen)
	if rec.Output != "positive" {
		t.Errorf("output = %q, want %q", rec.Output, "positive")
	}
	if rec.PromptEvalDuration != nil {
		t.Errorf("prompt_eval_duration = %d, want absent", *rec.PromptEvalDuration)
	}
	if rec.LoadDuration != nil {
		t.Errorf("load_duration = %d, want absent", *rec.LoadDuration)
	}
	if rec.EvalDuration == nil || *rec.EvalDuration != 4000000 {
		t.Errorf("eval_duration = %v, want 4000000", rec.EvalDuration)
	}
	if rec.PromptEvalCount == nil || *rec.PromptEvalCount != 12 {
		t.Errorf("prompt_eval_count = %v, want 12", rec.PromptEvalCount)
	}
	encoded, _ := json.Marshal(rec)
	if strings.Contains(string(encoded), "prompt_eval_duration") {
		t.Errorf("a missing timing field was written: %s", encoded)
	}
}

func TestGenerateEvalCountWithoutDuration(t *testing.T) {
	client := fakeGenerate(t, func(w http.ResponseWriter, r *http.Request) {
		ollamafake.WriteStream(w, ollamafake.Chunk{"response": "x", "done": true, "done_reason": "stop", "eval_count": 1})
	})
	result := generateWithRetry(context.Background(), client, testRequest(), fastPolicy, "item-1")
	if result.Err != nil {
		t.Fatalf("unexpected error: %v", result.Err)
	}
	rec := &results.Record{}
	fillGeneration(rec, result.Gen)
	if rec.EvalCount == nil || *rec.EvalCount != 1 {
		t.Errorf("eval_count = %v, want 1", rec.EvalCount)
	}
	if rec.EvalDuration != nil {
		t.Errorf("eval_duration = %d, want absent", *rec.EvalDuration)
	}
}

func TestGenerateServerErrorThenSuccess(t *testing.T) {
	var calls atomic.Int32
	client := fakeGenerate(t, func(w http.ResponseWriter, r *http.Request) {
		if calls.Add(1) == 1 {
			w.WriteHeader(http.StatusInternalServerError)
			fmt.Fprintln(w, `{"error":"llama runner process has terminated"}`)
			return
		}
		ollamafake.WriteStream(w, ollamafake.Chunk{"response": "ok", "done": true, "done_reason": "stop", "eval_count": 1, "eval_duration": 1000})
	})
	result := generateWithRetry(context.Background(), client, testRequest(), fastPolicy, "item-1")
	if result.Err != nil {
		t.Fatalf("unexpected error after retry: %v", result.Err)
	}
	if result.Attempts != 2 {
		t.Errorf("attempts = %d, want 2", result.Attempts)
	}
	if result.Gen.Content != "ok" {
		t.Errorf("content = %q, want ok", result.Gen.Content)
	}
}

func TestGenerateErrorLineInsideStream(t *testing.T) {
	var calls atomic.Int32
	client := fakeGenerate(t, func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		ollamafake.WriteStream(w, ollamafake.Chunk{"response": "par", "done": false}, ollamafake.Chunk{"error": "an error was encountered while running the model"})
	})
	result := generateWithRetry(context.Background(), client, testRequest(), fastPolicy, "item-1")
	if result.Err == nil {
		t.Fatal("an error line inside a 200 stream was taken as success")
	}
	if result.Kind != kindInfra {
		t.Errorf("kind = %v, want infrastructure error", result.Kind)
	}
	if got := calls.Load(); got != 3 {
		t.Errorf("requests = %d, want 3 (1 + 2 retries)", got)
	}
}

func TestGenerateStreamCutBeforeDone(t *testing.T) {
	client := fakeGenerate(t, func(w http.ResponseWriter, r *http.Request) {
		ollamafake.WriteStream(w, ollamafake.Chunk{"response": "half an answ", "done": false})
	})
	result := generateWithRetry(context.Background(), client, testRequest(), retryPolicy{Timeout: time.Second, Retries: 0}, "item-1")
	if !errors.Is(result.Err, errIncompleteStream) {
		t.Fatalf("error = %v, want the incomplete-stream error", result.Err)
	}
	if result.Kind != kindInfra {
		t.Errorf("kind = %v, want infrastructure error", result.Kind)
	}
}

func TestGenerateHangPastTimeout(t *testing.T) {
	release := make(chan struct{})
	t.Cleanup(func() { close(release) })
	client := fakeGenerate(t, func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
		ollamafake.WriteStream(w, ollamafake.Chunk{"response": "a", "done": false})
		select {
		case <-release:
		case <-r.Context().Done():
		}
	})
	policy := retryPolicy{Timeout: 100 * time.Millisecond, Retries: 1, Backoff: time.Millisecond}
	started := time.Now()
	result := generateWithRetry(context.Background(), client, testRequest(), policy, "item-1")
	if !errors.Is(result.Err, context.DeadlineExceeded) {
		t.Fatalf("error = %v, want a deadline error", result.Err)
	}
	if result.Kind != kindInfra || result.Attempts != 2 {
		t.Errorf("kind = %v attempts = %d, want infrastructure error after 2 attempts", result.Kind, result.Attempts)
	}
	if elapsed := time.Since(started); elapsed > 5*time.Second {
		t.Errorf("the timeout did not bound the request: %s", elapsed)
	}
}

func TestGenerateModelNotFound(t *testing.T) {
	var calls atomic.Int32
	client := fakeGenerate(t, func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		w.WriteHeader(http.StatusNotFound)
		fmt.Fprintln(w, `{"error":"model 'm:f16' not found"}`)
	})
	result := generateWithRetry(context.Background(), client, testRequest(), fastPolicy, "item-1")
	if result.Kind != kindModelMissing {
		t.Fatalf("kind = %v, want model missing (error %v)", result.Kind, result.Err)
	}
	if calls.Load() != 1 {
		t.Errorf("a missing model was retried %d times", calls.Load()-1)
	}
}

func TestGenerateOutOfMemoryIsInfra(t *testing.T) {
	client := fakeGenerate(t, func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusInternalServerError)
		fmt.Fprintln(w, `{"error":"model requires more system memory (9.1 GiB) than is available (4.0 GiB)"}`)
	})
	result := generateWithRetry(context.Background(), client, testRequest(), retryPolicy{Timeout: time.Second, Retries: 1, Backoff: time.Millisecond}, "item-1")
	if result.Kind != kindInfra || result.Attempts != 2 {
		t.Errorf("kind = %v attempts = %d, want infrastructure error after 2 attempts", result.Kind, result.Attempts)
	}
}

func TestGenerateContextTooLongRejected(t *testing.T) {
	client := fakeGenerate(t, func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusBadRequest)
		fmt.Fprintln(w, `{"error":"the input length exceeds the context length"}`)
	})
	result := generateWithRetry(context.Background(), client, testRequest(), fastPolicy, "item-1")
	if result.Kind != kindTruncated {
		t.Errorf("kind = %v, want truncated (error %v)", result.Kind, result.Err)
	}
}

func TestClassifyTruncatedPrompt(t *testing.T) {
	client := fakeGenerate(t, func(w http.ResponseWriter, r *http.Request) {
		ollamafake.WriteStream(w, ollamafake.Chunk{"response": "negative", "done": true, "done_reason": "stop",
			"prompt_eval_count": 512, "prompt_eval_duration": 9000000, "eval_count": 1, "eval_duration": 1000})
	})
	result := generateWithRetry(context.Background(), client, testRequest(), fastPolicy, "item-1")
	if result.Err != nil {
		t.Fatal(result.Err)
	}
	rec := &results.Record{}
	fillGeneration(rec, result.Gen)
	if got := classifyGeneration(rec, 512); got != results.StatusTruncated {
		t.Errorf("status = %s, want truncated when prompt_eval_count reaches num_ctx", got)
	}
	if got := classifyGeneration(rec, 513); got != results.StatusOK {
		t.Errorf("status = %s, want ok below num_ctx", got)
	}
}

func TestClassifyThinkingOnlyBudgetExhausted(t *testing.T) {
	client := fakeGenerate(t, func(w http.ResponseWriter, r *http.Request) {
		ollamafake.WriteStream(w,
			ollamafake.Chunk{"thinking": "Let me count the apples", "response": "", "done": false},
			ollamafake.Chunk{"thinking": " one by one", "response": "", "done": true, "done_reason": "length", "eval_count": 8, "eval_duration": 5000})
	})
	result := generateWithRetry(context.Background(), client, testRequest(), fastPolicy, "item-1")
	if result.Err != nil {
		t.Fatal(result.Err)
	}
	rec := &results.Record{}
	fillGeneration(rec, result.Gen)
	if got := classifyGeneration(rec, 4096); got != results.StatusBudgetExhausted {
		t.Errorf("status = %s, want budget_exhausted", got)
	}
	if rec.Thinking != "Let me count the apples one by one" {
		t.Errorf("thinking = %q", rec.Thinking)
	}
	if rec.DoneReason != "length" {
		t.Errorf("done_reason = %q, want length", rec.DoneReason)
	}
}

func TestLogprobOffsetsFollowContent(t *testing.T) {
	client := fakeGenerate(t, func(w http.ResponseWriter, r *http.Request) {
		ollamafake.WriteStream(w,
			ollamafake.Chunk{"response": "ab", "logprobs": []ollamafake.Chunk{{"token": "a", "logprob": -0.1}, {"token": "b", "logprob": -0.2}}},
			// A multi-byte character split over two tokens: the server sends
			// no entry for the first piece, only for the token that ends it.
			ollamafake.Chunk{"response": "é", "logprobs": []ollamafake.Chunk{{"token": "é", "logprob": -0.3}}},
			ollamafake.Chunk{"response": "c", "done": true, "done_reason": "stop", "logprobs": []ollamafake.Chunk{{"token": "c", "logprob": -0.4}}})
	})
	result := generateWithRetry(context.Background(), client, testRequest(), fastPolicy, "item-1")
	if result.Err != nil {
		t.Fatal(result.Err)
	}
	want := []int{0, 1, 2, 4}
	if len(result.Gen.Logprobs) != len(want) {
		t.Fatalf("logprobs = %d entries, want %d", len(result.Gen.Logprobs), len(want))
	}
	for i, lp := range result.Gen.Logprobs {
		if lp.Offset != want[i] {
			t.Errorf("entry %d (%q) offset = %d, want %d", i, lp.Token, lp.Offset, want[i])
		}
	}
}

func TestStripThinking(t *testing.T) {
	tests := []struct {
		name, in, answer, thinking string
	}{
		{"none", "positive", "positive", ""},
		{"block", "<think>hmm</think>\npositive", "positive", "hmm"},
		{"two blocks", "<think>a</think>x<think>b</think>y", "xy", "a\nb"},
		{"closing only", "reasoning here</think> 42", "42", "reasoning here"},
		{"unclosed", "answer <think>still thinking", "answer", "still thinking"},
		{"only thinking", "<think>long</think>", "", "long"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			answer, thinking := stripThinking(tt.in)
			if answer != tt.answer {
				t.Errorf("answer = %q, want %q", answer, tt.answer)
			}
			if thinking != tt.thinking {
				t.Errorf("thinking = %q, want %q", thinking, tt.thinking)
			}
		})
	}
}

func TestCanceledRunIsNotRecorded(t *testing.T) {
	client := fakeGenerate(t, func(w http.ResponseWriter, r *http.Request) {
		// The server notices a closed connection only once the body is read.
		io.Copy(io.Discard, r.Body)
		<-r.Context().Done()
	})
	ctx, cancel := context.WithCancel(context.Background())
	go func() { time.Sleep(50 * time.Millisecond); cancel() }()
	result := generateWithRetry(ctx, client, testRequest(), retryPolicy{Timeout: 5 * time.Second, Retries: 3, Backoff: time.Second}, "item-1")
	if result.Kind != kindCanceled {
		t.Errorf("kind = %v, want canceled", result.Kind)
	}
}
