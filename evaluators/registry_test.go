package evaluators

import (
	"fmt"
	"strings"
	"testing"

	"github.com/quantbench/quantbench/datasets"
	"github.com/quantbench/quantbench/evaluators/sandbox"
)

func TestForDefaults(t *testing.T) {
	tests := []struct {
		m    datasets.Manifest
		want string
	}{
		{datasets.Manifest{Category: datasets.Classification, Labels: []string{"a"}}, "evaluators.labelScorer"},
		{datasets.Manifest{Category: datasets.Extraction}, "*evaluators.fieldScorer"},
		{datasets.Manifest{Category: datasets.Reasoning}, "evaluators.numericScorer"},
		{datasets.Manifest{Category: datasets.Code}, "*evaluators.codeScorer"},
		{datasets.Manifest{Category: datasets.Creative}, "evaluators.constraintScorer"},
		{datasets.Manifest{Category: datasets.Reasoning, Scorer: ScorerNumeric}, "evaluators.numericScorer"},
		{datasets.Manifest{Category: datasets.Reasoning, Scorer: "reasoning"}, "evaluators.numericScorer"},
	}
	for _, tt := range tests {
		s, err := For(&tt.m)
		if err != nil {
			t.Errorf("For(%s, %q): %v", tt.m.Category, tt.m.Scorer, err)
			continue
		}
		if got := typeName(s); got != tt.want {
			t.Errorf("For(%s, %q) = %s, want %s", tt.m.Category, tt.m.Scorer, got, tt.want)
		}
	}
}

func typeName(v any) string { return fmt.Sprintf("%T", v) }

func TestForErrors(t *testing.T) {
	tests := []struct {
		m       datasets.Manifest
		problem string
	}{
		{datasets.Manifest{Name: "d", Category: datasets.Reasoning, Scorer: "regex"}, `unknown scorer "regex"; valid scorers are constraints, json_fields, label, numeric, python_tests`},
		{datasets.Manifest{Name: "d", Category: "poetry"}, `unknown category "poetry"`},
		{datasets.Manifest{Name: "d", Category: datasets.Code, Scorer: ScorerNumeric}, `scorer "numeric" scores reasoning datasets, but the dataset's category is code`},
		{datasets.Manifest{Name: "d", Category: datasets.Reasoning, ScorerOptions: map[string]any{"tolerance": "small"}}, "scorer_options.tolerance: small is not a number"},
		{datasets.Manifest{Name: "d", Category: datasets.Reasoning, ScorerOptions: map[string]any{"tolerance": 2}}, "scorer_options.tolerance: must be at least 0"},
		{datasets.Manifest{Name: "d", Category: datasets.Creative, ScorerOptions: map[string]any{"x": 1}}, `scorer_options.x: scorer "constraints" takes no options`},
		{datasets.Manifest{Name: "d", Category: datasets.Code, ScorerOptions: map[string]any{"timeout": 0}}, "scorer_options.timeout: 0 s is out of range"},
		{datasets.Manifest{Name: "d", Category: datasets.Code, ScorerOptions: map[string]any{"memory_mb": 8}}, "scorer_options.memory_mb: 8 is too small"},
		{datasets.Manifest{Name: "d", Category: datasets.Code, ScorerOptions: map[string]any{"prompt_field": 3}}, "scorer_options.prompt_field: 3 is not a string"},
		{datasets.Manifest{Name: "d", Category: datasets.Extraction, Schema: []byte(`{"type": "obj"}`)}, `schema.type: unknown type "obj"`},
	}
	for _, tt := range tests {
		_, err := For(&tt.m)
		if err == nil || !strings.Contains(err.Error(), tt.problem) {
			t.Errorf("For(%+v) = %v, want an error with %q", tt.m, err, tt.problem)
		}
	}
}

func TestForCodeOptions(t *testing.T) {
	s, err := For(&datasets.Manifest{Category: datasets.Code, ScorerOptions: map[string]any{"timeout": 2.5, "memory_mb": 512, "prompt_field": "code"}})
	if err != nil {
		t.Fatal(err)
	}
	c := s.(*codeScorer)
	if c.config.Timeout.Seconds() != 2.5 || c.config.Limits.Memory != 512<<20 || c.promptField != "code" {
		t.Errorf("code scorer = %+v, want timeout 2.5s, 512 MiB, prompt field code", c)
	}
}

func TestCheckPrerequisites(t *testing.T) {
	good := []*datasets.Manifest{
		{Name: "sent", Category: datasets.Classification, Labels: []string{"a", "b"}},
		{Name: "math", Category: datasets.Reasoning},
	}
	if err := CheckPrerequisites(good); err != nil {
		t.Fatalf("CheckPrerequisites(valid) = %v", err)
	}

	bad := append(good,
		&datasets.Manifest{Name: "typo", Category: datasets.Reasoning, Scorer: "numerc"},
		&datasets.Manifest{Name: "py", Category: datasets.Code, ScorerOptions: map[string]any{"python": "/nonexistent/python3"}},
	)
	err := CheckPrerequisites(bad)
	if err == nil {
		t.Fatal("CheckPrerequisites accepted a bad scorer and a missing interpreter")
	}
	for _, want := range []string{`dataset typo: unknown scorer "numerc"`, "dataset py needs Python", "/nonexistent/python3"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q lacks %q", err, want)
		}
	}
}

func TestCheckPrerequisitesFindsPython(t *testing.T) {
	if _, err := sandbox.Probe(t.Context(), ""); err != nil {
		t.Skipf("no python3: %v", err)
	}
	if err := CheckPrerequisites([]*datasets.Manifest{{Name: "py", Category: datasets.Code}}); err != nil {
		t.Fatalf("CheckPrerequisites(code) = %v", err)
	}
}
