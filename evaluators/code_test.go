package evaluators

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/quantbench/quantbench/datasets"
	"github.com/quantbench/quantbench/evaluators/sandbox"
)

func TestExtractCode(t *testing.T) {
	tests := []struct {
		name, output, want string
	}{
		{"python fence", "Here:\n```python\ndef f():\n    return 1\n```\nDone.", "def f():\n    return 1\n"},
		{"py fence", "```py\nx = 1\n```", "x = 1\n"},
		{"python fence after other fence", "```bash\npip install x\n```\n```python\ny = 2\n```", "y = 2\n"},
		{"untagged fence", "```\nz = 3\n```", "z = 3\n"},
		{"untagged before other language", "```text\nnote\n```\n```\nz = 3\n```", "z = 3\n"},
		{"other language only", "```text\nw = 4\n```", "w = 4\n"},
		{"first python fence", "```python\na = 1\n```\n```python\nb = 2\n```", "a = 1\n"},
		{"unclosed fence", "```python\ndef f():\n    return 1", "def f():\n    return 1"},
		{"indented fence", "  ```python\n  x = 1\n  ```", "  x = 1\n"},
		{"no fence", "    return a + b\n", "    return a + b\n"},
		{"inline backticks are not a fence", "use `x = 1` here", "use `x = 1` here"},
		{"empty", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := ExtractCode(tt.output); got != tt.want {
				t.Errorf("ExtractCode(%q) = %q, want %q", tt.output, got, tt.want)
			}
		})
	}
}

func TestBuildProgram(t *testing.T) {
	got := BuildProgram("def add(a, b):\n", "    return a + b", "def check(candidate):\n    assert candidate(1, 2) == 3\n", "add")
	want := "def add(a, b):\n\n    return a + b\n\ndef check(candidate):\n    assert candidate(1, 2) == 3\n\n\ncheck(add)\n" +
		"\nimport os as _qb_os, sys as _qb_sys\n_qb_sys.stdout.flush()\n_qb_sys.stderr.flush()\n_qb_os._exit(86)\n"
	if got != want {
		t.Errorf("BuildProgram = %q, want %q", got, want)
	}

	called := BuildProgram("", "x = 1", "def check(c):\n    pass\n\ncheck(x)\n", "x")
	if strings.Count(called, "check(x)") != 1 {
		t.Errorf("BuildProgram added a second check call: %q", called)
	}
	asserts := BuildProgram("", "x = 1", "assert x == 1", "x")
	if strings.Contains(asserts, "check(") {
		t.Errorf("BuildProgram added check to assert tests: %q", asserts)
	}
}

func codeManifest() *datasets.Manifest {
	return &datasets.Manifest{Name: "py", Category: datasets.Code, ScorerOptions: map[string]any{"timeout": 4, "memory_mb": 256}}
}

func requireSandbox(t *testing.T) sandbox.Environment {
	t.Helper()
	env, err := sandbox.Probe(context.Background(), "")
	if err != nil {
		t.Skipf("no python3 for the sandbox: %v", err)
	}
	return env
}

func scoreCode(t *testing.T, item *datasets.Item, output string) Score {
	t.Helper()
	return scoreCodeWith(t, codeManifest(), item, output)
}

func scoreCodeWith(t *testing.T, m *datasets.Manifest, item *datasets.Item, output string) Score {
	t.Helper()
	s, err := For(m)
	if err != nil {
		t.Fatal(err)
	}
	got, err := s.Score(context.Background(), m, item, output)
	if err != nil {
		t.Fatalf("Score: %v", err)
	}
	return got
}

// helperItem needs a helper that only the prompt defines.
var helperItem = &datasets.Item{
	ID: "code-helper",
	Input: map[string]string{"prompt": "def _clean(s):\n    return s.strip().lower()\n\n" +
		"def is_palindrome(s):\n    \"\"\"Return True when s reads the same both ways, ignoring case and outer spaces.\"\"\"\n"},
	Expected: datasets.Expected{
		Tests:      "def check(candidate):\n    assert candidate(' Level ')\n    assert not candidate('abc')\n",
		EntryPoint: "is_palindrome",
	},
}

