// Package sandbox runs untrusted Python programs, such as model-written code and
// its tests, with limits on time, memory, files, processes and network.
//
// Every run gets:
//   - a fresh temporary directory as its working directory, removed afterwards;
//   - a scrubbed environment (PATH, HOME and TMPDIR pointing at that directory,
//     LANG, and nothing from the caller);
//   - its own process group, killed as a whole when the wall-clock timeout
//     expires and again after the program exits, so stray children do not outlive it;
//   - resource limits (RLIMIT_CPU, RLIMIT_AS, RLIMIT_FSIZE, RLIMIT_NOFILE,
//     RLIMIT_NPROC), set as both soft and hard limit by a short Python preamble
//     that runs before the program, so the program cannot raise them again;
//   - where the kernel allows it, new user, network, PID and mount namespaces:
//     the program runs as an unprivileged user (uid 65534 when the caller is
//     root), has only a loopback interface that is down, gets private
//     /tmp, /var/tmp and /dev/shm, and every process it starts dies when it
//     exits.
//
// Isolation is chosen once per process by Probe, from the strongest level
// that starts, and reported in every Result. See Isolation for the levels.
//
// The limits are set by the interpreter on itself (Python's resource module)
// rather than by a re-executed Go helper: os/exec has no hook between fork and
// exec, and a preamble keeps the sandbox free of init-time magic in every binary
// that imports it. The interpreter's own start-up, before the preamble, runs
// without limits.
package sandbox

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"time"
)

// Limits are the resource limits of one run. A zero field takes the default
// from DefaultConfig.
type Limits struct {
	// CPUTime is the RLIMIT_CPU limit, rounded up to whole seconds.
	CPUTime time.Duration
	// Memory is the RLIMIT_AS limit (address space) in bytes.
	Memory int64
	// FileSize is the RLIMIT_FSIZE limit in bytes.
	FileSize int64
	// OpenFiles is the RLIMIT_NOFILE limit.
	OpenFiles int
	// Processes is the RLIMIT_NPROC limit: processes and threads of the
	// sandbox user. Without a user namespace it counts every process of that
	// user on the machine, and it is not set at all when that user is the
	// caller (see Isolation.ProcessLimit).
	Processes int
}

// Config configures a run.
type Config struct {
	// Python is the interpreter; empty means the one Probe finds.
	Python string
	// Timeout is the wall-clock limit of a run.
	Timeout time.Duration
	Limits  Limits
	// MaxOutput is the number of bytes of stdout and of stderr kept.
	MaxOutput int
}

// DefaultConfig returns the limits used for code items: 10 s wall clock and CPU,
// 1 GiB address space, 16 MiB files, 64 open files and 32 processes.
func DefaultConfig() Config {
	return Config{
		Timeout: 10 * time.Second,
		Limits: Limits{
			CPUTime:   10 * time.Second,
			Memory:    1 << 30,
			FileSize:  16 << 20,
			OpenFiles: 64,
			Processes: 32,
		},
		MaxOutput: 16 << 10,
	}
}

func (c Config) withDefaults() Config {
	d := DefaultConfig()
	if c.Timeout <= 0 {
		c.Timeout = d.Timeout
	}
	if c.Limits.CPUTime <= 0 {
		c.Limits.CPUTime = d.Limits.CPUTime
	}
	if c.Limits.Memory <= 0 {
		c.Limits.Memory = d.Limits.Memory
	}
	if c.Limits.FileSize <= 0 {
		c.Limits.FileSize = d.Limits.FileSize
	}
	if c.Limits.OpenFiles <= 0 {
		c.Limits.OpenFiles = d.Limits.OpenFiles
	}
	if c.Limits.Processes <= 0 {
		c.Limits.Processes = d.Limits.Processes
	}
	if c.MaxOutput <= 0 {
		c.MaxOutput = d.MaxOutput
	}
	return c
}

// Status is the end state of a run.
type Status string

// Run statuses.
const (
	// Exited means the program exited by itself; see Result.ExitCode.
	Exited Status = "exited"
	// Signaled means a signal other than the sandbox's own ended the program.
	Signaled Status = "signaled"
	// TimedOut means the wall-clock timeout killed the process group.
	TimedOut Status = "timed_out"
	// CPULimit means the program used up its CPU time (SIGXCPU or SIGKILL at
	// the hard limit).
	CPULimit Status = "cpu_limit"
	// SetupFailed means the sandbox itself failed: the preamble could not set
	// the limits, or the interpreter did not start.
	SetupFailed Status = "setup_failed"
)

// Result is the outcome of one run.
type Result struct {
	Status   Status
	ExitCode int
	// Signal names the signal that ended the program, when Status is Signaled.
	Signal    string
	Stdout    string
	Stderr    string
	Duration  time.Duration
	Isolation Isolation
	Python    string
}

// Passed reports whether the program exited with status 0.
func (r Result) Passed() bool { return r.Status == Exited && r.ExitCode == 0 }

// setupExitCode is the exit status of the preamble when it cannot set a limit.
// The preamble also writes setupMarker to stderr, so a program that merely
// exits with 125 is not mistaken for a sandbox failure.
const (
	setupExitCode = 125
	setupMarker   = "quantbench-sandbox: "
)

