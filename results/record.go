// Package results holds what a run leaves behind and what is computed from it:
// the per-item record store, the run manifest, summaries, statistics
// (results/paired), the cost model (results/tco) and the report writers
// (results/report). Every report is a function of the results folder alone.
package results

import (
	"fmt"
	"time"

	"github.com/ollama/ollama/api"

	"github.com/quantbench/quantbench/evaluators"
)

// Status is the outcome of one request, before scoring.
type Status string

// Request statuses. Only StatusOK records are scored; the others are counted
// and shown beside the scores.
const (
	StatusOK              Status = "ok"
	StatusTruncated       Status = "truncated"        // the prompt filled num_ctx
	StatusBudgetExhausted Status = "budget_exhausted" // num_predict ran out before any answer
	StatusInfraError      Status = "infra_error"      // server down, 5xx, timeout, out of memory
)

// Roles of a model in a run.
const (
	RoleBaseline = "baseline"
	RoleVariant  = "variant"
)

// Timings are Ollama's timing fields as returned. Ollama omits zero values
// from its JSON, so a missing field and a zero are the same on the wire, and
// both are stored as absent (nil), never as 0. Durations are in nanoseconds.
type Timings struct {
	TotalDuration      *int64 `json:"total_duration,omitempty"`
	LoadDuration       *int64 `json:"load_duration,omitempty"`
	PromptEvalCount    *int   `json:"prompt_eval_count,omitempty"`
	PromptEvalDuration *int64 `json:"prompt_eval_duration,omitempty"`
	EvalCount          *int   `json:"eval_count,omitempty"`
	EvalDuration       *int64 `json:"eval_duration,omitempty"`
}

// TimingsFromMetrics converts Ollama's metrics, in which zero means the
// server sent no value, into Timings with those fields absent.
func TimingsFromMetrics(m api.Metrics) Timings {
	var t Timings
	nonZero64 := func(d time.Duration) *int64 {
		if d == 0 {
			return nil
		}
		v := int64(d)
		return &v
	}
	nonZero := func(n int) *int {
		if n == 0 {
			return nil
		}
		return &n
	}
	t.TotalDuration = nonZero64(m.TotalDuration)
	t.LoadDuration = nonZero64(m.LoadDuration)
	t.PromptEvalCount = nonZero(m.PromptEvalCount)
	t.PromptEvalDuration = nonZero64(m.PromptEvalDuration)
	t.EvalCount = nonZero(m.EvalCount)
	t.EvalDuration = nonZero64(m.EvalDuration)
	return t
}

// TokenLogprob is one candidate token with its natural-log probability.
type TokenLogprob struct {
	Token   string  `json:"token"`
	Logprob float64 `json:"logprob"`
	Bytes   []int   `json:"bytes,omitempty"`
}

// Logprob is one generated token with the top candidates at its position.
// Offset is the byte offset of the token in the raw output, computed by the
// client from the streamed content, so entries can be aligned between models.
// It is -1 for a token whose bytes are not in the output (LogprobsFromAPI
// explains when Ollama sends such entries).
type Logprob struct {
	TokenLogprob
	Offset int            `json:"offset"`
	Top    []TokenLogprob `json:"top,omitempty"`
}

// Record is one item answered by one model in one repeat: one line of records.jsonl.
type Record struct {
	RunID        string `json:"run_id"`
	Dataset      string `json:"dataset"`
	Category     string `json:"category"`
	ItemID       string `json:"item_id"`
	Model        string `json:"model"`
	Role         string `json:"role"`
	Digest       string `json:"digest"`
	Quantization string `json:"quantization"`
	Repeat       int    `json:"repeat"`

	// PromptHash is the hex SHA-256 of the rendered prompt (system, then a NUL
	// byte, then the prompt), so a changed template is visible on resume.
	PromptHash string `json:"prompt_hash"`

	// RawOutput is the content exactly as streamed; Output is RawOutput with
	// <think>...</think> removed, the text that is scored.
	RawOutput string `json:"raw_output"`
	Output    string `json:"output"`
	Thinking  string `json:"thinking,omitempty"`

	Status     Status `json:"status"`
	Error      string `json:"error,omitempty"`
	Attempts   int    `json:"attempts"`
	DoneReason string `json:"done_reason,omitempty"`

	Timings

	// WallMS is the client's wall time for the request, in milliseconds, and
	// TTFTMS the client's time to the first content or thinking token.
	WallMS float64  `json:"wall_ms"`
	TTFTMS *float64 `json:"ttft_ms,omitempty"`

	Start time.Time `json:"start"`

	Logprobs []Logprob `json:"logprobs,omitempty"`

	// Score is added by the evaluators for StatusOK records.
	Score *evaluators.Score `json:"score,omitempty"`
}

// Key identifies a record within a run: dataset, item, model and repeat.
// Resume skips keys already present.
func (r *Record) Key() string {
	return fmt.Sprintf("%s\x00%s\x00%s\x00%d", r.Dataset, r.ItemID, r.Model, r.Repeat)
}
