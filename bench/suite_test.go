package bench

import (
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestLoadSuiteUnknownKeyNamesLine(t *testing.T) {
	path := filepath.Join(t.TempDir(), "s.yaml")
	os.WriteFile(path, []byte("name: x\nbaseline: a:f16\nvarients: [b]\n"), 0o644)

	_, err := LoadSuite(path)
	if err == nil {
		t.Fatal("an unknown key was accepted")
	}
	want := path + `:3: unknown key "varients"`
	if !strings.Contains(err.Error(), want) {
		t.Errorf("error = %q, want it to contain %q", err, want)
	}
}

func TestLoadSuiteBadDuration(t *testing.T) {
	path := filepath.Join(t.TempDir(), "s.yaml")
	os.WriteFile(path, []byte("name: x\n\ntimeout: soon\n"), 0o644)

	_, err := LoadSuite(path)
	if err == nil || !strings.Contains(err.Error(), ":3:") || !strings.Contains(err.Error(), `invalid duration "soon"`) {
		t.Errorf("error = %v, want file:3 and the invalid duration", err)
	}
}

func TestEmbeddedSuitesLoadAndKeepDefaults(t *testing.T) {
	for _, name := range []string{"quick", "standard", "overnight", "demo"} {
		t.Run(name, func(t *testing.T) {
			s, err := LoadSuite(name)
			if err != nil {
				t.Fatal(err)
			}
			if s.Name != name {
				t.Errorf("name = %q", s.Name)
			}
			if s.Options.NumCtx <= 0 || s.Timeout <= 0 || s.Concurrency != 1 {
				t.Errorf("defaults lost: num_ctx %d timeout %s concurrency %d", s.Options.NumCtx, time.Duration(s.Timeout), s.Concurrency)
			}
		})
	}
	if _, err := LoadSuite("nosuch"); err == nil || !strings.Contains(err.Error(), "quick") {
		t.Errorf("error for a missing suite = %v, want the list of built-in suites", err)
	}
}

func TestSuiteValidate(t *testing.T) {
	s := DefaultSuite()
	err := s.Validate()
	if err == nil || !strings.Contains(err.Error(), "--baseline") || !strings.Contains(err.Error(), "--variant") {
		t.Errorf("error = %v, want missing baseline and variant named with their flags", err)
	}
	s.Baseline, s.Variants = "a:f16", []string{"a:q4_K_M"}
	if err := s.Validate(); err != nil {
		t.Errorf("valid suite rejected: %v", err)
	}
	s.TopLogprobs = 21
	if err := s.Validate(); err == nil || !strings.Contains(err.Error(), "0 to 20") {
		t.Errorf("error = %v, want the top_logprobs range", err)
	}
}

func TestParseHost(t *testing.T) {
	tests := map[string]string{
		"127.0.0.1:11500":         "http://127.0.0.1:11500",
		"127.0.0.1":               "http://127.0.0.1:11434",
		"http://localhost":        "http://localhost:11434",
		"https://ollama.example":  "https://ollama.example",
		"http://127.0.0.1:11434/": "http://127.0.0.1:11434/",
	}
	for in, want := range tests {
		u, err := ParseHost(in)
		if err != nil {
			t.Errorf("%s: %v", in, err)
			continue
		}
		if u.String() != want {
			t.Errorf("%s -> %s, want %s", in, u, want)
		}
	}
	if _, err := ParseHost("http://"); err == nil {
		t.Error("ParseHost(http://) succeeded, want an error")
	}
}

func TestSuiteValidateRejectsBadValues(t *testing.T) {
	tests := []struct {
		name   string
		change func(*Suite)
		want   string
	}{
		{"negative retries", func(s *Suite) { s.Retries = -1 }, "retries is -1"},
		{"negative limit", func(s *Suite) { s.Limit = -5 }, "limit is -5"},
		{"NaN temperature", func(s *Suite) { s.Options.Temperature = math.NaN() }, "options.temperature"},
		{"NaN threshold", func(s *Suite) { s.InfraErrorThreshold = math.NaN() }, "infra_error_threshold"},
		{"bad confidence", func(s *Suite) { s.Bootstrap.Confidence = 7 }, "bootstrap.confidence"},
		{"few resamples", func(s *Suite) { s.Bootstrap.Resamples = -5 }, "bootstrap.resamples"},
		{"unknown tolerance", func(s *Suite) { s.Tolerances = map[string]float64{"clasification": 0.5} }, "tolerances.clasification: unknown category"},
		{"duplicate variant", func(s *Suite) { s.Variants = []string{"a:q4", "a:q4"} }, "listed twice"},
		{"path in name", func(s *Suite) { s.Name = "../../escaped" }, "name \"../../escaped\""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := DefaultSuite()
			s.Baseline, s.Variants = "a:f16", []string{"a:q4"}
			tt.change(&s)
			err := s.Validate()
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error = %v, want it to contain %q", err, tt.want)
			}
		})
	}
}

func TestLoadSuiteRejectsSecondDocument(t *testing.T) {
	path := filepath.Join(t.TempDir(), "s.yaml")
	os.WriteFile(path, []byte("name: x\n---\nname: y\n"), 0o644)

	_, err := LoadSuite(path)
	if err == nil || !strings.Contains(err.Error(), path+":2: a second YAML document") {
		t.Errorf("error = %v, want file:2 (the --- line) and the second document", err)
	}
}
