package datasets

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"unicode/utf8"
)

// ImportOptions adjust how Import converts a file. The zero value gives the
// defaults of each format.
type ImportOptions struct {
	// Name is the dataset name. Empty derives it from the file name, and puts
	// the folder name in front of a generic split name such as test.csv.
	Name string

	// TextColumn is the csv column holding the text; empty means "text".
	TextColumn string
	// LabelColumn is the csv column holding the label; empty means "label",
	// or "category" when there is no "label" column.
	LabelColumn string
	// LabelsFile lists the label set for csv: a JSON array of strings or one
	// label a line. Empty means the distinct labels of the file, sorted.
	LabelsFile string

	// LabelNames are the names of the sst labels 0, 1, ...; empty means
	// negative, positive.
	LabelNames []string

	// Limit keeps only the first Limit items; 0 keeps all.
	Limit int

	// NumPredict overrides the format's default maximum number of tokens to
	// generate per item.
	NumPredict int
}

// importer converts the bytes of file into a dataset. It reports problems to p
// and returns a dataset whose manifest has a name and defaults set.
type importer func(file string, data []byte, opts ImportOptions, p *problems) *Dataset

var importers = map[string]importer{
	"csv":       importCSV,
	"gsm8k":     importGSM8K,
	"humaneval": importHumanEval,
	"mbpp":      importMBPP,
	"spans":     importSpans,
	"sst":       importSST,
}

// Formats returns the names of the import formats, sorted.
func Formats() []string {
	names := sortedKeys(importers)
	return names
}

// maxImportBytes is the largest input an importer reads, after gzip
// decompression, so that a small compressed file cannot expand without bound.
const maxImportBytes = 512 << 20

// Import reads a public benchmark file in the given format and returns it as a
// validated dataset whose Source is "FORMAT:PATH". A file compressed with gzip
// is decompressed first, whatever its name. Problems name the file and line
// (or the item index of a JSON array) and are returned as a *ValidationError.
func Import(format, path string, opts ImportOptions) (*Dataset, error) {
	imp, ok := importers[format]
	if !ok {
		return nil, fmt.Errorf("unknown import format %q; use one of %s", format, strings.Join(Formats(), ", "))
	}
	raw, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("import %s: %w; check the path", format, err)
	}
	ds, err := importBytes(format, imp, path, raw, opts)
	if err != nil {
		return nil, err
	}
	ds.Source = format + ":" + path
	return ds, nil
}

func importBytes(format string, imp importer, path string, raw []byte, opts ImportOptions) (*Dataset, error) {
	p := &problems{file: path}
	data, err := decompress(raw)
	if err != nil {
		p.add(0, "", "%v", err)
		return nil, p.err()
	}
	if opts.Name == "" {
		opts.Name = defaultName(format, path)
	}
	if !nameRE.MatchString(opts.Name) {
		return nil, fmt.Errorf("invalid dataset name %q: use letters, digits, '.', '_' and '-', starting with a letter or digit", opts.Name)
	}
	if opts.Limit < 0 {
		return nil, fmt.Errorf("invalid limit %d: use 0 for all items or a positive count", opts.Limit)
	}

	ds := imp(path, data, opts, p)
	if !p.empty() {
		return nil, p.err()
	}
	if opts.NumPredict > 0 {
		ds.Manifest.NumPredict = opts.NumPredict
	}
	return finishImport(path, ds)
}

// decompress returns data, gunzipped when it starts with the gzip magic bytes.
func decompress(data []byte) ([]byte, error) {
	if !bytes.HasPrefix(data, []byte{0x1f, 0x8b}) {
		return data, nil
	}
	zr, err := gzip.NewReader(bytes.NewReader(data))
	if err != nil {
		return nil, fmt.Errorf("invalid gzip data: %v", err)
	}
	out, err := io.ReadAll(io.LimitReader(zr, maxImportBytes+1))
	if err != nil {
		return nil, fmt.Errorf("invalid gzip data: %v", err)
	}
	if len(out) > maxImportBytes {
		return nil, fmt.Errorf("the file decompresses to more than %d bytes", maxImportBytes)
	}
	return out, nil
}

