package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"text/tabwriter"

	"github.com/quantbench/quantbench/datasets"
	"github.com/quantbench/quantbench/evaluators"
)

func init() {
	register(command{
		Name:    "datasets",
		Summary: "list, show, validate and import datasets",
		Run:     runDatasets,
	})
}

const datasetsUsage = `
Usage: quantbench datasets SUBCOMMAND [options] [arguments]

Lists, shows, validates and imports the labelled datasets that quantbench runs.
A dataset is a JSON-lines file (one item a line) with a YAML manifest, either
as a header between two --- lines at the top of the file or in NAME.yaml (or
manifest.yaml) beside it.

Subcommands:
  list       list datasets: name, category, item count and source
  show       print a dataset's manifest, its first items and a rendered prompt
  validate   check dataset files and report every problem with file:line
  import     convert a public benchmark file into a dataset file

Arguments:
  A dataset is named by a SPEC: builtin, builtin:NAME, builtin:CATEGORY,
  FORMAT:PATH (an importer's format and a benchmark file) or the PATH of a
  dataset file or folder. Several SPECs can be joined with commas.

Options:
  --help   print this text; "quantbench datasets SUBCOMMAND --help" lists
           the options of a subcommand

Examples:
  quantbench datasets list
  quantbench datasets show builtin:sentiment
  quantbench datasets validate my-intents.jsonl
  quantbench datasets import --format gsm8k --out gsm8k.jsonl test.jsonl
`

func runDatasets(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, strings.TrimLeft(datasetsUsage, "\n"))
		return exitUsage
	}
	switch args[0] {
	case "-h", "-help", "--help", "help":
		fmt.Fprint(stdout, strings.TrimLeft(datasetsUsage, "\n"))
		return exitOK
	case "list":
		return runDatasetsList(args[1:], stdout, stderr)
	case "show":
		return runDatasetsShow(args[1:], stdout, stderr)
	case "validate":
		return runDatasetsValidate(args[1:], stdout, stderr)
	case "import":
		return runDatasetsImport(args[1:], stdout, stderr)
	}
	fmt.Fprintf(stderr, "quantbench datasets: unknown subcommand %q; use list, show, validate or import\n", args[0])
	return exitUsage
}

// parseInterspersed parses flags that may come before or after the positional
// arguments, which the flag package alone stops at, and returns the
// positional arguments. The status is -1 to continue, else an exit status.
func parseInterspersed(fs *flag.FlagSet, args []string) ([]string, int) {
	var positional []string
	for {
		if status := parseFlags(fs, args); status >= 0 {
			return nil, status
		}
		rest := fs.Args()
		if len(rest) == 0 {
			return positional, -1
		}
		if consumed := len(args) - len(rest); consumed > 0 && args[consumed-1] == "--" {
			return append(positional, rest...), -1
		}
		positional = append(positional, rest[0])
		args = rest[1:]
	}
}

const datasetsListUsage = `
Usage: quantbench datasets list [--datasets SPEC] [--json]

Lists datasets with their name, category, number of items and source. Every
dataset is loaded and validated, so a listed dataset is ready to run.

Arguments:
  none

Examples:
  quantbench datasets list
  quantbench datasets list --datasets builtin:code,my-tasks.jsonl
  quantbench datasets list --json
`

func runDatasetsList(args []string, stdout, stderr io.Writer) int {
	fs := newFlagSet("datasets list", datasetsListUsage, stderr)
	spec := fs.String("datasets", "builtin", "datasets to list, as a comma-separated list of SPECs")
	asJSON := fs.Bool("json", false, "print a JSON array instead of a table")
	rest, status := parseInterspersed(fs, args)
	if status >= 0 {
		return status
	}
	if len(rest) > 0 {
		fmt.Fprintf(stderr, "quantbench datasets list: unexpected argument %q; name datasets with --datasets\n", rest[0])
		return exitUsage
	}

	list, err := datasets.Resolve(*spec)
	if err != nil {
		fmt.Fprintln(stderr, err)
		return exitFailure
	}
	if *asJSON {
		return printDatasetsJSON(list, stdout, stderr)
	}
	tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "NAME\tCATEGORY\tITEMS\tSOURCE")
	for _, ds := range list {
		fmt.Fprintf(tw, "%s\t%s\t%d\t%s\n", ds.Manifest.Name, ds.Manifest.Category, len(ds.Items), ds.Source)
	}
	if err := tw.Flush(); err != nil {
		fmt.Fprintln(stderr, err)
		return exitFailure
	}
	return exitOK
}

