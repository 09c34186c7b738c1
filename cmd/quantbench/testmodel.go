package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/ollama/ollama/api"

	"github.com/quantbench/quantbench/bench"
	"github.com/quantbench/quantbench/bench/testmodel"
)

const testmodelUsage = `
Usage: quantbench testmodel [--kind tiny|sentiment] [options]

Writes a generated llama-architecture model as an F16 GGUF file, creates
NAME:f16 from it on an Ollama server, then one quantised variant per
--quantize level (NAME:q8_0, NAME:q4_K_M, ...), and checks each variant's
quantisation level through /api/show. No weights are downloaded.

Two kinds exist:
  tiny       random weights from --seed. Answers are noise, but timings,
             quantisation and logprobs are real. Size flags make it large
             enough for throughput tests.
  sentiment  a bag-of-words sentiment classifier built into the weights,
             trained on sentences written for quantbench. It answers
             "positive" or "negative" to prompts of the built-in sentiment
             dataset ("Review: TEXT\nSentiment:"), so accuracy is real.

Arguments:
  none.

Host: --host, else OLLAMA_HOST, else http://127.0.0.1:11434.

Examples:
  # The demo's models on a server started by scripts/ollama-start.sh.
  quantbench testmodel --kind tiny
  quantbench testmodel --kind sentiment

  # A model of about 340 MB for throughput tests, kept on disk.
  quantbench testmodel --kind tiny --name qb-large --hidden 1024 --layers 8 \
      --ff 2816 --vocab 32000 --out /tmp/qb-large.gguf

  # Only write the file, for inspection or another server.
  quantbench testmodel --kind sentiment --write-only --out sentiment.gguf
`

// testmodelFlags holds the flag values of `quantbench testmodel`.
type testmodelFlags struct {
	kind, host, name, quantize, out, logLevel string
	hidden, layers, ff, heads, vocab          int
	context, generated                        int
	seed                                      uint64
	writeOnly                                 bool
	timeout                                   time.Duration
}

func init() {
	register(command{Name: "testmodel", Summary: "write a generated test model and create its quantised variants on Ollama", Run: testmodelCommand})
}

func defineTestmodelFlags(fs *flag.FlagSet, f *testmodelFlags) {
	fs.StringVar(&f.kind, "kind", "tiny", "model kind: tiny (random weights) or sentiment (a working classifier)")
	fs.StringVar(&f.host, "host", "", "Ollama URL (default OLLAMA_HOST, else http://127.0.0.1:11434)")
	fs.StringVar(&f.name, "name", "", "model name without tag (default qb-tiny or qb-sentiment)")
	fs.StringVar(&f.quantize, "quantize", "q8_0,q4_K_M", "comma-separated quantisation levels to create besides f16: q8_0, q4_K_S, q4_K_M; empty for f16 only")
	fs.StringVar(&f.out, "out", "", "keep the GGUF file at this path (default: a temporary file, removed afterwards)")
	fs.BoolVar(&f.writeOnly, "write-only", false, "write the GGUF file to --out and create nothing on a server")
	fs.IntVar(&f.hidden, "hidden", 256, "embedding length, a multiple of 256")
	fs.IntVar(&f.layers, "layers", 2, "transformer blocks (tiny only; the classifier has 1)")
	fs.IntVar(&f.ff, "ff", 512, "feed-forward length, a multiple of 256 (tiny only)")
	fs.IntVar(&f.heads, "heads", 4, "attention heads, a divisor of --hidden (tiny only)")
	fs.IntVar(&f.vocab, "vocab", 0, fmt.Sprintf("vocabulary size, at least %d; 0 for the minimum (tiny only)", testmodel.MinTinyVocab))
	fs.IntVar(&f.context, "context", 4096, "trained context length written to the model (tiny only)")
	fs.IntVar(&f.generated, "generated", 4000, "template sentences added to the hand-written training sentences (sentiment only)")
	fs.Uint64Var(&f.seed, "seed", 1, "seed of the weights (tiny) or of the generated training sentences (sentiment)")
	fs.DurationVar(&f.timeout, "timeout", 15*time.Minute, "limit on uploading and creating all variants")
	fs.StringVar(&f.logLevel, "log-level", "warn", "log level: debug, info, warn or error")
}

func testmodelCommand(args []string, stdout, stderr io.Writer) int {
	var f testmodelFlags
	fs := newFlagSet("testmodel", testmodelUsage, stderr)
	defineTestmodelFlags(fs, &f)
	if code := parseFlags(fs, args); code >= 0 {
		return code
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "quantbench testmodel: unexpected argument %q; it takes options only\n", fs.Arg(0))
		return exitUsage
	}
	if err := setupLogging(stderr, f.logLevel); err != nil {
		fmt.Fprintln(stderr, "quantbench testmodel:", err)
		return exitUsage
	}
	if err := f.check(); err != nil {
		fmt.Fprintln(stderr, "quantbench testmodel:", err)
		return exitUsage
	}

	ctx, cancel := context.WithTimeout(context.Background(), f.timeout)
	defer cancel()
	if err := runTestmodel(ctx, f, stdout); err != nil {
		fmt.Fprintln(stderr, "quantbench testmodel:", err)
		return exitFailure
	}
	return exitOK
}