// RunPython runs program (Python source) in a fresh sandbox. A program that
// fails, times out or breaks a limit returns a Result and a nil error. The
// error is non-nil only when the run could not take place: ctx ended, or the
// temporary directory or the interpreter could not be set up.
func RunPython(ctx context.Context, cfg Config, program string) (Result, error) {
	cfg = cfg.withDefaults()
	env, err := Probe(ctx, cfg.Python)
	if err != nil {
		return Result{}, err
	}

	dir, err := newWorkDir(env.Isolation)
	if err != nil {
		return Result{}, err
	}
	defer removeWorkDir(dir)

	if err := writeProgram(dir, program, env.Isolation); err != nil {
		return Result{}, err
	}

	res, err := run(ctx, cfg, env, dir)
	res.Isolation = env.Isolation
	res.Python = env.Python
	return res, err
}

// programFile is the name of the program inside the working directory.
const programFile = "main.py"

func run(ctx context.Context, cfg Config, env Environment, dir string) (Result, error) {
	runCtx, cancel := context.WithTimeout(ctx, cfg.Timeout)
	defer cancel()

	cmd := exec.CommandContext(runCtx, env.Python, "-I", "-B", "-c", preamble(cfg.Limits, env.Isolation), programFile)
	cmd.Dir = dir
	cmd.Env = scrubbedEnv(dir)
	stdout := &cappedBuffer{max: cfg.MaxOutput}
	stderr := &cappedBuffer{max: cfg.MaxOutput}
	cmd.Stdout = stdout
	cmd.Stderr = stderr
	cmd.SysProcAttr = env.Isolation.sysProcAttr()
	cmd.Cancel = func() error { return killGroup(cmd.Process.Pid) }
	// Grandchildren that keep stdout open must not hold Wait forever.
	cmd.WaitDelay = time.Second

	start := time.Now()
	if err := cmd.Start(); err != nil {
		return Result{Status: SetupFailed}, fmt.Errorf("sandbox: starting %s failed: %w", env.Python, err)
	}
	waitErr := cmd.Wait()
	// Kill whatever the program left behind in its process group.
	_ = killGroup(cmd.Process.Pid)

	res := Result{
		Duration: time.Since(start),
		Stdout:   stdout.String(),
		Stderr:   stderr.String(),
	}
	if ctx.Err() != nil {
		return res, ctx.Err()
	}
	classify(&res, cmd.ProcessState, waitErr, runCtx.Err() != nil, cfg.Limits.CPUTime)
	return res, nil
}

// classify sets the Status of a finished run. A program that exited by
// itself just as the deadline passed keeps its exit status; only one that
// the timeout killed is TimedOut.
func classify(res *Result, state *os.ProcessState, waitErr error, deadlinePassed bool, cpuLimit time.Duration) {
	var ws syscall.WaitStatus
	if state != nil {
		ws, _ = state.Sys().(syscall.WaitStatus)
	}
	if deadlinePassed && (state == nil || ws.Signaled()) {
		res.Status = TimedOut
		res.ExitCode = -1
		return
	}
	if state == nil {
		res.Status = SetupFailed
		res.Stderr += fmt.Sprintf("\n%swait failed: %v", setupMarker, waitErr)
		return
	}

	switch {
	case ws.Signaled() && (ws.Signal() == syscall.SIGXCPU || ws.Signal() == syscall.SIGKILL && cpuUsed(state) >= cpuLimit):
		res.Status = CPULimit
		res.ExitCode = -1
	case ws.Signaled():
		res.Status = Signaled
		res.ExitCode = -1
		res.Signal = ws.Signal().String()
	case ws.ExitStatus() == setupExitCode && strings.Contains(res.Stderr, setupMarker):
		res.Status = SetupFailed
		res.ExitCode = setupExitCode
	default:
		res.Status = Exited
		res.ExitCode = ws.ExitStatus()
	}
}

// cpuUsed returns the user and system CPU time of the program. The kernel
// sends SIGKILL at the hard CPU limit, one second after SIGXCPU, so a SIGKILL
// after that much CPU time is the CPU limit. Other SIGKILLs (the OOM killer)
// are reported as Signaled.
func cpuUsed(state *os.ProcessState) time.Duration {
	return state.UserTime() + state.SystemTime()
}

// killGroup sends SIGKILL to the process group of pid. ESRCH (already gone)
// is not an error.
func killGroup(pid int) error {
	err := syscall.Kill(-pid, syscall.SIGKILL)
	if err == nil || errors.Is(err, syscall.ESRCH) {
		return nil
	}
	return err
}

// scrubbedEnv is the whole environment of a run. PYTHON* variables would
// have no effect, because the interpreter runs with -I (isolated mode).
func scrubbedEnv(dir string) []string {
	return []string{
		"PATH=/usr/local/bin:/usr/bin:/bin",
		"HOME=" + dir,
		"TMPDIR=" + dir,
		"LANG=C.UTF-8",
	}
}

