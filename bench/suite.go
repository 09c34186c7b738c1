// Package bench runs quantbench suites: it loads a suite, checks the models
// on the Ollama server (pre-flight), queries every model on every item, and
// writes the results folder that the results package summarises.
package bench

import (
	"bytes"
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/quantbench/quantbench/datasets"
	"github.com/quantbench/quantbench/results"
	"github.com/quantbench/quantbench/results/tco"
)

//go:embed suites/*.yaml
var embeddedSuites embed.FS

// Suite is a quantbench run configuration: which models, which datasets and
// how to query them. Every field also has a flag on `quantbench run`.
type Suite struct {
	Name string `yaml:"name" json:"name"`

	// Hosts are Ollama base URLs. Items are spread over them round robin when
	// there is more than one; every host must serve the same model digests.
	Hosts []string `yaml:"hosts,omitempty" json:"hosts"`

	Baseline string   `yaml:"baseline" json:"baseline"`
	Variants []string `yaml:"variants" json:"variants"`

	// Datasets are dataset specs: "builtin", "builtin:NAME", a path to a
	// JSON-lines file, or "FORMAT:PATH" for an importer.
	Datasets []string `yaml:"datasets" json:"datasets"`

	// Limit is the number of items taken from the start of each dataset; 0 means all.
	Limit int `yaml:"limit,omitempty" json:"limit,omitempty"`

	// Repeats is how many times every model answers every item. With 2 or
	// more, repeat 1 of the baseline gives the noise floor.
	Repeats int `yaml:"repeats,omitempty" json:"repeats"`

	// NoiseFloor runs the baseline a second time (repeat 1) even when Repeats is 1.
	NoiseFloor bool `yaml:"noise_floor,omitempty" json:"noise_floor"`

	Options Options `yaml:"options" json:"options"`

	// Think is sent as the request's think value: unset, true, false, or a
	// level ("low", "medium", "high") for models that support it.
	Think *string `yaml:"think,omitempty" json:"think,omitempty"`

	// Logprobs requests log probabilities with TopLogprobs candidates (0 to 20),
	// for the token-level drift statistics.
	Logprobs    bool `yaml:"logprobs" json:"logprobs"`
	TopLogprobs int  `yaml:"top_logprobs,omitempty" json:"top_logprobs"`

	// Concurrency is the number of requests in flight per model.
	Concurrency int `yaml:"concurrency,omitempty" json:"concurrency"`

	// Timeout bounds one request; Retries is the number of further attempts
	// after a failed one, with exponential backoff starting at RetryBackoff.
	Timeout      Duration `yaml:"timeout,omitempty" json:"timeout"`
	Retries      int      `yaml:"retries,omitempty" json:"retries"`
	RetryBackoff Duration `yaml:"retry_backoff,omitempty" json:"retry_backoff"`

	// InfraErrorThreshold stops the run when the share of planned requests
	// that ended as infra_error exceeds it.
	InfraErrorThreshold float64 `yaml:"infra_error_threshold,omitempty" json:"infra_error_threshold"`

	// KeepAlive is how long a model stays loaded while its items run; it is
	// unloaded (keep_alive 0) when its items are done.
	KeepAlive Duration `yaml:"keep_alive,omitempty" json:"keep_alive"`

	// AllowAnyBaseline accepts a baseline that is not F16, BF16 or F32.
	AllowAnyBaseline bool `yaml:"allow_any_baseline,omitempty" json:"allow_any_baseline"`

	// Output is the folder under which each run's results folder is made.
	Output string `yaml:"output,omitempty" json:"output"`

	// Tolerances map a category to the minimum variant score as a fraction of
	// the baseline's; categories left out use the defaults.
	Tolerances map[string]float64 `yaml:"tolerances,omitempty" json:"tolerances,omitempty"`

	Bootstrap Bootstrap `yaml:"bootstrap,omitempty" json:"bootstrap"`
	MinPairs  int       `yaml:"min_pairs,omitempty" json:"min_pairs"`

	// Judge, when set, names a model that compares the baseline's and each
	// variant's creative outputs pairwise, in both orders. It should be a
	// capable model: a weak judge's verdicts are noise.
	Judge string `yaml:"judge,omitempty" json:"judge,omitempty"`

	// Throughput, when present, adds a speed phase after the quality phase.
	Throughput *ThroughputSection `yaml:"throughput,omitempty" json:"throughput,omitempty"`

	// TCO, when present, prices the run.
	TCO *tco.Inputs `yaml:"tco,omitempty" json:"tco,omitempty"`
}

