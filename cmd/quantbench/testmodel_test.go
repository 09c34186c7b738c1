package main

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

// fakeCreateServer imitates the Ollama endpoints that testmodel uses. It
// reports level for every created model, so a test can make the server
// ignore the requested quantisation.
func fakeCreateServer(t *testing.T, level func(quantize string) string) (*httptest.Server, *[]string) {
	t.Helper()
	var mu sync.Mutex
	var created []string
	levels := map[string]string{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		defer mu.Unlock()
		switch {
		case r.URL.Path == "/api/version":
			io.WriteString(w, `{"version":"0.17.4"}`)
		case strings.HasPrefix(r.URL.Path, "/api/blobs/sha256:"):
			io.Copy(io.Discard, r.Body)
			w.WriteHeader(http.StatusCreated)
		case r.URL.Path == "/api/create":
			var req struct {
				Model    string            `json:"model"`
				Quantize string            `json:"quantize"`
				Files    map[string]string `json:"files"`
			}
			json.NewDecoder(r.Body).Decode(&req)
			if len(req.Files) != 1 {
				http.Error(w, `{"error":"want one file"}`, http.StatusBadRequest)
				return
			}
			created = append(created, req.Model)
			levels[req.Model] = level(req.Quantize)
			io.WriteString(w, `{"status":"success"}`)
		case r.URL.Path == "/api/show":
			var req struct{ Model string }
			json.NewDecoder(r.Body).Decode(&req)
			json.NewEncoder(w).Encode(map[string]any{"details": map[string]string{"quantization_level": levels[req.Model]}})
		case r.URL.Path == "/api/tags":
			var models []map[string]any
			for _, name := range created {
				models = append(models, map[string]any{"name": name, "model": name, "digest": strings.Repeat("ab", 32), "size": 1000})
			}
			json.NewEncoder(w).Encode(map[string]any{"models": models})
		default:
			http.NotFound(w, r)
		}
	}))
	t.Cleanup(srv.Close)
	return srv, &created
}

func TestTestmodelCreatesVariants(t *testing.T) {
	srv, created := fakeCreateServer(t, func(q string) string {
		if q == "" {
			return "F16"
		}
		return strings.ToUpper(q)
	})
	var stdout, stderr bytes.Buffer
	code := run([]string{"testmodel", "--kind", "tiny", "--host", srv.URL, "--quantize", "q8_0,q4_K_S"}, &stdout, &stderr)
	if code != exitOK {
		t.Fatalf("exit %d, stderr: %s", code, stderr.String())
	}
	if got := strings.Join(*created, ","); got != "qb-tiny:f16,qb-tiny:q8_0,qb-tiny:q4_K_S" {
		t.Errorf("created %s, want qb-tiny:f16,qb-tiny:q8_0,qb-tiny:q4_K_S", got)
	}
	if !strings.Contains(stdout.String(), "created qb-tiny:q4_K_S") || !strings.Contains(stdout.String(), "Q4_K_S") {
		t.Errorf("output does not list qb-tiny:q4_K_S and its level:\n%s", stdout.String())
	}
}

func TestTestmodelRejectsWrongLevel(t *testing.T) {
	srv, _ := fakeCreateServer(t, func(string) string { return "F16" })
	var stdout, stderr bytes.Buffer
	code := run([]string{"testmodel", "--kind", "tiny", "--host", srv.URL, "--quantize", "q4_K_M"}, &stdout, &stderr)
	if code != exitFailure {
		t.Fatalf("exit %d, want %d; stderr: %s", code, exitFailure, stderr.String())
	}
	if !strings.Contains(stderr.String(), `qb-tiny:q4_K_M has quantization level "F16", want "Q4_K_M"`) {
		t.Errorf("stderr does not explain the level mismatch:\n%s", stderr.String())
	}
}

func TestTestmodelWriteOnly(t *testing.T) {
	out := filepath.Join(t.TempDir(), "s.gguf")
	var stdout, stderr bytes.Buffer
	code := run([]string{"testmodel", "--kind", "sentiment", "--generated", "200", "--write-only", "--out", out}, &stdout, &stderr)
	if code != exitOK {
		t.Fatalf("exit %d, stderr: %s", code, stderr.String())
	}
	data, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	if string(data[:4]) != "GGUF" {
		t.Errorf("file starts with %q, want GGUF", data[:4])
	}
}

func TestTestmodelUsageErrors(t *testing.T) {
	cases := map[string][]string{
		"unknown kind":           {"--kind", "huge"},
		"name with tag":          {"--name", "qb:x"},
		"write-only without out": {"--write-only"},
		"unsupported level":      {"--quantize", "q4_0"},
		"stray argument":         {"extra"},
	}
	for name, args := range cases {
		var stdout, stderr bytes.Buffer
		if code := run(append([]string{"testmodel"}, args...), &stdout, &stderr); code != exitUsage {
			t.Errorf("%s: exit %d, want %d; stderr: %s", name, code, exitUsage, stderr.String())
		}
	}
}

func TestTestmodelUnreachableHost(t *testing.T) {
	srv := httptest.NewServer(http.NotFoundHandler())
	srv.Close()
	var stdout, stderr bytes.Buffer
	code := run([]string{"testmodel", "--host", srv.URL}, &stdout, &stderr)
	if code != exitFailure {
		t.Errorf("exit %d, want %d", code, exitFailure)
	}
	if !strings.Contains(stderr.String(), "cannot reach Ollama at") {
		t.Errorf("stderr: %s", stderr.String())
	}
	if stdout.Len() != 0 {
		t.Errorf("wrote output before checking the server: %s", stdout.String())
	}
}
