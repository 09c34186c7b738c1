package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/quantbench/quantbench/bench"
	"github.com/quantbench/quantbench/results"
	"github.com/quantbench/quantbench/results/report"
	"github.com/quantbench/quantbench/results/tco"
)

const runUsage = `
Usage: quantbench run [--suite FILE|NAME] [options]
       quantbench run --resume RUN_DIR [--host URL] [--concurrency N]

Runs every dataset item on the FP16 baseline and on each quantised variant
through Ollama, scores every answer, and writes a results folder:
run.json, records.jsonl, summary.json, summary.csv, report.xlsx and report.md.
It prints the per-category table at the end.

Arguments:
  none. The suite comes from --suite (a YAML file, or a built-in suite:
  quick, standard, overnight, demo) and every suite field has a flag below,
  so a first run needs no file. Flags override the suite.

Host: --host, else OLLAMA_HOST, else http://127.0.0.1:11434.

Examples:
  # Compare a 4-bit tag with its FP16 tag on every built-in dataset.
  quantbench run --baseline llama3.1:8b-instruct-fp16 \
      --variant llama3.1:8b-instruct-q4_K_M --datasets builtin

  # A few items per dataset, two variants, from any folder.
  quantbench run --suite quick --baseline qwen2.5:7b-instruct-fp16 \
      --variant qwen2.5:7b-instruct-q8_0 --variant qwen2.5:7b-instruct-q4_K_M

  # Your own suite file, then continue it after a crash or a kill.
  quantbench run --suite my-suite.yaml
  quantbench run --resume runs/my-suite-20261204-210000
`

// runFlags holds the flag values of `quantbench run`; suite fields are
// applied only when their flag was given.
type runFlags struct {
	suite, resume, logLevel            string
	baseline, datasets, output, name   string
	think, judge                       string
	variants, hosts, tolerances        stringList
	limit, repeats, seed, numCtx       int
	numPredict, topLogprobs, retries   int
	concurrency, resamples, minPairs   int
	temperature, infraThreshold        float64
	noiseFloor, logprobs, allowAnyBase bool
	timeout, backoff, keepAlive        time.Duration

	throughput                         bool
	tputInput, tputOutput, tputConcMax int
	tcoPreset                          string
	tcoVolume, tcoCapex, tcoPowerRack  float64
	tcoMaintenance, tcoEngineering     float64
}

func init() {
	register(command{Name: "run", Summary: "run a suite: quality on every model, then the reports", Run: runCommand})
}

