package bench

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"regexp"
	"strings"
	"time"

	"github.com/ollama/ollama/api"

	"github.com/quantbench/quantbench/results"
)

// Generation is the response to one successful generate request.
type Generation struct {
	Content    string
	Thinking   string
	DoneReason string
	Metrics    api.Metrics
	Logprobs   []results.Logprob

	// TTFT is the client's time from sending the request to the first content
	// or thinking text; Wall the time to the final chunk.
	TTFT  time.Duration
	Wall  time.Duration
	Start time.Time
}

// errIncompleteStream reports a stream that ended without a final chunk
// (done: true), as when the server dies mid-answer. The client library
// returns no error in that case, so it is checked here.
var errIncompleteStream = errors.New("the response stream ended before the final chunk: the server closed the connection")

// generateOnce sends one streaming generate request bounded by timeout.
func generateOnce(ctx context.Context, client *api.Client, req *api.GenerateRequest, timeout time.Duration) (*Generation, error) {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()

	gen := &Generation{Start: time.Now()}
	var content, thinking strings.Builder
	var logprobs []api.Logprob
	done := false

	err := client.Generate(ctx, req, func(resp api.GenerateResponse) error {
		if gen.TTFT == 0 && (resp.Response != "" || resp.Thinking != "") {
			gen.TTFT = time.Since(gen.Start)
		}
		logprobs = append(logprobs, resp.Logprobs...)
		content.WriteString(resp.Response)
		thinking.WriteString(resp.Thinking)
		if resp.Done {
			done = true
			gen.DoneReason = resp.DoneReason
			gen.Metrics = resp.Metrics
		}
		return nil
	})
	gen.Wall = time.Since(gen.Start)
	if err != nil {
		if ctx.Err() == context.DeadlineExceeded && !errors.Is(err, context.DeadlineExceeded) {
			err = fmt.Errorf("%w: %v", context.DeadlineExceeded, err)
		}
		return gen, err
	}
	if !done {
		// The client library ends a stream cut by the deadline without an error.
		if errors.Is(ctx.Err(), context.DeadlineExceeded) {
			return gen, fmt.Errorf("%w: no final chunk within %s", context.DeadlineExceeded, timeout)
		}
		return gen, errIncompleteStream
	}
	gen.Content = content.String()
	gen.Thinking = thinking.String()
	if len(logprobs) > 0 {
		gen.Logprobs = results.LogprobsFromAPI(gen.Content, logprobs)
	}
	return gen, nil
}

// errorKind classifies a failed request.
type errorKind int

const (
	// kindInfra is a failure of the infrastructure: retried, then infra_error.
	kindInfra errorKind = iota
	// kindTruncated is a prompt longer than the context that the server refused.
	kindTruncated
	// kindModelMissing stops the run: the model is not on the server.
	kindModelMissing
	// kindRequest is a request the server rejects as invalid; retrying will not help.
	kindRequest
	// kindCanceled is the run itself being stopped.
	kindCanceled
)

// outOfMemory matches the server's messages for a model that does not fit.
var outOfMemory = regexp.MustCompile(`(?i)out of memory|requires more system memory|insufficient memory|cudaMalloc failed|failed to allocate`)

// classifyError decides what a request error means for the item and the run.
func classifyError(parent context.Context, err error) errorKind {
	if parent.Err() != nil {
		return kindCanceled
	}
	var statusErr api.StatusError
	if errors.As(err, &statusErr) {
		msg := strings.ToLower(statusErr.ErrorMessage)
		switch {
		case statusErr.StatusCode == http.StatusNotFound && strings.Contains(msg, "not found"):
			return kindModelMissing
		case strings.Contains(msg, "exceeds the context length") || strings.Contains(msg, "exceeds maximum context length"):
			return kindTruncated
		case statusErr.StatusCode >= 500, statusErr.StatusCode == http.StatusTooManyRequests,
			statusErr.StatusCode == http.StatusRequestTimeout, outOfMemory.MatchString(msg):
			return kindInfra
		case statusErr.StatusCode >= 400:
			return kindRequest
		}
	}
	var netErr net.Error
	if errors.As(err, &netErr) || errors.Is(err, context.DeadlineExceeded) || errors.Is(err, errIncompleteStream) {
		return kindInfra
	}
	// Errors sent as a line inside a 200 stream, connection resets and EOFs.
	return kindInfra
}

// retryPolicy is the per-request timeout and the backoff between attempts.
type retryPolicy struct {
	Timeout time.Duration
	Retries int
	Backoff time.Duration
	// MaxBackoff caps the doubling backoff.
	MaxBackoff time.Duration
}

// attemptResult is the outcome of a request after its retries.
type attemptResult struct {
	Gen      *Generation
	Err      error
	Kind     errorKind
	Attempts int
}

// generateWithRetry sends req, retrying infrastructure failures with
// exponential backoff. itemID only labels the log lines.
func generateWithRetry(ctx context.Context, client *api.Client, req *api.GenerateRequest, policy retryPolicy, itemID string) attemptResult {
	backoff := policy.Backoff
	var last attemptResult
	for attempt := 1; attempt <= policy.Retries+1; attempt++ {
		gen, err := generateOnce(ctx, client, req, policy.Timeout)
		if err == nil {
			return attemptResult{Gen: gen, Attempts: attempt}
		}
		last = attemptResult{Gen: gen, Err: err, Kind: classifyError(ctx, err), Attempts: attempt}
		if last.Kind != kindInfra || attempt == policy.Retries+1 {
			return last
		}

		slog.Warn("request failed, retrying", "model", req.Model, "item", itemID,
			"attempt", attempt, "of", policy.Retries+1, "error", err, "backoff", backoff)
		select {
		case <-ctx.Done():
			last.Kind = kindCanceled
			return last
		case <-time.After(backoff):
		}
		backoff *= 2
		if policy.MaxBackoff > 0 && backoff > policy.MaxBackoff {
			backoff = policy.MaxBackoff
		}
	}
	return last
}

// thinkBlock matches a complete <think>...</think> block.
var thinkBlock = regexp.MustCompile(`(?s)<think>.*?</think>`)

// stripThinking removes reasoning text from content: every complete
// <think>...</think> block, everything up to a closing tag that has no opening
// one (templates that open the block in the prompt), and an opening tag left
// unclosed through the end (the budget ran out while thinking). It returns the
// answer and the removed reasoning.
func stripThinking(content string) (answer, thinking string) {
	var removed []string
	for _, block := range thinkBlock.FindAllString(content, -1) {
		removed = append(removed, strings.TrimSuffix(strings.TrimPrefix(block, "<think>"), "</think>"))
	}
	answer = thinkBlock.ReplaceAllString(content, "")

	if i := strings.Index(answer, "</think>"); i >= 0 {
		removed = append(removed, answer[:i])
		answer = answer[i+len("</think>"):]
	}
	if i := strings.Index(answer, "<think>"); i >= 0 {
		removed = append(removed, answer[i+len("<think>"):])
		answer = answer[:i]
	}
	return strings.TrimSpace(answer), strings.TrimSpace(strings.Join(removed, "\n"))
}