// Options are the decoding options sent in every request's options field.
// They are pinned so a comparison does not depend on server defaults.
type Options struct {
	Temperature float64 `yaml:"temperature" json:"temperature"`
	Seed        int     `yaml:"seed" json:"seed"`
	// NumCtx is the context length. It is always sent, because Ollama's
	// default depends on the GPU's memory.
	NumCtx int `yaml:"num_ctx" json:"num_ctx"`
	// NumPredict, when set, overrides every dataset's own num_predict.
	NumPredict int      `yaml:"num_predict,omitempty" json:"num_predict,omitempty"`
	TopK       *int     `yaml:"top_k,omitempty" json:"top_k,omitempty"`
	TopP       *float64 `yaml:"top_p,omitempty" json:"top_p,omitempty"`
}

// Bootstrap configures the paired bootstrap.
type Bootstrap struct {
	Resamples  int     `yaml:"resamples,omitempty" json:"resamples"`
	Seed       int64   `yaml:"seed,omitempty" json:"seed"`
	Confidence float64 `yaml:"confidence,omitempty" json:"confidence"`
}

// Duration is a time.Duration written as "30s" or "2m" in YAML and JSON.
type Duration time.Duration

// UnmarshalYAML parses a Go duration string.
func (d *Duration) UnmarshalYAML(node *yaml.Node) error {
	parsed, err := time.ParseDuration(node.Value)
	if err != nil {
		return fmt.Errorf("line %d: invalid duration %q: use a value such as 90s or 5m", node.Line, node.Value)
	}
	*d = Duration(parsed)
	return nil
}

// MarshalJSON writes the duration as a string such as "1m30s".
func (d Duration) MarshalJSON() ([]byte, error) {
	return []byte(strconv.Quote(time.Duration(d).String())), nil
}

// UnmarshalJSON reads a duration string, as written by MarshalJSON.
func (d *Duration) UnmarshalJSON(data []byte) error {
	s, err := strconv.Unquote(string(data))
	if err != nil {
		return fmt.Errorf("invalid duration %s", data)
	}
	parsed, err := time.ParseDuration(s)
	if err != nil {
		return err
	}
	*d = Duration(parsed)
	return nil
}

// DefaultSuite returns the settings used for anything a suite file and the
// flags leave unset.
func DefaultSuite() Suite {
	return Suite{
		Name:                "adhoc",
		Datasets:            []string{"builtin"},
		Repeats:             1,
		Options:             Options{Temperature: 0, Seed: 42, NumCtx: 4096},
		Logprobs:            true,
		TopLogprobs:         20,
		Concurrency:         1,
		Timeout:             Duration(5 * time.Minute),
		Retries:             3,
		RetryBackoff:        Duration(2 * time.Second),
		InfraErrorThreshold: 0.05,
		KeepAlive:           Duration(30 * time.Minute),
		Output:              "runs",
		Bootstrap:           Bootstrap{Resamples: 2000, Seed: 1, Confidence: 0.95},
		MinPairs:            30,
	}
}

// EmbeddedSuiteNames lists the suites shipped in the binary.
func EmbeddedSuiteNames() []string {
	entries, _ := fs.ReadDir(embeddedSuites, "suites")
	var names []string
	for _, e := range entries {
		names = append(names, strings.TrimSuffix(e.Name(), ".yaml"))
	}
	sort.Strings(names)
	return names
}

// LoadSuite reads a suite from a YAML file, or from the embedded suites when
// ref names one ("quick") and no such file exists. Fields the suite leaves
// out keep the values of DefaultSuite.
func LoadSuite(ref string) (*Suite, error) {
	data, source, err := readSuite(ref)
	if err != nil {
		return nil, err
	}
	suite := DefaultSuite()
	if err := decodeSuite(data, source, &suite); err != nil {
		return nil, err
	}
	return &suite, nil
}

func readSuite(ref string) ([]byte, string, error) {
	data, err := os.ReadFile(ref)
	if err == nil {
		return data, ref, nil
	}
	if !errors.Is(err, os.ErrNotExist) {
		return nil, "", fmt.Errorf("read suite: %w", err)
	}
	name := strings.TrimSuffix(filepath.Base(ref), ".yaml")
	if data, embErr := embeddedSuites.ReadFile("suites/" + name + ".yaml"); embErr == nil && !strings.ContainsRune(ref, os.PathSeparator) {
		return data, "builtin suite " + name, nil
	}
	return nil, "", fmt.Errorf("suite %q not found: give a YAML file or one of the built-in suites: %s",
		ref, strings.Join(EmbeddedSuiteNames(), ", "))
}

