package throughput

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/quantbench/quantbench/results"
)

// TestEndpointMatchesAPIClient sends the same request through the api client
// and through Endpoint, for a healthy stream and each kind of failure, and
// expects the same record status, chunk count and error kind.
func TestEndpointMatchesAPIClient(t *testing.T) {
	cases := []struct {
		name    string
		handler http.HandlerFunc
		status  results.Status
		chunks  int
		errText string
	}{
		{"complete", nil, results.StatusOK, 5, ""},
		{"HTTP 500", func(w http.ResponseWriter, r *http.Request) {
			w.WriteHeader(http.StatusInternalServerError)
			fmt.Fprint(w, `{"error":"llama runner process has terminated"}`)
		}, results.StatusInfraError, 0, "llama runner process has terminated"},
		{"error line", func(w http.ResponseWriter, r *http.Request) {
			fmt.Fprintln(w, `{"response":"a","done":false}`)
			fmt.Fprintln(w, `{"error":"out of memory"}`)
		}, results.StatusInfraError, 1, "out of memory"},
		{"no final chunk", func(w http.ResponseWriter, r *http.Request) {
			fmt.Fprintln(w, `{"response":"a","done":false}`)
		}, results.StatusInfraError, 1, "without a final chunk"},
		{"long line", func(w http.ResponseWriter, r *http.Request) {
			fmt.Fprintf(w, `{"response":%q,"done":false}`+"\n", strings.Repeat("x", 200_000))
			fmt.Fprintln(w, `{"response":"","done":true,"done_reason":"stop","eval_count":1,"eval_duration":1000}`)
		}, results.StatusOK, 1, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			f := &fakeOllama{tokens: 5, handler: tc.handler}
			client := f.start(t)
			for _, path := range []string{"api client", "endpoint"} {
				s := newTestSender(client, Config{}, 0)
				if path == "endpoint" {
					s.endpoint = f.endpoint
				}
				rec := s.send(context.Background(), job{model: "fake:q4", phase: results.PhaseMeasure, concurrency: 1, prompt: "one two three"})
				if rec.Status != tc.status || rec.Chunks != tc.chunks {
					t.Errorf("%s: status %s chunks %d, want %s and %d (error %q)", path, rec.Status, rec.Chunks, tc.status, tc.chunks, rec.Error)
				}
				if !strings.Contains(rec.Error, tc.errText) {
					t.Errorf("%s: error %q, want it to contain %q", path, rec.Error, tc.errText)
				}
			}
		})
	}
}
