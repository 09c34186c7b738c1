package tco

import (
	"bytes"
	_ "embed"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"sort"
	"strings"

	"go.yaml.in/yaml/v3"
)

// PresetsFileEnv names the environment variable that points to a user presets
// file, used when no --presets-file flag is given.
const PresetsFileEnv = "QUANTBENCH_PRESETS_FILE"

//go:embed presets.yaml
var builtinPresets []byte

// Preset is a named pair of API prices in US dollars per million tokens.
type Preset struct {
	Name          string  `json:"name" yaml:"-"`
	Description   string  `json:"description,omitempty" yaml:"description"`
	InputPerMTok  float64 `json:"input_per_mtok" yaml:"input_per_mtok"`
	OutputPerMTok float64 `json:"output_per_mtok" yaml:"output_per_mtok"`
	// Checked is the date the prices were last compared with Source.
	Checked string `json:"checked,omitempty" yaml:"checked"`
	Source  string `json:"source,omitempty" yaml:"source"`
}

// Presets maps a preset name to its prices.
type Presets map[string]Preset

// presetsFile is the layout of presets.yaml.
type presetsFile struct {
	Presets map[string]Preset `yaml:"presets"`
}

// BuiltinPresets returns the presets embedded in the binary.
func BuiltinPresets() Presets {
	presets, err := parsePresets("presets.yaml (built in)", builtinPresets)
	if err != nil {
		panic(err) // The embedded file is checked by the package tests.
	}
	return presets
}

// LoadPresets returns the built-in presets, overlaid with the presets of the
// user file at path. An empty path means the file named by
// $QUANTBENCH_PRESETS_FILE, or no file when that is empty too. A user preset
// replaces the built-in preset of the same name.
func LoadPresets(path string) (Presets, error) {
	presets := BuiltinPresets()
	if path == "" {
		path = os.Getenv(PresetsFileEnv)
	}
	if path == "" {
		return presets, nil
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read presets file: %w", err)
	}
	user, err := parsePresets(path, data)
	if err != nil {
		return nil, err
	}
	for name, p := range user {
		presets[name] = p
	}
	return presets, nil
}

// CheckInputs validates in and checks that its preset, if any, is a built-in
// preset or one from $QUANTBENCH_PRESETS_FILE. A suite calls it before a
// run, so a typo fails at the start and not in the summary.
func CheckInputs(in Inputs) error {
	if err := in.Validate(); err != nil {
		return err
	}
	if in.Preset == "" {
		return nil
	}
	presets, err := LoadPresets("")
	if err != nil {
		return err
	}
	_, err = presets.Lookup(in.Preset)
	return err
}

// Lookup returns the preset called name, or an error listing the known names.
func (p Presets) Lookup(name string) (Preset, error) {
	preset, ok := p[name]
	if !ok {
		return Preset{}, fmt.Errorf("unknown preset %q: use one of %s, or give --api-input-price and --api-output-price", name, strings.Join(p.Names(), ", "))
	}
	return preset, nil
}

// Names returns the preset names in order.
func (p Presets) Names() []string {
	names := make([]string, 0, len(p))
	for name := range p {
		names = append(names, name)
	}
	sort.Strings(names)
	return names
}

// parsePresets decodes a presets file, rejecting unknown fields and invalid
// prices with the file, line and field of the problem.
func parsePresets(path string, data []byte) (Presets, error) {
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	var file presetsFile
	if err := dec.Decode(&file); err != nil && !errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	lines, keys := presetLines(&doc)

	presets := Presets{}
	for name, p := range file.Presets {
		p.Name = name
		for _, field := range []string{"input_per_mtok", "output_per_mtok"} {
			if !keys[name][field] {
				return nil, fmt.Errorf("%s:%d: presets.%s: missing %s: give the price in US dollars per million tokens", path, lines[name], name, field)
			}
		}
		for field, price := range map[string]float64{"input_per_mtok": p.InputPerMTok, "output_per_mtok": p.OutputPerMTok} {
			if math.IsNaN(price) || math.IsInf(price, 0) || price < 0 {
				return nil, fmt.Errorf("%s:%d: presets.%s.%s is %v: give a price of 0 or more in US dollars per million tokens", path, lines[name], name, field, price)
			}
		}
		presets[name] = p
	}
	return presets, nil
}

// presetLines maps each preset name to the line of its key in the document
// and to the set of field names it gives.
func presetLines(doc *yaml.Node) (map[string]int, map[string]map[string]bool) {
	lines := map[string]int{}
	keys := map[string]map[string]bool{}
	if len(doc.Content) == 0 || doc.Content[0].Kind != yaml.MappingNode {
		return lines, keys
	}
	root := doc.Content[0]
	for i := 0; i+1 < len(root.Content); i += 2 {
		if root.Content[i].Value != "presets" || root.Content[i+1].Kind != yaml.MappingNode {
			continue
		}
		presets := root.Content[i+1]
		for j := 0; j+1 < len(presets.Content); j += 2 {
			name, fields := presets.Content[j].Value, presets.Content[j+1]
			lines[name] = presets.Content[j].Line
			keys[name] = map[string]bool{}
			for k := 0; k+1 < len(fields.Content); k += 2 {
				keys[name][fields.Content[k].Value] = true
			}
		}
	}
	return lines, keys
}