// yamlLineError matches the line prefix yaml/v3 puts on its errors.
var yamlLineError = regexp.MustCompile(`line (\d+): (.*)`)

// decodeSuite decodes strictly: an unknown key is an error naming it and its line.
func decodeSuite(data []byte, source string, suite *Suite) error {
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	err := dec.Decode(suite)
	if err == nil {
		var extra yaml.Node
		if dec.Decode(&extra) == io.EOF {
			return nil
		}
		return fmt.Errorf("%s:%d: a second YAML document is not allowed in a suite file; remove the line --- and what follows, or split the file", source, extra.Line)
	}
	if errors.Is(err, io.EOF) {
		return nil
	}
	var typeErr *yaml.TypeError
	if errors.As(err, &typeErr) {
		var lines []string
		for _, msg := range typeErr.Errors {
			lines = append(lines, formatYAMLError(source, msg))
		}
		return errors.New(strings.Join(lines, "\n"))
	}
	return errors.New(formatYAMLError(source, err.Error()))
}

// formatYAMLError turns "yaml: line 3: field foo not found in type bench.Suite"
// into "suite.yaml:3: unknown key "foo": check its spelling ...".
func formatYAMLError(source, msg string) string {
	msg = strings.TrimPrefix(msg, "yaml: ")
	m := yamlLineError.FindStringSubmatch(msg)
	if m == nil {
		return fmt.Sprintf("%s: %s", source, msg)
	}
	line, detail := m[1], m[2]
	if strings.HasPrefix(detail, "field ") && strings.Contains(detail, " not found in type ") {
		key := strings.TrimPrefix(detail[:strings.Index(detail, " not found")], "field ")
		return fmt.Sprintf("%s:%s: unknown key %q: check its spelling against the suite reference in the README", source, line, key)
	}
	return fmt.Sprintf("%s:%s: %s", source, line, detail)
}

// Validate checks a resolved suite before anything contacts a server.
func (s *Suite) Validate() error {
	var problems []string
	problems = append(problems, s.modelProblems()...)
	problems = append(problems, s.runProblems()...)
	problems = append(problems, s.decodingProblems()...)
	problems = append(problems, s.analysisProblems()...)
	if len(problems) > 0 {
		return errors.New(strings.Join(problems, "\n"))
	}
	return nil
}

// modelProblems lists problems with the name, models and datasets.
func (s *Suite) modelProblems() []string {
	var problems []string
	if s.Baseline == "" {
		problems = append(problems, "no baseline model: set --baseline or baseline: in the suite")
	}
	if len(s.Variants) == 0 {
		problems = append(problems, "no variant models: set --variant (repeatable) or variants: in the suite")
	}
	for _, v := range s.Variants {
		if v == s.Baseline {
			problems = append(problems, fmt.Sprintf("variant %q is also the baseline: compare different tags", v))
		}
	}
	if len(s.Datasets) == 0 {
		problems = append(problems, "no datasets: set --datasets or datasets: in the suite (for example builtin)")
	}
	if !validName.MatchString(s.Name) {
		problems = append(problems, fmt.Sprintf("name %q: use letters, digits, dots, dashes and underscores only, because it names the results folder", s.Name))
	}
	seen := map[string]bool{}
	for _, v := range s.Variants {
		if seen[v] {
			problems = append(problems, fmt.Sprintf("variant %q is listed twice: list each model once", v))
		}
		seen[v] = true
	}
	return problems
}

// runProblems lists problems with how the run proceeds: counts, timeouts, retries and phases.
func (s *Suite) runProblems() []string {
	var problems []string
	if s.Limit < 0 {
		problems = append(problems, fmt.Sprintf("limit is %d: use 0 for every item or a positive count", s.Limit))
	}
	if s.Retries < 0 {
		problems = append(problems, fmt.Sprintf("retries is %d: use 0 for no retry or a positive count", s.Retries))
	}
	if s.RetryBackoff < 0 {
		problems = append(problems, "retry_backoff must not be negative, for example 2s")
	}
	if s.Repeats < 1 {
		problems = append(problems, fmt.Sprintf("repeats is %d: use 1 or more", s.Repeats))
	}
	if s.Concurrency < 1 {
		problems = append(problems, fmt.Sprintf("concurrency is %d: use 1 or more", s.Concurrency))
	}
	if !finite(s.InfraErrorThreshold) || s.InfraErrorThreshold < 0 || s.InfraErrorThreshold > 1 {
		problems = append(problems, fmt.Sprintf("infra_error_threshold is %g: use a fraction between 0 and 1", s.InfraErrorThreshold))
	}
	if s.Timeout <= 0 {
		problems = append(problems, "timeout must be above 0, for example 5m")
	}
	if s.Throughput != nil {
		if err := s.Throughput.WithDefaults().Validate(); err != nil {
			problems = append(problems, err.Error())
		}
	}
	return problems
}