func defineRunFlags(fs *flag.FlagSet, f *runFlags) {
	d := bench.DefaultSuite()
	fs.StringVar(&f.suite, "suite", "", "suite YAML file or built-in suite name (quick, standard, overnight, demo)")
	fs.StringVar(&f.resume, "resume", "", "continue the run in this results folder; items already answered are skipped")
	fs.StringVar(&f.logLevel, "log-level", "info", "log level: debug (adds prompts and outputs), info, warn or error")
	fs.StringVar(&f.baseline, "baseline", "", "baseline model, an F16, BF16 or F32 tag")
	fs.Var(&f.variants, "variant", "variant model to compare with the baseline (repeatable)")
	fs.Var(&f.hosts, "host", "Ollama base URL (repeatable: items are spread over the hosts)")
	fs.StringVar(&f.datasets, "datasets", "", "comma-separated datasets: builtin, builtin:NAME, a JSONL path, or FORMAT:PATH")
	fs.StringVar(&f.output, "output", d.Output, "folder in which the run's results folder is created")
	fs.StringVar(&f.name, "name", "", "run name, the prefix of the results folder")
	fs.IntVar(&f.limit, "limit", 0, "items taken from the start of each dataset (0 for all)")
	fs.IntVar(&f.repeats, "repeats", d.Repeats, "times every model answers every item (2 gives the noise floor)")
	fs.BoolVar(&f.noiseFloor, "noise-floor", false, "run the baseline a second time to measure the run-to-run noise floor")
	fs.Float64Var(&f.temperature, "temperature", d.Options.Temperature, "sampling temperature")
	fs.IntVar(&f.seed, "seed", d.Options.Seed, "sampling seed")
	fs.IntVar(&f.numCtx, "num-ctx", d.Options.NumCtx, "context length in tokens, always sent")
	fs.IntVar(&f.numPredict, "num-predict", 0, "maximum output tokens for every dataset (0 keeps each dataset's own)")
	fs.StringVar(&f.think, "think", "", "think value for reasoning models: true, false, low, medium or high")
	fs.BoolVar(&f.logprobs, "logprobs", d.Logprobs, "request log probabilities for token-level drift")
	fs.IntVar(&f.topLogprobs, "top-logprobs", d.TopLogprobs, "candidate tokens per position with --logprobs (0 to 20)")
	fs.IntVar(&f.concurrency, "concurrency", d.Concurrency, "requests in flight per model (above 1 can change outputs)")
	fs.DurationVar(&f.timeout, "timeout", time.Duration(d.Timeout), "timeout of one request")
	fs.IntVar(&f.retries, "retries", d.Retries, "further attempts after an infrastructure error")
	fs.DurationVar(&f.backoff, "retry-backoff", time.Duration(d.RetryBackoff), "wait before the first retry; doubles each time")
	fs.Float64Var(&f.infraThreshold, "infra-error-threshold", d.InfraErrorThreshold, "stop when this fraction of requests failed with infrastructure errors")
	fs.DurationVar(&f.keepAlive, "keep-alive", time.Duration(d.KeepAlive), "how long a model stays loaded while its items run")
	fs.BoolVar(&f.allowAnyBase, "allow-any-baseline", false, "accept a quantised baseline")
	fs.Var(&f.tolerances, "tolerance", "minimum variant score as a fraction of the baseline, CATEGORY=FRACTION (repeatable)")
	fs.IntVar(&f.resamples, "bootstrap-resamples", d.Bootstrap.Resamples, "paired bootstrap resamples")
	fs.IntVar(&f.minPairs, "min-pairs", d.MinPairs, "paired items below which an interval gets a footnote")

	fs.StringVar(&f.judge, "judge", "", "judge model that compares baseline and variant creative outputs pairwise (optional)")
	fs.BoolVar(&f.throughput, "throughput", false, "add the throughput phase after the quality phase")
	fs.IntVar(&f.tputInput, "throughput-input-tokens", 0, "throughput prompt length in tokens (default 800; implies --throughput)")
	fs.IntVar(&f.tputOutput, "throughput-output-tokens", 0, "throughput output length in tokens (default 200; implies --throughput)")
	fs.IntVar(&f.tputConcMax, "throughput-concurrency-max", 0, "highest concurrency of the throughput sweep (default 8; implies --throughput)")

	fs.StringVar(&f.tcoPreset, "tco-preset", "", "API price preset for pricing the run, for example claude-haiku (adds the tco section)")
	fs.Float64Var(&f.tcoVolume, "tco-volume", 0, "documents per month for pricing the run")
	fs.Float64Var(&f.tcoCapex, "tco-capex", 0, "server purchase price in US dollars")
	fs.Float64Var(&f.tcoPowerRack, "tco-power-rack-month", 0, "power and rack cost per server and month in US dollars")
	fs.Float64Var(&f.tcoMaintenance, "tco-maintenance-month", 0, "maintenance and monitoring cost per server and month in US dollars")
	fs.Float64Var(&f.tcoEngineering, "tco-engineering", 0, "one-time engineering cost in US dollars")
}

func runCommand(args []string, stdout, stderr io.Writer) int {
	fs := newFlagSet("run", runUsage, stderr)
	var f runFlags
	defineRunFlags(fs, &f)
	if code := parseFlags(fs, args); code >= 0 {
		return code
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "quantbench run: unexpected argument %q: options start with --\n", fs.Arg(0))
		return exitUsage
	}
	if err := setupLogging(stderr, f.logLevel); err != nil {
		fmt.Fprintln(stderr, "quantbench run:", err)
		return exitUsage
	}

	suite, err := resolveSuite(fs, &f)
	if err != nil {
		fmt.Fprintln(stderr, "quantbench run:", err)
		return exitUsage
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	v, commit := buildVersion()
	opts := bench.RunOptions{ResumeDir: f.resume, Progress: stderr, IsTerminal: isTerminal(stderr), Version: v, Commit: commit}
	dir, err := bench.Run(ctx, suite, opts)
	if err != nil {
		fmt.Fprintln(stderr, "quantbench run:", err)
		if dir != "" && !errors.Is(err, bench.ErrStopped) {
			fmt.Fprintf(stderr, "the records written so far are kept in %s\n", dir)
		}
		return exitFailure
	}

	return writeReports(dir, stdout, stderr)
}

