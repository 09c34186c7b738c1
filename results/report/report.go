// Package report writes the files a reader opens after a run: summary.json,
// summary.csv, report.xlsx (the workbook for an architecture review) and
// report.md (the same headline tables for a pull request), and prints the
// per-category table. Every file is a function of a results.Summary and the
// results folder's records.jsonl, so `quantbench report` rebuilds them all
// from the folder alone.
package report

import (
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/quantbench/quantbench/results"
)

// Option changes how WriteAll writes.
type Option func(*options)

type options struct {
	outDir string
}

// Into writes the files into dir instead of the results folder itself.
func Into(dir string) Option {
	return func(o *options) { o.outDir = dir }
}

// WriteAll writes summary.json, summary.csv, report.xlsx and report.md for
// the results folder dir, whose summary is s. The workbook's Items sheet
// streams dir's records.jsonl, so memory does not grow with the number of
// records. Each file goes to a temporary file that is renamed into place, so
// a reader never sees a half-written file, and a file that fails to write
// keeps its earlier version. Files are written in the order listed, and
// WriteAll stops at the first error.
func WriteAll(dir string, s *results.Summary, opts ...Option) error {
	o := options{outDir: dir}
	for _, opt := range opts {
		opt(&o)
	}
	if err := os.MkdirAll(o.outDir, 0o755); err != nil {
		return fmt.Errorf("create report folder: %w", err)
	}

	if err := results.WriteJSONFile(filepath.Join(o.outDir, results.SummaryJSON), s); err != nil {
		return err
	}

	if err := writeFileAtomic(filepath.Join(o.outDir, results.SummaryCSV), func(w io.Writer) error {
		return WriteCSV(w, s)
	}); err != nil {
		return err
	}

	if err := writeFileAtomic(filepath.Join(o.outDir, results.MarkdownFile), func(w io.Writer) error {
		return WriteMarkdown(w, s)
	}); err != nil {
		return err
	}

	records := filepath.Join(dir, results.RecordsFile)
	return writeFileAtomic(filepath.Join(o.outDir, results.WorkbookFile), func(w io.Writer) error {
		return WriteWorkbook(w, s, records)
	})
}

// writeFileAtomic writes path through a temporary file in the same folder
// and a rename. On error the temporary file is removed and path is untouched.
func writeFileAtomic(path string, write func(io.Writer) error) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	defer os.Remove(tmp.Name()) // fails harmlessly after the rename

	if err := write(tmp); err != nil {
		tmp.Close()
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := tmp.Chmod(0o644); err != nil {
		tmp.Close()
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	return nil
}
