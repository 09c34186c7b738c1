package evaluators

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math/big"
	"sort"
	"strconv"
	"strings"
)

// jsonSchema is the subset of JSON Schema that extraction datasets use:
// type (a name or a list), required, properties, additionalProperties (false
// or a schema), items, enum and const. Other keywords are ignored, so a
// schema that relies on them (pattern, minimum, $ref) is checked only in part.
// A hand-written subset keeps the module's dependencies to those the project
// already has; no JSON Schema library is among them.
type jsonSchema struct {
	Types                []string
	Required             []string
	Properties           map[string]*jsonSchema
	AdditionalProperties *jsonSchema
	NoAdditional         bool
	Items                *jsonSchema
	Enum                 []any
	Const                any
	HasConst             bool
}

var schemaTypes = map[string]bool{
	"object": true, "array": true, "string": true, "number": true,
	"integer": true, "boolean": true, "null": true,
}

// compileSchema parses raw into a jsonSchema. An empty raw gives nil.
func compileSchema(raw json.RawMessage) (*jsonSchema, error) {
	if len(bytes.TrimSpace(raw)) == 0 {
		return nil, nil
	}
	v, err := decodeNumbers(string(raw))
	if err != nil {
		return nil, fmt.Errorf("schema is not valid JSON: %w", err)
	}
	return compileSchemaValue(v, "schema")
}

func compileSchemaValue(v any, path string) (*jsonSchema, error) {
	if b, ok := v.(bool); ok {
		if b {
			return &jsonSchema{}, nil
		}
		return nil, fmt.Errorf("%s: the schema false rejects every value", path)
	}
	obj, ok := v.(map[string]any)
	if !ok {
		return nil, fmt.Errorf("%s: a schema must be an object, not %s", path, jsonTypeName(v))
	}

	s := &jsonSchema{}
	if err := s.compileType(obj["type"], path); err != nil {
		return nil, err
	}
	if err := s.compileRequired(obj["required"], path); err != nil {
		return nil, err
	}
	if err := s.compileProperties(obj, path); err != nil {
		return nil, err
	}
	if items, ok := obj["items"]; ok {
		sub, err := compileSchemaValue(items, path+".items")
		if err != nil {
			return nil, err
		}
		s.Items = sub
	}
	if enum, ok := obj["enum"]; ok {
		list, ok := enum.([]any)
		if !ok {
			return nil, fmt.Errorf("%s.enum: must be an array", path)
		}
		s.Enum = list
	}
	if c, ok := obj["const"]; ok {
		s.Const, s.HasConst = c, true
	}
	return s, nil
}

func (s *jsonSchema) compileType(t any, path string) error {
	switch t := t.(type) {
	case nil:
	case string:
		s.Types = []string{t}
	case []any:
		for _, e := range t {
			name, ok := e.(string)
			if !ok {
				return fmt.Errorf("%s.type: list entries must be strings", path)
			}
			s.Types = append(s.Types, name)
		}
	default:
		return fmt.Errorf("%s.type: must be a string or a list of strings", path)
	}
	for _, name := range s.Types {
		if !schemaTypes[name] {
			return fmt.Errorf("%s.type: unknown type %q; use object, array, string, number, integer, boolean or null", path, name)
		}
	}
	return nil
}

func (s *jsonSchema) compileRequired(r any, path string) error {
	if r == nil {
		return nil
	}
	list, ok := r.([]any)
	if !ok {
		return fmt.Errorf("%s.required: must be an array of strings", path)
	}
	for _, e := range list {
		name, ok := e.(string)
		if !ok {
			return fmt.Errorf("%s.required: must be an array of strings", path)
		}
		s.Required = append(s.Required, name)
	}
	return nil
}

func (s *jsonSchema) compileProperties(obj map[string]any, path string) error {
	if props, ok := obj["properties"]; ok {
		m, ok := props.(map[string]any)
		if !ok {
			return fmt.Errorf("%s.properties: must be an object", path)
		}
		s.Properties = map[string]*jsonSchema{}
		for name, sub := range m {
			compiled, err := compileSchemaValue(sub, path+".properties."+name)
			if err != nil {
				return err
			}
			s.Properties[name] = compiled
		}
	}
	switch ap := obj["additionalProperties"].(type) {
	case nil:
	case bool:
		s.NoAdditional = !ap
	default:
		sub, err := compileSchemaValue(ap, path+".additionalProperties")
		if err != nil {
			return err
		}
		s.AdditionalProperties = sub
	}
	return nil
}

