package datasets

import (
	"encoding/json"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"unicode"
)

var (
	// nameRE is the form of a dataset name: it appears in builtin:NAME, in
	// report columns and as a file name in a results folder.
	nameRE = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]*$`)
	// pythonIdentRE matches a Python identifier (ASCII only).
	pythonIdentRE = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)
)

// validCategory reports whether c is one of Categories.
func validCategory(c Category) bool {
	return slices.Contains(Categories, c)
}

func categoryList() string {
	names := make([]string, len(Categories))
	for i, c := range Categories {
		names[i] = string(c)
	}
	return strings.Join(names, ", ")
}

// validateManifest checks a decoded manifest and reports problems at the line
// of the key concerned.
func validateManifest(d *decodedManifest, p *problems) {
	m := &d.Manifest
	switch {
	case m.Name == "":
		p.add(d.line("name"), "name", "missing; give the dataset a name such as %q", "support-intents")
	case !nameRE.MatchString(m.Name):
		p.add(d.line("name"), "name", "invalid name %q: use letters, digits, '.', '_' and '-', starting with a letter or digit", m.Name)
	}

	switch {
	case m.Category == "":
		p.add(d.line("category"), "category", "missing; use one of %s", categoryList())
	case !validCategory(m.Category):
		p.add(d.line("category"), "category", "unknown category %q; use one of %s", m.Category, categoryList())
	}

	validateTemplates(d, p)

	switch {
	case !d.has("num_predict"):
		p.add(d.line("num_predict"), "num_predict", "missing; set the maximum number of tokens to generate per item, for example 256")
	case m.NumPredict <= 0:
		p.add(d.line("num_predict"), "num_predict", "must be greater than 0, got %d", m.NumPredict)
	}

	validateLabels(d, p)

	if len(m.Schema) > 0 && m.Category != Extraction && validCategory(m.Category) {
		p.add(d.line("schema"), "schema", "only extraction datasets take a schema, but the category is %s; remove the key", m.Category)
	}
	if m.ScorerOptions != nil {
		if _, err := json.Marshal(m.ScorerOptions); err != nil {
			p.add(d.line("scorer_options"), "scorer_options", "cannot be stored as JSON (%v); use string keys and plain values", err)
		}
	}
}

func validateTemplates(d *decodedManifest, p *problems) {
	m := &d.Manifest
	if strings.TrimSpace(m.Template) == "" {
		p.add(d.line("template"), "template", "missing; give a Go text/template such as %q", "Review: {{.text}}\nSentiment:")
	} else if _, err := parseTemplate("template", m.Template); err != nil {
		p.add(d.line("template"), "template", "does not parse: %v", err)
	}
	if m.System != "" {
		if _, err := parseTemplate("system", m.System); err != nil {
			p.add(d.line("system"), "system", "does not parse: %v", err)
		}
	}
}

func validateLabels(d *decodedManifest, p *problems) {
	m := &d.Manifest
	if m.Category != Classification {
		if len(m.Labels) > 0 && validCategory(m.Category) {
			p.add(d.line("labels"), "labels", "only classification datasets take a label set, but the category is %s; remove the key", m.Category)
		}
		return
	}
	if len(m.Labels) == 0 {
		p.add(d.line("labels"), "labels", "missing; a classification dataset lists its label set, for example [negative, positive]")
		return
	}
	seen := map[string]bool{}
	for i, label := range m.Labels {
		switch {
		case strings.TrimSpace(label) == "":
			p.add(d.line("labels"), fmt.Sprintf("labels[%d]", i), "is empty; every label needs text")
		case seen[label]:
			p.add(d.line("labels"), fmt.Sprintf("labels[%d]", i), "duplicate label %q; list each label once", label)
		}
		seen[label] = true
	}
}

// validateItem checks an item's id, input and expected answer against the
// manifest. Template errors are reported by checkRender.
func validateItem(m *Manifest, it *Item, p *problems) {
	line := it.Line
	switch {
	case it.ID == "":
		p.add(line, "id", "missing; give every item a unique string id")
	case strings.IndexFunc(it.ID, unicode.IsControl) >= 0:
		p.add(line, "id", "%q contains a control character such as a newline or tab; ids appear in reports, so use printable text", it.ID)
	case strings.TrimSpace(it.ID) != it.ID:
		p.add(line, "id", "%q starts or ends with white space; remove it", it.ID)
	}
	if it.Input == nil {
		p.add(line, "input", "missing; give the template variables as an object, for example {\"text\": \"...\"}")
	}

	e := &it.Expected
	switch m.Category {
	case Classification:
		validateClassification(m, it, p)
	case Extraction:
		if len(e.Fields) == 0 {
			p.add(line, "expected.fields", "missing; give the expected fields as an object of strings, for example {\"total\": \"12.50\"}")
		}
	case Reasoning:
		if e.Number == nil {
			p.add(line, "expected.number", "missing; give the exact numeric answer, for example 42")
		}
	case Code:
		validateCode(it, p)
	case Creative:
		validateConstraints(it, p)
	default:
		return
	}
	reportUnusedExpected(m.Category, it, p)
}

func validateClassification(m *Manifest, it *Item, p *problems) {
	label := it.Expected.Label
	if label == "" {
		p.add(it.Line, "expected.label", "missing; give the correct label, one of %s", quoteList(m.Labels))
		return
	}
	if len(m.Labels) > 0 && !slices.Contains(m.Labels, label) {
		p.add(it.Line, "expected.label", "label %q is not in the label set %s; fix the label or add it to the manifest's labels", label, quoteList(m.Labels))
	}
}

func validateCode(it *Item, p *problems) {
	e := &it.Expected
	if strings.TrimSpace(e.Tests) == "" {
		p.add(it.Line, "expected.tests", "missing; give Python test code (assert statements) run after the completion")
	}
	switch {
	case e.EntryPoint == "":
		p.add(it.Line, "expected.entry_point", "missing; give the name of the function the completion must define")
	case !pythonIdentRE.MatchString(e.EntryPoint):
		p.add(it.Line, "expected.entry_point", "%q is not a Python identifier", e.EntryPoint)
	}
}

func validateConstraints(it *Item, p *problems) {
	c := it.Expected.Constraints
	if c == nil || c.isZero() {
		p.add(it.Line, "expected.constraints", "missing; give at least one constraint (min_words, max_words, required, forbidden, lines, bullets or form)")
		return
	}
	for name, v := range map[string]int{"min_words": c.MinWords, "max_words": c.MaxWords, "lines": c.Lines, "bullets": c.Bullets} {
		if v < 0 {
			p.add(it.Line, "expected.constraints."+name, "must not be negative, got %d", v)
		}
	}
	if c.MaxWords > 0 && c.MinWords > c.MaxWords {
		p.add(it.Line, "expected.constraints.min_words", "min_words %d is greater than max_words %d", c.MinWords, c.MaxWords)
	}
	for i, w := range c.Required {
		if strings.TrimSpace(w) == "" {
			p.add(it.Line, fmt.Sprintf("expected.constraints.required[%d]", i), "is empty")
		}
		if slices.Contains(c.Forbidden, w) {
			p.add(it.Line, fmt.Sprintf("expected.constraints.required[%d]", i), "%q is both required and forbidden", w)
		}
	}
	for i, w := range c.Forbidden {
		if strings.TrimSpace(w) == "" {
			p.add(it.Line, fmt.Sprintf("expected.constraints.forbidden[%d]", i), "is empty")
		}
	}
}

func (c *Constraints) isZero() bool {
	return c.MinWords == 0 && c.MaxWords == 0 && len(c.Required) == 0 && len(c.Forbidden) == 0 &&
		c.Lines == 0 && c.Bullets == 0 && c.Form == ""
}

// schemaProperties returns the property names of an extraction schema, or
// nil when the schema does not list properties.
func schemaProperties(m *Manifest) map[string]bool {
	if m.Category != Extraction || len(m.Schema) == 0 {
		return nil
	}
	var schema struct {
		Properties map[string]json.RawMessage `json:"properties"`
	}
	if json.Unmarshal(m.Schema, &schema) != nil || len(schema.Properties) == 0 {
		return nil
	}
	names := make(map[string]bool, len(schema.Properties))
	for name := range schema.Properties {
		names[name] = true
	}
	return names
}

// checkSchemaFields reports expected fields that the schema does not list.
// Ollama constrains the output to the schema, so a model would rarely
// produce such a field.
func checkSchemaFields(properties map[string]bool, it *Item, p *problems) {
	if properties == nil {
		return
	}
	for _, name := range sortedKeys(it.Expected.Fields) {
		if !properties[name] {
			p.add(it.Line, "expected.fields."+name, "is not a property of the manifest's schema (%s); add it to the schema or rename the field", strings.Join(sortedKeys(properties), ", "))
		}
	}
}

// reportUnusedExpected flags expected fields that belong to another category,
// which usually means the item was put in the wrong dataset.
func reportUnusedExpected(c Category, it *Item, p *problems) {
	e := &it.Expected
	used := map[string]bool{
		"label":       e.Label != "",
		"fields":      len(e.Fields) > 0,
		"number":      e.Number != nil,
		"tests":       e.Tests != "",
		"entry_point": e.EntryPoint != "",
		"constraints": e.Constraints != nil,
	}
	allowed := map[Category][]string{
		Classification: {"label"},
		Extraction:     {"fields"},
		Reasoning:      {"number"},
		Code:           {"tests", "entry_point"},
		Creative:       {"constraints"},
	}[c]
	for _, name := range sortedKeys(used) {
		if used[name] && !slices.Contains(allowed, name) {
			p.add(it.Line, "expected."+name, "is not used by %s datasets (they use expected.%s); remove it or check the dataset's category", c, strings.Join(allowed, " and expected."))
		}
	}
}

func quoteList(items []string) string {
	q := make([]string, len(items))
	for i, s := range items {
		q[i] = fmt.Sprintf("%q", s)
	}
	return "[" + strings.Join(q, ", ") + "]"
}
