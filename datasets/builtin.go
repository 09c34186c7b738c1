package datasets

import (
	"embed"
	"fmt"
	"io/fs"
	"path"
	"slices"
	"strings"
)

// builtinFS holds the built-in datasets: pairs of NAME.yaml (manifest) and
// NAME.jsonl (items) at the top of the builtin folder. Other files there, and
// subfolders such as the generator's sources, are ignored.
//
//go:embed builtin/*.yaml builtin/*.jsonl
var builtinFS embed.FS

const builtinDir = "builtin"

// BuiltinPrefix starts the source of a built-in dataset: "builtin:NAME".
const BuiltinPrefix = "builtin:"

// BuiltinNames returns the names of the built-in datasets, sorted. A name is
// the base name of a NAME.jsonl file in the builtin folder.
func BuiltinNames() []string {
	entries, err := fs.ReadDir(builtinFS, builtinDir)
	if err != nil {
		return nil
	}
	var names []string
	for _, e := range entries {
		if !e.IsDir() && path.Ext(e.Name()) == ".jsonl" {
			names = append(names, strings.TrimSuffix(e.Name(), ".jsonl"))
		}
	}
	slices.Sort(names)
	return names
}

// Builtin loads and validates every built-in dataset, ordered by category (in
// the order of Categories) and then by name.
func Builtin() ([]*Dataset, error) {
	if err := checkBuiltinPairs(); err != nil {
		return nil, err
	}
	var out []*Dataset
	for _, name := range BuiltinNames() {
		ds, err := loadBuiltin(name)
		if err != nil {
			return nil, err
		}
		out = append(out, ds)
	}
	sortByCategory(out)
	return out, nil
}

// checkBuiltinPairs reports a manifest without items, which would otherwise
// be silently skipped.
func checkBuiltinPairs() error {
	entries, err := fs.ReadDir(builtinFS, builtinDir)
	if err != nil {
		return fmt.Errorf("read built-in datasets: %w", err)
	}
	have := map[string]bool{}
	for _, e := range entries {
		have[e.Name()] = true
	}
	for _, e := range entries {
		ext := path.Ext(e.Name())
		if e.IsDir() || (ext != ".yaml" && ext != ".yml") {
			continue
		}
		if jsonl := strings.TrimSuffix(e.Name(), ext) + ".jsonl"; !have[jsonl] {
			return &ValidationError{Errors: []*FieldError{{File: path.Join(builtinDir, e.Name()),
				Message: fmt.Sprintf("built-in manifest without items: add %s beside it or remove it", jsonl)}}}
		}
	}
	return nil
}

// loadBuiltin loads builtin/NAME.jsonl with its manifest builtin/NAME.yaml.
func loadBuiltin(name string) (*Dataset, error) {
	itemsPath := path.Join(builtinDir, name+".jsonl")
	data, err := builtinFS.ReadFile(itemsPath)
	if err != nil {
		return nil, fmt.Errorf("built-in dataset %q not found; the built-in datasets are %s", name, strings.Join(BuiltinNames(), ", "))
	}
	var mf *manifestFile
	if !hasHeader(data) {
		read := func(p string) ([]byte, error) { return builtinFS.ReadFile(p) }
		mf, err = findManifest(read, []string{path.Join(builtinDir, name+".yaml"), path.Join(builtinDir, name+".yml")})
		if err != nil {
			return nil, err
		}
		if mf == nil {
			return nil, &ValidationError{Errors: []*FieldError{{File: itemsPath, Message: fmt.Sprintf("built-in dataset without a manifest: add %s.yaml beside it", name)}}}
		}
	}
	ds, err := parse(itemsPath, data, mf)
	if err != nil {
		return nil, err
	}
	if ds.Manifest.Name != name {
		return nil, &ValidationError{Errors: []*FieldError{{File: itemsPath, Field: "name",
			Message: fmt.Sprintf("the manifest names the dataset %q but the file is %s.jsonl; use the same name for both", ds.Manifest.Name, name)}}}
	}
	ds.Source = BuiltinPrefix + name
	return ds, nil
}

// sortByCategory orders datasets by category, in the order of Categories,
// then by name.
func sortByCategory(list []*Dataset) {
	rank := func(c Category) int {
		if i := slices.Index(Categories, c); i >= 0 {
			return i
		}
		return len(Categories)
	}
	slices.SortStableFunc(list, func(a, b *Dataset) int {
		if d := rank(a.Manifest.Category) - rank(b.Manifest.Category); d != 0 {
			return d
		}
		return strings.Compare(a.Manifest.Name, b.Manifest.Name)
	})
}
