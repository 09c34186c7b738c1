package datasets

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"reflect"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"
)

// manifestDoc is the YAML form of a Manifest. Its schema is any YAML value (a
// mapping, or a string holding JSON), converted to JSON after decoding.
type manifestDoc struct {
	Manifest `yaml:",inline"`
	Schema   yaml.Node `yaml:"schema,omitempty"`
}

// decodedManifest is a manifest with the positions needed for error messages.
type decodedManifest struct {
	Manifest Manifest
	// keyLines maps each top-level key to its line in the file.
	keyLines map[string]int
	// startLine is the line where the manifest starts, used for missing keys.
	startLine int
}

// line returns the line of key, or the first line of the manifest when the
// key is absent.
func (d *decodedManifest) line(key string) int {
	if l, ok := d.keyLines[key]; ok {
		return l
	}
	return d.startLine
}

func (d *decodedManifest) has(key string) bool {
	_, ok := d.keyLines[key]
	return ok
}

var (
	yamlLineRE       = regexp.MustCompile(`line (\d+)`)
	yamlLinePrefixRE = regexp.MustCompile(`^line \d+: `)
	yamlUnknownKeyRE = regexp.MustCompile(`^line (\d+): field (.+) not found in type`)
)

// decodeManifest parses a YAML manifest. offset is added to YAML line numbers,
// so that a header at the top of a JSON-lines file reports the file's lines.
// Problems go to p; the result is nil when the manifest cannot be decoded.
func decodeManifest(data []byte, offset int, p *problems) *decodedManifest {
	start := offset + 1
	var root yaml.Node
	err := yaml.Unmarshal(data, &root)
	if err != nil {
		p.add(yamlErrorLine(err.Error(), offset, start), "", "invalid manifest YAML: %s", yamlMessage(err.Error()))
		return nil
	}
	if root.Kind == 0 || len(root.Content) == 0 {
		p.add(start, "", "the manifest is empty; it needs at least name, category, template and num_predict")
		return nil
	}
	body := root.Content[0]
	if body.Kind != yaml.MappingNode {
		p.add(body.Line+offset, "", "the manifest must be a YAML mapping of keys (name, category, template, ...)")
		return nil
	}

	d := &decodedManifest{keyLines: map[string]int{}, startLine: start}
	for i := 0; i+1 < len(body.Content); i += 2 {
		key := body.Content[i]
		d.keyLines[key.Value] = key.Line + offset
	}

	var doc manifestDoc
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	err = dec.Decode(&doc)
	if err != nil {
		reportYAMLDecodeError(err, d, offset, p)
		// A type error (an unknown key, a wrong type) still decodes the other
		// keys, so the rest of the file is checked too and every problem is
		// reported in one pass.
		var typeErr *yaml.TypeError
		if !errors.As(err, &typeErr) {
			return nil
		}
	}
	d.Manifest = doc.Manifest

	schema, err := schemaFromNode(&doc.Schema)
	if err != nil {
		p.add(d.line("schema"), "schema", "%v", err)
	}
	d.Manifest.Schema = schema
	return d
}

// reportYAMLDecodeError turns the decoder's messages into FieldErrors naming
// the key and line.
func reportYAMLDecodeError(err error, d *decodedManifest, offset int, p *problems) {
	var typeErr *yaml.TypeError
	if !errors.As(err, &typeErr) {
		p.add(yamlErrorLine(err.Error(), offset, d.startLine), "", "invalid manifest YAML: %s", yamlMessage(err.Error()))
		return
	}
	for _, msg := range typeErr.Errors {
		if m := yamlUnknownKeyRE.FindStringSubmatch(msg); m != nil {
			line, _ := strconv.Atoi(m[1])
			p.add(line+offset, m[2], "unknown manifest key; the known keys are %s", strings.Join(manifestKeys(), ", "))
			continue
		}
		line := yamlErrorLine(msg, offset, d.startLine)
		p.add(line, d.keyAt(line), "%s", yamlLinePrefixRE.ReplaceAllString(msg, ""))
	}
}

