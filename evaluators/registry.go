package evaluators

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/quantbench/quantbench/datasets"
	"github.com/quantbench/quantbench/evaluators/sandbox"
)

// Scorer names, as a manifest's scorer field gives them. Each category's
// name ("classification", ...) is also accepted for its default scorer.
const (
	ScorerLabel       = "label"
	ScorerJSONFields  = "json_fields"
	ScorerNumeric     = "numeric"
	ScorerPythonTests = "python_tests"
	ScorerConstraints = "constraints"
)

// scorerSpec describes a scorer: the category it scores, the scorer options it
// accepts, and how to build it from a manifest.
type scorerSpec struct {
	category datasets.Category
	options  []string
	build    func(m *datasets.Manifest) (Scorer, error)
}

var scorers = map[string]scorerSpec{
	ScorerLabel:       {datasets.Classification, nil, newLabelScorer},
	ScorerJSONFields:  {datasets.Extraction, []string{"fields", "date_order"}, newFieldScorer},
	ScorerNumeric:     {datasets.Reasoning, []string{"tolerance"}, newNumericScorer},
	ScorerPythonTests: {datasets.Code, []string{"timeout", "memory_mb", "prompt_field", "python"}, newCodeScorer},
	ScorerConstraints: {datasets.Creative, nil, newConstraintScorer},
}

var defaultScorers = map[datasets.Category]string{
	datasets.Classification: ScorerLabel,
	datasets.Extraction:     ScorerJSONFields,
	datasets.Reasoning:      ScorerNumeric,
	datasets.Code:           ScorerPythonTests,
	datasets.Creative:       ScorerConstraints,
}

// ScorerNames returns the valid scorer names, sorted.
func ScorerNames() []string {
	names := make([]string, 0, len(scorers))
	for name := range scorers {
		names = append(names, name)
	}
	sort.Strings(names)
	return names
}

// For returns the scorer of a dataset: m.Scorer when set, otherwise the
// default of m.Category. It checks the scorer options and, for extraction,
// compiles the schema, so a bad manifest fails before any model is queried.
// Errors name the manifest field (scorer, scorer_options.NAME, schema) but
// not the dataset, which the caller adds.
//
// Every scorer first removes a leading <think> block (see StripThinking).
func For(m *datasets.Manifest) (Scorer, error) {
	name, err := scorerName(m)
	if err != nil {
		return nil, err
	}
	spec := scorers[name]
	if spec.category != m.Category {
		return nil, fmt.Errorf("scorer %q scores %s datasets, but the dataset's category is %s; remove the scorer field to use %q",
			name, spec.category, m.Category, defaultScorers[m.Category])
	}
	if err := checkOptionNames(m.ScorerOptions, name, spec.options); err != nil {
		return nil, err
	}
	return spec.build(m)
}

func scorerName(m *datasets.Manifest) (string, error) {
	name := strings.TrimSpace(m.Scorer)
	if name == "" {
		name = string(m.Category)
	}
	if _, ok := scorers[name]; ok {
		return name, nil
	}
	if def, ok := defaultScorers[datasets.Category(name)]; ok {
		return def, nil
	}
	if m.Scorer == "" {
		return "", fmt.Errorf("unknown category %q; use one of %s", m.Category, categoryList())
	}
	return "", fmt.Errorf("unknown scorer %q; valid scorers are %s (or a category name for its default)",
		m.Scorer, strings.Join(ScorerNames(), ", "))
}

func categoryList() string {
	names := make([]string, len(datasets.Categories))
	for i, c := range datasets.Categories {
		names[i] = string(c)
	}
	return strings.Join(names, ", ")
}

func checkOptionNames(options map[string]any, scorer string, valid []string) error {
	for key := range options {
		known := false
		for _, v := range valid {
			if key == v {
				known = true
			}
		}
		if known {
			continue
		}
		if len(valid) == 0 {
			return fmt.Errorf("scorer_options.%s: scorer %q takes no options; remove it", key, scorer)
		}
		return fmt.Errorf("scorer_options.%s: unknown option of scorer %q; valid options are %s",
			key, scorer, strings.Join(valid, ", "))
	}
	return nil
}

// CheckPrerequisites checks, before a run starts, that every dataset has a
// valid scorer and that what the scorers need is installed: for code
// datasets, a python3 that runs inside the sandbox. The error lists every
// problem found.
func CheckPrerequisites(ms []*datasets.Manifest) error {
	var errs []error
	checkedPython := map[string]bool{}
	for _, m := range ms {
		s, err := For(m)
		if err != nil {
			errs = append(errs, fmt.Errorf("dataset %s: %w", m.Name, err))
			continue
		}
		code, ok := s.(*codeScorer)
		if !ok || checkedPython[code.config.Python] {
			continue
		}
		checkedPython[code.config.Python] = true
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		_, err = sandbox.Probe(ctx, code.config.Python)
		cancel()
		if err != nil {
			errs = append(errs, fmt.Errorf("dataset %s needs Python to run its tests: %w", m.Name, err))
		}
	}
	return errors.Join(errs...)
}

// optionFloat reads a numeric scorer option; YAML gives int or float64.
func optionFloat(m *datasets.Manifest, key string) (float64, bool, error) {
	v, ok := m.ScorerOptions[key]
	if !ok {
		return 0, false, nil
	}
	switch n := v.(type) {
	case int:
		return float64(n), true, nil
	case int64:
		return float64(n), true, nil
	case uint64:
		return float64(n), true, nil
	case float64:
		return n, true, nil
	}
	return 0, false, fmt.Errorf("scorer_options.%s: %v is not a number", key, v)
}

func optionString(m *datasets.Manifest, key string) (string, bool, error) {
	v, ok := m.ScorerOptions[key]
	if !ok {
		return "", false, nil
	}
	s, isString := v.(string)
	if !isString {
		return "", false, fmt.Errorf("scorer_options.%s: %v is not a string", key, v)
	}
	return s, true, nil
}