// datasetListing is one row of "datasets list --json".
type datasetListing struct {
	Name     string `json:"name"`
	Category string `json:"category"`
	Items    int    `json:"items"`
	Source   string `json:"source"`
	SHA256   string `json:"sha256"`
}

func printDatasetsJSON(list []*datasets.Dataset, stdout, stderr io.Writer) int {
	rows := make([]datasetListing, 0, len(list))
	for _, ds := range list {
		rows = append(rows, datasetListing{
			Name: ds.Manifest.Name, Category: string(ds.Manifest.Category),
			Items: len(ds.Items), Source: ds.Source, SHA256: ds.SHA256,
		})
	}
	enc := json.NewEncoder(stdout)
	enc.SetIndent("", "  ")
	if err := enc.Encode(rows); err != nil {
		fmt.Fprintln(stderr, err)
		return exitFailure
	}
	return exitOK
}

const datasetsShowUsage = `
Usage: quantbench datasets show [--items N] NAME|SPEC

Prints a dataset's source, SHA-256 and manifest, its first items, and the
prompt rendered for the first item, as a model would receive it. NAME is the
name of a built-in dataset or a category, which shows the built-in datasets
of that category. Any other SPEC (a path, FORMAT:PATH) works too.

Arguments:
  NAME|SPEC   the dataset to show

Examples:
  quantbench datasets show sentiment
  quantbench datasets show --items 0 code
  quantbench datasets show --items 5 gsm8k:../data/gsm8k/test.jsonl
`

func runDatasetsShow(args []string, stdout, stderr io.Writer) int {
	fs := newFlagSet("datasets show", datasetsShowUsage, stderr)
	count := fs.Int("items", 3, "number of items to print")
	rest, status := parseInterspersed(fs, args)
	if status >= 0 {
		return status
	}
	if len(rest) != 1 {
		fmt.Fprintln(stderr, "quantbench datasets show: give one dataset name or SPEC; see --help")
		return exitUsage
	}

	spec := rest[0]
	if isBuiltinName(spec) {
		spec = datasets.BuiltinPrefix + spec
	}
	list, err := datasets.Resolve(spec)
	if err != nil {
		fmt.Fprintln(stderr, err)
		return exitFailure
	}
	for i, ds := range list {
		if i > 0 {
			fmt.Fprintln(stdout)
		}
		if err := showDataset(stdout, ds, *count); err != nil {
			fmt.Fprintln(stderr, err)
			return exitFailure
		}
	}
	return exitOK
}

// isBuiltinName reports whether s names a built-in dataset or a category and
// is not also a file in the working folder.
func isBuiltinName(s string) bool {
	known := slices.Contains(datasets.BuiltinNames(), s) || slices.Contains(datasets.Categories, datasets.Category(s))
	if !known {
		return false
	}
	_, err := os.Stat(s)
	return err != nil
}

func showDataset(w io.Writer, ds *datasets.Dataset, count int) error {
	fmt.Fprintf(w, "Dataset %s: %s, %d items\n", ds.Manifest.Name, ds.Manifest.Category, len(ds.Items))
	fmt.Fprintf(w, "Source:  %s\nSHA-256: %s\n\n", ds.Source, ds.SHA256)

	var manifest bytes.Buffer
	if err := datasets.WriteManifest(&manifest, ds); err != nil {
		return err
	}
	fmt.Fprintln(w, "Manifest:")
	writeIndented(w, manifest.String())

	count = min(max(count, 0), len(ds.Items))
	if count == 0 {
		return nil
	}
	var items bytes.Buffer
	if err := datasets.WriteItems(&items, ds.Items[:count]); err != nil {
		return err
	}
	fmt.Fprintf(w, "\nFirst %d of %d items:\n", count, len(ds.Items))
	writeIndented(w, items.String())

	first := &ds.Items[0]
	system, prompt, err := datasets.Render(&ds.Manifest, first)
	if err != nil {
		return err
	}
	if system != "" {
		fmt.Fprintf(w, "\nSystem prompt of item %q:\n", first.ID)
		writeIndented(w, system)
	}
	fmt.Fprintf(w, "\nPrompt of item %q:\n", first.ID)
	writeIndented(w, prompt)
	return nil
}

