// Package ollamatest starts real Ollama servers for tests and creates the
// generated test models on them.
//
// Each server listens on a free port on 127.0.0.1 with its own models folder,
// so a test never talks to a server it did not start. The binary is, in order:
// $QUANTBENCH_OLLAMA, the build that scripts/ollama-provide.sh caches under
// ${XDG_CACHE_HOME:-$HOME/.cache}/quantbench/ollama-v0.17.4/ollama, or
// `ollama` on PATH. When none exists the test is skipped, unless
// QUANTBENCH_REQUIRE_OLLAMA=1, which makes it fail.
//
//	func TestIntegrationSomething(t *testing.T) {
//		srv := ollamatest.Shared(t)
//		models := ollamatest.TinyModels(t, srv) // qb-tiny:f16, qb-tiny:q8_0, qb-tiny:q4_K_M
//		resp, err := srv.Client().Show(ctx, &api.ShowRequest{Model: models[0]})
//		...
//	}
package ollamatest

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/ollama/ollama/api"
)

// Environment variables read by this package.
const (
	// EnvBinary names the Ollama binary to run.
	EnvBinary = "QUANTBENCH_OLLAMA"

	// EnvRequire, set to 1, turns a missing binary from a skip into a failure.
	EnvRequire = "QUANTBENCH_REQUIRE_OLLAMA"
)

// PinnedVersion is the Ollama version scripts/ollama-provide.sh builds.
const PinnedVersion = "0.17.4"

// startTimeout bounds the wait for /api/version after the process starts. A
// cold start on 2 CPU cores takes about a second; the margin covers a loaded machine.
const startTimeout = 60 * time.Second

// stopTimeout bounds the wait after SIGTERM before the process group is killed.
const stopTimeout = 15 * time.Second

// Server is a running `ollama serve` owned by the test process.
type Server struct {
	// Host is the base URL, http://127.0.0.1:PORT.
	Host string

	// ModelsDir is the server's OLLAMA_MODELS folder.
	ModelsDir string

	// LogPath is the file receiving the server's stdout and stderr.
	LogPath string

	// Binary is the path of the ollama executable.
	Binary string

	addr string   // 127.0.0.1:PORT
	env  []string // extra environment, KEY=VALUE

	mu   sync.Mutex
	proc *process

	modelsMu sync.Mutex
	models   map[string]*modelSet // memoised model sets by base name
}

// Option configures a server started by Start.
type Option func(*Server)

// WithEnv sets an environment variable of the server, for example
// WithEnv("OLLAMA_NUM_PARALLEL", "4") for a concurrency test.
func WithEnv(key, value string) Option {
	return func(s *Server) { s.env = append(s.env, key+"="+value) }
}

// Start starts a server for the test and stops it when the test ends. It
// skips the test when no binary is found (fails when QUANTBENCH_REQUIRE_OLLAMA=1)
// and fails it when the server does not come up.
func Start(t testing.TB, opts ...Option) *Server {
	t.Helper()
	bin := findBinaryOrSkip(t)
	dir := t.TempDir()
	srv, err := start(bin, dir, opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("ollama server log (%s), last lines:\n%s", srv.LogPath, logTail(srv.LogPath, 40))
		}
		srv.Stop()
	})
	return srv
}

// start launches a server whose models folder and log live in dir.
func start(bin, dir string, opts []Option) (*Server, error) {
	addr, err := freeAddr()
	if err != nil {
		return nil, err
	}
	srv := &Server{
		Host:      "http://" + addr,
		ModelsDir: filepath.Join(dir, "models"),
		LogPath:   filepath.Join(dir, "ollama.log"),
		Binary:    bin,
		addr:      addr,
		models:    map[string]*modelSet{},
	}
	for _, opt := range opts {
		opt(srv)
	}
	if err := os.MkdirAll(srv.ModelsDir, 0o755); err != nil {
		return nil, err
	}
	if err := srv.launch(); err != nil {
		return nil, err
	}
	return srv, nil
}

// Client returns an API client for the server. It has no request timeout,
// since a generation may legitimately run for minutes; use a context instead.
func (s *Server) Client() *api.Client {
	u, err := url.Parse(s.Host)
	if err != nil {
		panic(err) // Host is built by this package and always parses.
	}
	return api.NewClient(u, &http.Client{})
}

// Stop stops the server: SIGTERM to its process group (the server and the
// model runners it started), then SIGKILL if it has not exited within 15
// seconds. Stopping a stopped server does nothing.
func (s *Server) Stop() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.proc != nil {
		s.proc.stop()
		s.proc = nil
	}
}

