package sandbox

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"time"
)

// Isolation levels, strongest first. Probe picks the first that starts.
const (
	// LevelNamespacesPrivateTmp is LevelNamespaces plus a mount namespace
	// with private tmpfs mounts on /tmp, /var/tmp and /dev/shm. Files the
	// program writes outside its working directory, even in world-writable
	// directories, never reach the host.
	LevelNamespacesPrivateTmp = "user+net+pid+mount namespaces"
	// LevelNamespaces runs the program in new user, network and PID
	// namespaces as an unprivileged user: uid 65534 when the caller is root,
	// the caller's own uid otherwise. RLIMIT_NPROC then counts only the
	// sandbox's own processes.
	LevelNamespaces = "user+net+pid namespaces"
	// LevelRootNamespaces is for a root caller whose kernel refuses user
	// namespaces: new network and PID namespaces, and uid 65534.
	// RLIMIT_NPROC counts every process of uid 65534 on the machine, so
	// concurrent runs share it.
	LevelRootNamespaces = "net+pid namespaces, uid 65534"
	// LevelNone uses no namespaces: the network is reachable and processes
	// that leave the process group (setsid) survive the run. A root caller
	// still drops to uid 65534.
	LevelNone = "no namespaces"
)

// nobody is the unprivileged uid and gid a root caller's programs run as.
const nobody = 65534

// Isolation records the protections that applied to a run, beyond the
// resource limits, the process group and the temporary directory, which
// always apply.
type Isolation struct {
	Level string `json:"level"`
	// Network reports a private network namespace: no route to any host,
	// including the caller's 127.0.0.1.
	Network bool `json:"network"`
	// PID reports a private PID namespace: every process of the program dies
	// with it.
	PID bool `json:"pid"`
	// User reports a private user namespace.
	User bool `json:"user"`
	// PrivateTmp reports private /tmp, /var/tmp and /dev/shm in a private
	// mount namespace.
	PrivateTmp bool `json:"private_tmp"`
	// ProcessLimit reports that RLIMIT_NPROC is set. It is not set when the
	// program runs as the caller's own uid outside a user namespace, because
	// the limit would count the caller's other processes too.
	ProcessLimit bool `json:"process_limit"`
	// UID and GID are the host ids the program runs as.
	UID int `json:"uid"`
	GID int `json:"gid"`
}

func (iso Isolation) sysProcAttr() *syscall.SysProcAttr {
	attr := &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGKILL}
	if iso.Network {
		attr.Cloneflags |= syscall.CLONE_NEWNET
	}
	if iso.PID {
		attr.Cloneflags |= syscall.CLONE_NEWPID
	}
	if iso.PrivateTmp {
		attr.Cloneflags |= syscall.CLONE_NEWNS
	}
	switch {
	case iso.User:
		// Inside the namespace the program is uid 0, mapped to iso.UID
		// outside. Without the explicit Credential it would keep the caller's
		// host uid, which is unmapped and, for root, still privileged.
		attr.Cloneflags |= syscall.CLONE_NEWUSER
		attr.UidMappings = []syscall.SysProcIDMap{{ContainerID: 0, HostID: iso.UID, Size: 1}}
		attr.GidMappings = []syscall.SysProcIDMap{{ContainerID: 0, HostID: iso.GID, Size: 1}}
		attr.GidMappingsEnableSetgroups = false
		attr.Credential = &syscall.Credential{Uid: 0, Gid: 0, NoSetGroups: true}
	case iso.UID != os.Getuid():
		attr.Credential = &syscall.Credential{Uid: uint32(iso.UID), Gid: uint32(iso.GID), NoSetGroups: true}
	}
	return attr
}

// candidateIsolations lists the levels to try, strongest first.
func candidateIsolations() []Isolation {
	root := os.Getuid() == 0
	uid, gid := os.Getuid(), os.Getgid()
	if root {
		uid, gid = nobody, nobody
	}
	levels := []Isolation{
		{Level: LevelNamespacesPrivateTmp, Network: true, PID: true, User: true, PrivateTmp: true, ProcessLimit: true, UID: uid, GID: gid},
		{Level: LevelNamespaces, Network: true, PID: true, User: true, ProcessLimit: true, UID: uid, GID: gid},
	}
	if root {
		levels = append(levels, Isolation{Level: LevelRootNamespaces, Network: true, PID: true, ProcessLimit: true, UID: uid, GID: gid})
	}
	return append(levels, Isolation{Level: LevelNone, ProcessLimit: root, UID: uid, GID: gid})
}

// Environment is the interpreter and isolation level that Probe found.
type Environment struct {
	Python    string
	Version   string
	Isolation Isolation
}

var (
	probeMu    sync.Mutex
	probeCache = map[string]Environment{}
)