// writeReports summarises a results folder, writes every report file and
// prints the table.
func writeReports(dir string, stdout, stderr io.Writer) int {
	summary, err := results.Summarize(dir)
	if err != nil {
		fmt.Fprintln(stderr, "quantbench: summarise:", err)
		return exitFailure
	}
	if err := report.WriteAll(dir, summary); err != nil {
		fmt.Fprintln(stderr, "quantbench: write reports:", err)
		return exitFailure
	}
	report.PrintTable(stdout, summary)
	fmt.Fprintf(stdout, "\nResults: %s (run.json, records.jsonl, summary.json, summary.csv, report.xlsx, report.md)\n", dir)
	return exitOK
}

// resumeFixedFlags are the flags a resumed run rejects: they change which
// items run or how answers are generated and scored, so changing them midway
// would compare answers made under different settings. Host, concurrency,
// timeout, retries and logging may change.
var resumeFixedFlags = []string{
	"suite", "baseline", "variant", "datasets", "limit", "repeats", "noise-floor", "output", "name",
	"temperature", "seed", "num-ctx", "num-predict", "think", "logprobs", "top-logprobs",
	"allow-any-baseline", "judge",
	"tolerance", "bootstrap-resamples", "min-pairs",
	"throughput", "throughput-input-tokens", "throughput-output-tokens", "throughput-concurrency-max",
	"tco-preset", "tco-volume", "tco-capex", "tco-power-rack-month", "tco-maintenance-month", "tco-engineering",
}

// resolveSuite merges the default suite, the suite file (or the resumed
// run's suite) and the flags that were given.
func resolveSuite(fs *flag.FlagSet, f *runFlags) (*bench.Suite, error) {
	set := map[string]bool{}
	fs.Visit(func(fl *flag.Flag) { set[fl.Name] = true })

	var suite *bench.Suite
	switch {
	case f.resume != "":
		for _, name := range resumeFixedFlags {
			if set[name] {
				return nil, fmt.Errorf("--%s cannot change a resumed run: it continues with the suite stored in %s/run.json, so every answer comes from the same settings", name, f.resume)
			}
		}
		s, err := bench.SuiteFromRun(f.resume)
		if err != nil {
			return nil, err
		}
		suite = s
	case f.suite != "":
		s, err := bench.LoadSuite(f.suite)
		if err != nil {
			return nil, err
		}
		suite = s
	default:
		s := bench.DefaultSuite()
		suite = &s
	}

	if err := applyRunFlags(suite, set, f); err != nil {
		return nil, err
	}
	if err := suite.Validate(); err != nil {
		return nil, err
	}
	return suite, nil
}

func applyRunFlags(s *bench.Suite, set map[string]bool, f *runFlags) error {
	applyModelFlags(s, set, f)
	applyDecodingFlags(s, set, f)
	applyControlFlags(s, set, f)
	applyThroughputFlags(s, set, f)
	applyTCOFlags(s, set, f)
	for _, t := range f.tolerances {
		category, value, ok := strings.Cut(t, "=")
		fraction, err := strconv.ParseFloat(value, 64)
		if !ok || err != nil {
			return fmt.Errorf("invalid --tolerance %q: use CATEGORY=FRACTION, for example reasoning=0.85", t)
		}
		if s.Tolerances == nil {
			s.Tolerances = map[string]float64{}
		}
		s.Tolerances[category] = fraction
	}
	return nil
}

