package evaluators

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"regexp"
	"strings"
	"time"

	"github.com/quantbench/quantbench/datasets"
	"github.com/quantbench/quantbench/evaluators/sandbox"
)

// codeScorer runs a code item's tests against the model's code in the
// sandbox: pass@1 with one sample per item.
type codeScorer struct {
	config      sandbox.Config
	promptField string
}

func newCodeScorer(m *datasets.Manifest) (Scorer, error) {
	cfg := sandbox.DefaultConfig()
	if secs, ok, err := optionFloat(m, "timeout"); err != nil {
		return nil, err
	} else if ok {
		if secs <= 0 || secs > 600 {
			return nil, fmt.Errorf("scorer_options.timeout: %v s is out of range; give seconds between 0 and 600", secs)
		}
		cfg.Timeout = time.Duration(secs * float64(time.Second))
		cfg.Limits.CPUTime = cfg.Timeout
	}
	if mb, ok, err := optionFloat(m, "memory_mb"); err != nil {
		return nil, err
	} else if ok {
		if mb < 64 {
			return nil, fmt.Errorf("scorer_options.memory_mb: %v is too small for Python; give at least 64", mb)
		}
		cfg.Limits.Memory = int64(mb) << 20
	}
	python, _, err := optionString(m, "python")
	if err != nil {
		return nil, err
	}
	cfg.Python = python

	field, ok, err := optionString(m, "prompt_field")
	if err != nil {
		return nil, err
	}
	if !ok {
		field = "prompt"
	}
	return &codeScorer{config: cfg, promptField: field}, nil
}

// Score runs BuildProgram(prompt, ExtractCode(output), tests) in the sandbox.
// The prompt is the item's input named by scorer_options.prompt_field
// ("prompt" by default). Passed means the program ran to the end of the
// tests, which exit with testsDoneExitCode;
// Failed covers failed asserts, exceptions, syntax errors and exhausted
// memory or process limits; Timeout covers the wall-clock and the CPU limit;
// SandboxError means the sandbox could not run the program. An error is
// returned only when ctx ends or the item has no tests.
func (s *codeScorer) Score(ctx context.Context, m *datasets.Manifest, item *datasets.Item, output string) (Score, error) {
	if strings.TrimSpace(item.Expected.Tests) == "" {
		return Score{}, fmt.Errorf("dataset %s, item %s: expected.tests is missing", m.Name, item.ID)
	}
	code := ExtractCode(StripThinking(output))
	if strings.TrimSpace(code) == "" {
		return Score{Binary: true, Outcome: NoAnswer, Detail: map[string]any{}}, nil
	}
	doneCode := randomDoneExitCode()
	program := buildProgram(item.Input[s.promptField], code, item.Expected.Tests, item.Expected.EntryPoint, doneCode)

	res, err := sandbox.RunPython(ctx, s.config, program)
	if err != nil {
		if ctx.Err() != nil || errors.Is(err, context.Canceled) {
			return Score{}, err
		}
		return Score{Binary: true, Outcome: SandboxError, Answer: code, Detail: map[string]any{"error": err.Error()}}, nil
	}

	score := Score{Binary: true, Answer: code, Detail: sandboxDetail(res)}
	switch res.Status {
	case sandbox.Exited:
		score.Outcome = Failed
		switch res.ExitCode {
		case doneCode:
			score.Value, score.Outcome = 1, Passed
		case 0:
			score.Detail["reason"] = "the program exited before the tests finished"
		}
	case sandbox.Signaled:
		score.Outcome = Failed
	case sandbox.TimedOut, sandbox.CPULimit:
		score.Outcome = Timeout
	default:
		score.Outcome = SandboxError
	}
	return score, nil
}

// maxStderrDetail is the number of trailing stderr bytes kept in a score.
const maxStderrDetail = 2000

func sandboxDetail(res sandbox.Result) map[string]any {
	d := map[string]any{
		"status":           string(res.Status),
		"exit_code":        res.ExitCode,
		"duration_ms":      res.Duration.Milliseconds(),
		"network_isolated": res.Isolation.Network,
		"private_tmp":      res.Isolation.PrivateTmp,
		"process_limit":    res.Isolation.ProcessLimit,
		"isolation":        res.Isolation.Level,
	}
	if res.Signal != "" {
		d["signal"] = res.Signal
	}
	if stderr := strings.TrimSpace(res.Stderr); stderr != "" {
		if len(stderr) > maxStderrDetail {
			stderr = "..." + stderr[len(stderr)-maxStderrDetail:]
		}
		d["stderr"] = stderr
	}
	return d
}

// ExtractCode returns the code of a model's output: the first fenced block
// tagged python, py or python3, else the first untagged fenced block, else
// the first fenced block of any language, else the whole output. A fence
// that is never closed runs to the end of the output.
func ExtractCode(output string) string {
	if code, ok := firstFence(output, []string{"python", "py", "python3"}); ok {
		return code
	}
	if code, ok := firstFence(output, []string{""}); ok {
		return code
	}
	if code, ok := firstFence(output, nil); ok {
		return code
	}
	return output
}

var checkCallRE = regexp.MustCompile(`(?m)^check\(`)

// testsDoneExitCode is the exit status BuildProgram uses for a program that
// ran all its tests. A program that exits with 0 before them (sys.exit(0) in
// the model's code) therefore does not pass.
const testsDoneExitCode = 86

// randomDoneExitCode picks the exit status that marks finished tests for one
// scoring call, from 64 to 113, so code that exits early with a fixed status
// (os._exit(86)) cannot pass by luck more than once in 50 tries.
// NOTE: code that reads its own source file can still find the status; the
// sandbox guards the machine, not the score, against deliberate cheating.
func randomDoneExitCode() int {
	return 64 + rand.IntN(50)
}

// BuildProgram joins the prompt, the model's code and the tests into one
// Python module, so helpers defined in the prompt are visible to the code and
// a function the code defines again replaces the prompt's stub. Tests in
// HumanEval's form define check(candidate) without calling it; then
// check(entryPoint) is appended. The module ends by flushing output and
// exiting with testsDoneExitCode.
func BuildProgram(prompt, code, tests, entryPoint string) string {
	return buildProgram(prompt, code, tests, entryPoint, testsDoneExitCode)
}

// buildProgram is BuildProgram with the exit status of finished tests given.
func buildProgram(prompt, code, tests, entryPoint string, doneCode int) string {
	var b strings.Builder
	if prompt != "" {
		b.WriteString(prompt)
		b.WriteString("\n")
	}
	b.WriteString(code)
	b.WriteString("\n\n")
	b.WriteString(tests)
	b.WriteString("\n")
	if entryPoint != "" && strings.Contains(tests, "def check(") && !checkCallRE.MatchString(tests) {
		fmt.Fprintf(&b, "\ncheck(%s)\n", entryPoint)
	}
	fmt.Fprintf(&b, "\nimport os as _qb_os, sys as _qb_sys\n_qb_sys.stdout.flush()\n_qb_sys.stderr.flush()\n_qb_os._exit(%d)\n", doneCode)
	return b.String()
}