// preamble returns the Python code that prepares the sandbox, then runs the
// program file as __main__ so tracebacks and `if __name__ == "__main__"`
// behave as usual. With privateTmp it first mounts fresh tmpfs file systems
// over the world-writable directories (see privateTmpPython). Then it sets
// the limits. Any failure exits with setupExitCode.
func preamble(l Limits, iso Isolation) string {
	cpu := int64((l.CPUTime + time.Second - 1) / time.Second)
	var b strings.Builder
	b.WriteString("import resource as _qb_r, sys as _qb_s\n")
	b.WriteString("try:\n")
	if iso.PrivateTmp {
		b.WriteString(privateTmpPython)
	}
	fmt.Fprintf(&b, "    _qb_r.setrlimit(_qb_r.RLIMIT_CPU, (%d, %d))\n", cpu, cpu+1)
	fmt.Fprintf(&b, "    _qb_r.setrlimit(_qb_r.RLIMIT_AS, (%d, %d))\n", l.Memory, l.Memory)
	fmt.Fprintf(&b, "    _qb_r.setrlimit(_qb_r.RLIMIT_FSIZE, (%d, %d))\n", l.FileSize, l.FileSize)
	fmt.Fprintf(&b, "    _qb_r.setrlimit(_qb_r.RLIMIT_NOFILE, (%d, %d))\n", l.OpenFiles, l.OpenFiles)
	if iso.ProcessLimit {
		fmt.Fprintf(&b, "    _qb_r.setrlimit(_qb_r.RLIMIT_NPROC, (%d, %d))\n", l.Processes, l.Processes)
	}
	b.WriteString("    _qb_r.setrlimit(_qb_r.RLIMIT_CORE, (0, 0))\n")
	b.WriteString("except Exception as _qb_e:\n")
	fmt.Fprintf(&b, "    _qb_s.stderr.write(%q + 'preparing the sandbox failed: %%s\\n' %% _qb_e)\n", setupMarker)
	fmt.Fprintf(&b, "    _qb_s.exit(%d)\n", setupExitCode)
	b.WriteString("import runpy as _qb_runpy\n")
	fmt.Fprintf(&b, "_qb_s.argv = [%q]\n", programFile)
	b.WriteString("del _qb_r, _qb_s\n")
	fmt.Fprintf(&b, "_qb_runpy.run_path(%q, run_name='__main__')\n", programFile)
	return b.String()
}

// privateTmpPython runs inside the preamble's try block, in a new mount
// namespace owned by the sandbox's user namespace. It makes every mount
// private, so nothing propagates to the host. It mounts a 16 MiB tmpfs over
// /tmp, /var/tmp and /dev/shm, the directories an unprivileged user can
// write to on a typical system. Then it bind-mounts the working directory,
// which usually lives under /tmp, back at its old path. Last it mounts a
// fresh /proc for the PID namespace, so the program sees only its own
// processes; where the kernel refuses, the host's /proc stays visible.
const privateTmpPython = `    import ctypes as _qb_c, os as _qb_o
    _qb_libc = _qb_c.CDLL(None, use_errno=True)
    def _qb_mount(src, dst, fstype, flags, data):
        if _qb_libc.mount(src, dst, fstype, flags, data) != 0:
            _qb_err = _qb_c.get_errno()
            raise OSError(_qb_err, 'mount %s: %s' % (dst, _qb_o.strerror(_qb_err)))
    _qb_mount(None, b'/', None, 0x4000 | 0x40000, None)
    _qb_work = _qb_o.getcwd().encode()
    _qb_fd = _qb_o.open('.', _qb_o.O_RDONLY | _qb_o.O_DIRECTORY)
    for _qb_d in (b'/tmp', b'/var/tmp', b'/dev/shm'):
        if _qb_o.path.isdir(_qb_d):
            _qb_mount(b'tmpfs', _qb_d, b'tmpfs', 0x2 | 0x4, b'size=16m,mode=1777')
    _qb_o.makedirs(_qb_work, exist_ok=True)
    _qb_mount(('/proc/self/fd/%d' % _qb_fd).encode(), _qb_work, None, 0x1000, None)
    _qb_o.chdir(_qb_work)
    _qb_o.close(_qb_fd)
    try:
        _qb_mount(b'proc', b'/proc', b'proc', 0x2 | 0x4 | 0x8, None)
    except OSError:
        pass
    del _qb_c, _qb_o, _qb_libc, _qb_mount, _qb_work, _qb_fd
`

// cappedBuffer keeps the first max bytes written and discards the rest.
type cappedBuffer struct {
	buf       bytes.Buffer
	max       int
	truncated bool
}

func (c *cappedBuffer) Write(p []byte) (int, error) {
	room := c.max - c.buf.Len()
	if room <= 0 {
		c.truncated = len(p) > 0 || c.truncated
		return len(p), nil
	}
	if len(p) > room {
		c.buf.Write(p[:room])
		c.truncated = true
		return len(p), nil
	}
	c.buf.Write(p)
	return len(p), nil
}

func (c *cappedBuffer) String() string {
	if c.truncated {
		return c.buf.String() + "\n[output truncated]"
	}
	return c.buf.String()
}