// keyAt returns the top-level key whose value contains line: the last key
// that starts at or before it.
func (d *decodedManifest) keyAt(line int) string {
	best, bestLine := "", -1
	for k, l := range d.keyLines {
		if l <= line && l > bestLine {
			best, bestLine = k, l
		}
	}
	return best
}

// yamlErrorLine returns the file line of a YAML error message. The YAML
// parser (go.yaml.in/yaml/v3 v3.0.6) numbers lines from 0 in its "did not
// find expected ..." errors and from 1 elsewhere, so those get one added.
func yamlErrorLine(msg string, offset, fallback int) int {
	m := yamlLineRE.FindStringSubmatch(msg)
	if m == nil {
		return fallback
	}
	n, err := strconv.Atoi(m[1])
	if err != nil {
		return fallback
	}
	if strings.Contains(msg, "did not find expected") {
		n++
	}
	return n + offset
}

// yamlMessage strips the "yaml: " and "line N: " prefixes, because the
// FieldError gives the file line.
func yamlMessage(msg string) string {
	msg = strings.TrimPrefix(msg, "yaml: ")
	return yamlLinePrefixRE.ReplaceAllString(msg, "")
}

// manifestKeys lists the YAML keys of a manifest, in declaration order.
func manifestKeys() []string {
	var keys []string
	t := reflect.TypeFor[Manifest]()
	for i := range t.NumField() {
		tag := strings.Split(t.Field(i).Tag.Get("yaml"), ",")[0]
		if tag == "" || tag == "-" {
			continue
		}
		keys = append(keys, tag)
	}
	return append(keys, "schema")
}

// Limits of a schema converted from YAML, so that an alias-heavy document
// cannot expand without bound.
const (
	maxSchemaDepth = 64
	maxSchemaNodes = 100_000
)

// schemaFromNode converts the manifest's schema value to compact JSON, keeping
// the order of mapping keys. A string holding a JSON object is parsed. The
// string "json", which requests any JSON value from Ollama, is kept as a
// JSON string.
func schemaFromNode(n *yaml.Node) (json.RawMessage, error) {
	if n.Kind == 0 || (n.Kind == yaml.ScalarNode && n.ShortTag() == "!!null") {
		return nil, nil
	}
	if n.Kind == yaml.ScalarNode && n.ShortTag() == "!!str" {
		text := strings.TrimSpace(n.Value)
		if text == "json" {
			return json.RawMessage(`"json"`), nil
		}
		return canonicalSchema(json.RawMessage(text))
	}
	if n.Kind != yaml.MappingNode {
		return nil, errors.New(`must be a JSON schema object (as a YAML mapping or a JSON string) or the string "json"`)
	}
	var buf bytes.Buffer
	budget := maxSchemaNodes
	if err := writeJSONNode(&buf, n, 0, &budget); err != nil {
		return nil, err
	}
	return json.RawMessage(buf.Bytes()), nil
}

// canonicalSchema rewrites a JSON schema in the form a manifest round trip
// produces, so that a dataset's SHA256 does not depend on how it was written.
func canonicalSchema(raw json.RawMessage) (json.RawMessage, error) {
	if len(raw) == 0 {
		return nil, nil
	}
	if string(raw) == `"json"` {
		return raw, nil
	}
	if !json.Valid(raw) {
		return nil, errors.New(`is not valid JSON; give a JSON schema object or the string "json"`)
	}
	var node yaml.Node
	if err := yaml.Unmarshal(raw, &node); err != nil {
		return nil, fmt.Errorf("cannot be read: %v", err)
	}
	if len(node.Content) == 0 || node.Content[0].Kind != yaml.MappingNode {
		return nil, errors.New(`must be a JSON schema object or the string "json"`)
	}
	var buf bytes.Buffer
	budget := maxSchemaNodes
	if err := writeJSONNode(&buf, node.Content[0], 0, &budget); err != nil {
		return nil, err
	}
	return json.RawMessage(buf.Bytes()), nil
}

