package testmodel

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"

	"github.com/ollama/ollama/api"
)

// Model is a model created on an Ollama server.
type Model struct {
	// Name is the full model name, for example "qb-tiny:q8_0".
	Name string

	// QuantizationLevel is as /api/show reports it, for example "Q8_0" or "F16".
	QuantizationLevel string

	// Digest is the manifest digest /api/tags reports, the identity of the model.
	Digest string

	// Size is the model's size in bytes as /api/tags reports it.
	Size int64
}

// promptTemplate passes the prompt through unchanged: the generated models
// have no chat format, and the classifier depends on the exact prompt text.
const promptTemplate = "{{ .Prompt }}"

// Create uploads the GGUF file at ggufPath as a blob and creates model name
// from it, quantised to quantize ("" keeps F16; Ollama v0.17.4 accepts q8_0,
// q4_K_S and q4_K_M). It checks the level through /api/show and returns an
// error when it differs from the one requested.
func Create(ctx context.Context, client *api.Client, name, ggufPath, quantize string) (Model, error) {
	digest, err := UploadBlob(ctx, client, ggufPath)
	if err != nil {
		return Model{}, err
	}
	return CreateFromBlob(ctx, client, name, digest, filepath.Base(ggufPath), quantize)
}

// UploadBlob sends the file at path to the server's blob store and returns
// its digest ("sha256:HEX").
func UploadBlob(ctx context.Context, client *api.Client, path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()

	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", fmt.Errorf("read %s: %w", path, err)
	}
	digest := "sha256:" + hex.EncodeToString(h.Sum(nil))
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		return "", err
	}
	if err := client.CreateBlob(ctx, digest, f); err != nil {
		return "", fmt.Errorf("upload %s as blob %s: %w", path, digest, err)
	}
	return digest, nil
}

// CreateFromBlob creates model name from an uploaded GGUF blob, quantised to
// quantize ("" keeps F16), and checks its quantisation level. fileName is the
// file's name in the model, and must end in ".gguf".
func CreateFromBlob(ctx context.Context, client *api.Client, name, digest, fileName, quantize string) (Model, error) {
	if !strings.HasSuffix(fileName, ".gguf") {
		fileName = "model.gguf"
	}
	stream := false
	req := &api.CreateRequest{
		Model:    name,
		Files:    map[string]string{fileName: digest},
		Quantize: quantize,
		Template: promptTemplate,
		Stream:   &stream,
	}
	slog.Info("creating model", "model", name, "quantize", quantize)
	err := client.Create(ctx, req, func(p api.ProgressResponse) error {
		slog.Debug("create progress", "model", name, "status", p.Status)
		return nil
	})
	if err != nil {
		return Model{}, fmt.Errorf("create model %s (quantize %q): %w", name, quantize, err)
	}
	return Inspect(ctx, client, name, quantize)
}

// Inspect reads a model's quantisation level through /api/show and its digest
// and size through /api/tags. When want is not empty, a level other than want
// (compared without case, "" meaning F16) is an error.
func Inspect(ctx context.Context, client *api.Client, name, want string) (Model, error) {
	show, err := client.Show(ctx, &api.ShowRequest{Model: name})
	if err != nil {
		return Model{}, fmt.Errorf("show model %s: %w", name, err)
	}
	m := Model{Name: name, QuantizationLevel: show.Details.QuantizationLevel}
	if want == "" {
		want = "F16"
	}
	if !strings.EqualFold(m.QuantizationLevel, want) {
		return m, fmt.Errorf("model %s has quantization level %q, want %q: the server did not quantise as requested; check its log", name, m.QuantizationLevel, strings.ToUpper(want))
	}

	list, err := client.List(ctx)
	if err != nil {
		return m, fmt.Errorf("list models to read the digest of %s: %w", name, err)
	}
	for _, lm := range list.Models {
		if lm.Name == name || lm.Model == name {
			m.Digest, m.Size = lm.Digest, lm.Size
			return m, nil
		}
	}
	return m, fmt.Errorf("model %s is missing from /api/tags after it was created", name)
}

// CreateVariants uploads the GGUF file once and creates base+":f16" and one
// model per quantisation level, named base+":"+level, in that order.
func CreateVariants(ctx context.Context, client *api.Client, base, ggufPath string, levels []string) ([]Model, error) {
	digest, err := UploadBlob(ctx, client, ggufPath)
	if err != nil {
		return nil, err
	}
	models := make([]Model, 0, len(levels)+1)
	for _, level := range append([]string{""}, levels...) {
		tag := level
		if tag == "" {
			tag = "f16"
		}
		m, err := CreateFromBlob(ctx, client, base+":"+tag, digest, filepath.Base(ggufPath), level)
		if err != nil {
			return models, err
		}
		models = append(models, m)
	}
	return models, nil
}
