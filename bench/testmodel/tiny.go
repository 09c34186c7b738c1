// Package testmodel builds small llama-architecture GGUF models for tests and
// demos, since no model weights can be downloaded where quantbench is tested,
// and creates them on an Ollama server at several quantisation levels.
//
// Two kinds exist. Tiny writes a model with random weights from a seed: its
// answers are noise, but its timings, quantisation and logprobs are real, and
// its size is configurable for throughput tests. Sentiment writes a model
// whose forward pass computes a bag-of-words sentiment classifier, so accuracy
// and the damage quantisation does to it are real too.
package testmodel

import (
	"fmt"
	"hash/fnv"
	"math"
	"math/rand/v2"

	"github.com/quantbench/quantbench/bench/gguf"
)

// TinyOptions sets the shape of a random-weight model. A zero field takes the
// default given in its comment.
type TinyOptions struct {
	// Seed selects the weights; equal options give byte-identical files. Default 1.
	Seed uint64

	// Hidden is the embedding length, a multiple of 256. Default 256.
	Hidden int

	// Layers is the number of transformer blocks. Default 2.
	Layers int

	// FF is the feed-forward length, a multiple of 256. Default 512.
	FF int

	// Heads is the number of attention heads; it must divide Hidden. Default 4.
	Heads int

	// Vocab is the vocabulary size. It must be at least MinTinyVocab; the
	// pieces beyond the built-in ones are unused tokens that only add size.
	// Default MinTinyVocab.
	Vocab int

	// Context is the trained context length written to the metadata. Default 4096.
	Context int
}

// withDefaults fills zero fields.
func (o TinyOptions) withDefaults() TinyOptions {
	if o.Seed == 0 {
		o.Seed = 1
	}
	if o.Hidden == 0 {
		o.Hidden = 256
	}
	if o.Layers == 0 {
		o.Layers = 2
	}
	if o.FF == 0 {
		o.FF = 512
	}
	if o.Heads == 0 {
		o.Heads = 4
	}
	if o.Context == 0 {
		o.Context = 4096
	}
	return o
}

// MinTinyVocab is the size of the tiny model's built-in vocabulary: special
// tokens, byte tokens, characters and common words.
var MinTinyVocab = tinyVocabulary(0).size()

// tinyWords are the whole-word pieces of the tiny model's vocabulary: common
// English words and words of the built-in prompts, so that prompts tokenize
// into a realistic mix of words and characters.
var tinyWords = []string{
	"the", "a", "an", "is", "are", "was", "of", "and", "or", "not", "to", "in", "on",
	"for", "with", "it", "this", "that", "be", "as", "at", "by", "from", "you", "your",
	"answer", "question", "text", "review", "sentiment", "label", "positive", "negative",
	"neutral", "yes", "no", "true", "false", "name", "date", "number", "total", "price",
	"code", "def", "return", "print", "if", "else", "import", "json", "python", "function",
	"write", "list", "each", "one", "two", "three", "step", "first", "then", "how", "many",
	"what", "which", "who", "when", "where", "why", "good", "bad", "great", "poor",
}

// tinyCharacters are single-character pieces, each also with a leading space marker.
const tinyCharacters = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.,:;!?'\"-()[]{}=+*/_#\n"

// tinyVocabulary builds the vocabulary and pads it with unused tokens up to size.
func tinyVocabulary(size int) *vocabulary {
	v := newVocabulary()
	v.addChars(tinyCharacters)
	v.addPiece(spaceMarker)
	for _, w := range tinyWords {
		v.addWord(w)
	}
	for i := 0; v.size() < size; i++ {
		v.add(fmt.Sprintf("<unused%d>", i), tokenUnused, 0)
	}
	return v
}

// Tiny writes a random-weight llama model with F16 weights to path. The
// weights are Gaussian with standard deviation 1.28/sqrt(Hidden), 0.08 at the
// default size, which keeps activations in range at any width.
func Tiny(path string, opts TinyOptions) error {
	file, err := tinyFile(opts)
	if err != nil {
		return err
	}
	return file.WriteFile(path)
}

func tinyFile(opts TinyOptions) (*gguf.File, error) {
	opts = opts.withDefaults()
	if opts.Vocab != 0 && opts.Vocab < MinTinyVocab {
		return nil, fmt.Errorf("vocabulary size %d is below the minimum %d (the built-in pieces)", opts.Vocab, MinTinyVocab)
	}
	arch := architecture{
		name:    "qb-tiny",
		hidden:  opts.Hidden,
		layers:  opts.Layers,
		ff:      opts.FF,
		heads:   opts.Heads,
		context: opts.Context,
		vocab:   tinyVocabulary(opts.Vocab),
	}
	if err := arch.check(); err != nil {
		return nil, err
	}

	std := 1.28 / math.Sqrt(float64(opts.Hidden))
	random := func(name string) gguf.RowFunc { return gaussianRows(opts.Seed, name, std) }
	return arch.file(weights{
		embedding: random("token_embd"),
		output:    random("output"),
		layer: func(layer int, name string) gguf.RowFunc {
			return random(fmt.Sprintf("blk.%d.%s", layer, name))
		},
	}), nil
}

// gaussianRows returns rows of normal values with the given standard
// deviation from a generator seeded by seed and the tensor name, so each
// tensor's values do not depend on the order tensors are written in.
func gaussianRows(seed uint64, name string, std float64) gguf.RowFunc {
	h := fnv.New64a()
	h.Write([]byte(name))
	rng := rand.New(rand.NewPCG(seed, h.Sum64()))
	return func(_ int, dst []float32) {
		for i := range dst {
			dst[i] = float32(rng.NormFloat64() * std)
		}
	}
}
