package testmodel

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/ollama/ollama/fs/ggml"
)

func TestTinyDecodesWithOllama(t *testing.T) {
	path := filepath.Join(t.TempDir(), "tiny.gguf")
	if err := Tiny(path, TinyOptions{Layers: 3, Vocab: MinTinyVocab + 10}); err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	m, err := ggml.Decode(f, -1)
	if err != nil {
		t.Fatal(err)
	}

	kv := m.KV()
	if kv.Architecture() != "llama" || kv.BlockCount() != 3 || kv.EmbeddingLength() != 256 {
		t.Errorf("architecture %q, blocks %d, embedding %d; want llama, 3, 256", kv.Architecture(), kv.BlockCount(), kv.EmbeddingLength())
	}
	tokens := kv.Strings("tokenizer.ggml.tokens")
	if len(tokens) != MinTinyVocab+10 {
		t.Errorf("vocabulary has %d tokens, want %d", len(tokens), MinTinyVocab+10)
	}
	if tokens[bosID] != "<s>" || tokens[eosID] != "</s>" || tokens[3] != "<0x00>" || tokens[258] != "<0xFF>" {
		t.Errorf("special and byte tokens misplaced: %q %q %q %q", tokens[bosID], tokens[eosID], tokens[3], tokens[258])
	}
	if n := len(m.Tensors().Items()); n != 3+9*3 {
		t.Errorf("%d tensors, want %d", n, 3+9*3)
	}
	for _, tt := range m.Tensors().Items() {
		if len(tt.Shape) > 1 && tt.Shape[0]%256 != 0 {
			t.Errorf("tensor %s rows of %d values: K-quants need multiples of 256", tt.Name, tt.Shape[0])
		}
	}
}

func TestTinyIsDeterministic(t *testing.T) {
	write := func(seed uint64) []byte {
		file, err := tinyFile(TinyOptions{Seed: seed})
		if err != nil {
			t.Fatal(err)
		}
		var buf bytes.Buffer
		if _, err := file.WriteTo(&buf); err != nil {
			t.Fatal(err)
		}
		return buf.Bytes()
	}
	a, b, c := write(5), write(5), write(6)
	if !bytes.Equal(a, b) {
		t.Error("two files from seed 5 differ")
	}
	if bytes.Equal(a, c) {
		t.Error("seeds 5 and 6 gave identical files")
	}
}

func TestTinyRejectsBadShapes(t *testing.T) {
	cases := map[string]TinyOptions{
		"hidden not multiple of 256": {Hidden: 300},
		"ff not multiple of 256":     {FF: 100},
		"heads do not divide hidden": {Heads: 3},
		"vocabulary too small":       {Vocab: 10},
	}
	for name, opts := range cases {
		if _, err := tinyFile(opts); err == nil {
			t.Errorf("%s: accepted %+v", name, opts)
		}
	}
}

func TestEncodeMergesWholeWords(t *testing.T) {
	v := tinyVocabulary(0)
	cases := []struct {
		text string
		want []string
	}{
		{"Review: the answer", []string{"Review", ":", "\u2581the", "\u2581answer"}},
		{"Positive\nNo", []string{"Positive", "\n", "No"}},
		{" yes!", []string{"\u2581yes", "!"}},
		{"é", []string{"<0xC3>", "<0xA9>"}}, // not in the vocabulary: byte fallback
		{"thex", []string{"the", "x"}},
	}
	for _, c := range cases {
		ids := v.encode(c.text)
		var got []string
		for _, id := range ids {
			got = append(got, v.tokens[id])
		}
		if len(got) != len(c.want) {
			t.Errorf("encode(%q) = %q, want %q", c.text, got, c.want)
			continue
		}
		for i := range got {
			if got[i] != c.want[i] {
				t.Errorf("encode(%q) = %q, want %q", c.text, got, c.want)
				break
			}
		}
	}
}
