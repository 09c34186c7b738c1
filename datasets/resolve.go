package datasets

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// Resolve loads and validates the datasets named by spec, a comma-separated
// list of:
//
//	builtin            every built-in dataset
//	builtin:NAME       one built-in dataset
//	builtin:CATEGORY   the built-in datasets of a category, e.g. builtin:code
//	FORMAT:PATH        a public benchmark file read by an importer, e.g. gsm8k:test.jsonl
//	PATH               a JSON-lines dataset (see Load), or a folder of them
//
// Datasets come back in the order of spec; a folder is read in file-name
// order and "builtin" in category order. A dataset named twice is returned
// once. Every part is checked before Resolve returns, so one call reports all
// the problems; validation problems are merged into one *ValidationError.
func Resolve(spec string) ([]*Dataset, error) {
	var parts []string
	for part := range strings.SplitSeq(spec, ",") {
		if part = strings.TrimSpace(part); part != "" {
			parts = append(parts, part)
		}
	}
	if len(parts) == 0 {
		return nil, errors.New("no datasets given: use builtin, builtin:NAME, FORMAT:PATH or the path of a dataset file")
	}

	var out []*Dataset
	var errs []error
	for _, part := range parts {
		list, err := resolvePart(part)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		out = append(out, list...)
	}
	if err := joinErrors(errs); err != nil {
		return nil, err
	}
	return dedupe(out)
}

func resolvePart(part string) ([]*Dataset, error) {
	if part == "builtin" {
		return Builtin()
	}
	if name, ok := strings.CutPrefix(part, BuiltinPrefix); ok {
		return resolveBuiltin(name)
	}
	if format, path, ok := strings.Cut(part, ":"); ok && slices.Contains(Formats(), format) {
		ds, err := Import(format, path, ImportOptions{})
		if err != nil {
			return nil, err
		}
		return []*Dataset{ds}, nil
	}

	info, err := os.Stat(part)
	if err != nil {
		return nil, fmt.Errorf("dataset %q: %w; use builtin, builtin:NAME (names: %s), FORMAT:PATH (formats: %s) or the path of a dataset file",
			part, err, strings.Join(BuiltinNames(), ", "), strings.Join(Formats(), ", "))
	}
	if info.IsDir() {
		return loadFolder(part)
	}
	ds, err := Load(part)
	if err != nil {
		return nil, err
	}
	return []*Dataset{ds}, nil
}

func resolveBuiltin(name string) ([]*Dataset, error) {
	if slices.Contains(BuiltinNames(), name) {
		ds, err := loadBuiltin(name)
		if err != nil {
			return nil, err
		}
		return []*Dataset{ds}, nil
	}
	if !validCategory(Category(name)) {
		return nil, fmt.Errorf("no built-in dataset or category %q; the built-in datasets are %s and the categories %s",
			name, strings.Join(BuiltinNames(), ", "), categoryList())
	}
	all, err := Builtin()
	if err != nil {
		return nil, err
	}
	var out []*Dataset
	for _, ds := range all {
		if ds.Manifest.Category == Category(name) {
			out = append(out, ds)
		}
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("no built-in dataset has category %s", name)
	}
	return out, nil
}

// loadFolder loads every *.jsonl file in dir, in file-name order.
func loadFolder(dir string) ([]*Dataset, error) {
	files, err := filepath.Glob(filepath.Join(dir, "*.jsonl"))
	if err != nil {
		return nil, err
	}
	if len(files) == 0 {
		return nil, fmt.Errorf("folder %s contains no *.jsonl dataset files", dir)
	}
	slices.Sort(files)
	var out []*Dataset
	var errs []error
	for _, f := range files {
		ds, err := Load(f)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		out = append(out, ds)
	}
	return out, joinErrors(errs)
}

// dedupe drops repeats of the same dataset and rejects two different
// datasets with one name, because results are keyed by dataset name.
func dedupe(list []*Dataset) ([]*Dataset, error) {
	byName := map[string]*Dataset{}
	var out []*Dataset
	for _, ds := range list {
		prev, ok := byName[ds.Manifest.Name]
		if !ok {
			byName[ds.Manifest.Name] = ds
			out = append(out, ds)
			continue
		}
		if prev.SHA256 != ds.SHA256 {
			return nil, fmt.Errorf("two different datasets are named %q (%s and %s); rename one in its manifest or with --name on import",
				ds.Manifest.Name, prev.Source, ds.Source)
		}
	}
	return out, nil
}

// joinErrors merges validation errors into one *ValidationError, so that the
// caller can list every problem; other errors are joined after it.
func joinErrors(errs []error) error {
	if len(errs) == 0 {
		return nil
	}
	merged := &problems{}
	var others []error
	for _, err := range errs {
		var ve *ValidationError
		if errors.As(err, &ve) {
			merged.merge(ve)
		} else {
			others = append(others, err)
		}
	}
	if len(others) == 0 {
		return merged.err()
	}
	if !merged.empty() {
		others = append([]error{merged.err()}, others...)
	}
	return errors.Join(others...)
}
