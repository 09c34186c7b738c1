package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"time"

	"github.com/ollama/ollama/api"

	"github.com/quantbench/quantbench/bench"
	"github.com/quantbench/quantbench/bench/throughput"
	"github.com/quantbench/quantbench/results"
)

const throughputUsage = `
Usage: quantbench throughput --model MODEL [--model MODEL ...] [options]

Measures how fast Ollama serves each model: decode and prefill tokens/s,
time to first token, inter-token and end-to-end latency percentiles, over a
concurrency sweep (1, 2, 4, ... up to --concurrency-max, stopping early when
the aggregate output rate stops rising). Prompts are synthetic text
calibrated against the server's prompt_eval_count, each with a unique
prefix so the prompt cache cannot serve them.

It writes a results folder under --out with run.json, throughput.jsonl (one
line per request), telemetry.jsonl (nvidia-smi samples, when a GPU is
present) and summary.json, and prints a table per model and level.

Arguments:
  none. Name each model with --model; models are measured one after another.

Host: --host, else OLLAMA_HOST, else http://127.0.0.1:11434.

Examples:
  # The default workload: 800 prompt tokens, 200 output tokens, up to 8 streams.
  quantbench throughput --model llama3.1:8b-instruct-fp16 --model llama3.1:8b-instruct-q4_K_M

  # A short check on a small server.
  quantbench throughput --model qwen2.5:0.5b --input-tokens 128 --output-tokens 32 \
      --concurrency-max 2 --repetitions 2
`

func init() {
	register(command{Name: "throughput", Summary: "measure tokens/s and latency over a concurrency sweep", Run: throughputCommand})
}

type throughputFlags struct {
	models                  stringList
	host, out, logLevel     string
	promptFile              string
	input, output, maxConc  int
	warmup, reps, minTokens int
	numCtx, seed            int
	stopWhenFlat            float64
	timeout                 time.Duration
}

