package evaluators

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"github.com/quantbench/quantbench/datasets"
)

// fieldScorer scores extraction outputs by field-level precision, recall and
// F1 against expected.fields.
type fieldScorer struct {
	schema *jsonSchema
	// kinds maps a lowercased field name to its type (FieldDate, ...).
	kinds map[string]string
	order DateOrder
}

func newFieldScorer(m *datasets.Manifest) (Scorer, error) {
	schema, err := compileSchema(m.Schema)
	if err != nil {
		return nil, err
	}
	kinds, err := fieldKinds(m)
	if err != nil {
		return nil, err
	}
	order := MonthFirst
	if s, ok, err := optionString(m, "date_order"); err != nil {
		return nil, err
	} else if ok {
		order = DateOrder(strings.ToLower(s))
		if order != MonthFirst && order != DayFirst {
			return nil, fmt.Errorf("scorer_options.date_order: %q is invalid; use %q or %q", s, MonthFirst, DayFirst)
		}
	}
	return &fieldScorer{schema: schema, kinds: kinds, order: order}, nil
}

func fieldKinds(m *datasets.Manifest) (map[string]string, error) {
	kinds := map[string]string{}
	raw, ok := m.ScorerOptions["fields"]
	if !ok {
		return kinds, nil
	}
	fields, ok := raw.(map[string]any)
	if !ok {
		return nil, fmt.Errorf("scorer_options.fields: must be a map of field name to type (text, date, amount or number), not %T", raw)
	}
	for name, v := range fields {
		kind, _ := v.(string)
		switch kind {
		case FieldText, FieldDate, FieldAmount, FieldNumber:
			kinds[strings.ToLower(name)] = kind
		default:
			return nil, fmt.Errorf("scorer_options.fields.%s: type %v is invalid; use text, date, amount or number", name, v)
		}
	}
	return kinds, nil
}

// Score extracts the JSON object with ExtractJSON, validates it against the
// schema, and compares fields after normalisation by type. Field names match
// case-insensitively. The counts:
//   - a field whose normalised value equals the expected one is a true positive;
//   - a field with a wrong value is a false positive and a false negative;
//   - an extra field with a value is a false positive;
//   - a missing, null or empty field is a false negative;
//   - an expected field with an empty value must be absent.
//
// Value is F1, or 1 when nothing is expected and nothing extracted.
func (s *fieldScorer) Score(_ context.Context, m *datasets.Manifest, item *datasets.Item, output string) (Score, error) {
	expected := item.Expected.Fields
	missed := map[string]any{"tp": 0, "fp": 0, "fn": countNonEmpty(expected)}

	ans, ok := ExtractJSON(StripThinking(output))
	if !ok {
		return Score{Outcome: NoAnswer, Detail: missed}, nil
	}
	if ans.Repaired {
		missed["repaired"] = true
	}
	if err := s.schema.validate(ans.Value, "$"); err != nil {
		missed["schema_error"] = err.Error()
		return Score{Outcome: FormatError, Answer: ans.Text, Detail: missed}, nil
	}
	obj, ok := ans.Value.(map[string]any)
	if !ok {
		missed["schema_error"] = fmt.Sprintf("$: is %s, want an object of fields", jsonTypeName(ans.Value))
		return Score{Outcome: FormatError, Answer: ans.Text, Detail: missed}, nil
	}

	counts := s.compare(flattenJSON(obj), expected)
	detail := counts.detail()
	if ans.Repaired {
		detail["repaired"] = true
	}
	return Score{Value: counts.f1(), Outcome: Partial, Answer: ans.Text, Detail: detail}, nil
}

// fieldCounts are the field-level counts of one item.
type fieldCounts struct {
	tp, fp, fn   int
	wrong, extra []string
	missing      []string
}

func (s *fieldScorer) compare(predicted, expected map[string]string) fieldCounts {
	got := map[string]string{}
	for name, v := range predicted {
		if strings.TrimSpace(v) != "" {
			got[strings.ToLower(strings.TrimSpace(name))] = v
		}
	}

	var c fieldCounts
	seen := map[string]bool{}
	for name, want := range expected {
		key := strings.ToLower(strings.TrimSpace(name))
		value, ok := got[key]
		if strings.TrimSpace(want) == "" {
			// An empty expected value means the document has no such
			// field, so any value for it is an extra field.
			continue
		}
		seen[key] = true
		switch {
		case !ok:
			c.fn++
			c.missing = append(c.missing, name)
		case s.normalize(key, value) == s.normalize(key, want):
			c.tp++
		default:
			c.fp++
			c.fn++
			c.wrong = append(c.wrong, name)
		}
	}
	for key := range got {
		if !seen[key] {
			c.fp++
			c.extra = append(c.extra, key)
		}
	}
	sort.Strings(c.wrong)
	sort.Strings(c.missing)
	sort.Strings(c.extra)
	return c
}

func (s *fieldScorer) normalize(key, value string) string {
	return NormalizeField(s.kinds[key], value, s.order)
}

func (c fieldCounts) f1() float64 {
	if c.tp+c.fp+c.fn == 0 {
		return 1
	}
	return 2 * float64(c.tp) / float64(2*c.tp+c.fp+c.fn)
}

func (c fieldCounts) detail() map[string]any {
	d := map[string]any{"tp": c.tp, "fp": c.fp, "fn": c.fn}
	if len(c.wrong) > 0 {
		d["wrong"] = c.wrong
	}
	if len(c.missing) > 0 {
		d["missing"] = c.missing
	}
	if len(c.extra) > 0 {
		d["extra"] = c.extra
	}
	return d
}

func countNonEmpty(fields map[string]string) int {
	n := 0
	for _, v := range fields {
		if strings.TrimSpace(v) != "" {
			n++
		}
	}
	return n
}
