package throughput

import (
	"encoding/json"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/quantbench/quantbench/results"
)

func TestSendCompleteRequest(t *testing.T) {
	f := &fakeOllama{tokens: 40, final: func(m map[string]any, _ int) {
		m["eval_duration"] = int64(2_000_000_000)
		m["prompt_eval_count"] = 800
		m["prompt_eval_duration"] = int64(400_000_000)
		m["load_duration"] = int64(1_500_000)
	}}
	rec := sendOne(t, f, Config{}, 800)

	if rec.Status != results.StatusOK {
		t.Fatalf("status = %s (%s), want ok", rec.Status, rec.Error)
	}
	if rec.DecodeTPS == nil || *rec.DecodeTPS != 20 {
		t.Errorf("decode tokens/s = %v, want 40 tokens / 2 s = 20", rec.DecodeTPS)
	}
	if rec.PrefillTPS == nil || *rec.PrefillTPS != 2000 {
		t.Errorf("prefill tokens/s = %v, want 800 tokens / 0.4 s = 2000", rec.PrefillTPS)
	}
	if rec.LoadMS == nil || *rec.LoadMS != 1.5 {
		t.Errorf("load ms = %v, want 1.5", rec.LoadMS)
	}
	if rec.Chunks != 40 || len(rec.ITLMS) != 39 {
		t.Errorf("chunks = %d, inter-token latencies = %d; want 40 and 39", rec.Chunks, len(rec.ITLMS))
	}
	if rec.TTFTMS == nil || *rec.TTFTMS <= 0 || *rec.TTFTMS > rec.E2EMS {
		t.Errorf("TTFT = %v ms with E2E %v ms, want 0 < TTFT <= E2E", rec.TTFTMS, rec.E2EMS)
	}
	if len(rec.Flags) != 0 {
		t.Errorf("flags = %v, want none", rec.Flags)
	}
	if rec.NumPredict != 200 {
		t.Errorf("num_predict = %d, want the default 200", rec.NumPredict)
	}
}

func TestSendMissingTimingField(t *testing.T) {
	f := &fakeOllama{tokens: 30, final: func(m map[string]any, _ int) {
		delete(m, "eval_duration")
		delete(m, "prompt_eval_duration")
	}}
	rec := sendOne(t, f, Config{}, 0)

	if rec.Status != results.StatusOK {
		t.Fatalf("status = %s (%s), want ok", rec.Status, rec.Error)
	}
	if rec.DecodeTPS != nil {
		t.Errorf("decode tokens/s = %v without eval_duration, want blank", *rec.DecodeTPS)
	}
	if rec.PrefillTPS != nil {
		t.Errorf("prefill tokens/s = %v without prompt_eval_duration, want blank", *rec.PrefillTPS)
	}
	if rec.EvalCount == nil || *rec.EvalCount != 30 {
		t.Errorf("eval_count = %v, want 30", rec.EvalCount)
	}
	if rec.EvalDuration != nil {
		t.Errorf("eval_duration = %v, want absent", *rec.EvalDuration)
	}
}

func TestSendOneTokenNoDuration(t *testing.T) {
	f := &fakeOllama{tokens: 1, final: func(m map[string]any, _ int) {
		m["eval_count"] = 1
		delete(m, "eval_duration")
	}}
	rec := sendOne(t, f, Config{}, 0)

	if rec.DecodeTPS != nil {
		t.Errorf("decode tokens/s = %v, want blank (never 0 or infinite)", *rec.DecodeTPS)
	}
	if !slices.Contains(rec.Flags, results.FlagDecodeFewTokens) {
		t.Errorf("flags = %v, want %s", rec.Flags, results.FlagDecodeFewTokens)
	}
	data, _ := json.Marshal(rec)
	if strings.Contains(string(data), "decode_tps") || strings.Contains(string(data), "Inf") {
		t.Errorf("record JSON carries a decode rate: %s", data)
	}
}

func TestSendDecodeAboveBound(t *testing.T) {
	f := &fakeOllama{tokens: 100, final: func(m map[string]any, _ int) {
		m["eval_duration"] = int64(1000) // 100 tokens in 1 µs
	}}
	rec := sendOne(t, f, Config{}, 0)

	if rec.DecodeTPS == nil || *rec.DecodeTPS != 1e8 {
		t.Errorf("decode tokens/s = %v, want 1e8 kept in the record", rec.DecodeTPS)
	}
	if !slices.Contains(rec.Flags, results.FlagDecodeAboveBound) {
		t.Errorf("flags = %v, want %s", rec.Flags, results.FlagDecodeAboveBound)
	}
}

func TestSendHTTP500(t *testing.T) {
	f := &fakeOllama{handler: func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusInternalServerError)
		w.Write([]byte(`{"error":"model runner has unexpectedly stopped"}`))
	}}
	rec := sendOne(t, f, Config{}, 0)

	if rec.Status != results.StatusInfraError {
		t.Fatalf("status = %s, want %s", rec.Status, results.StatusInfraError)
	}
	if !strings.Contains(rec.Error, "HTTP 500") || !strings.Contains(rec.Error, "unexpectedly stopped") {
		t.Errorf("error = %q, want the status and the server's message", rec.Error)
	}
	if rec.DecodeTPS != nil || rec.TTFTMS != nil {
		t.Errorf("failed request has rates: decode %v, TTFT %v", rec.DecodeTPS, rec.TTFTMS)
	}
}

