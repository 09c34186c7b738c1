package evaluators

import (
	"context"
	"errors"
	"strings"
	"testing"
)

// fakeJudge prefers the output containing favourite, whatever its position,
// or always picks position when favourite is empty.
func fakeJudge(favourite, position string) JudgeFunc {
	return func(_ context.Context, prompt string) (string, error) {
		if favourite == "" {
			return position, nil
		}
		a := between(prompt, "Response A:\n", "\n\nResponse B:")
		b := between(prompt, "Response B:\n", "\n\nReply with")
		switch {
		case strings.Contains(a, favourite) && !strings.Contains(b, favourite):
			return "**A**\nIt follows the task.", nil
		case strings.Contains(b, favourite) && !strings.Contains(a, favourite):
			return "Response B is better.", nil
		}
		return "tie", nil
	}
}

func between(s, start, end string) string {
	_, after, _ := strings.Cut(s, start)
	before, _, _ := strings.Cut(after, end)
	return before
}

func TestJudgeCompare(t *testing.T) {
	tests := []struct {
		name    string
		call    JudgeFunc
		verdict Verdict
		first   Verdict
		second  Verdict
	}{
		{"variant better", fakeJudge("VARIANT", ""), Win, Win, Win},
		{"baseline better", fakeJudge("BASELINE", ""), Loss, Loss, Loss},
		{"equal", fakeJudge("neither", ""), Tie, Tie, Tie},
		{"always A is position bias", fakeJudge("", "A"), Tie, Loss, Win},
		{"always B is position bias", fakeJudge("", "B."), Tie, Win, Loss},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			j := Judge{Call: tt.call}
			got, err := j.Compare(context.Background(), "Write a haiku.", "BASELINE text", "VARIANT text")
			if err != nil {
				t.Fatal(err)
			}
			if got.Verdict != tt.verdict || got.BaselineFirst != tt.first || got.VariantFirst != tt.second {
				t.Errorf("Compare = %+v, want %s (%s, %s)", got, tt.verdict, tt.first, tt.second)
			}
		})
	}
}

func TestJudgeAsksBothOrders(t *testing.T) {
	var prompts []string
	j := Judge{Call: func(_ context.Context, prompt string) (string, error) {
		prompts = append(prompts, prompt)
		return "tie", nil
	}}
	if _, err := j.Compare(context.Background(), "task", "base-out", "var-out"); err != nil {
		t.Fatal(err)
	}
	if len(prompts) != 2 {
		t.Fatalf("judge called %d times, want 2", len(prompts))
	}
	if strings.Index(prompts[0], "base-out") > strings.Index(prompts[0], "var-out") {
		t.Error("first prompt does not show the baseline first")
	}
	if strings.Index(prompts[1], "var-out") > strings.Index(prompts[1], "base-out") {
		t.Error("second prompt does not show the variant first")
	}
}

func TestJudgeErrors(t *testing.T) {
	boom := errors.New("server down")
	tests := []struct {
		name    string
		judge   Judge
		problem string
	}{
		{"call fails", Judge{Call: func(context.Context, string) (string, error) { return "", boom }}, "judge, baseline shown first: server down"},
		{"article is not a choice", Judge{Call: fakeJudge("", "A good case can be made for both.")}, "names neither A, B nor tie"},
		{"empty reply", Judge{Call: fakeJudge("", "")}, "names neither A, B nor tie"},
		{"no judge", Judge{}, "no judge model configured"},
	}
	for _, tt := range tests {
		_, err := tt.judge.Compare(context.Background(), "task", "x", "y")
		if err == nil || !strings.Contains(err.Error(), tt.problem) {
			t.Errorf("%s: error %v, want one with %q", tt.name, err, tt.problem)
		}
	}
}

func TestParseJudgeReply(t *testing.T) {
	tests := map[string]string{
		"A":                       "a",
		"b":                       "b",
		"Tie.":                    "tie",
		"**B**":                   "b",
		"Verdict: A - clearer":    "a",
		"Response A is better":    "a",
		"Output B wins":           "b",
		"A good case for B":       "",
		"Both are fine":           "",
		"":                        "",
		"Answer: tie, both equal": "tie",
	}
	for reply, want := range tests {
		got, ok := parseJudgeReply(reply)
		if ok != (want != "") || got != want {
			t.Errorf("parseJudgeReply(%q) = %q, %v; want %q", reply, got, ok, want)
		}
	}
}
