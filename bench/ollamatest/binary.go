package ollamatest

import (
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// CachedBinary returns where scripts/ollama-provide.sh caches its build.
func CachedBinary() string {
	cache := os.Getenv("XDG_CACHE_HOME")
	if cache == "" {
		home, _ := os.UserHomeDir()
		cache = filepath.Join(home, ".cache")
	}
	return filepath.Join(cache, "quantbench", "ollama-v"+PinnedVersion, "ollama")
}

// FindBinary returns the Ollama binary to run: $QUANTBENCH_OLLAMA, the
// cached build, or `ollama` on PATH. It returns "" when there is none.
func FindBinary() string {
	if bin := os.Getenv(EnvBinary); bin != "" {
		return bin
	}
	if info, err := os.Stat(CachedBinary()); err == nil && !info.IsDir() && info.Mode()&0o111 != 0 {
		return CachedBinary()
	}
	if bin, err := exec.LookPath("ollama"); err == nil {
		return bin
	}
	return ""
}

// findBinaryOrSkip returns the binary, or skips the test (fails it when
// QUANTBENCH_REQUIRE_OLLAMA=1) when there is none.
func findBinaryOrSkip(t testing.TB) string {
	t.Helper()
	bin := FindBinary()
	if bin != "" {
		return bin
	}
	msg := "no Ollama binary: run scripts/ollama-provide.sh to build v" + PinnedVersion +
		" into " + CachedBinary() + ", or set " + EnvBinary + " to an ollama binary"
	if os.Getenv(EnvRequire) == "1" {
		t.Fatal(msg + " (" + EnvRequire + "=1 makes this a failure)")
	}
	t.Skip(msg)
	return ""
}
