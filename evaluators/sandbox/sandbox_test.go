package sandbox

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// testConfig returns small limits so misbehaving programs end quickly. The
// wall-clock limit is generous so well-behaved programs finish on a busy
// machine; the timeout tests set their own.
func testConfig() Config {
	cfg := DefaultConfig()
	cfg.Timeout = 10 * time.Second
	cfg.Limits.CPUTime = 5 * time.Second
	cfg.Limits.Memory = 256 << 20
	cfg.Limits.FileSize = 1 << 20
	cfg.Limits.OpenFiles = 32
	cfg.Limits.Processes = 16
	return cfg
}

func requirePython(t *testing.T) Environment {
	t.Helper()
	env, err := Probe(context.Background(), "")
	if err != nil {
		t.Skipf("no usable python3: %v", err)
	}
	return env
}

func runProgram(t *testing.T, cfg Config, program string) Result {
	t.Helper()
	res, err := RunPython(context.Background(), cfg, program)
	if err != nil {
		t.Fatalf("RunPython: %v", err)
	}
	return res
}

// sandboxProcesses counts live processes that run the sandbox preamble and
// descend from this test process, so runs of other test binaries do not count.
func sandboxProcesses(t *testing.T) int {
	t.Helper()
	entries, err := os.ReadDir("/proc")
	if err != nil {
		t.Fatalf("reading /proc: %v", err)
	}
	n := 0
	for _, e := range entries {
		cmdline, err := os.ReadFile(filepath.Join("/proc", e.Name(), "cmdline"))
		if err != nil || !strings.Contains(string(cmdline), "_qb_runpy") {
			continue
		}
		if descendsFromUs(e.Name()) {
			n++
		}
	}
	return n
}

// descendsFromUs follows parent pids from /proc/PID/stat up to this process.
func descendsFromUs(pid string) bool {
	self := strconv.Itoa(os.Getpid())
	for range 64 {
		stat, err := os.ReadFile(filepath.Join("/proc", pid, "stat"))
		if err != nil {
			return false
		}
		// The fields after the command name, which is in parentheses and
		// may contain spaces, are the state and the parent pid.
		fields := strings.Fields(string(stat[strings.LastIndexByte(string(stat), ')')+1:]))
		if len(fields) < 2 {
			return false
		}
		pid = fields[1]
		if pid == self {
			return true
		}
		if pid == "0" || pid == "1" {
			return false
		}
	}
	return false
}