func writeJSONNode(w *bytes.Buffer, n *yaml.Node, depth int, budget *int) error {
	*budget--
	if *budget < 0 {
		return fmt.Errorf("is larger than %d values", maxSchemaNodes)
	}
	if depth > maxSchemaDepth {
		return fmt.Errorf("is nested deeper than %d levels", maxSchemaDepth)
	}
	switch n.Kind {
	case yaml.DocumentNode:
		if len(n.Content) == 0 {
			w.WriteString("null")
			return nil
		}
		return writeJSONNode(w, n.Content[0], depth, budget)
	case yaml.AliasNode:
		return writeJSONNode(w, n.Alias, depth+1, budget)
	case yaml.MappingNode:
		return writeJSONMapping(w, n, depth, budget)
	case yaml.SequenceNode:
		w.WriteByte('[')
		for i, c := range n.Content {
			if i > 0 {
				w.WriteByte(',')
			}
			if err := writeJSONNode(w, c, depth+1, budget); err != nil {
				return err
			}
		}
		w.WriteByte(']')
		return nil
	case yaml.ScalarNode:
		return writeJSONScalar(w, n)
	}
	return fmt.Errorf("line %d: unsupported YAML value", n.Line)
}

func writeJSONMapping(w *bytes.Buffer, n *yaml.Node, depth int, budget *int) error {
	w.WriteByte('{')
	for i := 0; i+1 < len(n.Content); i += 2 {
		key := n.Content[i]
		if key.Kind != yaml.ScalarNode || key.Value == "<<" {
			return fmt.Errorf("line %d: keys must be plain strings (merge keys are not supported)", key.Line)
		}
		if i > 0 {
			w.WriteByte(',')
		}
		writeJSONString(w, key.Value)
		w.WriteByte(':')
		if err := writeJSONNode(w, n.Content[i+1], depth+1, budget); err != nil {
			return err
		}
	}
	w.WriteByte('}')
	return nil
}

func writeJSONScalar(w *bytes.Buffer, n *yaml.Node) error {
	switch n.ShortTag() {
	case "!!null":
		w.WriteString("null")
		return nil
	case "!!bool", "!!int", "!!float":
		var v any
		if err := n.Decode(&v); err != nil {
			return fmt.Errorf("line %d: %v", n.Line, err)
		}
		if f, ok := v.(float64); ok && (math.IsInf(f, 0) || math.IsNaN(f)) {
			return fmt.Errorf("line %d: %s is not a JSON number", n.Line, n.Value)
		}
		b, err := json.Marshal(v)
		if err != nil {
			return fmt.Errorf("line %d: %v", n.Line, err)
		}
		w.Write(b)
		return nil
	}
	writeJSONString(w, n.Value)
	return nil
}

func writeJSONString(w *bytes.Buffer, s string) {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(s) // encoding a string cannot fail
	w.Truncate(w.Len() - 1)
}

// encodeManifest writes m as YAML, with the schema as a flow mapping in the
// key order of m.Schema.
func encodeManifest(w io.Writer, m *Manifest) error {
	doc := manifestDoc{Manifest: *m}
	if len(m.Schema) > 0 {
		var node yaml.Node
		if err := yaml.Unmarshal(m.Schema, &node); err != nil {
			return fmt.Errorf("dataset %s: schema: %v", m.Name, err)
		}
		doc.Schema = *node.Content[0]
	}
	enc := yaml.NewEncoder(w)
	enc.SetIndent(2)
	if err := enc.Encode(&doc); err != nil {
		return fmt.Errorf("dataset %s: encode manifest: %v", m.Name, err)
	}
	return enc.Close()
}

// sortedKeys returns the keys of m in sorted order.
func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
