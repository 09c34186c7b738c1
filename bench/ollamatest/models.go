package ollamatest

import (
	"context"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/quantbench/quantbench/bench/testmodel"
)

// QuantizeLevels are the variants made of every generated model, after the
// F16 baseline.
var QuantizeLevels = []string{"q8_0", "q4_K_M"}

// createTimeout bounds the creation of one model set. Quantising a tiny
// model takes seconds; a larger one made for throughput tests may take minutes.
const createTimeout = 10 * time.Minute

// modelSet memoises the creation of a base model and its variants.
type modelSet struct {
	once   sync.Once
	models []testmodel.Model
	err    error
}

// TinyModels creates qb-tiny:f16, qb-tiny:q8_0 and qb-tiny:q4_K_M on srv
// from a random-weight model with the default TinyOptions, once per server,
// and returns their names, baseline first. It fails the test when creation
// fails or a quantisation level differs from the requested one.
func TinyModels(t testing.TB, srv *Server) []string {
	t.Helper()
	return names(srv.createSet(t, "qb-tiny", func(path string) error {
		return testmodel.Tiny(path, testmodel.TinyOptions{})
	}))
}

// Models returns the created models of base ("qb-tiny" or "qb-sentiment")
// with their levels and digests, creating them first if needed.
func Models(t testing.TB, srv *Server, base string) []testmodel.Model {
	t.Helper()
	switch base {
	case "qb-tiny":
		TinyModels(t, srv)
	case "qb-sentiment":
		SentimentModels(t, srv)
	default:
		t.Fatalf("ollamatest: unknown generated model %q; use qb-tiny or qb-sentiment", base)
	}
	srv.modelsMu.Lock()
	defer srv.modelsMu.Unlock()
	return srv.models[base].models
}

// createSet writes the GGUF with write and creates base:f16 and the
// QuantizeLevels variants, once per server.
func (s *Server) createSet(t testing.TB, base string, write func(path string) error) []testmodel.Model {
	t.Helper()
	s.modelsMu.Lock()
	set, ok := s.models[base]
	if !ok {
		set = &modelSet{}
		s.models[base] = set
	}
	s.modelsMu.Unlock()

	set.once.Do(func() {
		dir, err := os.MkdirTemp(filepath.Dir(s.ModelsDir), base+"-gguf-")
		if err != nil {
			set.err = err
			return
		}
		defer os.RemoveAll(dir)

		path := filepath.Join(dir, base+".gguf")
		start := time.Now()
		if set.err = write(path); set.err != nil {
			return
		}
		t.Logf("wrote %s in %v", path, time.Since(start).Round(time.Millisecond))

		ctx, cancel := context.WithTimeout(context.Background(), createTimeout)
		defer cancel()
		start = time.Now()
		set.models, set.err = testmodel.CreateVariants(ctx, s.Client(), base, path, QuantizeLevels)
		t.Logf("created %d models of %s in %v", len(set.models), base, time.Since(start).Round(time.Millisecond))
	})
	if set.err != nil {
		t.Fatalf("create %s models on %s: %v", base, s.Host, set.err)
	}
	return set.models
}

func names(models []testmodel.Model) []string {
	out := make([]string, len(models))
	for i, m := range models {
		out[i] = m.Name
	}
	return out
}