func waitNoSandboxProcesses(t *testing.T) {
	t.Helper()
	deadline := time.Now().Add(3 * time.Second)
	for sandboxProcesses(t) > 0 {
		if time.Now().After(deadline) {
			t.Fatalf("%d sandbox processes still alive after the run", sandboxProcesses(t))
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func TestRunPythonPasses(t *testing.T) {
	requirePython(t)
	res := runProgram(t, testConfig(), "def f(x):\n    return x * 2\nassert f(21) == 42\nprint('ok', __name__)\n")
	if !res.Passed() {
		t.Fatalf("status %s exit %d stderr %q", res.Status, res.ExitCode, res.Stderr)
	}
	if got := strings.TrimSpace(res.Stdout); got != "ok __main__" {
		t.Errorf("stdout = %q, want %q", got, "ok __main__")
	}
}

func TestRunPythonAssertionFails(t *testing.T) {
	requirePython(t)
	res := runProgram(t, testConfig(), "assert 1 + 1 == 3, 'bad sum'\n")
	if res.Status != Exited || res.ExitCode != 1 {
		t.Fatalf("status %s exit %d, want exited 1", res.Status, res.ExitCode)
	}
	if !strings.Contains(res.Stderr, "AssertionError: bad sum") {
		t.Errorf("stderr %q lacks the assertion", res.Stderr)
	}
}

func TestRunPythonSyntaxError(t *testing.T) {
	requirePython(t)
	res := runProgram(t, testConfig(), "def f(:\n")
	if res.Status != Exited || res.ExitCode != 1 {
		t.Fatalf("status %s exit %d, want exited 1", res.Status, res.ExitCode)
	}
	if !strings.Contains(res.Stderr, "SyntaxError") {
		t.Errorf("stderr %q lacks SyntaxError", res.Stderr)
	}
}

func TestInfiniteLoopTimesOut(t *testing.T) {
	requirePython(t)
	cfg := testConfig()
	cfg.Timeout = 1500 * time.Millisecond
	start := time.Now()
	res := runProgram(t, cfg, "while True:\n    pass\n")
	if res.Status != TimedOut {
		t.Fatalf("status %s exit %d, want %s", res.Status, res.ExitCode, TimedOut)
	}
	if elapsed := time.Since(start); elapsed > 5*time.Second {
		t.Errorf("run took %v after a 1.5s timeout", elapsed)
	}
	waitNoSandboxProcesses(t)
}

func TestSleepingChildKilledAtTimeout(t *testing.T) {
	requirePython(t)
	cfg := testConfig()
	cfg.Timeout = time.Second
	// The child ignores the program's end and holds stdout open.
	program := "import os, time\nif os.fork() == 0:\n    time.sleep(60)\nelse:\n    time.sleep(60)\n"
	res := runProgram(t, cfg, program)
	if res.Status != TimedOut {
		t.Fatalf("status %s, want %s", res.Status, TimedOut)
	}
	waitNoSandboxProcesses(t)
}

func TestCPULimitEndsBusyLoop(t *testing.T) {
	requirePython(t)
	cfg := testConfig()
	// The wall-clock limit only has to outlast two seconds of CPU time on a
	// busy machine.
	cfg.Timeout = 60 * time.Second
	cfg.Limits.CPUTime = time.Second
	res := runProgram(t, cfg, "while True:\n    pass\n")
	if res.Status != CPULimit {
		t.Fatalf("status %s signal %q, want %s", res.Status, res.Signal, CPULimit)
	}
}

func TestForkBombContained(t *testing.T) {
	env := requirePython(t)
	if !env.Isolation.PID {
		t.Skipf("isolation %q has no PID namespace, so a fork bomb could outlive the test", env.Isolation.Level)
	}
	cfg := testConfig()
	cfg.Timeout = 2 * time.Second
	// Every process forks forever and ignores failures, so only the
	// process limit and the timeout stop it.
	program := "import os\nwhile True:\n    try:\n        os.fork()\n    except OSError:\n        pass\n"
	res := runProgram(t, cfg, program)
	if res.Status != TimedOut {
		t.Fatalf("status %s exit %d, want %s", res.Status, res.ExitCode, TimedOut)
	}
	waitNoSandboxProcesses(t)

	after := runProgram(t, testConfig(), "print('still here')\n")
	if !after.Passed() {
		t.Fatalf("run after the fork bomb: status %s stderr %q", after.Status, after.Stderr)
	}
}

func TestProcessLimitStopsForking(t *testing.T) {
	env := requirePython(t)
	if !env.Isolation.User {
		t.Skipf("isolation %q has no user namespace, so the process limit counts other processes of uid %d", env.Isolation.Level, env.Isolation.UID)
	}
	program := "import os, time\nn = 0\ntry:\n    for _ in range(100):\n        if os.fork() == 0:\n            time.sleep(30)\n            os._exit(0)\n        n += 1\nexcept BlockingIOError:\n    print(n)\n    raise\n"
	res := runProgram(t, testConfig(), program)
	if res.Status != Exited || res.ExitCode != 1 {
		t.Fatalf("status %s exit %d, want exited 1; stderr %q", res.Status, res.ExitCode, res.Stderr)
	}
	// The limit of 16 includes the program itself.
	if got := strings.TrimSpace(res.Stdout); got != "15" {
		t.Errorf("forked %s children, want 15", got)
	}
	waitNoSandboxProcesses(t)
}

func TestMemoryHogFails(t *testing.T) {
	requirePython(t)
	tests := map[string]string{
		"one allocation": "b = bytearray(4 << 30)\n",
		"growing list":   "x = []\nwhile True:\n    x.append(bytearray(16 << 20))\n",
	}
	for name, program := range tests {
		t.Run(name, func(t *testing.T) {
			res := runProgram(t, testConfig(), program)
			if res.Status != Exited || res.ExitCode != 1 {
				t.Fatalf("status %s exit %d, want exited 1", res.Status, res.ExitCode)
			}
			if !strings.Contains(res.Stderr, "MemoryError") {
				t.Errorf("stderr %q lacks MemoryError", res.Stderr)
			}
		})
	}
}

func TestWriteOutsideWorkDirFails(t *testing.T) {
	env := requirePython(t)
	if env.Isolation.UID == os.Getuid() {
		t.Skipf("the sandbox runs as the caller (uid %d), so it may write where the caller may", os.Getuid())
	}
	// A root-owned directory outside /tmp, and one under the host's /tmp,
	// which a private /tmp hides.
	wd, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, dir, exception string
	}{
		{"package directory", wd, "PermissionError"},
		{"test temporary directory", t.TempDir(), "PermissionError"},
	}
	if env.Isolation.PrivateTmp {
		tests[1].exception = "FileNotFoundError"
		// A checkout under /tmp (as in a CI clone) is hidden by the private
		// /tmp too, so the write fails because the folder is missing.
		if underTmp(wd) {
			tests[0].exception = "FileNotFoundError"
		}
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			target := filepath.Join(tt.dir, "qb-sandbox-escaped.txt")
			t.Cleanup(func() { os.Remove(target) })
			program := fmt.Sprintf("import os\nprint(os.getcwd())\nwith open(%q, 'w') as f:\n    f.write('x')\n", target)
			res := runProgram(t, testConfig(), program)
			if res.Status != Exited || res.ExitCode != 1 {
				t.Fatalf("status %s exit %d, want exited 1", res.Status, res.ExitCode)
			}
			if !strings.Contains(res.Stderr, tt.exception) {
				t.Errorf("stderr %q lacks %s", res.Stderr, tt.exception)
			}
			if _, err := os.Stat(target); !errors.Is(err, os.ErrNotExist) {
				t.Errorf("%s exists after the run (stat error %v)", target, err)
			}

			workDir := strings.TrimSpace(res.Stdout)
			if !strings.Contains(workDir, "quantbench-sandbox-") {
				t.Fatalf("working directory %q is not a sandbox directory", workDir)
			}
			if _, err := os.Stat(workDir); !errors.Is(err, os.ErrNotExist) {
				t.Errorf("working directory %s still exists (stat error %v)", workDir, err)
			}
		})
	}
}