func writeIndented(w io.Writer, text string) {
	for line := range strings.Lines(strings.TrimRight(text, "\n") + "\n") {
		fmt.Fprint(w, "  "+line)
	}
}

const datasetsValidateUsage = `
Usage: quantbench datasets validate SPEC...

Loads each dataset and checks its manifest and items: valid JSON and UTF-8,
lines within the size limit, required fields, unique ids, labels within the
label set, the expected answer in the shape of the category, a template that
renders for every item, and a scorer with valid options. Each problem is
printed as file:line: field: message. Valid datasets are listed on stdout, problems go to stderr, and the
exit status is 1 when any dataset has a problem.

Arguments:
  SPEC...   dataset files or folders, builtin, builtin:NAME or FORMAT:PATH

Examples:
  quantbench datasets validate my-intents.jsonl
  quantbench datasets validate builtin data/
`

func runDatasetsValidate(args []string, stdout, stderr io.Writer) int {
	fs := newFlagSet("datasets validate", datasetsValidateUsage, stderr)
	rest, status := parseInterspersed(fs, args)
	if status >= 0 {
		return status
	}
	if len(rest) == 0 {
		fmt.Fprintln(stderr, "quantbench datasets validate: give at least one dataset file or SPEC; see --help")
		return exitUsage
	}

	failed := 0
	for _, spec := range rest {
		list, err := datasets.Resolve(spec)
		if err != nil {
			failed++
			fmt.Fprintf(stderr, "%s: invalid:\n%s\n", spec, err)
			continue
		}
		for _, ds := range list {
			if _, err := evaluators.For(&ds.Manifest); err != nil {
				failed++
				fmt.Fprintf(stderr, "%s: invalid scorer settings in dataset %s: %v\n", ds.Source, ds.Manifest.Name, err)
				continue
			}
			fmt.Fprintf(stdout, "ok  %s  %s  %d items  sha256 %s  %s\n",
				ds.Manifest.Name, ds.Manifest.Category, len(ds.Items), ds.SHA256[:12], ds.Source)
		}
	}
	if failed > 0 {
		noun := "arguments have"
		if failed == 1 {
			noun = "argument has"
		}
		fmt.Fprintf(stderr, "validation failed: %d %s problems; fix them and validate again\n", failed, noun)
		return exitFailure
	}
	return exitOK
}

const datasetsImportUsage = `
Usage: quantbench datasets import --format FORMAT [--out FILE] [options] FILE

Converts a public benchmark file into a quantbench dataset: JSON lines with
the manifest as a YAML header, or with --manifest-beside, FILE.jsonl and
FILE.yaml. The dataset is validated, and the written file is loaded back
to check it. Formats:

  gsm8k      JSON lines of question and answer (last line "#### N"): reasoning
  humaneval  JSON lines, plain or gzipped, of task_id, prompt, test and
             entry_point: code
  mbpp       JSON lines or a JSON array of task_id, text (or prompt),
             test_list and test_setup_code: code
  csv        a header row and a text and a label column: classification
  sst        lines of "LABEL TEXT" with LABEL 0, 1, ...: classification
  spans      a JSON array of userInput.text and labels[] of slot and
             valueSpan {startIndex, endIndex} (Restaurant8k): extraction

"--datasets FORMAT:FILE" on the run command imports with default options.

Arguments:
  FILE   the benchmark file to convert

Examples:
  quantbench datasets import --format gsm8k --out gsm8k.jsonl gsm8k/test.jsonl
  quantbench datasets import --format humaneval --out humaneval.jsonl HumanEval.jsonl.gz
  quantbench datasets import --format csv --label-column category \
      --labels banking77/categories.json --out banking77.jsonl banking77/test.csv
  quantbench datasets import --format sst --limit 200 stsa.binary.test > sst2.jsonl
`

