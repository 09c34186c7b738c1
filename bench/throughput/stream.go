package throughput

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"

	"github.com/ollama/ollama/api"
)

// Endpoint is an Ollama server reached over plain HTTP for the measured
// requests. The harness streams /api/generate itself because the api
// package's client (v0.17.4) allocates an 8 MB line buffer for every
// streamed request, which adds about 1 ms to each client-side latency on a
// small machine. Requests and chunks keep the api package's types.
type Endpoint struct {
	Base *url.URL
	HTTP *http.Client
}

// maxChunkLine bounds one streamed line, as the api client does (8 MB).
const maxChunkLine = 8 << 20

// lineReaders reuses the 64 KB read buffers of finished streams.
var lineReaders = sync.Pool{New: func() any { return bufio.NewReaderSize(nil, 64<<10) }}

// Generate posts req to /api/generate and calls fn for each streamed chunk,
// with the api client's error semantics: an HTTP status of 400 or more is an
// api.StatusError with the server's message, and an "error" line inside the
// stream ends it with that message. Unlike the api client, a failed read
// mid-stream (connection reset, deadline) is returned as an error.
func (e *Endpoint) Generate(ctx context.Context, req *api.GenerateRequest, fn api.GenerateResponseFunc) error {
	body, err := json.Marshal(req)
	if err != nil {
		return fmt.Errorf("encode request: %w", err)
	}
	httpReq, err := http.NewRequestWithContext(ctx, http.MethodPost, e.Base.JoinPath("/api/generate").String(), bytes.NewReader(body))
	if err != nil {
		return err
	}
	httpReq.Header.Set("Content-Type", "application/json")
	httpReq.Header.Set("Accept", "application/x-ndjson")

	resp, err := e.HTTP.Do(httpReq)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode >= http.StatusBadRequest {
		return statusError(resp)
	}

	reader := lineReaders.Get().(*bufio.Reader)
	reader.Reset(resp.Body)
	defer func() {
		reader.Reset(nil)
		lineReaders.Put(reader)
	}()
	for {
		line, readErr := readLine(reader)
		if len(bytes.TrimSpace(line)) > 0 {
			if err := decodeChunk(line, fn); err != nil {
				return err
			}
		}
		if errors.Is(readErr, io.EOF) {
			return nil
		}
		if readErr != nil {
			return readErr
		}
	}
}

// readLine returns the next line, joining the pieces of a line longer than
// the reader's buffer up to maxChunkLine.
func readLine(r *bufio.Reader) ([]byte, error) {
	line, err := r.ReadSlice('\n')
	if !errors.Is(err, bufio.ErrBufferFull) {
		return line, err
	}
	long := append([]byte(nil), line...)
	for errors.Is(err, bufio.ErrBufferFull) {
		if len(long) > maxChunkLine {
			return nil, fmt.Errorf("a streamed line is longer than %d bytes", maxChunkLine)
		}
		line, err = r.ReadSlice('\n')
		long = append(long, line...)
	}
	return long, err
}

// decodeChunk decodes one line and passes it to fn, or returns the error the
// line carries.
func decodeChunk(line []byte, fn api.GenerateResponseFunc) error {
	var chunk struct {
		api.GenerateResponse
		Error string `json:"error,omitempty"`
	}
	if err := json.Unmarshal(line, &chunk); err != nil {
		return fmt.Errorf("invalid line in the response stream: %v: %q", err, truncateText(string(line), 200))
	}
	if chunk.Error != "" {
		return errors.New(chunk.Error)
	}
	return fn(chunk.GenerateResponse)
}

// statusError reads the server's message from an error response.
func statusError(resp *http.Response) error {
	data, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	var body struct {
		Error string `json:"error"`
	}
	message := strings.TrimSpace(string(data))
	if json.Unmarshal(data, &body) == nil && body.Error != "" {
		message = body.Error
	}
	return api.StatusError{StatusCode: resp.StatusCode, Status: resp.Status, ErrorMessage: message}
}

func truncateText(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "..."
}