func TestSharedTmpDirectoriesPrivate(t *testing.T) {
	env := requirePython(t)
	if !env.Isolation.PrivateTmp {
		t.Skipf("isolation %q has no private /tmp", env.Isolation.Level)
	}
	name := fmt.Sprintf("qb-sandbox-private-%d.txt", os.Getpid())
	targets := []string{filepath.Join("/tmp", name), filepath.Join("/dev/shm", name), filepath.Join("/var/tmp", name)}
	for _, target := range targets {
		t.Cleanup(func() { os.Remove(target) })
	}
	program := fmt.Sprintf("import os\nfor p in %q, %q, %q:\n    if os.path.isdir(os.path.dirname(p)):\n        open(p, 'w').write('x')\n        assert open(p).read() == 'x'\nopen('inside.txt', 'w').write('y')\n", targets[0], targets[1], targets[2])
	res := runProgram(t, testConfig(), program)
	if !res.Passed() {
		t.Fatalf("status %s exit %d stderr %q", res.Status, res.ExitCode, res.Stderr)
	}
	for _, target := range targets {
		if _, err := os.Stat(target); !errors.Is(err, os.ErrNotExist) {
			t.Errorf("%s is visible on the host after the run (stat error %v)", target, err)
		}
	}
}

func TestWorkDirWritable(t *testing.T) {
	requirePython(t)
	program := "import os\nos.mkdir('sub')\nwith open('sub/a.txt', 'w') as f:\n    f.write('hello')\nos.chmod('sub', 0)\nprint(open(os.path.join(os.environ['TMPDIR'], 'main.py')).read(6))\n"
	res := runProgram(t, testConfig(), program)
	if !res.Passed() {
		t.Fatalf("status %s exit %d stderr %q", res.Status, res.ExitCode, res.Stderr)
	}
}

