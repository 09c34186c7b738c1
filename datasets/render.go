package datasets

import (
	"errors"
	"fmt"
	"regexp"
	"strings"
	"sync"
	"text/template"
)

// templateFuncs are the functions a template may call besides the builtins of
// text/template. They are bound to a manifest when the template runs.
//
//	labels  the manifest's label set joined with ", "
func templateFuncs(m *Manifest) template.FuncMap {
	return template.FuncMap{
		"labels": func() string { return strings.Join(m.Labels, ", ") },
	}
}

// parsedTemplates caches parsed templates by kind and text. Manifests are
// few, so the cache is only cleared when it grows past maxCachedTemplates.
var parsedTemplates = struct {
	sync.Mutex
	m map[string]*template.Template
}{m: map[string]*template.Template{}}

const maxCachedTemplates = 256

// parseTemplate parses text with missingkey=error, so that a template variable
// absent from an item's input is an error instead of "<no value>".
func parseTemplate(kind, text string) (*template.Template, error) {
	key := kind + "\x00" + text
	parsedTemplates.Lock()
	defer parsedTemplates.Unlock()
	if t, ok := parsedTemplates.m[key]; ok {
		return t, nil
	}
	t, err := template.New(kind).Option("missingkey=error").Funcs(templateFuncs(&Manifest{})).Parse(text)
	if err != nil {
		return nil, errors.New(strings.TrimPrefix(err.Error(), "template: "))
	}
	if len(parsedTemplates.m) >= maxCachedTemplates {
		clear(parsedTemplates.m)
	}
	parsedTemplates.m[key] = t
	return t, nil
}

// Render executes the manifest's system and prompt templates with the item's
// input. The system prompt is empty when the manifest has none.
func Render(m *Manifest, item *Item) (system, prompt string, err error) {
	prompt, err = execute("template", m.Template, m, item)
	if err != nil {
		return "", "", err
	}
	if m.System != "" {
		system, err = execute("system", m.System, m, item)
		if err != nil {
			return "", "", err
		}
	}
	return system, prompt, nil
}

var missingKeyRE = regexp.MustCompile(`map has no entry for key "(.*)"`)

// RenderError is a template that fails to run on one item.
type RenderError struct {
	// Template is "template" or "system", the manifest key of the template.
	Template string
	ItemID   string
	// MissingKey is the input key the template references and the item lacks,
	// or empty when the template failed for another reason.
	MissingKey string
	Err        error
}

func (e *RenderError) Error() string {
	if e.MissingKey != "" {
		return fmt.Sprintf("item %q: the %s references {{.%s}} but the item's input has no key %q; add it to the item or change the %s",
			e.ItemID, e.Template, e.MissingKey, e.MissingKey, e.Template)
	}
	return fmt.Sprintf("item %q: the %s cannot be rendered: %v", e.ItemID, e.Template, e.Err)
}

func (e *RenderError) Unwrap() error { return e.Err }

func execute(kind, text string, m *Manifest, item *Item) (string, error) {
	t, err := parseTemplate(kind, text)
	if err != nil {
		return "", &RenderError{Template: kind, ItemID: item.ID, Err: err}
	}
	t, err = t.Clone()
	if err != nil {
		return "", &RenderError{Template: kind, ItemID: item.ID, Err: err}
	}
	t.Funcs(templateFuncs(m))

	input := item.Input
	if input == nil {
		input = map[string]string{}
	}
	b := &limitedBuilder{max: MaxPromptBytes}
	if err := t.Execute(b, input); err != nil {
		re := &RenderError{Template: kind, ItemID: item.ID, Err: err}
		if mk := missingKeyRE.FindStringSubmatch(err.Error()); mk != nil {
			re.MissingKey = mk[1]
		}
		return "", re
	}
	return b.String(), nil
}

// MaxPromptBytes is the largest rendered prompt or system prompt. It stops a
// template whose loop would otherwise grow without bound.
//
// NOTE: a loop that writes nothing, such as {{range 1000000000000}}{{end}},
// is not stopped, because text/template has no step limit.
const MaxPromptBytes = 4 << 20

type limitedBuilder struct {
	strings.Builder
	max int
}

func (b *limitedBuilder) Write(p []byte) (int, error) {
	if b.Len()+len(p) > b.max {
		return 0, fmt.Errorf("the rendered text is longer than %d bytes", b.max)
	}
	return b.Builder.Write(p)
}