func throughputCommand(args []string, stdout, stderr io.Writer) int {
	var f throughputFlags
	d := throughput.DefaultConfig()
	fs := newFlagSet("throughput", throughputUsage, stderr)
	fs.Var(&f.models, "model", "model to measure (repeatable)")
	fs.StringVar(&f.host, "host", "", "Ollama URL (default OLLAMA_HOST, else http://127.0.0.1:11434)")
	fs.StringVar(&f.out, "out", "runs", "folder under which the results folder is made")
	fs.StringVar(&f.logLevel, "log-level", "info", "log level: debug, info, warn or error")
	fs.StringVar(&f.promptFile, "prompt-file", "", "text file whose words replace the built-in synthetic vocabulary")
	fs.IntVar(&f.input, "input-tokens", d.InputTokens, "target prompt length in tokens")
	fs.IntVar(&f.output, "output-tokens", d.OutputTokens, "num_predict: maximum output length in tokens")
	fs.IntVar(&f.maxConc, "concurrency-max", d.ConcurrencyMax, "highest number of concurrent requests in the sweep")
	fs.IntVar(&f.warmup, "warmup", d.Warmup, "uncounted requests per model before the sweep")
	fs.IntVar(&f.reps, "repetitions", d.Repetitions, "measured requests per concurrent stream at each level")
	fs.IntVar(&f.minTokens, "min-tokens", d.MinTokens, "token count below which a rate is flagged and left out of summaries")
	fs.Float64Var(&f.stopWhenFlat, "stop-when-flat", d.StopWhenFlat, "stop the sweep when aggregate output tokens/s gains less than this fraction; -1 runs every level")
	fs.IntVar(&f.numCtx, "num-ctx", 0, "options.num_ctx (default input + output + 64 rounded up to 512)")
	fs.IntVar(&f.seed, "seed", 0, "options.seed and the seed of the synthetic text")
	fs.DurationVar(&f.timeout, "timeout", time.Duration(d.RequestTimeout), "time limit of each request")
	if code := parseFlags(fs, args); code >= 0 {
		return code
	}
	if err := setupLogging(stderr, f.logLevel); err != nil {
		fmt.Fprintln(stderr, "quantbench throughput:", err)
		return exitUsage
	}
	if len(f.models) == 0 || fs.NArg() > 0 {
		fmt.Fprintln(stderr, "quantbench throughput: name at least one model with --model, and no other arguments")
		return exitUsage
	}

	if err := f.check(); err != nil {
		fmt.Fprintln(stderr, "quantbench throughput:", err)
		return exitUsage
	}
	cfg := f.config()
	if err := cfg.WithDefaults().Validate(); err != nil {
		fmt.Fprintln(stderr, "quantbench throughput:", asFlagError(err))
		return exitUsage
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	dir, err := runThroughput(ctx, f, cfg, stdout, stderr)
	if dir != "" {
		fmt.Fprintf(stdout, "\nResults: %s (run.json, throughput.jsonl, telemetry.jsonl when a GPU is present, summary.json)\n", dir)
	}
	if err != nil {
		fmt.Fprintln(stderr, "quantbench throughput:", err)
		return exitFailure
	}
	return exitOK
}

// suiteKey matches the suite key that starts a throughput config error.
var suiteKey = regexp.MustCompile(`^throughput\.([a-z_]+)`)

// asFlagError rewrites a config error's leading suite key (throughput.num_ctx)
// as the flag that sets it (--num-ctx).
func asFlagError(err error) string {
	return suiteKey.ReplaceAllStringFunc(err.Error(), func(key string) string {
		return "--" + strings.ReplaceAll(strings.TrimPrefix(key, "throughput."), "_", "-")
	})
}

// check rejects flag values that the config would otherwise replace by its
// defaults without a word, and a prompt file that cannot be read, before
// anything contacts the server.
func (f *throughputFlags) check() error {
	for _, v := range []struct {
		name  string
		value int
	}{{"input-tokens", f.input}, {"output-tokens", f.output}, {"concurrency-max", f.maxConc}, {"repetitions", f.reps}, {"min-tokens", f.minTokens}} {
		if v.value < 1 {
			return fmt.Errorf("--%s is %d: use 1 or more", v.name, v.value)
		}
	}
	if math.IsNaN(f.stopWhenFlat) || math.IsInf(f.stopWhenFlat, 0) {
		return fmt.Errorf("--stop-when-flat is %v: give a fraction such as 0.05, or -1 to run every level", f.stopWhenFlat)
	}
	if f.promptFile != "" {
		if _, err := os.Stat(f.promptFile); err != nil {
			return fmt.Errorf("--prompt-file: %v", err)
		}
	}
	return nil
}

// config maps the flags to a throughput.Config. A zero --warmup means no
// warm-up, which the Config spells -1.
func (f *throughputFlags) config() throughput.Config {
	cfg := throughput.Config{
		InputTokens: f.input, OutputTokens: f.output, ConcurrencyMax: f.maxConc,
		Warmup: f.warmup, Repetitions: f.reps, MinTokens: f.minTokens,
		StopWhenFlat: f.stopWhenFlat, NumCtx: f.numCtx, Seed: f.seed,
		PromptFile: f.promptFile, RequestTimeout: throughput.Duration(f.timeout),
	}
	if f.warmup == 0 {
		cfg.Warmup = -1
	}
	return cfg
}

// runThroughput creates the results folder, runs the sweep with telemetry,
// summarises the folder and prints the table. It returns the folder once
// it exists, even on error, so the user can find what was written.
func runThroughput(ctx context.Context, f throughputFlags, cfg throughput.Config, stdout, stderr io.Writer) (string, error) {
	host := f.host
	if host == "" {
		host = bench.DefaultHost()
	}
	base, err := bench.ParseHost(host)
	if err != nil {
		return "", err
	}
	transport := http.DefaultTransport.(*http.Transport).Clone()
	transport.MaxIdleConnsPerHost = cfg.WithDefaults().ConcurrencyMax + 1
	httpClient := &http.Client{Transport: transport}
	client := api.NewClient(base, httpClient)
	endpoint := throughput.WithEndpoint(base, httpClient)

	version, err := client.Version(ctx)
	if err != nil {
		return "", fmt.Errorf("cannot reach Ollama at %s: %v: start it with `ollama serve`, or point --host or OLLAMA_HOST at a running server", base, err)
	}
	models, err := describeModels(ctx, client, base.String(), f.models)
	if err != nil {
		return "", err
	}

	manifest := &results.RunManifest{
		RunID:         "throughput-" + time.Now().UTC().Format("20060102-150405"),
		Host:          base.String(),
		OllamaVersion: version,
		Models:        models,
		Start:         time.Now().UTC(),
	}
	manifest.QuantbenchVersion, manifest.Commit = buildVersion()
	manifest.Suite, _ = json.Marshal(map[string]any{"throughput": cfg.WithDefaults()})
	manifest.Options = map[string]any{"temperature": cfg.Temperature, "seed": cfg.Seed,
		"num_ctx": cfg.WithDefaults().NumCtx, "num_predict": cfg.WithDefaults().OutputTokens}
	manifest.Machine = bench.DescribeMachine(ctx, []string{base.String()})

	dir, err := createRunFolder(f.out, manifest)
	if err != nil {
		return "", err
	}

	// A failed model or an interrupted run is still summarised: every
	// request written so far stays in throughput.jsonl and counts.
	runErr := writeThroughputFolder(ctx, dir, client, cfg, manifest, stderr, endpoint)
	summary, err := results.Summarize(dir)
	if err != nil {
		return dir, errors.Join(runErr, fmt.Errorf("summarise %s: %w", dir, err))
	}
	if err := results.WriteJSONFile(filepath.Join(dir, results.SummaryJSON), summary); err != nil {
		return dir, errors.Join(runErr, err)
	}
	throughput.WriteTable(stdout, summary.Throughput)
	return dir, runErr
}

// createRunFolder makes a new folder for the run under parent, adding -2,
// -3, ... to the run id when a run of the same second already has one, so
// no earlier results are overwritten.
func createRunFolder(parent string, m *results.RunManifest) (string, error) {
	if err := os.MkdirAll(parent, 0o755); err != nil {
		return "", fmt.Errorf("create results folder: %w", err)
	}
	base := m.RunID
	for i := 2; ; i++ {
		dir := filepath.Join(parent, m.RunID)
		err := os.Mkdir(dir, 0o755)
		if err == nil {
			return dir, nil
		}
		if !errors.Is(err, os.ErrExist) || i > 100 {
			return "", fmt.Errorf("create results folder: %w", err)
		}
		m.RunID = fmt.Sprintf("%s-%d", base, i)
	}
}

// writeThroughputFolder writes run.json, an empty records.jsonl,
// throughput.jsonl and, with a GPU, telemetry.jsonl, then run.json again
// with the end time. The records file is empty because this command scores
// nothing, and Summarize requires it.
func writeThroughputFolder(ctx context.Context, dir string, client *api.Client, cfg throughput.Config, m *results.RunManifest, stderr io.Writer, opts ...throughput.Option) error {
	if err := results.WriteJSONFile(filepath.Join(dir, results.RunFile), m); err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(dir, results.RecordsFile), nil, 0o644); err != nil {
		return fmt.Errorf("create %s: %w", results.RecordsFile, err)
	}

	progress := throughput.WithLevelDone(func(l throughput.LevelResult) {
		fmt.Fprintf(stderr, "%s concurrency %d: %d requests, %.1f output tokens/s\n", l.Model, l.Concurrency, len(l.Records), l.OutputTPS)
	})
	runErr := throughput.RunInFolder(ctx, client, cfg, dir, m, append(opts, progress)...)

	end := time.Now().UTC()
	m.End = &end
	if err := results.WriteJSONFile(filepath.Join(dir, results.RunFile), m); err != nil {
		return errors.Join(runErr, err)
	}
	return runErr
}