// finishImport validates an imported dataset like a loaded one, reporting
// item problems at their lines in the source file, and computes its SHA256.
func finishImport(path string, ds *Dataset) (*Dataset, error) {
	schema, err := canonicalSchema(ds.Manifest.Schema)
	if err != nil {
		return nil, fmt.Errorf("%s: schema %v", path, err)
	}
	ds.Manifest.Schema = schema

	p := &problems{file: path}
	d := &decodedManifest{Manifest: ds.Manifest, keyLines: map[string]int{}}
	for _, key := range manifestKeys() {
		d.keyLines[key] = 0
	}
	validateManifest(d, p)
	checkItems(&ds.Manifest, ds.Items, p)
	if len(ds.Items) == 0 && p.empty() {
		p.add(0, "", "no items found; check the format and the file")
	}
	if err := p.err(); err != nil {
		return nil, err
	}

	sum, err := computeSHA256(&ds.Manifest, ds.Items)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	ds.SHA256 = sum
	return ds, nil
}

// genericSplits are file names that do not name the dataset, so the folder
// name is put in front of them.
var genericSplits = []string{"test", "train", "dev", "val", "valid", "validation", "data", "dataset"}

var nameCharRE = regexp.MustCompile(`[^a-z0-9._-]+`)

// defaultName derives a dataset name from a file path: banking77/test.csv
// gives banking77-test, HumanEval.jsonl.gz gives humaneval.
func defaultName(format, path string) string {
	name := clean(strings.TrimSuffix(filepath.Base(path), ".gz"))
	if slices.Contains(genericSplits, name) {
		if dir := clean(filepath.Base(filepath.Dir(path))); dir != "" && dir != "." {
			name = dir + "-" + name
		}
	}
	if name == "" || !nameRE.MatchString(name) {
		return format
	}
	return name
}

func clean(base string) string {
	base = strings.TrimSuffix(base, filepath.Ext(base))
	base = nameCharRE.ReplaceAllString(strings.ToLower(base), "-")
	return strings.Trim(base, "-._")
}

// checkUTF8 reports the first invalid UTF-8 byte of data, for the formats
// that are not read line by line.
func checkUTF8(data []byte, p *problems) bool {
	if utf8.Valid(data) {
		return true
	}
	offset := invalidUTF8Offset(data)
	line := lineAt(data, offset)
	column := offset - bytes.LastIndexByte(data[:offset], '\n')
	p.add(line, "", "invalid UTF-8 at byte %d of the line; convert the file to UTF-8", column)
	return false
}

// eachLine calls fn with each non-blank line of data and its 1-based line
// number, after checking the line's length and encoding. fn returns false to
// stop.
func eachLine(data []byte, p *problems, fn func(line int, text []byte) bool) {
	data = bytes.TrimPrefix(data, utf8BOM)
	line := 0
	for len(data) > 0 {
		text, rest, _ := bytes.Cut(data, []byte("\n"))
		data = rest
		line++

		text = bytes.TrimRight(text, "\r")
		if len(bytes.TrimSpace(text)) == 0 {
			continue
		}
		if len(text) > MaxLineBytes {
			p.add(line, "", "the line is %d bytes, over the limit of %d bytes; check that the file is in this format", len(text), MaxLineBytes)
			continue
		}
		if !utf8.Valid(text) {
			p.add(line, "", "invalid UTF-8 at byte %d; convert the file to UTF-8", invalidUTF8Offset(text)+1)
			continue
		}
		if !fn(line, text) {
			return
		}
	}
}

// limitReached reports whether items already holds opts.Limit items.
func limitReached(items []Item, opts ImportOptions) bool {
	return opts.Limit > 0 && len(items) >= opts.Limit
}
