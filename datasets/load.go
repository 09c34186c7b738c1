package datasets

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"unicode/utf8"
)

// MaxLineBytes is the longest item line accepted, so that a file that is not
// JSON lines (a single-line JSON array, a binary file) fails with a clear
// message instead of being decoded as one huge item.
const MaxLineBytes = 1 << 20

// maxManifestBytes is the largest manifest file accepted.
const maxManifestBytes = 1 << 20

var utf8BOM = []byte("\xef\xbb\xbf")

// manifestFile is a manifest read from its own file.
type manifestFile struct {
	path string
	data []byte
}

// Load reads a dataset from a JSON-lines file and its manifest, and validates
// both. The manifest is found, in this order:
//
//   - a YAML header at the top of the file: a first line "---", the manifest,
//     and a closing line "---" (items follow on the next line);
//   - NAME.yaml or NAME.yml beside NAME.jsonl;
//   - manifest.yaml or manifest.yml in the same folder.
//
// A file with a header must not also have NAME.yaml beside it. When path names
// the manifest (NAME.yaml), the items are read from NAME.jsonl beside it.
// Problems are returned as a *ValidationError. FORMAT.md in this folder
// describes the file format.
func Load(path string) (*Dataset, error) {
	itemsPath := path
	if ext := filepath.Ext(path); ext == ".yaml" || ext == ".yml" {
		itemsPath = strings.TrimSuffix(path, ext) + ".jsonl"
	}
	data, err := os.ReadFile(itemsPath)
	if err != nil {
		return nil, fmt.Errorf("read dataset: %w; check the path", err)
	}

	base := strings.TrimSuffix(itemsPath, filepath.Ext(itemsPath))
	beside := []string{base + ".yaml", base + ".yml"}
	folder := []string{filepath.Join(filepath.Dir(itemsPath), "manifest.yaml"), filepath.Join(filepath.Dir(itemsPath), "manifest.yml")}

	var mf *manifestFile
	if hasHeader(data) {
		if found, _ := findManifest(os.ReadFile, beside); found != nil {
			return nil, &ValidationError{Errors: []*FieldError{{File: itemsPath, Line: 1,
				Message: fmt.Sprintf("the file has a manifest header and %s is beside it; keep one of the two", found.path)}}}
		}
	} else {
		mf, err = findManifest(os.ReadFile, append(beside, folder...))
		if err != nil {
			return nil, err
		}
		if mf == nil {
			return nil, &ValidationError{Errors: []*FieldError{{File: itemsPath, Line: 1,
				Message: fmt.Sprintf("no manifest found: start the file with a YAML header between two --- lines, or put %s or manifest.yaml beside it", filepath.Base(beside[0]))}}}
		}
	}

	ds, err := parse(itemsPath, data, mf)
	if err != nil {
		return nil, err
	}
	ds.Source = path
	return ds, nil
}

// findManifest reads the first candidate that exists. It returns nil, nil
// when none does.
func findManifest(read func(string) ([]byte, error), candidates []string) (*manifestFile, error) {
	for _, c := range candidates {
		data, err := read(c)
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("read manifest: %w", err)
		}
		if len(data) > maxManifestBytes {
			return nil, &ValidationError{Errors: []*FieldError{{File: c, Message: fmt.Sprintf("the manifest is larger than %d bytes", maxManifestBytes)}}}
		}
		return &manifestFile{path: c, data: data}, nil
	}
	return nil, nil
}

// hasHeader reports whether data starts with a "---" line.
func hasHeader(data []byte) bool {
	first, _, _ := bytes.Cut(bytes.TrimPrefix(data, utf8BOM), []byte("\n"))
	return string(bytes.TrimRight(first, "\r")) == "---"
}

// splitHeader separates a header from the items. header is the YAML between
// the two "---" lines; rest starts on line restLine of the file.
func splitHeader(data []byte) (header, rest []byte, restLine int, ok bool) {
	_, after, found := bytes.Cut(data, []byte("\n"))
	if !found {
		return nil, nil, 0, false
	}
	line := 2
	pos := 0
	for pos <= len(after) {
		end := bytes.IndexByte(after[pos:], '\n')
		var text []byte
		next := len(after) + 1
		if end >= 0 {
			text = after[pos : pos+end]
			next = pos + end + 1
		} else {
			text = after[pos:]
		}
		if t := string(bytes.TrimRight(text, "\r")); t == "---" || t == "..." {
			if next > len(after) {
				return after[:pos], nil, line + 1, true
			}
			return after[:pos], after[next:], line + 1, true
		}
		pos = next
		line++
	}
	return nil, nil, 0, false
}

