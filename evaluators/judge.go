package evaluators

import (
	"context"
	"fmt"
	"regexp"
	"strings"
)

// JudgeFunc sends a prompt to the judge model and returns its reply. The
// runner wraps its backend in one; tests pass a plain function.
type JudgeFunc func(ctx context.Context, prompt string) (string, error)

// Verdict is the pairwise judgement of the variant's output against the
// baseline's.
type Verdict string

// Verdicts, from the variant's side.
const (
	Win  Verdict = "win"
	Tie  Verdict = "tie"
	Loss Verdict = "loss"
)

// Judge compares two outputs for the same prompt with a judge model. It
// queries the model twice, with the outputs in both orders, because judge
// models tend to favour one position. The variant wins or loses only when
// both orders agree, and any disagreement is a tie.
type Judge struct {
	Call JudgeFunc
	// Template is the judge prompt, with %[1]s for the task, %[2]s for
	// output A and %[3]s for output B. Empty means DefaultJudgeTemplate.
	Template string
}

// DefaultJudgeTemplate asks for one of "A", "B" or "tie" on the first line.
const DefaultJudgeTemplate = `You are judging two responses to the same task. Judge which response follows the task's instructions better and is better written. Ignore the order in which the responses appear and their length unless the task asks for a length.

Task:
%[1]s

Response A:
%[2]s

Response B:
%[3]s

Reply with exactly one of A, B or tie on the first line, then one sentence of reason.`

// Judgement is the result of Judge.Compare.
type Judgement struct {
	Verdict Verdict `json:"verdict"`
	// BaselineFirst and VariantFirst are the per-order verdicts, from the
	// variant's side, with the baseline's output shown as A and as B.
	BaselineFirst Verdict `json:"baseline_first"`
	VariantFirst  Verdict `json:"variant_first"`
}

// Compare queries the judge with the baseline's output first, then with the
// variant's first, and combines the two verdicts. The same verdict twice is
// kept and anything else is a tie. An error is returned when a call fails or
// a reply names neither output nor a tie.
func (j Judge) Compare(ctx context.Context, prompt, baseline, variant string) (Judgement, error) {
	first, err := j.ask(ctx, prompt, baseline, variant)
	if err != nil {
		return Judgement{}, fmt.Errorf("judge, baseline shown first: %w", err)
	}
	second, err := j.ask(ctx, prompt, variant, baseline)
	if err != nil {
		return Judgement{}, fmt.Errorf("judge, variant shown first: %w", err)
	}

	// In the first order the variant is B, in the second it is A.
	j1 := map[string]Verdict{"a": Loss, "b": Win, "tie": Tie}[first]
	j2 := map[string]Verdict{"a": Win, "b": Loss, "tie": Tie}[second]
	verdict := Tie
	if j1 == j2 {
		verdict = j1
	}
	return Judgement{Verdict: verdict, BaselineFirst: j1, VariantFirst: j2}, nil
}

// ask returns "a", "b" or "tie".
func (j Judge) ask(ctx context.Context, task, a, b string) (string, error) {
	if j.Call == nil {
		return "", fmt.Errorf("no judge model configured")
	}
	tmpl := j.Template
	if tmpl == "" {
		tmpl = DefaultJudgeTemplate
	}
	reply, err := j.Call(ctx, fmt.Sprintf(tmpl, task, a, b))
	if err != nil {
		return "", err
	}
	choice, ok := parseJudgeReply(reply)
	if !ok {
		return "", fmt.Errorf("reply %q names neither A, B nor tie; use a judge model that follows the reply format", truncate(reply, 80))
	}
	return choice, nil
}

// judgeChoiceRE reads "A", "B" or "tie" at the start of a judge's reply,
// optionally after "Response", "Output", "Answer:" or "Verdict:". The choice
// must be followed by the end of the line, punctuation, "is" or "wins", so
// the article in "A good case..." is not read as a choice.
var judgeChoiceRE = regexp.MustCompile(`^(?:(?:answer|verdict|winner)\s*:\s*)?(?:(?:response|output)\s+)?(a|b|tie)(?:\s*$|\s*[.,:;!)\]—–-]|\s+(?:is|wins)\b)`)

// parseJudgeReply returns "a", "b" or "tie" from the first non-empty line of
// a judge's reply, after Markdown emphasis and quotes are removed.
func parseJudgeReply(reply string) (string, bool) {
	lines := nonEmptyLines(reply)
	if len(lines) == 0 {
		return "", false
	}
	line := strings.TrimLeft(cleanLabelText(lines[0]), " #>([")
	m := judgeChoiceRE.FindStringSubmatch(line)
	if m == nil {
		return "", false
	}
	return m[1], true
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "..."
}