func TestCodeScorerOutcomes(t *testing.T) {
	requireSandbox(t)
	tests := []struct {
		name    string
		output  string
		outcome Outcome
	}{
		{"body completion uses prompt helper", "    t = _clean(s)\n    return t == t[::-1]\n", Passed},
		{"full function in fence", "Here you go:\n```python\ndef is_palindrome(s):\n    t = _clean(s)\n    return t == t[::-1]\n```", Passed},
		{"wrong answer", "```python\ndef is_palindrome(s):\n    return True\n```", Failed},
		{"syntax error", "```python\ndef is_palindrome(s)\n    return True\n```", Failed},
		{"exception", "```python\ndef is_palindrome(s):\n    raise ValueError('no')\n```", Failed},
		{"infinite loop", "```python\ndef is_palindrome(s):\n    while True:\n        pass\n```", Timeout},
		{"memory hog", "```python\ndef is_palindrome(s):\n    x = bytearray(8 << 30)\n    return True\n```", Failed},
		{"exit before tests", "```python\nimport sys\ndef is_palindrome(s):\n    return False\nsys.exit(0)\n```", Failed},
		{"output flushed and passed", "```python\ndef is_palindrome(s):\n    print('x' * 100000)\n    t = _clean(s)\n    return t == t[::-1]\n```", Passed},
		{"empty output", "  \n", NoAnswer},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := scoreCode(t, helperItem, tt.output)
			if got.Outcome != tt.outcome {
				t.Fatalf("outcome = %s, want %s (detail %v)", got.Outcome, tt.outcome, got.Detail)
			}
			wantValue := 0.0
			if tt.outcome == Passed {
				wantValue = 1
			}
			if got.Value != wantValue || !got.Binary {
				t.Errorf("value = %v binary = %v, want %v true", got.Value, got.Binary, wantValue)
			}
		})
	}
}

func TestCodeScorerContainsForkBomb(t *testing.T) {
	env := requireSandbox(t)
	if !env.Isolation.PID {
		t.Skipf("isolation %q has no PID namespace", env.Isolation.Level)
	}
	output := "```python\nimport os\ndef is_palindrome(s):\n    while True:\n        try:\n            os.fork()\n        except OSError:\n            pass\n```"
	// A short timeout, because the bomb keeps every allowed process busy.
	m := codeManifest()
	m.ScorerOptions["timeout"] = 1.5
	got := scoreCodeWith(t, m, helperItem, output)
	if got.Outcome != Timeout {
		t.Fatalf("outcome = %s, want %s (detail %v)", got.Outcome, Timeout, got.Detail)
	}
	after := scoreCode(t, helperItem, "    t = _clean(s)\n    return t == t[::-1]\n")
	if after.Outcome != Passed {
		t.Fatalf("after the fork bomb: outcome = %s, want passed (detail %v)", after.Outcome, after.Detail)
	}
}

func TestCodeScorerBlocksWriteOutside(t *testing.T) {
	env := requireSandbox(t)
	if env.Isolation.UID == os.Getuid() {
		t.Skipf("the sandbox runs as the caller (uid %d)", os.Getuid())
	}
	// The package directory is root-owned and outside /tmp, so the write
	// fails whether or not the sandbox has a private /tmp.
	wd, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	target := filepath.Join(wd, "qb-code-escaped.txt")
	t.Cleanup(func() { os.Remove(target) })
	output := fmt.Sprintf("```python\ndef is_palindrome(s):\n    open(%q, 'w').write('x')\n    t = _clean(s)\n    return t == t[::-1]\n```", target)
	got := scoreCode(t, helperItem, output)
	if got.Outcome != Failed {
		t.Fatalf("outcome = %s, want %s (detail %v)", got.Outcome, Failed, got.Detail)
	}
	// PermissionError for a checkout in a root-owned folder, FileNotFoundError
	// for one under /tmp, which the sandbox's private /tmp hides.
	stderr, _ := got.Detail["stderr"].(string)
	if !strings.Contains(stderr, "PermissionError") && !strings.Contains(stderr, "FileNotFoundError") {
		t.Errorf("stderr %q lacks PermissionError and FileNotFoundError", stderr)
	}
	if _, err := os.Stat(target); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("%s exists after the run", target)
	}
}

func TestCodeScorerBlocksNetwork(t *testing.T) {
	env := requireSandbox(t)
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
	output := fmt.Sprintf("```python\nimport socket\ndef is_palindrome(s):\n    socket.create_connection(('127.0.0.1', %d), timeout=2).close()\n    t = _clean(s)\n    return t == t[::-1]\n```", port)
	got := scoreCode(t, helperItem, output)
	if got.Outcome != Failed {
		t.Fatalf("outcome = %s, want %s (detail %v)", got.Outcome, Failed, got.Detail)
	}
	if got.Detail["network_isolated"] != true {
		t.Errorf("network_isolated = %v, want true", got.Detail["network_isolated"])
	}
	if n := accepted.Load(); n != 0 {
		t.Errorf("listener accepted %d connections", n)
	}
}