func TestFileSizeLimit(t *testing.T) {
	requirePython(t)
	res := runProgram(t, testConfig(), "with open('big', 'wb') as f:\n    f.write(b'x' * (4 << 20))\n")
	if res.Status != Exited || res.ExitCode != 1 {
		t.Fatalf("status %s exit %d, want exited 1", res.Status, res.ExitCode)
	}
	if !strings.Contains(res.Stderr, "File too large") {
		t.Errorf("stderr %q lacks EFBIG", res.Stderr)
	}
}

func TestOpenFilesLimit(t *testing.T) {
	requirePython(t)
	res := runProgram(t, testConfig(), "fs = [open('f%d' % i, 'w') for i in range(100)]\n")
	if res.Status != Exited || res.ExitCode != 1 {
		t.Fatalf("status %s exit %d, want exited 1", res.Status, res.ExitCode)
	}
	if !strings.Contains(res.Stderr, "Too many open files") {
		t.Errorf("stderr %q lacks EMFILE", res.Stderr)
	}
}

func TestNetworkBlocked(t *testing.T) {
	env := requirePython(t)
	if !env.Isolation.Network {
		t.Skipf("isolation %q has no network namespace", env.Isolation.Level)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	var accepted atomic.Int32
	go func() {
		for {
			conn, err := ln.Accept()
			if err != nil {
				return
			}
			accepted.Add(1)
			conn.Close()
		}
	}()

	port := ln.Addr().(*net.TCPAddr).Port
	program := fmt.Sprintf("import socket\nsocket.create_connection(('127.0.0.1', %d), timeout=2).close()\nprint('connected')\n", port)
	res := runProgram(t, testConfig(), program)
	if res.Status != Exited || res.ExitCode != 1 {
		t.Fatalf("status %s exit %d stdout %q, want exited 1", res.Status, res.ExitCode, res.Stdout)
	}
	if !strings.Contains(res.Stderr, "Network is unreachable") {
		t.Errorf("stderr %q lacks ENETUNREACH", res.Stderr)
	}
	if n := accepted.Load(); n != 0 {
		t.Errorf("listener accepted %d connections from the sandbox", n)
	}
}

func TestEnvironmentScrubbed(t *testing.T) {
	requirePython(t)
	t.Setenv("QUANTBENCH_TEST_SECRET", "s3cret")
	program := "import os\nassert 'QUANTBENCH_TEST_SECRET' not in os.environ, 'leaked'\nprint(sorted(os.environ))\n"
	res := runProgram(t, testConfig(), program)
	if !res.Passed() {
		t.Fatalf("status %s stderr %q", res.Status, res.Stderr)
	}
	if strings.Contains(res.Stdout, "SECRET") {
		t.Errorf("environment %s contains the secret", res.Stdout)
	}
}

func TestOutputCapped(t *testing.T) {
	requirePython(t)
	cfg := testConfig()
	cfg.MaxOutput = 1000
	res := runProgram(t, cfg, "print('y' * 100000)\n")
	if !res.Passed() {
		t.Fatalf("status %s", res.Status)
	}
	if !strings.HasSuffix(res.Stdout, "[output truncated]") || len(res.Stdout) > 1100 {
		t.Errorf("stdout of %d bytes is not capped", len(res.Stdout))
	}
}

func TestConcurrentRuns(t *testing.T) {
	requirePython(t)
	var wg sync.WaitGroup
	results := make([]Result, 6)
	errs := make([]error, 6)
	for i := range results {
		wg.Add(1)
		go func() {
			defer wg.Done()
			program := fmt.Sprintf("import os\nopen('mine', 'w').write('%d')\nassert open('mine').read() == '%d'\nassert %d %% 2 == 0\n", i, i, i)
			results[i], errs[i] = RunPython(context.Background(), testConfig(), program)
		}()
	}
	wg.Wait()
	for i, res := range results {
		if errs[i] != nil {
			t.Fatalf("run %d: %v", i, errs[i])
		}
		if want := i%2 == 0; res.Passed() != want {
			t.Errorf("run %d passed = %v, want %v (stderr %q)", i, res.Passed(), want, res.Stderr)
		}
	}
}

func TestCancelledContext(t *testing.T) {
	requirePython(t)
	ctx, cancel := context.WithCancel(context.Background())
	go func() {
		time.Sleep(300 * time.Millisecond)
		cancel()
	}()
	_, err := RunPython(ctx, testConfig(), "import time\ntime.sleep(30)\n")
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("error %v, want context.Canceled", err)
	}
	waitNoSandboxProcesses(t)
}

