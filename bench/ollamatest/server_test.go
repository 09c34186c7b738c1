package ollamatest

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

func TestWaitReadyRetriesUntilOK(t *testing.T) {
	var calls atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/api/version" {
			t.Errorf("request to %s, want /api/version", r.URL.Path)
		}
		if calls.Add(1) < 3 {
			w.WriteHeader(http.StatusServiceUnavailable)
			return
		}
		fmt.Fprint(w, `{"version":"0.17.4"}`)
	}))
	defer srv.Close()

	if err := waitReady(srv.URL, make(chan struct{}), 5*time.Second); err != nil {
		t.Fatal(err)
	}
	if n := calls.Load(); n != 3 {
		t.Errorf("%d requests, want 3 (two 503 responses, then 200)", n)
	}
}

func TestWaitReadyStopsWhenProcessExits(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusServiceUnavailable)
	}))
	defer srv.Close()
	exited := make(chan struct{})
	close(exited)

	start := time.Now()
	err := waitReady(srv.URL, exited, time.Minute)
	if err == nil || !strings.Contains(err.Error(), "exited") {
		t.Errorf("error = %v, want one saying the process exited", err)
	}
	if time.Since(start) > 5*time.Second {
		t.Errorf("waited %v after the process exited", time.Since(start))
	}
}

func TestWaitReadyTimesOut(t *testing.T) {
	srv := httptest.NewServer(http.NotFoundHandler())
	defer srv.Close()
	err := waitReady(srv.URL, make(chan struct{}), 300*time.Millisecond)
	if err == nil || !strings.Contains(err.Error(), "did not answer within") {
		t.Errorf("error = %v, want a timeout", err)
	}
}

func TestLogTailKeepsLastLines(t *testing.T) {
	path := filepath.Join(t.TempDir(), "ollama.log")
	var lines []string
	for i := 1; i <= 50; i++ {
		lines = append(lines, fmt.Sprintf("line %d", i))
	}
	if err := os.WriteFile(path, []byte(strings.Join(lines, "\n")+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	got := strings.Split(logTail(path, 3), "\n")
	if strings.Join(got, "|") != "line 48|line 49|line 50" {
		t.Errorf("logTail = %q, want the last three lines", got)
	}
	if got := logTail(filepath.Join(t.TempDir(), "missing.log"), 3); !strings.Contains(got, "cannot read log") {
		t.Errorf("logTail of a missing file = %q", got)
	}
}

func TestEnvironmentOverridesUserOllamaSettings(t *testing.T) {
	t.Setenv("OLLAMA_HOST", "10.0.0.1:11434")
	t.Setenv("OLLAMA_MODELS", "/home/user/.ollama/models")
	s := &Server{addr: "127.0.0.1:4321", ModelsDir: "/tmp/m"}
	WithEnv("OLLAMA_NUM_PARALLEL", "4")(s)

	env := map[string][]string{}
	for _, kv := range s.environment() {
		k, v, _ := strings.Cut(kv, "=")
		env[k] = append(env[k], v)
	}
	if got := env["OLLAMA_HOST"]; len(got) != 1 || got[0] != "127.0.0.1:4321" {
		t.Errorf("OLLAMA_HOST = %q, want only 127.0.0.1:4321", got)
	}
	if got := env["OLLAMA_MODELS"]; len(got) != 1 || got[0] != "/tmp/m" {
		t.Errorf("OLLAMA_MODELS = %q, want only /tmp/m", got)
	}
	if got := env["OLLAMA_NUM_PARALLEL"]; len(got) != 1 || got[0] != "4" {
		t.Errorf("OLLAMA_NUM_PARALLEL = %q, want 4 from WithEnv", got)
	}
}

func TestRemoveStaleSharedDirs(t *testing.T) {
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp)
	// A pid above the kernel's maximum (4194304 on 64-bit Linux) never runs.
	stale := filepath.Join(tmp, sharedDirPrefix+"99999999-abc")
	live := filepath.Join(tmp, fmt.Sprintf("%s%d-abc", sharedDirPrefix, os.Getppid()))
	for _, dir := range []string{stale, live} {
		if err := os.Mkdir(dir, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	removeStaleSharedDirs()
	if _, err := os.Stat(stale); !os.IsNotExist(err) {
		t.Errorf("folder of an exited process kept: %v", err)
	}
	if _, err := os.Stat(live); err != nil {
		t.Errorf("folder of a running process removed: %v", err)
	}
}
