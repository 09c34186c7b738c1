package gen

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

var (
	pythonOnce sync.Once
	pythonPath string
)

// python returns the real python3 executable, resolved once so that version
// manager shims are not started for every run. It skips the test without python3.
func python(t *testing.T) string {
	t.Helper()
	pythonOnce.Do(func() {
		if _, err := exec.LookPath("python3"); err != nil {
			return
		}
		out, err := exec.Command("python3", "-c", "import sys; print(sys.executable)").Output()
		if err == nil {
			pythonPath = strings.TrimSpace(string(out))
		}
	})
	if pythonPath == "" {
		t.Skip("python3 not found; the code tasks are not verified")
	}
	return pythonPath
}

// runPython runs source as one module, as the code scorer does, and returns
// its exit error and stderr.
func runPython(t *testing.T, source string) (error, string) {
	t.Helper()
	dir := t.TempDir()
	path := filepath.Join(dir, "item.py")
	if err := os.WriteFile(path, []byte(source), 0o600); err != nil {
		t.Fatal(err)
	}

	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, python(t), "-I", path)
	cmd.Dir = dir
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	err := cmd.Run()
	return err, stderr.String()
}

func TestCodeTasksSolvable(t *testing.T) {
	python(t)
	if n := len(codeTasks); n < 60 {
		t.Errorf("%d code tasks, want at least 60", n)
	}

	helpers := 0
	entries := map[string]bool{}
	for _, task := range codeTasks {
		if entries[task.entry] {
			t.Errorf("entry point %s used twice", task.entry)
		}
		entries[task.entry] = true
		if task.helper != "" {
			helpers++
		}

		t.Run(task.entry, func(t *testing.T) {
			t.Parallel()
			checkCodeTask(t, task)
		})
	}
	if helpers < 5 {
		t.Errorf("%d tasks with a prompt helper, want at least 5", helpers)
	}
}

func checkCodeTask(t *testing.T, task codeTask) {
	if !strings.Contains(task.prompt, "def "+task.entry+"(") || !strings.Contains(task.solution, "def "+task.entry+"(") {
		t.Errorf("prompt or solution does not define %s", task.entry)
	}
	if !strings.Contains(task.tests, task.entry+"(") {
		t.Errorf("tests do not call %s", task.entry)
	}

	if err, stderr := runPython(t, task.prompt+"\n"+task.solution+"\n"+task.tests); err != nil {
		t.Errorf("reference solution fails its tests: %v\n%s", err, stderr)
	}

	// The prompt alone defines the function with a docstring body that returns
	// None, so the tests must fail, and not for a syntax error.
	err, stderr := runPython(t, task.prompt+"\n"+task.tests)
	if err == nil {
		t.Errorf("tests pass without a solution")
	}
	if strings.Contains(stderr, "SyntaxError") || strings.Contains(stderr, "IndentationError") {
		t.Errorf("prompt and tests do not compile:\n%s", stderr)
	}

	if task.helper == "" {
		return
	}
	if !strings.Contains(task.prompt, "def "+task.helper+"(") || !strings.Contains(task.solution, task.helper+"(") {
		t.Errorf("helper %s is not defined in the prompt or not called by the solution", task.helper)
	}
	if err, _ := runPython(t, task.prompt+"\n"+task.solution+"\n"+task.altHelper+"\n"+task.tests); err == nil {
		t.Errorf("tests still pass when %s is redefined, so they do not depend on it", task.helper)
	}
}

// doctestDriver runs the examples in each prompt's docstring against the
// reference solution, so that the examples shown to the model are correct.
const doctestDriver = `
import ast, doctest, json, sys

failures = []
for task in json.load(sys.stdin):
    ns = {"__name__": "task"}
    exec(compile(task["prompt"] + "\n" + task["solution"], task["entry"], "exec"), ns)
    doc = None
    for node in ast.parse(task["prompt"]).body:
        if isinstance(node, ast.FunctionDef) and node.name == task["entry"]:
            doc = ast.get_docstring(node, clean=True)
    if not doc or ">>>" not in doc:
        failures.append(task["entry"] + ": no docstring example")
        continue
    test = doctest.DocTestParser().get_doctest(doc, ns, task["entry"], None, 0)
    runner = doctest.DocTestRunner(verbose=False)
    runner.run(test, out=lambda s: None)
    if runner.failures:
        failures.append(task["entry"] + ": docstring example fails")
print(json.dumps(failures))
`

func TestCodeDocstringExamples(t *testing.T) {
	py := python(t)

	type task struct {
		Entry    string `json:"entry"`
		Prompt   string `json:"prompt"`
		Solution string `json:"solution"`
	}
	var tasks []task
	for _, c := range codeTasks {
		tasks = append(tasks, task{c.entry, c.prompt, c.solution})
	}
	input, err := json.Marshal(tasks)
	if err != nil {
		t.Fatal(err)
	}

	cmd := exec.Command(py, "-I", "-c", doctestDriver)
	cmd.Stdin = bytes.NewReader(input)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("doctest driver: %v\n%s", err, stderr.String())
	}
	var failures []string
	if err := json.Unmarshal(out, &failures); err != nil {
		t.Fatalf("doctest driver output %q: %v", out, err)
	}
	for _, f := range failures {
		t.Error(f)
	}
}