// Restart stops the server and starts it again on the same port and models
// folder, for tests of what happens when a server dies mid-run.
func (s *Server) Restart(t testing.TB) {
	t.Helper()
	s.Stop()
	if err := s.launch(); err != nil {
		t.Fatal(err)
	}
}

// launch starts the process and waits until /api/version answers.
func (s *Server) launch() error {
	s.mu.Lock()
	defer s.mu.Unlock()

	logFile, err := os.OpenFile(s.LogPath, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		return err
	}
	p, err := startProcess(s.Binary, s.environment(), logFile)
	logFile.Close() // the child holds its own descriptor
	if err != nil {
		return fmt.Errorf("start %s serve: %w", s.Binary, err)
	}

	if err := waitReady(s.Host, p.done, startTimeout); err != nil {
		p.stop()
		return fmt.Errorf("ollama server %s (binary %s) did not start: %w\nlast lines of %s:\n%s",
			s.Host, s.Binary, err, s.LogPath, logTail(s.LogPath, 30))
	}
	s.proc = p
	return nil
}

// environment is the parent's environment without any OLLAMA_ variable, so a
// user's settings cannot point the server elsewhere, plus this server's own.
func (s *Server) environment() []string {
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "OLLAMA_") {
			env = append(env, kv)
		}
	}
	env = append(env,
		"OLLAMA_HOST="+s.addr,
		"OLLAMA_MODELS="+s.ModelsDir,
		// Keep models loaded across the tests of one package run, which
		// switch between several variants; unloading and reloading would
		// turn every switch into a cold start.
		"OLLAMA_KEEP_ALIVE=10m",
		"OLLAMA_MAX_LOADED_MODELS=3",
		"OLLAMA_NOPRUNE=1",
	)
	return append(env, s.env...)
}

// process is a started server process.
type process struct {
	cmd  *exec.Cmd
	done chan struct{} // closed when the process has exited
}

// startProcess runs `bin serve` in its own process group. The goroutine that
// starts it locks its OS thread and stays until the process exits, because
// Pdeathsig fires when the starting thread dies: this way the server receives
// SIGTERM if the test binary exits without stopping it.
func startProcess(bin string, env []string, log *os.File) (*process, error) {
	p := &process{done: make(chan struct{})}
	started := make(chan error, 1)
	go func() {
		runtime.LockOSThread()
		defer runtime.UnlockOSThread()

		cmd := exec.Command(bin, "serve")
		cmd.Env = env
		cmd.Stdout = log
		cmd.Stderr = log
		cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGTERM}
		if err := cmd.Start(); err != nil {
			started <- err
			return
		}
		p.cmd = cmd
		started <- nil
		cmd.Wait()
		close(p.done)
	}()
	if err := <-started; err != nil {
		return nil, err
	}
	return p, nil
}

func (p *process) stop() {
	pgid := p.cmd.Process.Pid
	syscall.Kill(-pgid, syscall.SIGTERM)
	select {
	case <-p.done:
	case <-time.After(stopTimeout):
		syscall.Kill(-pgid, syscall.SIGKILL)
		<-p.done
	}
	// Runners may outlive the server by a moment; the group id still names them.
	syscall.Kill(-pgid, syscall.SIGKILL)
}

// waitReady polls host/api/version until it answers 200, the process exits,
// or the timeout passes.
func waitReady(host string, exited <-chan struct{}, timeout time.Duration) error {
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	client := &http.Client{Timeout: 2 * time.Second}
	for {
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, host+"/api/version", nil)
		resp, err := client.Do(req)
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return nil
			}
		}
		select {
		case <-exited:
			return errors.New("the process exited")
		case <-ctx.Done():
			return fmt.Errorf("/api/version did not answer within %v", timeout)
		case <-time.After(100 * time.Millisecond):
		}
	}
}

// freeAddr returns 127.0.0.1:PORT for a port that was free a moment ago.
func freeAddr() (string, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", fmt.Errorf("find a free port on 127.0.0.1: %w", err)
	}
	defer l.Close()
	return l.Addr().String(), nil
}

// logTail returns the last n lines of the file at path.
func logTail(path string, n int) string {
	data, err := os.ReadFile(path)
	if err != nil {
		return fmt.Sprintf("(cannot read log: %v)", err)
	}
	lines := strings.Split(strings.TrimRight(string(data), "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}