func TestMissingInterpreter(t *testing.T) {
	_, err := Probe(context.Background(), "/nonexistent/python3")
	if err == nil || !strings.Contains(err.Error(), "/nonexistent/python3") {
		t.Fatalf("error %v does not name the missing interpreter", err)
	}
}

func TestPreambleSetsLimits(t *testing.T) {
	requirePython(t)
	program := "import resource as r\nprint(r.getrlimit(r.RLIMIT_AS)[1], r.getrlimit(r.RLIMIT_NPROC)[1], r.getrlimit(r.RLIMIT_NOFILE)[1])\ntry:\n    r.setrlimit(r.RLIMIT_AS, (-1, -1))\nexcept ValueError:\n    print('raise refused')\n"
	res := runProgram(t, testConfig(), program)
	if !res.Passed() {
		t.Fatalf("status %s stderr %q", res.Status, res.Stderr)
	}
	want := fmt.Sprintf("%d 16 32\nraise refused", 256<<20)
	if got := strings.TrimSpace(res.Stdout); got != want {
		t.Errorf("stdout %q, want %q", got, want)
	}
}

// TestEachIsolationLevel runs a program under every level this machine
// starts, including the fallbacks Probe would not pick here.
func TestEachIsolationLevel(t *testing.T) {
	probed := requirePython(t)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	go func() {
		for {
			conn, err := ln.Accept()
			if err != nil {
				return
			}
			conn.Close()
		}
	}()
	port := ln.Addr().(*net.TCPAddr).Port
	program := fmt.Sprintf("import os, resource, socket\ntry:\n    socket.create_connection(('127.0.0.1', %d), timeout=2).close()\n    print('connected')\nexcept OSError:\n    print('unreachable')\nprint(resource.getrlimit(resource.RLIMIT_NPROC)[1] == 16)\n", port)

	for _, iso := range candidateIsolations() {
		t.Run(iso.Level, func(t *testing.T) {
			env := Environment{Python: probed.Python, Isolation: iso}
			dir, err := newWorkDir(iso)
			if err != nil {
				t.Fatal(err)
			}
			defer removeWorkDir(dir)
			if err := writeProgram(dir, program, iso); err != nil {
				t.Fatal(err)
			}

			res, err := run(context.Background(), testConfig(), env, dir)
			if err != nil {
				t.Skipf("level does not start here: %v", err)
			}
			if !res.Passed() {
				t.Fatalf("status %s exit %d stderr %q", res.Status, res.ExitCode, res.Stderr)
			}
			want := "connected"
			if iso.Network {
				want = "unreachable"
			}
			if iso.ProcessLimit {
				want += "\nTrue"
			} else {
				want += "\nFalse"
			}
			if got := strings.TrimSpace(res.Stdout); got != want {
				t.Errorf("probe printed %q, want %q", got, want)
			}
		})
	}
}

