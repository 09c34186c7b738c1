package main

import (
	"bytes"
	"strings"
	"testing"
)

func TestThroughputUsageErrors(t *testing.T) {
	cases := []struct {
		name string
		args []string
		want string
	}{
		{"no model", nil, "--model"},
		{"extra argument", []string{"--model", "m", "extra"}, "no other arguments"},
		{"invalid input tokens", []string{"--model", "m", "--input-tokens", "-5"}, "--input_tokens"},
		{"context too small", []string{"--model", "m", "--num-ctx", "256"}, "--num_ctx"},
	}
	for _, c := range cases {
		var stdout, stderr bytes.Buffer
		code := run(append([]string{"throughput"}, c.args...), &stdout, &stderr)
		if code != exitUsage {
			t.Errorf("%s: exit %d, want %d", c.name, code, exitUsage)
		}
		if !strings.Contains(stderr.String(), c.want) {
			t.Errorf("%s: stderr = %q, want it to mention %q", c.name, stderr.String(), c.want)
		}
	}
}

func TestThroughputHelpShowsExamples(t *testing.T) {
	var stdout, stderr bytes.Buffer
	if code := run([]string{"throughput", "--help"}, &stdout, &stderr); code != exitOK {
		t.Fatalf("exit %d, want %d", code, exitOK)
	}
	for _, section := range []string{"Arguments:", "Examples:", "Options:", "-concurrency-max"} {
		if !strings.Contains(stderr.String(), section) {
			t.Errorf("help lacks %q", section)
		}
	}
}

func TestThroughputUnreachableHost(t *testing.T) {
	var stdout, stderr bytes.Buffer
	code := run([]string{"throughput", "--model", "m", "--host", "http://127.0.0.1:1", "--out", t.TempDir()}, &stdout, &stderr)
	if code != exitFailure {
		t.Errorf("exit %d, want %d", code, exitFailure)
	}
	if !strings.Contains(stderr.String(), "cannot reach Ollama at http://127.0.0.1:1") {
		t.Errorf("stderr = %q, want the host and the fix", stderr.String())
	}
}

func TestParseOllamaHost(t *testing.T) {
	cases := map[string]string{
		"127.0.0.1":               "http://127.0.0.1:11434",
		"localhost:8080":          "http://localhost:8080",
		"https://ollama.example":  "https://ollama.example",
		"http://127.0.0.1:11434/": "http://127.0.0.1:11434/",
	}
	for in, want := range cases {
		u, err := parseOllamaHost(in)
		if err != nil || u.String() != want {
			t.Errorf("parseOllamaHost(%q) = %v, %v; want %s", in, u, err, want)
		}
	}
	if _, err := parseOllamaHost("http://"); err == nil {
		t.Error("parseOllamaHost(http://) succeeded, want an error")
	}
}
