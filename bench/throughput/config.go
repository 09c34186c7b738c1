package throughput

import (
	"fmt"
	"math"
	"time"
)

// Config is the throughput workload: the suite file's `throughput:` section
// and the flags of `quantbench throughput`. Zero fields take the defaults of
// DefaultConfig when passed through WithDefaults.
type Config struct {
	// InputTokens is the target prompt length in tokens, as counted by the
	// server (prompt_eval_count). Default 800.
	InputTokens int `yaml:"input_tokens" json:"input_tokens"`
	// OutputTokens is num_predict, the maximum output length in tokens.
	// Default 200. Ollama cannot ignore end-of-sequence, so a request may
	// stop earlier; compare models by per-token rates.
	OutputTokens int `yaml:"output_tokens" json:"output_tokens"`
	// ConcurrencyMax is the highest number of requests kept in flight. The
	// sweep runs 1, 2, 4, 8, ... and ends with ConcurrencyMax. Default 8.
	// Ollama serves at most OLLAMA_NUM_PARALLEL requests of a model at once
	// and queues the rest, so levels above it measure queueing.
	ConcurrencyMax int `yaml:"concurrency_max" json:"concurrency_max"`
	// Warmup is the number of uncounted requests per model before the sweep.
	// Default 2. Set it to -1 for none.
	Warmup int `yaml:"warmup" json:"warmup"`
	// Repetitions is the number of measured requests per stream at each
	// level, so level c sends c × Repetitions requests. Default 3.
	Repetitions int `yaml:"repetitions" json:"repetitions"`
	// MinTokens is the token count below which a decode or prefill rate is
	// flagged and left out of summaries. Default 16.
	MinTokens int `yaml:"min_tokens" json:"min_tokens"`
	// StopWhenFlat ends the sweep when a level's aggregate output tokens/s
	// is less than (1 + StopWhenFlat) times the best earlier level's.
	// Default 0.05 (a gain below 5%). Set it to -1 to run every level.
	StopWhenFlat float64 `yaml:"stop_when_flat" json:"stop_when_flat"`
	// NumCtx is options.num_ctx. Default: InputTokens + OutputTokens + 64
	// rounded up to a multiple of 512.
	NumCtx int `yaml:"num_ctx" json:"num_ctx"`
	// Seed is options.seed and the seed of the synthetic text. Default 0.
	Seed int `yaml:"seed" json:"seed"`
	// Temperature is options.temperature. Default 0.
	Temperature float64 `yaml:"temperature" json:"temperature"`
	// PromptFile, when set, is a UTF-8 text file whose words replace the
	// built-in synthetic vocabulary, so the prompt has the token statistics
	// of real documents. It is still calibrated and given a unique prefix.
	PromptFile string `yaml:"prompt_file" json:"prompt_file,omitempty"`
	// RequestTimeout bounds each request, in Go duration syntax ("10m").
	// A request that times out is an infrastructure error. Default 10m.
	RequestTimeout Duration `yaml:"request_timeout" json:"request_timeout"`
}

// DefaultConfig returns the defaults: 800 prompt tokens and 200 output
// tokens per document (a typical extraction job), concurrency up to 8.
func DefaultConfig() Config {
	return Config{
		InputTokens:    800,
		OutputTokens:   200,
		ConcurrencyMax: 8,
		Warmup:         2,
		Repetitions:    3,
		MinTokens:      16,
		StopWhenFlat:   0.05,
		RequestTimeout: Duration(10 * time.Minute),
	}
}

// WithDefaults returns c with its zero fields set from DefaultConfig and
// NumCtx derived from the token counts.
func (c Config) WithDefaults() Config {
	d := DefaultConfig()
	if c.InputTokens == 0 {
		c.InputTokens = d.InputTokens
	}
	if c.OutputTokens == 0 {
		c.OutputTokens = d.OutputTokens
	}
	if c.ConcurrencyMax == 0 {
		c.ConcurrencyMax = d.ConcurrencyMax
	}
	if c.Warmup == 0 {
		c.Warmup = d.Warmup
	}
	if c.Repetitions == 0 {
		c.Repetitions = d.Repetitions
	}
	if c.MinTokens == 0 {
		c.MinTokens = d.MinTokens
	}
	if c.StopWhenFlat == 0 {
		c.StopWhenFlat = d.StopWhenFlat
	}
	if c.RequestTimeout == 0 {
		c.RequestTimeout = d.RequestTimeout
	}
	if c.NumCtx == 0 {
		need := c.InputTokens + c.OutputTokens + 64
		c.NumCtx = (need + 511) / 512 * 512
	}
	return c
}

// Validate reports the first invalid field, named as in the suite file.
func (c Config) Validate() error {
	switch {
	case c.InputTokens < 1:
		return fmt.Errorf("throughput.input_tokens: %d is invalid: use a prompt length of at least 1 token", c.InputTokens)
	case c.OutputTokens < 1:
		return fmt.Errorf("throughput.output_tokens: %d is invalid: use an output length of at least 1 token", c.OutputTokens)
	case c.ConcurrencyMax < 1:
		return fmt.Errorf("throughput.concurrency_max: %d is invalid: use 1 or more", c.ConcurrencyMax)
	case c.Warmup < -1:
		return fmt.Errorf("throughput.warmup: %d is invalid: use 0 for the default, -1 for none or a positive count", c.Warmup)
	case c.Repetitions < 1:
		return fmt.Errorf("throughput.repetitions: %d is invalid: use 1 or more", c.Repetitions)
	case math.IsNaN(c.StopWhenFlat) || math.IsInf(c.StopWhenFlat, 0):
		return fmt.Errorf("throughput.stop_when_flat: %v is invalid: give a fraction such as 0.05, or -1 to run every level", c.StopWhenFlat)
	case c.MinTokens < 1:
		return fmt.Errorf("throughput.min_tokens: %d is invalid: use 1 or more", c.MinTokens)
	case c.NumCtx > 0 && c.NumCtx < c.InputTokens+c.OutputTokens:
		return fmt.Errorf("throughput.num_ctx: %d is smaller than input_tokens + output_tokens (%d): raise num_ctx or shorten the workload", c.NumCtx, c.InputTokens+c.OutputTokens)
	case c.RequestTimeout < 0:
		return fmt.Errorf("throughput.request_timeout: %s is invalid: use a positive duration such as 10m", time.Duration(c.RequestTimeout))
	}
	return nil
}

// warmups returns the number of warm-up requests, mapping -1 to none.
func (c Config) warmups() int {
	if c.Warmup < 0 {
		return 0
	}
	return c.Warmup
}

// Levels returns the concurrency levels of the sweep: powers of two below
// ConcurrencyMax, then ConcurrencyMax itself.
func (c Config) Levels() []int {
	var levels []int
	for n := 1; n < c.ConcurrencyMax; n *= 2 {
		levels = append(levels, n)
	}
	return append(levels, c.ConcurrencyMax)
}

// Duration is a time.Duration written as a Go duration string ("90s", "10m")
// in YAML and JSON.
type Duration time.Duration

// UnmarshalText parses a Go duration string.
func (d *Duration) UnmarshalText(text []byte) error {
	v, err := time.ParseDuration(string(text))
	if err != nil {
		return fmt.Errorf("invalid duration %q: use Go syntax such as 90s or 10m", text)
	}
	*d = Duration(v)
	return nil
}

// MarshalText writes the duration in Go syntax.
func (d Duration) MarshalText() ([]byte, error) {
	return []byte(time.Duration(d).String()), nil
}