func TestClassify(t *testing.T) {
	// Real wait statuses come from short programs run outside the sandbox.
	statusOf := func(code string) *os.ProcessState {
		t.Helper()
		cmd := exec.Command("/bin/sh", "-c", code)
		_ = cmd.Run()
		return cmd.ProcessState
	}
	exited0 := statusOf("exit 0")
	exited3 := statusOf("exit 3")
	killed := statusOf("kill -KILL $$")
	xcpu := statusOf("kill -XCPU $$")
	segv := statusOf("kill -SEGV $$")
	setup := statusOf("exit 125")

	tests := []struct {
		name     string
		state    *os.ProcessState
		deadline bool
		stderr   string
		status   Status
		exit     int
	}{
		{"exit 0", exited0, false, "", Exited, 0},
		{"exit 3", exited3, false, "", Exited, 3},
		{"exit at the deadline", exited3, true, "", Exited, 3},
		{"killed at the deadline", killed, true, "", TimedOut, -1},
		{"no state at the deadline", nil, true, "", TimedOut, -1},
		{"SIGXCPU", xcpu, false, "", CPULimit, -1},
		{"SIGKILL without CPU use", killed, false, "", Signaled, -1},
		{"SIGSEGV", segv, false, "", Signaled, -1},
		{"preamble failure", setup, false, setupMarker + "setting failed", SetupFailed, setupExitCode},
		{"program exits 125", setup, false, "", Exited, setupExitCode},
	}
	for _, tt := range tests {
		res := Result{Stderr: tt.stderr}
		classify(&res, tt.state, nil, tt.deadline, time.Second)
		if res.Status != tt.status || res.ExitCode != tt.exit {
			t.Errorf("%s: status %s exit %d, want %s %d", tt.name, res.Status, res.ExitCode, tt.status, tt.exit)
		}
	}
}

// BenchmarkRunPython measures the cost of one sandboxed run of a trivial
// program: probe cache lookup, directory, namespaces, interpreter start.
func BenchmarkRunPython(b *testing.B) {
	if _, err := Probe(context.Background(), ""); err != nil {
		b.Skipf("no usable python3: %v", err)
	}
	cfg := DefaultConfig()
	for b.Loop() {
		res, err := RunPython(context.Background(), cfg, "pass\n")
		if err != nil || !res.Passed() {
			b.Fatalf("run failed: %v %+v", err, res)
		}
	}
}

func TestHostProcessesHidden(t *testing.T) {
	env := requirePython(t)
	if !env.Isolation.PrivateTmp {
		t.Skipf("isolation %q has no mount namespace for a private /proc", env.Isolation.Level)
	}
	program := "import os\npids = [p for p in os.listdir('/proc') if p.isdigit()]\nprint(len(pids))\nassert len(pids) <= 3, pids\n"
	res := runProgram(t, testConfig(), program)
	if !res.Passed() {
		t.Errorf("the program saw host processes: status %s exit %d stdout %q stderr %q", res.Status, res.ExitCode, res.Stdout, res.Stderr)
	}
}

// underTmp reports whether path is below one of the folders the sandbox
// replaces with a private tmpfs.
func underTmp(path string) bool {
	for _, dir := range []string{"/tmp/", "/var/tmp/", "/dev/shm/"} {
		if strings.HasPrefix(path+"/", dir) {
			return true
		}
	}
	return false
}