// applyModelFlags sets the models, hosts, datasets and results folder.
func applyModelFlags(s *bench.Suite, set map[string]bool, f *runFlags) {
	if set["baseline"] {
		s.Baseline = f.baseline
	}
	if set["variant"] {
		s.Variants = f.variants
	}
	if set["host"] {
		s.Hosts = f.hosts
	}
	if set["datasets"] {
		s.Datasets = splitList(f.datasets)
	}
	if set["output"] {
		s.Output = f.output
	}
	if set["name"] {
		s.Name = f.name
	}
	if set["limit"] {
		s.Limit = f.limit
	}
	if set["repeats"] {
		s.Repeats = f.repeats
	}
	if set["noise-floor"] {
		s.NoiseFloor = f.noiseFloor
	}
	if set["allow-any-baseline"] {
		s.AllowAnyBaseline = f.allowAnyBase
	}
	if set["judge"] {
		s.Judge = f.judge
	}
}

// applyDecodingFlags sets the decoding options sent with every request.
func applyDecodingFlags(s *bench.Suite, set map[string]bool, f *runFlags) {
	if set["temperature"] {
		s.Options.Temperature = f.temperature
	}
	if set["seed"] {
		s.Options.Seed = f.seed
	}
	if set["num-ctx"] {
		s.Options.NumCtx = f.numCtx
	}
	if set["num-predict"] {
		s.Options.NumPredict = f.numPredict
	}
	if set["think"] {
		s.Think = &f.think
	}
	if set["logprobs"] {
		s.Logprobs = f.logprobs
	}
	if set["top-logprobs"] {
		s.TopLogprobs = f.topLogprobs
	}
}

// applyControlFlags sets concurrency, timeouts, retries and the statistics settings.
func applyControlFlags(s *bench.Suite, set map[string]bool, f *runFlags) {
	if set["concurrency"] {
		s.Concurrency = f.concurrency
	}
	if set["timeout"] {
		s.Timeout = bench.Duration(f.timeout)
	}
	if set["retries"] {
		s.Retries = f.retries
	}
	if set["retry-backoff"] {
		s.RetryBackoff = bench.Duration(f.backoff)
	}
	if set["infra-error-threshold"] {
		s.InfraErrorThreshold = f.infraThreshold
	}
	if set["keep-alive"] {
		s.KeepAlive = bench.Duration(f.keepAlive)
	}
	if set["bootstrap-resamples"] {
		s.Bootstrap.Resamples = f.resamples
	}
	if set["min-pairs"] {
		s.MinPairs = f.minPairs
	}
}

// applyThroughputFlags adds or changes the suite's throughput section.
func applyThroughputFlags(s *bench.Suite, set map[string]bool, f *runFlags) {
	if !set["throughput"] && !set["throughput-input-tokens"] && !set["throughput-output-tokens"] && !set["throughput-concurrency-max"] {
		return
	}
	if set["throughput"] && !f.throughput {
		s.Throughput = nil
		return
	}
	if s.Throughput == nil {
		s.Throughput = &bench.ThroughputSection{}
	}
	if set["throughput-input-tokens"] {
		s.Throughput.InputTokens = f.tputInput
	}
	if set["throughput-output-tokens"] {
		s.Throughput.OutputTokens = f.tputOutput
	}
	if set["throughput-concurrency-max"] {
		s.Throughput.ConcurrencyMax = f.tputConcMax
	}
}

// applyTCOFlags adds or changes the suite's tco section.
func applyTCOFlags(s *bench.Suite, set map[string]bool, f *runFlags) {
	names := []string{"tco-preset", "tco-volume", "tco-capex", "tco-power-rack-month", "tco-maintenance-month", "tco-engineering"}
	any := false
	for _, name := range names {
		any = any || set[name]
	}
	if !any {
		return
	}
	if s.TCO == nil {
		s.TCO = &tco.Inputs{}
	}
	if set["tco-preset"] {
		s.TCO.Preset = f.tcoPreset
	}
	if set["tco-volume"] {
		s.TCO.VolumePerMonth = f.tcoVolume
	}
	if set["tco-capex"] {
		s.TCO.Capex = f.tcoCapex
	}
	if set["tco-power-rack-month"] {
		s.TCO.PowerRackMonth = f.tcoPowerRack
	}
	if set["tco-maintenance-month"] {
		s.TCO.MaintenanceMonth = f.tcoMaintenance
	}
	if set["tco-engineering"] {
		s.TCO.Engineering = f.tcoEngineering
	}
}
