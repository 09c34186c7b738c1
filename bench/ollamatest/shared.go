package ollamatest

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
)

var shared struct {
	once sync.Once
	srv  *Server
	err  error
}

// Shared returns one server for the whole test binary, started by the first
// call, so the tests of a package without TestMain can share it; starting a
// server and loading models is slow on small machines. The server is not
// stopped by any test's cleanup: it receives SIGTERM when the test binary
// exits. A test that stops it must restart it (srv.Restart) or use Start
// instead; Shared also relaunches a stopped server.
func Shared(t testing.TB) *Server {
	t.Helper()
	bin := findBinaryOrSkip(t)
	shared.once.Do(func() {
		removeStaleSharedDirs()
		dir, err := os.MkdirTemp("", fmt.Sprintf("%s%d-", sharedDirPrefix, os.Getpid()))
		if err != nil {
			shared.err = err
			return
		}
		shared.srv, shared.err = start(bin, dir, nil)
	})
	if shared.err != nil {
		t.Fatal(shared.err)
	}

	srv := shared.srv
	srv.mu.Lock()
	stopped := srv.proc == nil
	srv.mu.Unlock()
	if stopped {
		srv.Restart(t)
	}
	return srv
}

// sharedDirPrefix starts the name of a shared server's temporary folder,
// followed by the owning process id.
const sharedDirPrefix = "quantbench-ollamatest-"

// removeStaleSharedDirs deletes the folders of shared servers whose test
// process has exited; no hook runs when a test binary ends, so each run
// removes the leftovers of earlier ones.
func removeStaleSharedDirs() {
	dirs, _ := filepath.Glob(filepath.Join(os.TempDir(), sharedDirPrefix+"*"))
	for _, dir := range dirs {
		rest := strings.TrimPrefix(filepath.Base(dir), sharedDirPrefix)
		pid, err := strconv.Atoi(strings.SplitN(rest, "-", 2)[0])
		if err != nil || pid == os.Getpid() {
			continue
		}
		if err := syscall.Kill(pid, 0); err == syscall.ESRCH {
			os.RemoveAll(dir)
		}
	}
}