// decodingProblems lists problems with the decoding options.
func (s *Suite) decodingProblems() []string {
	var problems []string
	if !finite(s.Options.Temperature) || s.Options.Temperature < 0 {
		problems = append(problems, fmt.Sprintf("options.temperature is %g: use 0 or a positive number", s.Options.Temperature))
	}
	if s.Options.TopP != nil && (!finite(*s.Options.TopP) || *s.Options.TopP <= 0 || *s.Options.TopP > 1) {
		problems = append(problems, fmt.Sprintf("options.top_p is %g: give a fraction in (0, 1]", *s.Options.TopP))
	}
	if s.Options.NumPredict < 0 {
		problems = append(problems, fmt.Sprintf("options.num_predict is %d: use 0 to keep each dataset's own, or a positive count", s.Options.NumPredict))
	}
	if s.Options.NumCtx <= 0 {
		problems = append(problems, "options.num_ctx must be set above 0: Ollama's default depends on the GPU")
	}
	if s.TopLogprobs < 0 || s.TopLogprobs > 20 {
		problems = append(problems, fmt.Sprintf("top_logprobs is %d: Ollama accepts 0 to 20", s.TopLogprobs))
	}
	if s.Think != nil {
		switch *s.Think {
		case "true", "false", "low", "medium", "high":
		default:
			problems = append(problems, fmt.Sprintf("think is %q: use true, false, low, medium or high", *s.Think))
		}
	}
	return problems
}

// analysisProblems lists problems with the statistics and pricing settings.
func (s *Suite) analysisProblems() []string {
	var problems []string
	if s.MinPairs < 1 {
		problems = append(problems, fmt.Sprintf("min_pairs is %d: use 1 or more", s.MinPairs))
	}
	if s.Bootstrap.Resamples < 100 {
		problems = append(problems, fmt.Sprintf("bootstrap.resamples is %d: use at least 100 (2000 or more for a stable 95%% interval)", s.Bootstrap.Resamples))
	}
	if !finite(s.Bootstrap.Confidence) || s.Bootstrap.Confidence <= 0 || s.Bootstrap.Confidence >= 1 {
		problems = append(problems, fmt.Sprintf("bootstrap.confidence is %g: give a fraction between 0 and 1, such as 0.95", s.Bootstrap.Confidence))
	}
	if s.TCO != nil {
		if err := tco.CheckInputs(*s.TCO); err != nil {
			problems = append(problems, "tco: "+err.Error())
		}
	}
	categories := make([]string, 0, len(s.Tolerances))
	for category := range s.Tolerances {
		categories = append(categories, category)
	}
	sort.Strings(categories)
	for _, category := range categories {
		tol := s.Tolerances[category]
		if !isCategory(category) {
			problems = append(problems, fmt.Sprintf("tolerances.%s: unknown category: use %s", category, categoryNames()))
		}
		if !finite(tol) || tol <= 0 || tol > 1.5 {
			problems = append(problems, fmt.Sprintf("tolerances.%s is %g: give a fraction of the baseline such as 0.95", category, tol))
		}
	}
	return problems
}

// validName matches a suite name that is safe as a folder name.
var validName = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]*$`)

func finite(v float64) bool {
	return !math.IsNaN(v) && !math.IsInf(v, 0)
}

func isCategory(name string) bool {
	for _, c := range datasets.Categories {
		if string(c) == name {
			return true
		}
	}
	return false
}

func categoryNames() string {
	names := make([]string, len(datasets.Categories))
	for i, c := range datasets.Categories {
		names[i] = string(c)
	}
	return strings.Join(names, ", ")
}

// Models returns the baseline followed by the variants.
func (s *Suite) Models() []string {
	return append([]string{s.Baseline}, s.Variants...)
}

// SuiteFromRun reads the resolved suite stored in a results folder's run.json.
func SuiteFromRun(dir string) (*Suite, error) {
	m, err := results.ReadManifest(dir)
	if err != nil {
		return nil, err
	}
	suite := DefaultSuite()
	if err := json.Unmarshal(m.Suite, &suite); err != nil {
		return nil, fmt.Errorf("%s/%s: invalid suite: %v", dir, results.RunFile, err)
	}
	return &suite, nil
}