// check validates flag combinations that the builders do not see.
func (f *testmodelFlags) check() error {
	switch f.kind {
	case "tiny", "sentiment":
	default:
		return fmt.Errorf("invalid --kind %q: use tiny or sentiment", f.kind)
	}
	if f.name == "" {
		f.name = "qb-" + f.kind
	}
	if strings.Contains(f.name, ":") {
		return fmt.Errorf("invalid --name %q: give the name without a tag; the tags are f16 and the --quantize levels", f.name)
	}
	if f.writeOnly && f.out == "" {
		return errors.New("--write-only needs --out FILE.gguf")
	}
	for _, level := range splitList(f.quantize) {
		switch strings.ToLower(level) {
		case "q8_0", "q4_k_s", "q4_k_m":
		default:
			return fmt.Errorf("invalid --quantize level %q: Ollama v0.17.4 creates q8_0, q4_K_S and q4_K_M", level)
		}
	}
	return nil
}

// runTestmodel writes the GGUF, then creates and checks the variants. It
// checks that the server responds first, so a wrong host fails fast.
func runTestmodel(ctx context.Context, f testmodelFlags, stdout io.Writer) error {
	var client *api.Client
	var host string
	if !f.writeOnly {
		var err error
		if client, host, err = testmodelClient(f.host); err != nil {
			return err
		}
		if _, err := client.Version(ctx); err != nil {
			return fmt.Errorf("cannot reach Ollama at %s: %v: start one with scripts/ollama-start.sh, or point --host or OLLAMA_HOST at a running server", host, err)
		}
	}

	path := f.out
	if path == "" {
		dir, err := os.MkdirTemp("", "quantbench-testmodel-")
		if err != nil {
			return err
		}
		defer os.RemoveAll(dir)
		path = filepath.Join(dir, f.name+".gguf")
	}

	start := time.Now()
	summary, err := writeTestmodel(f, path)
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	size := testmodelFileSize(path)
	fmt.Fprintf(stdout, "wrote %s (%s, %s) in %v\n", path, testmodelMB(size), summary, time.Since(start).Round(time.Millisecond))
	if f.writeOnly {
		return nil
	}

	start = time.Now()
	models, err := testmodel.CreateVariants(ctx, client, f.name, path, splitList(f.quantize))
	for _, m := range models {
		fmt.Fprintf(stdout, "created %-24s %-7s %s  digest %s\n", m.Name, m.QuantizationLevel, testmodelMB(m.Size), testmodelDigest(m.Digest))
	}
	if err != nil {
		return fmt.Errorf("on %s: %w", host, err)
	}
	fmt.Fprintf(stdout, "created %d models on %s in %v\n", len(models), host, time.Since(start).Round(time.Millisecond))
	if f.kind == "tiny" {
		fmt.Fprintln(stdout, "note: tiny models have random weights, so their answers are noise; their timings and quantisation are real")
	}
	return nil
}

// writeTestmodel builds the model of f.kind at path and describes it.
func writeTestmodel(f testmodelFlags, path string) (string, error) {
	if f.kind == "sentiment" {
		info, err := testmodel.Sentiment(path, testmodel.SentimentOptions{Seed: f.seed, Hidden: f.hidden, Generated: f.generated})
		if err != nil {
			return "", err
		}
		return fmt.Sprintf("vocabulary %d, trained on %d sentences, training accuracy %.1f%%",
			info.VocabSize, info.TrainExamples, 100*info.TrainAccuracy), nil
	}

	opts := testmodel.TinyOptions{
		Seed: f.seed, Hidden: f.hidden, Layers: f.layers, FF: f.ff,
		Heads: f.heads, Vocab: f.vocab, Context: f.context,
	}
	if err := testmodel.Tiny(path, opts); err != nil {
		return "", err
	}
	vocab := max(f.vocab, testmodel.MinTinyVocab)
	return fmt.Sprintf("hidden %d, %d layers, feed-forward %d, vocabulary %d, seed %d",
		f.hidden, f.layers, f.ff, vocab, f.seed), nil
}

// testmodelClient returns a client for --host, else OLLAMA_HOST, else the local default.
func testmodelClient(flagHost string) (*api.Client, string, error) {
	host := flagHost
	if host == "" {
		host = bench.DefaultHost()
	}
	base, err := bench.ParseHost(host)
	if err != nil {
		return nil, "", err
	}
	slog.Debug("using Ollama", "host", base.String())
	return api.NewClient(base, &http.Client{}), base.String(), nil
}

func testmodelFileSize(path string) int64 {
	info, err := os.Stat(path)
	if err != nil {
		return 0
	}
	return info.Size()
}

// testmodelMB formats a size in MB (10^6 bytes) with one decimal.
func testmodelMB(n int64) string {
	return fmt.Sprintf("%.1f MB", float64(n)/1e6)
}

// testmodelDigest returns the first 12 hex digits of a digest, as `ollama list` shows it.
func testmodelDigest(d string) string {
	d = strings.TrimPrefix(d, "sha256:")
	if len(d) > 12 {
		return d[:12]
	}
	return d
}
