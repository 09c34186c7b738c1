package evaluators

import (
	"bytes"
	"encoding/json"
	"sort"
	"strings"
)

// JSONAnswer is the JSON value extracted from a model's output.
type JSONAnswer struct {
	// Value is the decoded value; numbers are json.Number.
	Value any
	// Text is the JSON text that was decoded, after any repair.
	Text string
	// Repaired reports that trailing commas were removed before decoding.
	Repaired bool
}

// maxJSONCandidates bounds the start positions ExtractJSON tries, so prose
// full of braces cannot make extraction quadratic.
const maxJSONCandidates = 64

// ExtractJSON returns the first complete JSON object or array in text. When
// text has a Markdown code fence
// (```json or ```), the content of the first fence is searched first. Leading
// and trailing prose is skipped. A value that fails to decode only because of
// trailing commas before "}" or "]" (outside strings) is repaired, and
// Repaired is set. A value cut off before its closing bracket is not
// completed.
func ExtractJSON(text string) (JSONAnswer, bool) {
	if fenced, ok := firstFence(text, nil); ok {
		if ans, ok := extractJSONFrom(fenced); ok {
			return ans, true
		}
	}
	return extractJSONFrom(text)
}

func extractJSONFrom(text string) (JSONAnswer, bool) {
	tried := 0
	for i := 0; i < len(text) && tried < maxJSONCandidates; i++ {
		if text[i] != '{' && text[i] != '[' {
			continue
		}
		tried++
		end, ok := valueEnd(text, i)
		if !ok && end == len(text) {
			// The value runs to the end of the text unclosed (output cut
			// off), so every later bracket is inside it.
			break
		}
		if !ok {
			continue
		}
		if ans, ok := decodeJSON(text[i:end]); ok {
			return ans, true
		}
		// A decoded value ends the search; a failed one may hide a value
		// inside it ("{name} {"a": 1}"), so the next bracket is tried.
	}
	return JSONAnswer{}, false
}

// valueEnd returns the index just past the bracket that closes the one at
// start, skipping brackets inside strings. When there is none it returns
// false, with len(s) when the text ends first and 0 for a mismatched bracket.
func valueEnd(s string, start int) (int, bool) {
	var stack []byte
	inString, escaped := false, false
	for i := start; i < len(s); i++ {
		c := s[i]
		if inString {
			switch {
			case escaped:
				escaped = false
			case c == '\\':
				escaped = true
			case c == '"':
				inString = false
			}
			continue
		}
		switch c {
		case '"':
			inString = true
		case '{':
			stack = append(stack, '}')
		case '[':
			stack = append(stack, ']')
		case '}', ']':
			if len(stack) == 0 || stack[len(stack)-1] != c {
				return 0, false
			}
			stack = stack[:len(stack)-1]
			if len(stack) == 0 {
				return i + 1, true
			}
		}
	}
	return len(s), false
}

func decodeJSON(text string) (JSONAnswer, bool) {
	if v, err := decodeNumbers(text); err == nil {
		return JSONAnswer{Value: v, Text: text}, true
	}
	repaired := removeTrailingCommas(text)
	if repaired == text {
		return JSONAnswer{}, false
	}
	v, err := decodeNumbers(repaired)
	if err != nil {
		return JSONAnswer{}, false
	}
	return JSONAnswer{Value: v, Text: repaired, Repaired: true}, true
}

func decodeNumbers(text string) (any, error) {
	dec := json.NewDecoder(strings.NewReader(text))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, err
	}
	return v, nil
}

// removeTrailingCommas drops each comma outside strings that is followed,
// after white space, by "}" or "]".
func removeTrailingCommas(s string) string {
	var b strings.Builder
	inString, escaped := false, false
	for i := 0; i < len(s); i++ {
		c := s[i]
		if inString {
			switch {
			case escaped:
				escaped = false
			case c == '\\':
				escaped = true
			case c == '"':
				inString = false
			}
			b.WriteByte(c)
			continue
		}
		if c == '"' {
			inString = true
		}
		if c == ',' {
			rest := strings.TrimLeft(s[i+1:], " \t\r\n")
			if rest != "" && (rest[0] == '}' || rest[0] == ']') {
				continue
			}
		}
		b.WriteByte(c)
	}
	return b.String()
}

// firstFence returns the content of the first Markdown code fence whose
// info string is in langs (any fence when langs is nil). A fence that is
// never closed runs to the end of text, because output may be cut off by the
// token limit.
func firstFence(text string, langs []string) (string, bool) {
	blocks := fencedBlocks(text)
	for _, b := range blocks {
		if langs == nil {
			return b.content, true
		}
		for _, l := range langs {
			if b.lang == l {
				return b.content, true
			}
		}
	}
	return "", false
}

type fencedBlock struct {
	lang    string
	content string
}

// fencedBlocks returns the Markdown code blocks fenced with ``` (up to three
// spaces of indent), with their lowercased info-string language.
func fencedBlocks(text string) []fencedBlock {
	var blocks []fencedBlock
	lines := strings.SplitAfter(text, "\n")
	var current *fencedBlock
	var body strings.Builder
	for _, line := range lines {
		trimmed := strings.TrimLeft(line, " ")
		isFence := len(line)-len(trimmed) <= 3 && strings.HasPrefix(trimmed, "```")
		if current == nil {
			if isFence {
				info := strings.TrimSpace(strings.TrimLeft(trimmed, "`"))
				lang, _, _ := strings.Cut(info, " ")
				current = &fencedBlock{lang: strings.ToLower(lang)}
				body.Reset()
			}
			continue
		}
		if isFence && strings.TrimSpace(strings.TrimLeft(trimmed, "`")) == "" {
			current.content = body.String()
			blocks = append(blocks, *current)
			current = nil
			continue
		}
		body.WriteString(line)
	}
	if current != nil {
		current.content = body.String()
		blocks = append(blocks, *current)
	}
	return blocks
}

// flattenJSON turns a decoded object into field values. Nested objects give
// dotted names ("customer.name"). Strings stay as they are, numbers keep their
// JSON text, booleans become "true" or "false" and arrays compact JSON. Null
// fields are left out, as not extracted.
func flattenJSON(obj map[string]any) map[string]string {
	out := map[string]string{}
	flattenInto(out, "", obj)
	return out
}

func flattenInto(out map[string]string, prefix string, obj map[string]any) {
	keys := make([]string, 0, len(obj))
	for k := range obj {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		name := k
		if prefix != "" {
			name = prefix + "." + k
		}
		switch v := obj[k].(type) {
		case nil:
		case string:
			out[name] = v
		case json.Number:
			out[name] = v.String()
		case bool:
			if v {
				out[name] = "true"
			} else {
				out[name] = "false"
			}
		case map[string]any:
			flattenInto(out, name, v)
		default:
			var buf bytes.Buffer
			enc := json.NewEncoder(&buf)
			enc.SetEscapeHTML(false)
			if err := enc.Encode(v); err == nil {
				out[name] = strings.TrimSpace(buf.String())
			}
		}
	}
}
