package testmodel

import (
	"fmt"

	"github.com/quantbench/quantbench/bench/gguf"
)

// architecture holds the hyperparameters of a llama-architecture model.
type architecture struct {
	name    string // general.name
	hidden  int    // embedding length
	layers  int
	ff      int // feed-forward length
	heads   int
	context int
	vocab   *vocabulary
}

// check rejects shapes that Ollama cannot quantise to K-quants: every tensor
// row must be a multiple of 256 values.
func (a architecture) check() error {
	switch {
	case a.hidden <= 0 || a.hidden%256 != 0:
		return fmt.Errorf("hidden size %d must be a positive multiple of 256 so K-quants apply", a.hidden)
	case a.ff <= 0 || a.ff%256 != 0:
		return fmt.Errorf("feed-forward size %d must be a positive multiple of 256 so K-quants apply", a.ff)
	case a.layers <= 0:
		return fmt.Errorf("layer count %d must be at least 1", a.layers)
	case a.heads <= 0 || a.hidden%a.heads != 0:
		return fmt.Errorf("head count %d must divide the hidden size %d", a.heads, a.hidden)
	case a.context <= 0:
		return fmt.Errorf("context length %d must be positive", a.context)
	}
	return nil
}

// metadata returns the GGUF key/values of a llama model with F16 weights.
func (a architecture) metadata() []gguf.KV {
	v := a.vocab
	return []gguf.KV{
		{Key: "general.architecture", Value: "llama"},
		{Key: "general.name", Value: a.name},
		{Key: "general.file_type", Value: uint32(1)}, // mostly F16
		{Key: "llama.context_length", Value: uint32(a.context)},
		{Key: "llama.embedding_length", Value: uint32(a.hidden)},
		{Key: "llama.block_count", Value: uint32(a.layers)},
		{Key: "llama.feed_forward_length", Value: uint32(a.ff)},
		{Key: "llama.attention.head_count", Value: uint32(a.heads)},
		{Key: "llama.attention.head_count_kv", Value: uint32(a.heads)},
		{Key: "llama.rope.dimension_count", Value: uint32(a.hidden / a.heads)},
		{Key: "llama.attention.layer_norm_rms_epsilon", Value: float32(1e-5)},
		{Key: "llama.vocab_size", Value: uint32(v.size())},
		{Key: "tokenizer.ggml.model", Value: "llama"},
		{Key: "tokenizer.ggml.tokens", Value: v.tokens},
		{Key: "tokenizer.ggml.scores", Value: v.scores},
		{Key: "tokenizer.ggml.token_type", Value: v.types},
		{Key: "tokenizer.ggml.bos_token_id", Value: uint32(bosID)},
		{Key: "tokenizer.ggml.eos_token_id", Value: uint32(eosID)},
		{Key: "tokenizer.ggml.unknown_token_id", Value: uint32(unknownID)},
		{Key: "tokenizer.ggml.add_bos_token", Value: true},
		{Key: "tokenizer.ggml.add_eos_token", Value: false},
		// Both of Ollama's engines then tokenize alike: the Go engine never
		// prepends a space, and llama.cpp does unless this is false.
		{Key: "tokenizer.ggml.add_space_prefix", Value: false},
	}
}

// weights supplies the values of each weight matrix. A nil function makes the
// tensor all zeros.
type weights struct {
	embedding gguf.RowFunc // token_embd: one row of hidden values per token
	output    gguf.RowFunc // output: one row of hidden values per token
	layer     func(layer int, name string) gguf.RowFunc
}

// file assembles the GGUF file: F16 matrices, F32 normalisation weights of 1.
func (a architecture) file(w weights) *gguf.File {
	h, ff, nv := uint64(a.hidden), uint64(a.ff), uint64(a.vocab.size())
	matrix := func(name string, shape []uint64, rows gguf.RowFunc) gguf.Tensor {
		if rows == nil {
			rows = gguf.Constant(0)
		}
		return gguf.Tensor{Name: name, Shape: shape, Type: gguf.F16, Rows: rows}
	}
	norm := func(name string) gguf.Tensor {
		return gguf.Tensor{Name: name, Shape: []uint64{h}, Type: gguf.F32, Rows: gguf.Constant(1)}
	}

	tensors := []gguf.Tensor{
		matrix("token_embd.weight", []uint64{h, nv}, w.embedding),
		norm("output_norm.weight"),
		matrix("output.weight", []uint64{h, nv}, w.output),
	}
	for i := range a.layers {
		rows := func(name string) gguf.RowFunc {
			if w.layer == nil {
				return nil
			}
			return w.layer(i, name)
		}
		p := fmt.Sprintf("blk.%d.", i)
		tensors = append(tensors,
			norm(p+"attn_norm.weight"),
			matrix(p+"attn_q.weight", []uint64{h, h}, rows("attn_q")),
			matrix(p+"attn_k.weight", []uint64{h, h}, rows("attn_k")),
			matrix(p+"attn_v.weight", []uint64{h, h}, rows("attn_v")),
			matrix(p+"attn_output.weight", []uint64{h, h}, rows("attn_output")),
			norm(p+"ffn_norm.weight"),
			matrix(p+"ffn_gate.weight", []uint64{h, ff}, rows("ffn_gate")),
			matrix(p+"ffn_up.weight", []uint64{h, ff}, rows("ffn_up")),
			matrix(p+"ffn_down.weight", []uint64{ff, h}, rows("ffn_down")),
		)
	}
	return &gguf.File{KV: a.metadata(), Tensors: tensors}
}
