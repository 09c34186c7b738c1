// Package datasets holds quantbench's labelled datasets: the schema of a dataset
// (a YAML manifest and JSON-lines items), loaders and validation, importers for
// public benchmark files, and the built-in datasets embedded in the binary.
package datasets

import "encoding/json"

// Category is a task category. Quality is compared per category because
// quantisation hurts some kinds of work more than others.
type Category string

// The five task categories.
const (
	Classification Category = "classification"
	Extraction     Category = "extraction"
	Code           Category = "code"
	Reasoning      Category = "reasoning"
	Creative       Category = "creative"
)

// Categories lists every category in report order.
var Categories = []Category{Classification, Extraction, Code, Reasoning, Creative}

// Manifest describes a dataset: how to render its prompts and how to score them.
// It is YAML, either in a file beside the items or as a header document.
type Manifest struct {
	Name        string   `yaml:"name" json:"name"`
	Category    Category `yaml:"category" json:"category"`
	Description string   `yaml:"description,omitempty" json:"description,omitempty"`

	// Template is a Go text/template rendered with the item's Input map,
	// for example "Review: {{.text}}\nSentiment:".
	Template string `yaml:"template" json:"template"`

	// System is an optional system prompt sent with every item.
	System string `yaml:"system,omitempty" json:"system,omitempty"`

	// Scorer names the evaluator; empty means the category's default.
	Scorer        string         `yaml:"scorer,omitempty" json:"scorer,omitempty"`
	ScorerOptions map[string]any `yaml:"scorer_options,omitempty" json:"scorer_options,omitempty"`

	// NumPredict is the maximum number of tokens to generate per item.
	NumPredict int `yaml:"num_predict" json:"num_predict"`

	// Labels is the label set of a classification dataset.
	Labels []string `yaml:"labels,omitempty" json:"labels,omitempty"`

	// Schema is an optional JSON schema for extraction, sent to Ollama as format.
	Schema json.RawMessage `yaml:"-" json:"schema,omitempty"`
}

// Item is one labelled example.
type Item struct {
	ID string `json:"id"`

	// Input holds the template variables, for example {"text": "..."}.
	Input map[string]string `json:"input"`

	Expected Expected `json:"expected"`

	// Line is the 1-based line of the item in its source file, for error messages.
	Line int `json:"-"`
}

// Expected is an item's expected answer, in the shape of its category.
type Expected struct {
	// Label is the correct label of a classification item.
	Label string `json:"label,omitempty"`

	// Fields are the expected extraction fields, keyed by field name.
	Fields map[string]string `json:"fields,omitempty"`

	// Number is the exact numeric answer of a reasoning item.
	Number *float64 `json:"number,omitempty"`

	// Tests is Python code (assert statements, or a check function and its call)
	// appended after the prompt and the completion.
	Tests string `json:"tests,omitempty"`

	// EntryPoint is the name of the function a code item must define.
	EntryPoint string `json:"entry_point,omitempty"`

	// Constraints are the verifiable constraints of a creative item.
	Constraints *Constraints `json:"constraints,omitempty"`
}

// Constraints are the checks a creative output must satisfy. A zero field is
// not checked.
type Constraints struct {
	MinWords  int      `json:"min_words,omitempty"`
	MaxWords  int      `json:"max_words,omitempty"`
	Required  []string `json:"required,omitempty"`
	Forbidden []string `json:"forbidden,omitempty"`
	Lines     int      `json:"lines,omitempty"`
	Bullets   int      `json:"bullets,omitempty"`
	// Form names a fixed form, for example "acrostic:RAIN" or "ends_with_question".
	Form string `json:"form,omitempty"`
}

// Dataset is a loaded, validated dataset.
type Dataset struct {
	Manifest Manifest
	Items    []Item

	// Source is the dataset's origin: a path, or "builtin:NAME".
	Source string

	// SHA256 is the hex digest of the manifest and items as loaded, recorded in run.json.
	SHA256 string
}
