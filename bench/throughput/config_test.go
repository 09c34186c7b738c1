package throughput

import (
	"strings"
	"testing"
	"time"

	"go.yaml.in/yaml/v3"
)

func TestConfigFromSuiteYAML(t *testing.T) {
	text := `
input_tokens: 400
output_tokens: 100
concurrency_max: 16
warmup: -1
repetitions: 5
min_tokens: 8
stop_when_flat: 0.1
num_ctx: 2048
seed: 7
temperature: 0.2
prompt_file: docs.txt
request_timeout: 90s
`
	var c Config
	if err := yaml.Unmarshal([]byte(text), &c); err != nil {
		t.Fatal(err)
	}
	want := Config{InputTokens: 400, OutputTokens: 100, ConcurrencyMax: 16, Warmup: -1, Repetitions: 5, MinTokens: 8,
		StopWhenFlat: 0.1, NumCtx: 2048, Seed: 7, Temperature: 0.2, PromptFile: "docs.txt", RequestTimeout: Duration(90 * time.Second)}
	if c != want {
		t.Errorf("config = %+v, want %+v", c, want)
	}
	if c.warmups() != 0 {
		t.Errorf("warmup -1 gives %d warm-up requests, want 0", c.warmups())
	}
}

func TestConfigInvalidDuration(t *testing.T) {
	var c Config
	err := yaml.Unmarshal([]byte("request_timeout: soon\n"), &c)
	if err == nil || !strings.Contains(err.Error(), "Go syntax") {
		t.Errorf("error = %v, want one explaining the duration syntax", err)
	}
}