// validate returns the first violation of s by v, naming its JSON path
// ("$.total").
func (s *jsonSchema) validate(v any, path string) error {
	if s == nil {
		return nil
	}
	if len(s.Types) > 0 && !s.typeMatches(v) {
		return fmt.Errorf("%s: is %s, want %s", path, jsonTypeName(v), strings.Join(s.Types, " or "))
	}
	if len(s.Enum) > 0 && !containsJSON(s.Enum, v) {
		return fmt.Errorf("%s: %s is not one of the allowed values", path, compactJSON(v))
	}
	if s.HasConst && !jsonEqual(s.Const, v) {
		return fmt.Errorf("%s: must be %s", path, compactJSON(s.Const))
	}

	switch v := v.(type) {
	case map[string]any:
		return s.validateObject(v, path)
	case []any:
		if s.Items != nil {
			for i, e := range v {
				if err := s.Items.validate(e, fmt.Sprintf("%s[%d]", path, i)); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

func (s *jsonSchema) validateObject(obj map[string]any, path string) error {
	for _, name := range s.Required {
		if _, ok := obj[name]; !ok {
			return fmt.Errorf("%s: required property %q is missing", path, name)
		}
	}
	names := make([]string, 0, len(obj))
	for name := range obj {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		sub, known := s.Properties[name]
		switch {
		case known:
		case s.NoAdditional:
			return fmt.Errorf("%s: property %q is not allowed", path, name)
		default:
			sub = s.AdditionalProperties
		}
		if err := sub.validate(obj[name], path+"."+name); err != nil {
			return err
		}
	}
	return nil
}

func (s *jsonSchema) typeMatches(v any) bool {
	got := jsonTypeName(v)
	for _, t := range s.Types {
		if t == got || t == "number" && got == "integer" {
			return true
		}
	}
	return false
}

// jsonTypeName returns the JSON Schema type of a decoded value. A number
// without a fractional part is "integer".
func jsonTypeName(v any) string {
	switch v := v.(type) {
	case nil:
		return "null"
	case bool:
		return "boolean"
	case string:
		return "string"
	case json.Number:
		if r, ok := numberRat(v); ok && r.IsInt() {
			return "integer"
		}
		return "number"
	case []any:
		return "array"
	case map[string]any:
		return "object"
	}
	return fmt.Sprintf("%T", v)
}

func containsJSON(list []any, v any) bool {
	for _, e := range list {
		if jsonEqual(e, v) {
			return true
		}
	}
	return false
}

// jsonEqual compares two decoded values; numbers compare by value, so 1 and
// 1.0 are equal.
func jsonEqual(a, b any) bool {
	na, aNum := a.(json.Number)
	nb, bNum := b.(json.Number)
	if aNum && bNum {
		ra, ok1 := numberRat(na)
		rb, ok2 := numberRat(nb)
		if ok1 && ok2 {
			return ra.Cmp(rb) == 0
		}
		return na.String() == nb.String()
	}
	return compactJSON(a) == compactJSON(b)
}

// maxExponent bounds the exponent numberRat accepts, because big.Rat expands
// "1e999999999" to all its digits.
const maxExponent = 400

// numberRat returns n as an exact rational, or false when its exponent is
// beyond maxExponent.
func numberRat(n json.Number) (*big.Rat, bool) {
	s := n.String()
	if i := strings.IndexAny(s, "eE"); i >= 0 {
		exp, err := strconv.Atoi(strings.TrimPrefix(s[i+1:], "+"))
		if err != nil || exp > maxExponent || exp < -maxExponent {
			return nil, false
		}
	}
	return new(big.Rat).SetString(s)
}

func compactJSON(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	if len(b) > 80 {
		return string(b[:77]) + "..."
	}
	return string(b)
}
