package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/quantbench/quantbench/bench"
	"github.com/quantbench/quantbench/results"
	"github.com/quantbench/quantbench/results/report"
)

const reportUsage = `
Usage: quantbench report RUN_DIR [--out DIR] [--rescore]

Rebuilds summary.json, summary.csv, report.xlsx and report.md of a results
folder from its run.json and records.jsonl (and throughput.jsonl and
telemetry.jsonl when present), then prints the per-category table. It reads
nothing else: no suite file and no server, so a folder copied to another
machine gives the same reports. Run it after rescoring records or upgrading
quantbench.

Arguments:
  RUN_DIR  a results folder written by quantbench run; it must contain
           run.json and records.jsonl.

Examples:
  # Rebuild the reports in place and print the table.
  quantbench report runs/quick-20261204-210000

  # Score the answers again with the current scorers, then rebuild.
  quantbench report --rescore runs/quick-20261204-210000

  # Write the reports elsewhere, leaving the results folder untouched.
  quantbench report runs/quick-20261204-210000 --out review/quick
`

func init() {
	register(command{Name: "report", Summary: "rebuild the summaries and reports of a results folder", Run: reportCommand})
}

func reportCommand(args []string, stdout, stderr io.Writer) int {
	fs := newFlagSet("report", reportUsage, stderr)
	out := fs.String("out", "", "write the report files to this folder instead of RUN_DIR (created if missing)")
	logLevel := fs.String("log-level", "warn", "log level: debug, info, warn or error")
	rescore := fs.Bool("rescore", false, "score every answered item again from records.jsonl and the folder's dataset snapshots first (the old records are kept as records.jsonl.bak-TIME)")

	positional, status := parseInterspersed(fs, args)
	if status >= 0 {
		return status
	}
	if len(positional) != 1 {
		fmt.Fprintf(stderr, "quantbench report: expected one RUN_DIR, got %d arguments; run \"quantbench report --help\" for usage\n", len(positional))
		return exitUsage
	}
	if err := setupLogging(stderr, *logLevel); err != nil {
		fmt.Fprintln(stderr, "quantbench report:", err)
		return exitUsage
	}

	dir := positional[0]
	if err := checkResultsFolder(dir); err != nil {
		fmt.Fprintln(stderr, "quantbench report:", err)
		return exitFailure
	}
	if *rescore {
		sum, err := bench.Rescore(context.Background(), dir)
		if err != nil {
			fmt.Fprintln(stderr, "quantbench report: rescore:", err)
			return exitFailure
		}
		fmt.Fprintf(stderr, "rescored %d records, %d changed; the old records are in %s\n", sum.Scored, sum.Changed, sum.Backup)
	}
	summary, err := results.Summarize(dir)
	if err != nil {
		fmt.Fprintf(stderr, "quantbench report: failed to summarise %s: %v\n", dir, err)
		return exitFailure
	}

	var opts []report.Option
	target := dir
	if *out != "" {
		opts, target = append(opts, report.Into(*out)), *out
	}
	if err := report.WriteAll(dir, summary, opts...); err != nil {
		fmt.Fprintln(stderr, "quantbench report:", err)
		return exitFailure
	}

	report.PrintTable(stdout, summary)
	fmt.Fprintf(stdout, "\nReports: %s (%s, %s, %s, %s)\n", target,
		results.SummaryJSON, results.SummaryCSV, results.WorkbookFile, results.MarkdownFile)
	return exitOK
}

// checkResultsFolder reports, before any work, a RUN_DIR that is not a
// folder or lacks one of the two files every report is built from.
func checkResultsFolder(dir string) error {
	info, err := os.Stat(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("results folder %s not found; pass the folder quantbench run wrote (it contains %s)", dir, results.RunFile)
	}
	if err != nil {
		return err
	}
	if !info.IsDir() {
		return fmt.Errorf("%s is not a folder; pass the results folder that contains %s and %s", dir, results.RunFile, results.RecordsFile)
	}

	for _, name := range []string{results.RunFile, results.RecordsFile} {
		_, err := os.Stat(filepath.Join(dir, name))
		if errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("%s has no %s: the reports are built from %s and %s, so pass a folder written by quantbench run (or resume the run that should have written it)",
				dir, name, results.RunFile, results.RecordsFile)
		}
		if err != nil {
			return err
		}
	}
	return nil
}