// parse reads the items in data (the file named file) and validates them
// with the manifest, taken from data's header or from mf.
func parse(file string, data []byte, mf *manifestFile) (*Dataset, error) {
	data = bytes.TrimPrefix(data, utf8BOM)
	p := &problems{file: file}

	var d *decodedManifest
	body, bodyLine := data, 1
	switch {
	case hasHeader(data):
		header, rest, restLine, ok := splitHeader(data)
		if !ok {
			p.add(1, "", "the manifest header opened by --- on line 1 is not closed; end it with a line that contains only ---")
			return nil, p.err()
		}
		if len(header) > maxManifestBytes {
			p.add(1, "", "the manifest header is larger than %d bytes", maxManifestBytes)
			return nil, p.err()
		}
		d = decodeManifest(header, 1, p)
		if d != nil {
			validateManifest(d, p)
		}
		body, bodyLine = rest, restLine
	case mf != nil:
		mp := &problems{file: mf.path}
		d = decodeManifest(bytes.TrimPrefix(mf.data, utf8BOM), 0, mp)
		if d != nil {
			validateManifest(d, mp)
		}
		p.merge(&mp.list)
	default:
		p.add(1, "", "no manifest: start the file with a YAML header between two --- lines")
		return nil, p.err()
	}

	items := decodeItems(body, bodyLine, p)
	if d == nil {
		return nil, p.err()
	}
	checkItems(&d.Manifest, items, p)
	if len(items) == 0 && p.empty() {
		p.add(0, "", "the dataset has no items; add one JSON object a line after the manifest")
	}
	if err := p.err(); err != nil {
		return nil, err
	}

	ds := &Dataset{Manifest: d.Manifest, Items: items, Source: file}
	sum, err := computeSHA256(&ds.Manifest, ds.Items)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", file, err)
	}
	ds.SHA256 = sum
	return ds, nil
}

// decodeItems decodes one item a line. Blank lines are skipped; first is the
// file line of body's first line.
func decodeItems(body []byte, first int, p *problems) []Item {
	var items []Item
	line := first
	for len(body) > 0 {
		text, rest, _ := bytes.Cut(body, []byte("\n"))
		body = rest
		n := line
		line++

		text = bytes.TrimRight(text, "\r")
		if len(bytes.TrimSpace(text)) == 0 {
			continue
		}
		if len(text) > MaxLineBytes {
			p.add(n, "", "the line is %d bytes, over the limit of %d bytes; shorten the item or check that the file is JSON lines", len(text), MaxLineBytes)
			continue
		}
		if !utf8.Valid(text) {
			p.add(n, "", "invalid UTF-8 at byte %d; save the file as UTF-8", invalidUTF8Offset(text)+1)
			continue
		}
		it, ok := decodeItem(text, n, p)
		if ok {
			items = append(items, it)
		}
	}
	return items
}

func invalidUTF8Offset(b []byte) int {
	for i := 0; i < len(b); {
		r, size := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && size <= 1 {
			return i
		}
		i += size
	}
	return len(b)
}

const itemFieldsHint = "an item has id, input and expected; expected has label, fields, number, tests, entry_point or constraints"

// decodeItem decodes one line into an Item and reports JSON problems.
func decodeItem(text []byte, line int, p *problems) (Item, bool) {
	dec := json.NewDecoder(bytes.NewReader(text))
	dec.DisallowUnknownFields()
	var it Item
	if err := dec.Decode(&it); err != nil {
		fe := jsonLineError(p.file, line, err)
		if fe.Field == "input" {
			if key := nonStringInput(text); key != "" {
				fe.Field = "input." + key
			}
		}
		p.addError(fe)
		return it, false
	}
	if rest := bytes.TrimSpace(text[dec.InputOffset():]); len(rest) > 0 {
		p.add(line, "", "invalid JSON: extra text after the object at byte %d; put one item a line", dec.InputOffset()+1)
		return it, false
	}
	it.Line = line
	return it, true
}

// nonStringInput names the first input key, in sorted order, whose value is
// not a JSON string, for a clearer message than encoding/json gives for maps.
func nonStringInput(text []byte) string {
	var loose struct {
		Input map[string]any `json:"input"`
	}
	if json.Unmarshal(text, &loose) != nil {
		return ""
	}
	for _, k := range sortedKeys(loose.Input) {
		if _, ok := loose.Input[k].(string); !ok {
			return k
		}
	}
	return ""
}