func TestSendErrorInsideStream(t *testing.T) {
	f := &fakeOllama{handler: func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte(`{"response":"a","done":false}` + "\n"))
		w.Write([]byte(`{"response":"b","done":false}` + "\n"))
		w.Write([]byte(`{"error":"out of memory"}` + "\n"))
	}}
	rec := sendOne(t, f, Config{}, 0)

	if rec.Status != results.StatusInfraError {
		t.Fatalf("status = %s, want %s", rec.Status, results.StatusInfraError)
	}
	if !strings.Contains(rec.Error, "out of memory") {
		t.Errorf("error = %q, want the streamed error", rec.Error)
	}
	if rec.Chunks != 2 {
		t.Errorf("chunks = %d, want the 2 before the error", rec.Chunks)
	}
}

func TestSendStreamWithoutFinalChunk(t *testing.T) {
	f := &fakeOllama{handler: func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte(`{"response":"a","done":false}` + "\n"))
	}}
	rec := sendOne(t, f, Config{}, 0)

	if rec.Status != results.StatusInfraError || !strings.Contains(rec.Error, "final chunk") {
		t.Errorf("status = %s, error = %q; want infra_error about the missing final chunk", rec.Status, rec.Error)
	}
}

func TestSendTimeout(t *testing.T) {
	f := &fakeOllama{handler: func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte(`{"response":"a","done":false}` + "\n"))
		w.(http.Flusher).Flush()
		<-r.Context().Done()
	}}
	start := time.Now()
	rec := sendOne(t, f, Config{RequestTimeout: Duration(200 * time.Millisecond)}, 0)

	if rec.Status != results.StatusInfraError {
		t.Fatalf("status = %s, want %s", rec.Status, results.StatusInfraError)
	}
	if !strings.Contains(rec.Error, "timed out after 200ms") {
		t.Errorf("error = %q, want a timeout message", rec.Error)
	}
	if elapsed := time.Since(start); elapsed > 5*time.Second {
		t.Errorf("request returned after %s, want about the 200ms timeout", elapsed)
	}
}

func TestSendCachedPrompt(t *testing.T) {
	f := &fakeOllama{tokens: 30, final: func(m map[string]any, _ int) {
		m["prompt_eval_count"] = 5
		m["prompt_eval_duration"] = int64(1_000_000)
	}}
	rec := sendOne(t, f, Config{}, 800)

	if !slices.Contains(rec.Flags, results.FlagPromptCached) {
		t.Errorf("flags = %v, want %s", rec.Flags, results.FlagPromptCached)
	}
	if rec.PrefillTPS != nil {
		t.Errorf("prefill tokens/s = %v for a cached prompt, want blank", *rec.PrefillTPS)
	}
	if rec.DecodeTPS == nil {
		t.Error("decode tokens/s is blank; a cached prompt does not affect decode")
	}
}

func TestSendCachedPromptFullCount(t *testing.T) {
	// Ollama v0.17.4 reports the whole prompt's length even when the cache
	// served most of it; only the duration shrinks. 800 tokens in 1 ms is
	// 800,000 tokens/s, far above the 2,000 tokens/s of the calibration.
	f := &fakeOllama{tokens: 30, final: func(m map[string]any, _ int) {
		m["prompt_eval_count"] = 800
		m["prompt_eval_duration"] = int64(1_000_000)
	}}
	client := f.start(t)
	s := newTestSender(client, Config{}, 800)
	s.prefillReference = 2000
	rec := s.send(t.Context(), job{model: "fake:q4", phase: results.PhaseMeasure, concurrency: 1, prompt: "a b c"})

	if !slices.Contains(rec.Flags, results.FlagPromptCached) {
		t.Errorf("flags = %v, want %s", rec.Flags, results.FlagPromptCached)
	}
	if rec.PrefillTPS != nil {
		t.Errorf("prefill tokens/s = %v for a cached prompt, want blank", *rec.PrefillTPS)
	}
}

func TestSendPrefillFasterButUncached(t *testing.T) {
	// Five times the calibration's rate is within what a warm server does.
	f := &fakeOllama{tokens: 30, final: func(m map[string]any, _ int) {
		m["prompt_eval_count"] = 800
		m["prompt_eval_duration"] = int64(80_000_000) // 10,000 tokens/s
	}}
	client := f.start(t)
	s := newTestSender(client, Config{}, 800)
	s.prefillReference = 2000
	rec := s.send(t.Context(), job{model: "fake:q4", phase: results.PhaseMeasure, concurrency: 1, prompt: "a b c"})

	if slices.Contains(rec.Flags, results.FlagPromptCached) || rec.PrefillTPS == nil || *rec.PrefillTPS != 10000 {
		t.Errorf("flags %v, prefill %v; want no cache flag and 10000 tokens/s", rec.Flags, rec.PrefillTPS)
	}
}

func TestTokensPerSecondBlank(t *testing.T) {
	one, zero := 1, 0
	var ns, zeroNS int64 = 1_000_000_000, 0
	cases := []struct {
		name  string
		count *int
		dur   *int64
	}{
		{"missing count", nil, &ns},
		{"missing duration", &one, nil},
		{"zero count", &zero, &ns},
		{"zero duration", &one, &zeroNS},
	}
	for _, c := range cases {
		if got := tokensPerSecond(c.count, c.dur); got != nil {
			t.Errorf("%s: rate = %v, want nil", c.name, *got)
		}
	}
	if got := tokensPerSecond(&one, &ns); got == nil || *got != 1 {
		t.Errorf("1 token in 1 s = %v, want 1", got)
	}
}
