package ollamatest

import (
	"os"
	"path/filepath"
	"testing"
)

func TestFindBinaryPrefersEnvironment(t *testing.T) {
	t.Setenv(EnvBinary, "/opt/custom/ollama")
	if got := FindBinary(); got != "/opt/custom/ollama" {
		t.Errorf("FindBinary() = %q, want the %s value", got, EnvBinary)
	}
}

func TestFindBinaryUsesCache(t *testing.T) {
	cache := t.TempDir()
	t.Setenv(EnvBinary, "")
	t.Setenv("XDG_CACHE_HOME", cache)
	t.Setenv("PATH", t.TempDir())

	if got := FindBinary(); got != "" {
		t.Errorf("FindBinary() = %q with no binary anywhere, want empty", got)
	}
	bin := filepath.Join(cache, "quantbench", "ollama-v"+PinnedVersion, "ollama")
	if err := os.MkdirAll(filepath.Dir(bin), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(bin, []byte("#!/bin/sh\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	if got := FindBinary(); got != bin {
		t.Errorf("FindBinary() = %q, want the cached build %q", got, bin)
	}
}