// jsonLineError turns an encoding/json error into a FieldError.
func jsonLineError(file string, line int, err error) *FieldError {
	fe := &FieldError{File: file, Line: line}
	var syntax *json.SyntaxError
	var typeErr *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syntax):
		fe.Message = fmt.Sprintf("invalid JSON at byte %d: %s; each line must be one complete JSON object", syntax.Offset, strings.TrimPrefix(syntax.Error(), "json: "))
	case errors.Is(err, io.ErrUnexpectedEOF):
		fe.Message = "invalid JSON: the object ends before its closing brace; each item must be one JSON object on one line"
	case errors.As(err, &typeErr):
		if typeErr.Field == "" {
			fe.Message = fmt.Sprintf("each line must be a JSON object, got a JSON %s", typeErr.Value)
		} else {
			fe.Field = typeErr.Field
			fe.Message = fmt.Sprintf("must be a JSON %s, got a JSON %s", jsonKind(typeErr.Type), typeErr.Value)
		}
	case strings.HasPrefix(err.Error(), `json: unknown field "`):
		fe.Field = strings.TrimSuffix(strings.TrimPrefix(err.Error(), `json: unknown field "`), `"`)
		fe.Message = "unknown field; " + itemFieldsHint
	default:
		fe.Message = fmt.Sprintf("invalid JSON: %s", strings.TrimPrefix(err.Error(), "json: "))
	}
	return fe
}

// jsonKind names the JSON type that decodes into t.
func jsonKind(t reflect.Type) string {
	if t == nil {
		return "value"
	}
	switch t.Kind() {
	case reflect.String:
		return "string"
	case reflect.Bool:
		return "boolean"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return "integer"
	case reflect.Float32, reflect.Float64:
		return "number"
	case reflect.Slice, reflect.Array:
		return "array"
	case reflect.Map, reflect.Struct:
		return "object"
	case reflect.Pointer:
		return jsonKind(t.Elem())
	}
	return t.String()
}

// maxRenderReports is how many items are listed for one missing input key
// before the rest are only counted.
const maxRenderReports = 3

// checkItems validates each item against the manifest, checks that ids are
// unique and renders the templates on every item. Checks that need a valid
// part of the manifest (category, label set, templates) are left out when
// that part is invalid, because the manifest's own errors report it.
func checkItems(m *Manifest, items []Item, p *problems) {
	seen := map[string]int{}
	missing := map[string]int{}
	render := templatesParse(m)
	properties := schemaProperties(m)
	for i := range items {
		it := &items[i]
		if it.ID != "" {
			if prev, dup := seen[it.ID]; dup {
				p.add(it.Line, "id", "duplicate id %q, first used on line %d; give every item a unique id", it.ID, prev)
			} else {
				seen[it.ID] = it.Line
			}
		}
		validateItem(m, it, p)
		checkSchemaFields(properties, it, p)
		if render {
			checkRender(m, it, missing, p)
		}
	}
	for _, key := range sortedKeys(missing) {
		if n := missing[key] - maxRenderReports; n > 0 {
			p.add(0, "input", "%d more items have no input key %q that the template references", n, key)
		}
	}
}

func templatesParse(m *Manifest) bool {
	if _, err := parseTemplate("template", m.Template); err != nil || strings.TrimSpace(m.Template) == "" {
		return false
	}
	if m.System != "" {
		if _, err := parseTemplate("system", m.System); err != nil {
			return false
		}
	}
	return true
}

func checkRender(m *Manifest, it *Item, missing map[string]int, p *problems) {
	_, prompt, err := Render(m, it)
	if err == nil {
		// Ollama answers an empty prompt by loading the model and generating
		// nothing, which would be scored as a wrong answer.
		if strings.TrimSpace(prompt) == "" {
			p.add(it.Line, "template", "renders an empty prompt for this item; check the template and the item's input values")
		}
		return
	}
	var re *RenderError
	if !errors.As(err, &re) {
		p.add(it.Line, "template", "%v", err)
		return
	}
	if re.MissingKey == "" {
		p.add(it.Line, re.Template, "cannot be rendered for this item: %v", re.Err)
		return
	}
	missing[re.MissingKey]++
	if missing[re.MissingKey] <= maxRenderReports {
		p.add(it.Line, "input", "the %s references {{.%s}} but the item's input has no key %q; add it to the item or change the %s",
			re.Template, re.MissingKey, re.MissingKey, re.Template)
	}
}

// shaVersion starts the hashed text, so that a change of canonical form
// changes every digest instead of colliding with old ones.
const shaVersion = "quantbench-dataset-v1\n"

// computeSHA256 returns the hex SHA-256 of the dataset's canonical form: the
// manifest as JSON, then each item as one JSON line (HTML characters not
// escaped, map keys sorted). The digest depends on the content only, so
// reformatting a file, moving its manifest into a header or writing a
// snapshot keeps it.
func computeSHA256(m *Manifest, items []Item) (string, error) {
	h := sha256.New()
	h.Write([]byte(shaVersion))
	if err := encodeJSONLine(h, m); err != nil {
		return "", fmt.Errorf("encode manifest: %w", err)
	}
	for i := range items {
		if err := encodeJSONLine(h, &items[i]); err != nil {
			return "", fmt.Errorf("encode item %q: %w", items[i].ID, err)
		}
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// encodeJSONLine writes v as one line of JSON.
func encodeJSONLine(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}