func TestCodeScorerAssertTests(t *testing.T) {
	requireSandbox(t)
	item := &datasets.Item{
		ID:       "code-assert",
		Input:    map[string]string{"prompt": "def double(x):\n"},
		Expected: datasets.Expected{Tests: "assert double(2) == 4\nassert double(-1) == -2\n", EntryPoint: "double"},
	}
	if got := scoreCode(t, item, "    return 2 * x\n"); got.Outcome != Passed {
		t.Errorf("outcome = %s, want passed (detail %v)", got.Outcome, got.Detail)
	}
	if got := scoreCode(t, item, "    return x + 2\n"); got.Outcome != Failed {
		t.Errorf("outcome = %s, want failed (detail %v)", got.Outcome, got.Detail)
	}
}

func TestCodeScorerRecordsIsolation(t *testing.T) {
	env := requireSandbox(t)
	got := scoreCode(t, helperItem, "    return _clean(s) == _clean(s)[::-1]\n")
	if got.Detail["network_isolated"] != env.Isolation.Network {
		t.Errorf("network_isolated = %v, want %v", got.Detail["network_isolated"], env.Isolation.Network)
	}
	if got.Detail["isolation"] != env.Isolation.Level {
		t.Errorf("isolation = %v, want %q", got.Detail["isolation"], env.Isolation.Level)
	}
}

func TestCodeScorerCancelled(t *testing.T) {
	requireSandbox(t)
	m := codeManifest()
	s, err := For(m)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err = s.Score(ctx, m, helperItem, "    return True\n")
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("Score with a cancelled context = %v, want context.Canceled", err)
	}
}

func TestCodeScorerMissingTests(t *testing.T) {
	m := codeManifest()
	s, err := For(m)
	if err != nil {
		t.Fatal(err)
	}
	_, err = s.Score(context.Background(), m, &datasets.Item{ID: "c0"}, "x = 1")
	if err == nil || !strings.Contains(err.Error(), "expected.tests") {
		t.Fatalf("Score without tests = %v, want an error naming expected.tests", err)
	}
}

func TestCodeScorerConcurrent(t *testing.T) {
	requireSandbox(t)
	m := codeManifest()
	s, err := For(m)
	if err != nil {
		t.Fatal(err)
	}
	outputs := []string{
		"    t = _clean(s)\n    return t == t[::-1]\n",
		"    return True\n",
		"    return _clean(s) == _clean(s)[::-1]\n",
		"    return False\n",
	}
	want := []Outcome{Passed, Failed, Passed, Failed}
	got := make([]Score, len(outputs))
	errs := make([]error, len(outputs))
	var wg sync.WaitGroup
	for i, output := range outputs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			got[i], errs[i] = s.Score(context.Background(), m, helperItem, output)
		}()
	}
	wg.Wait()
	for i := range outputs {
		if errs[i] != nil {
			t.Fatalf("output %d: %v", i, errs[i])
		}
		if got[i].Outcome != want[i] {
			t.Errorf("output %d: outcome %s, want %s (detail %v)", i, got[i].Outcome, want[i], got[i].Detail)
		}
	}
}

func TestCodeScorerFixedEarlyExitDoesNotPass(t *testing.T) {
	m := &datasets.Manifest{Name: "d", Category: datasets.Code}
	scorer, err := For(m)
	if err != nil {
		t.Fatal(err)
	}
	item := &datasets.Item{ID: "x", Input: map[string]string{"prompt": "def f():\n"},
		Expected: datasets.Expected{Tests: "assert f() == 2\n", EntryPoint: "f"}}
	// A fixed status matches the random one in 1 call of 50, so more than 2
	// passes in 8 calls happens by chance about once in 20,000 runs.
	passed := 0
	for i := 0; i < 8; i++ {
		score, err := scorer.Score(context.Background(), m, item, "```python\nimport os\nos._exit(86)\n```")
		if err != nil {
			t.Fatal(err)
		}
		if score.Outcome == Passed {
			passed++
		}
	}
	if passed > 2 {
		t.Errorf("code that exits early with status 86 passed %d of 8 times", passed)
	}
}
