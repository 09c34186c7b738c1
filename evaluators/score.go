// Package evaluators scores model outputs: one scorer per task category, answer
// extraction, and a sandbox for generated code.
package evaluators

import (
	"context"

	"github.com/quantbench/quantbench/datasets"
)

// Outcome is the result class of one scored output.
type Outcome string

// Outcomes. Only Correct and Passed count as success for pass/fail scores;
// NoAnswer and FormatError count as wrong and are also reported apart;
// Timeout and SandboxError are code outcomes that count as failures.
const (
	Correct      Outcome = "correct"
	Wrong        Outcome = "wrong"
	NoAnswer     Outcome = "no_answer"
	FormatError  Outcome = "format_error"
	Passed       Outcome = "passed"
	Failed       Outcome = "failed"
	Timeout      Outcome = "timeout"
	SandboxError Outcome = "sandbox_error"
	// Partial is a continuous score (extraction F1, creative constraint fraction).
	Partial Outcome = "partial"
)

// Score is the score of one output for one item.
type Score struct {
	// Value is in [0, 1]: 1 or 0 for pass/fail scores, a fraction otherwise.
	Value float64 `json:"value"`

	// Binary reports whether Value is pass/fail, so McNemar's test applies.
	Binary bool `json:"binary"`

	Outcome Outcome `json:"outcome"`

	// Answer is the extracted answer: a label, a number, the JSON or the code.
	Answer string `json:"answer,omitempty"`

	// Detail holds scorer-specific facts (true, false and missed fields, the
	// constraints that failed, whether a JSON repair happened, the sandbox's
	// network isolation), so dataset metrics can be recomputed.
	Detail map[string]any `json:"detail,omitempty"`
}

// Scorer scores one output against one item of a dataset.
type Scorer interface {
	Score(ctx context.Context, m *datasets.Manifest, item *datasets.Item, output string) (Score, error)
}

// ScorerFunc adapts a function to the Scorer interface.
type ScorerFunc func(ctx context.Context, m *datasets.Manifest, item *datasets.Item, output string) (Score, error)

// Score calls f.
func (f ScorerFunc) Score(ctx context.Context, m *datasets.Manifest, item *datasets.Item, output string) (Score, error) {
	return f(ctx, m, item, output)
}