// describeModels reads each model's facts from /api/show and its file size
// and digest from /api/tags.
func describeModels(ctx context.Context, client *api.Client, host string, names []string) ([]results.ModelInfo, error) {
	list, err := client.List(ctx)
	if err != nil {
		return nil, fmt.Errorf("list models on %s: %w", host, err)
	}
	var infos []results.ModelInfo
	for i, name := range names {
		show, err := client.Show(ctx, &api.ShowRequest{Model: name})
		if err != nil {
			var status api.StatusError
			if errors.As(err, &status) && status.StatusCode == http.StatusNotFound {
				return nil, fmt.Errorf("model %s not found on %s: run `ollama pull %s` there first", name, host, name)
			}
			return nil, fmt.Errorf("show model %s on %s: %w", name, host, err)
		}
		info := results.ModelInfo{
			Name: name, Role: results.RoleVariant,
			Family: show.Details.Family, ParameterSize: show.Details.ParameterSize,
			Quantization: show.Details.QuantizationLevel, Format: show.Details.Format,
		}
		if i == 0 {
			info.Role = results.RoleBaseline
		}
		for _, m := range list.Models {
			if m.Name == name || m.Model == name || m.Name == name+":latest" {
				info.Digest, info.SizeBytes = m.Digest, m.Size
			}
		}
		infos = append(infos, info)
	}
	return infos, nil
}
