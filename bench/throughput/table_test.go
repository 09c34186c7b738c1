package throughput

import (
	"strings"
	"testing"

	"github.com/quantbench/quantbench/results"
)

func TestWriteTableRowsAndBlanks(t *testing.T) {
	v := func(x float64) *float64 { return &x }
	report := &results.SpeedReport{
		Levels: []results.LevelSpeed{{
			Model: "m:q4", Concurrency: 2, Requests: 4, OK: 3,
			OutputTPS: v(123.45), RequestsPerSecond: v(1.5), DocumentsPerHour: v(5400),
			DecodeTPS:    results.Distribution{N: 3, Mean: v(61.2)},
			TTFTMS:       results.Distribution{N: 3, P50: v(10), P90: v(20), P99: v(30)},
			OutputLength: results.Distribution{N: 3, Mean: v(200)},
			PromptLength: results.Distribution{N: 3, Mean: v(800)},
		}},
		Models:    []results.ModelSpeed{{Model: "m:q4", Quantization: "Q4_K_M", FileSizeBytes: 4_000_000_000, GPUReason: "nvidia-smi not found on PATH"}},
		Footnotes: []string{"a caveat"},
	}
	var b strings.Builder
	WriteTable(&b, report)
	out := b.String()

	for _, want := range []string{"3/4", "123.5", "5400", "61.2 (n=3)", "10.0/20.0/30.0 (n=3)", "800/200", "4000.0",
		"m:q4: GPU columns blank: nvidia-smi not found on PATH", "Note: a caveat"} {
		if !strings.Contains(out, want) {
			t.Errorf("table lacks %q:\n%s", want, out)
		}
	}
	row := strings.Split(out, "\n")[1]
	if got := strings.Count(row, " - "); got < 4 {
		t.Errorf("level row %q has %d blank figures, want prefill, ITL, E2E and power blank", row, got)
	}
}

func TestWriteTableNil(t *testing.T) {
	var b strings.Builder
	WriteTable(&b, nil)
	if !strings.Contains(b.String(), "No throughput records") {
		t.Errorf("nil report printed %q", b.String())
	}
}