func runDatasetsImport(args []string, stdout, stderr io.Writer) int {
	fs := newFlagSet("datasets import", datasetsImportUsage, stderr)
	format := fs.String("format", "", "format of FILE: "+strings.Join(datasets.Formats(), ", "))
	out := fs.String("out", "", "write the dataset to this file instead of stdout")
	force := fs.Bool("force", false, "replace --out (and its .yaml with --manifest-beside) when it exists")
	beside := fs.Bool("manifest-beside", false, "write the manifest to a .yaml file beside --out instead of a header")
	var opts datasets.ImportOptions
	fs.StringVar(&opts.Name, "name", "", "dataset name (default: derived from the file and folder names)")
	fs.StringVar(&opts.TextColumn, "text-column", "", `csv: column holding the text (default "text")`)
	fs.StringVar(&opts.LabelColumn, "label-column", "", `csv: column holding the label (default "label", else "category")`)
	fs.StringVar(&opts.LabelsFile, "labels", "", "csv: file listing the label set, a JSON array or one label a line (default: the labels found)")
	labelNames := fs.String("label-names", "", "sst: comma-separated names of labels 0, 1, ... (default negative,positive)")
	fs.IntVar(&opts.Limit, "limit", 0, "import only the first N items (0 imports all)")
	fs.IntVar(&opts.NumPredict, "num-predict", 0, "maximum tokens to generate per item (default: the format's own)")
	rest, status := parseInterspersed(fs, args)
	if status >= 0 {
		return status
	}
	if len(rest) != 1 || *format == "" {
		fmt.Fprintln(stderr, "quantbench datasets import: give --format and one FILE; see --help")
		return exitUsage
	}
	if *beside && *out == "" {
		fmt.Fprintln(stderr, "quantbench datasets import: --manifest-beside needs --out")
		return exitUsage
	}
	if *out != "" {
		if err := checkImportOut(rest[0], *out, *beside, *force); err != nil {
			fmt.Fprintln(stderr, "quantbench datasets import:", err)
			return exitUsage
		}
	}
	if *labelNames != "" {
		for name := range strings.SplitSeq(*labelNames, ",") {
			opts.LabelNames = append(opts.LabelNames, strings.TrimSpace(name))
		}
	}

	ds, err := datasets.Import(*format, rest[0], opts)
	if err != nil {
		fmt.Fprintln(stderr, err)
		return exitFailure
	}
	if err := writeImported(ds, *out, *beside, stdout); err != nil {
		fmt.Fprintln(stderr, err)
		return exitFailure
	}
	if *out != "" {
		fmt.Fprintf(stderr, "wrote %d items of %s dataset %s to %s (sha256 %s)\n",
			len(ds.Items), ds.Manifest.Category, ds.Manifest.Name, *out, ds.SHA256[:12])
	}
	return exitOK
}

// writeImported writes ds to out (stdout when empty) and loads the written
// file back, to make sure it is a valid dataset with the same content.
// checkImportOut refuses to write over the input file, and over an existing
// file unless force is set, so an import never destroys what it reads.
func checkImportOut(input, out string, beside, force bool) error {
	targets := []string{out}
	if beside {
		targets = append(targets, strings.TrimSuffix(out, filepath.Ext(out))+".yaml")
	}
	inInfo, inErr := os.Stat(input)
	for _, target := range targets {
		info, err := os.Stat(target)
		if err != nil {
			continue
		}
		if inErr == nil && os.SameFile(inInfo, info) {
			return fmt.Errorf("--out %s is the input file: write the converted dataset to a new file", target)
		}
		if !force {
			return fmt.Errorf("%s exists: choose another --out, or pass --force to replace it", target)
		}
	}
	return nil
}

func writeImported(ds *datasets.Dataset, out string, beside bool, stdout io.Writer) error {
	if out == "" {
		return datasets.Write(stdout, ds)
	}

	var items bytes.Buffer
	if !beside {
		if err := datasets.Write(&items, ds); err != nil {
			return err
		}
		if err := os.WriteFile(out, items.Bytes(), 0o644); err != nil {
			return err
		}
	} else {
		var manifest bytes.Buffer
		if err := datasets.WriteManifest(&manifest, ds); err != nil {
			return err
		}
		if err := datasets.WriteItems(&items, ds.Items); err != nil {
			return err
		}
		base := strings.TrimSuffix(out, filepath.Ext(out))
		if err := os.WriteFile(base+".yaml", manifest.Bytes(), 0o644); err != nil {
			return err
		}
		if err := os.WriteFile(out, items.Bytes(), 0o644); err != nil {
			return err
		}
	}

	back, err := datasets.Load(out)
	if err != nil {
		return fmt.Errorf("the written file %s does not load back: %w", out, err)
	}
	if back.SHA256 != ds.SHA256 {
		return fmt.Errorf("the written file %s loads back with other content (sha256 %s, want %s)", out, back.SHA256, ds.SHA256)
	}
	return nil
}