// Probe finds a Python 3 interpreter that runs inside the strongest isolation
// level the system allows, and caches the result for the life of the process.
// python names the interpreter; empty means python3 on PATH (resolved through
// shims such as pyenv's) and then /usr/bin/python3 and /usr/local/bin/python3,
// because an interpreter under a private home directory cannot run as an
// unprivileged user.
func Probe(ctx context.Context, python string) (Environment, error) {
	probeMu.Lock()
	defer probeMu.Unlock()
	if env, ok := probeCache[python]; ok {
		return env, nil
	}

	candidates, err := pythonCandidates(ctx, python)
	if err != nil {
		return Environment{}, err
	}

	var failures []string
	for _, iso := range candidateIsolations() {
		for _, path := range candidates {
			env := Environment{Python: path, Isolation: iso}
			version, err := probeOne(ctx, env)
			if err == nil {
				env.Version = version
				probeCache[python] = env
				slog.Info("code sandbox ready", "python", path, "version", version, "isolation", iso.Level, "uid", iso.UID)
				return env, nil
			}
			if ctx.Err() != nil {
				return Environment{}, ctx.Err()
			}
			failures = append(failures, fmt.Sprintf("%s with %s: %v", path, iso.Level, err))
		}
	}
	return Environment{}, fmt.Errorf("sandbox: no Python 3 interpreter runs inside the sandbox (%s); install python3 where every user can run it, for example /usr/bin/python3", strings.Join(failures, "; "))
}

func probeOne(ctx context.Context, env Environment) (string, error) {
	cfg := DefaultConfig()
	cfg.Timeout = 20 * time.Second
	dir, err := newWorkDir(env.Isolation)
	if err != nil {
		return "", err
	}
	defer removeWorkDir(dir)

	program := "import sys\nassert sys.version_info[0] == 3, sys.version\nprint(sys.version.split()[0])\n"
	if err := writeProgram(dir, program, env.Isolation); err != nil {
		return "", err
	}
	res, err := run(ctx, cfg, env, dir)
	if err != nil {
		return "", err
	}
	if !res.Passed() {
		return "", fmt.Errorf("probe ended with %s (exit %d): %s", res.Status, res.ExitCode, lastLine(res.Stderr))
	}
	return strings.TrimSpace(res.Stdout), nil
}

// pythonCandidates returns absolute interpreter paths to try, without duplicates.
func pythonCandidates(ctx context.Context, python string) ([]string, error) {
	if python != "" {
		path, err := exec.LookPath(python)
		if err != nil {
			return nil, fmt.Errorf("sandbox: Python interpreter %q not found: %w; install it or give an absolute path", python, err)
		}
		return []string{realExecutable(ctx, path)}, nil
	}

	var paths []string
	if path, err := exec.LookPath("python3"); err == nil {
		paths = append(paths, realExecutable(ctx, path))
	}
	for _, path := range []string{"/usr/bin/python3", "/usr/local/bin/python3"} {
		if info, err := os.Stat(path); err == nil && !info.IsDir() {
			paths = append(paths, path)
		}
	}
	paths = dedupe(paths)
	if len(paths) == 0 {
		return nil, errors.New("sandbox: python3 not found on PATH, in /usr/bin or in /usr/local/bin; install Python 3 (for example apt-get install python3) to score code datasets")
	}
	return paths, nil
}

// realExecutable returns sys.executable of the interpreter at path, so a shim
// (pyenv, asdf) is replaced by the binary it runs. On failure it returns path.
func realExecutable(ctx context.Context, path string) string {
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	out, err := exec.CommandContext(ctx, path, "-c", "import sys; print(sys.executable)").Output()
	if err != nil {
		return path
	}
	real := strings.TrimSpace(string(out))
	if !filepath.IsAbs(real) {
		return path
	}
	return real
}

func dedupe(paths []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, p := range paths {
		if !seen[p] {
			seen[p] = true
			out = append(out, p)
		}
	}
	return out
}

func lastLine(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.LastIndexByte(s, '\n'); i >= 0 {
		return s[i+1:]
	}
	return s
}

// newWorkDir creates the run's temporary directory, owned by the sandbox user.
func newWorkDir(iso Isolation) (string, error) {
	dir, err := os.MkdirTemp("", "quantbench-sandbox-")
	if err != nil {
		return "", fmt.Errorf("sandbox: creating a temporary directory failed: %w; check TMPDIR", err)
	}
	if err := chownForSandbox(dir, iso); err != nil {
		removeWorkDir(dir)
		return "", err
	}
	return dir, nil
}

func writeProgram(dir, program string, iso Isolation) error {
	path := filepath.Join(dir, programFile)
	if err := os.WriteFile(path, []byte(program), 0o644); err != nil {
		return fmt.Errorf("sandbox: writing the program to %s failed: %w", dir, err)
	}
	return chownForSandbox(path, iso)
}

// chownForSandbox gives path to the sandbox user when that user differs from
// the caller (a root caller); otherwise the caller already owns it.
func chownForSandbox(path string, iso Isolation) error {
	if os.Getuid() != 0 || iso.UID == 0 {
		return nil
	}
	if err := os.Chown(path, iso.UID, iso.GID); err != nil {
		return fmt.Errorf("sandbox: giving %s to uid %d failed: %w", path, iso.UID, err)
	}
	return nil
}

// removeWorkDir removes dir, first making every directory in it writable,
// because a program may leave a directory without write permission.
func removeWorkDir(dir string) {
	if err := os.RemoveAll(dir); err == nil {
		return
	}
	_ = filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err == nil && d.IsDir() {
			_ = os.Chmod(path, 0o700)
		}
		return nil
	})
	if err := os.RemoveAll(dir); err != nil {
		slog.Warn("removing a sandbox directory failed", "dir", dir, "error", err)
	}
}
