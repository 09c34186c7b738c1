package gguf

import (
	"bytes"
	"encoding/binary"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ollama/ollama/fs/ggml"
	"github.com/x448/float16"
)

// sampleFile has metadata of several types and tensors whose sizes are not
// multiples of the alignment, so padding is exercised.
func sampleFile() *File {
	return &File{
		KV: []KV{
			{"general.architecture", "llama"},
			{"llama.block_count", uint32(2)},
			{"llama.attention.layer_norm_rms_epsilon", float32(1e-5)},
			{"tokenizer.ggml.add_bos_token", true},
			{"tokenizer.ggml.tokens", []string{"<unk>", "<s>", "</s>", "\u2581hi"}},
			{"tokenizer.ggml.scores", []float32{0, 0, 0, -1.5}},
			{"tokenizer.ggml.token_type", []int32{2, 3, 3, 1}},
			{"general.signed", int32(-7)},
		},
		Tensors: []Tensor{
			{Name: "a", Shape: []uint64{3}, Type: F32, Data: []float32{1, -2, 3.5}},
			{Name: "b", Shape: []uint64{5, 2}, Type: F16, Rows: func(row int, dst []float32) {
				for i := range dst {
					dst[i] = float32(row*10+i) / 4
				}
			}},
			{Name: "c", Shape: []uint64{2}, Type: F32, Rows: Constant(1)},
		},
	}
}

func TestWriteDecodesWithOllama(t *testing.T) {
	path := filepath.Join(t.TempDir(), "m.gguf")
	if err := sampleFile().WriteFile(path); err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()

	m, err := ggml.Decode(f, -1)
	if err != nil {
		t.Fatalf("ollama's decoder rejected the file: %v", err)
	}
	kv := m.KV()
	if got := kv.Architecture(); got != "llama" {
		t.Errorf("architecture = %q, want llama", got)
	}
	if got := kv.BlockCount(); got != 2 {
		t.Errorf("block_count = %d, want 2", got)
	}
	if got := kv.Float("attention.layer_norm_rms_epsilon"); got != float32(1e-5) {
		t.Errorf("epsilon = %v, want 1e-5", got)
	}
	if got := kv.Bool("tokenizer.ggml.add_bos_token"); !got {
		t.Errorf("add_bos_token = false, want true")
	}
	if got := kv.Strings("tokenizer.ggml.tokens"); strings.Join(got, "|") != "<unk>|<s>|</s>|\u2581hi" {
		t.Errorf("tokens = %q", got)
	}
	if got := kv.Floats("tokenizer.ggml.scores"); len(got) != 4 || got[3] != -1.5 {
		t.Errorf("scores = %v, want [0 0 0 -1.5]", got)
	}
	if got := kv.Ints("tokenizer.ggml.token_type"); len(got) != 4 || got[0] != 2 || got[3] != 1 {
		t.Errorf("token_type = %v, want [2 3 3 1]", got)
	}
	if got, ok := kv["general.signed"].(int32); !ok || got != -7 {
		t.Errorf("general.signed = %v (%T), want int32 -7", kv["general.signed"], kv["general.signed"])
	}

	tensors := m.Tensors().Items()
	if len(tensors) != 3 {
		t.Fatalf("decoded %d tensors, want 3", len(tensors))
	}
	if m.Tensors().Offset%Alignment != 0 {
		t.Errorf("data section starts at %d, not a multiple of %d", m.Tensors().Offset, Alignment)
	}
	wantShapes := map[string][]uint64{"a": {3}, "b": {5, 2}, "c": {2}}
	for _, tt := range tensors {
		if tt.Offset%Alignment != 0 {
			t.Errorf("tensor %s offset %d is not aligned", tt.Name, tt.Offset)
		}
		if got, want := tt.Shape, wantShapes[tt.Name]; len(got) != len(want) || got[0] != want[0] {
			t.Errorf("tensor %s shape = %v, want %v", tt.Name, got, want)
		}
	}
}

func TestWriteTensorBytes(t *testing.T) {
	var buf bytes.Buffer
	n, err := sampleFile().WriteTo(&buf)
	if err != nil {
		t.Fatal(err)
	}
	if n != int64(buf.Len()) {
		t.Errorf("WriteTo returned %d, wrote %d bytes", n, buf.Len())
	}
	if buf.Len()%Alignment != 0 {
		t.Errorf("file size %d is not a multiple of %d", buf.Len(), Alignment)
	}

	m, err := ggml.Decode(bytes.NewReader(buf.Bytes()), -1)
	if err != nil {
		t.Fatal(err)
	}
	data := buf.Bytes()[m.Tensors().Offset:]
	byName := map[string]uint64{}
	for _, tt := range m.Tensors().Items() {
		byName[tt.Name] = tt.Offset
	}

	a := data[byName["a"]:]
	for i, want := range []float32{1, -2, 3.5} {
		if got := math.Float32frombits(binary.LittleEndian.Uint32(a[4*i:])); got != want {
			t.Errorf("a[%d] = %v, want %v", i, got, want)
		}
	}
	b := data[byName["b"]:]
	for row := range 2 {
		for col := range 5 {
			i := row*5 + col
			got := float16.Frombits(binary.LittleEndian.Uint16(b[2*i:])).Float32()
			if want := float32(row*10+col) / 4; got != want {
				t.Errorf("b[%d][%d] = %v, want %v", row, col, got, want)
			}
		}
	}
	if byName["b"] != 32 || byName["c"] != 64 {
		t.Errorf("offsets b=%d c=%d, want 32 and 64 (12 and 20 bytes each padded to 32)", byName["b"], byName["c"])
	}
}

func TestWriteRejectsBadInput(t *testing.T) {
	cases := map[string]struct {
		file File
		want string
	}{
		"duplicate key":     {File{KV: []KV{{"k", uint32(1)}, {"k", uint32(2)}}}, `duplicate metadata key "k"`},
		"unsupported value": {File{KV: []KV{{"k", map[string]int{}}}}, "unsupported value type"},
		"data length":       {File{Tensors: []Tensor{{Name: "t", Shape: []uint64{4}, Type: F32, Data: []float32{1}}}}, "has 1 values in Data, want 4"},
		"no source":         {File{Tensors: []Tensor{{Name: "t", Shape: []uint64{4}, Type: F32}}}, "exactly one of Data and Rows"},
		"zero dimension":    {File{Tensors: []Tensor{{Name: "t", Shape: []uint64{4, 0}, Type: F32, Rows: Constant(0)}}}, "zero dimension"},
		"type":              {File{Tensors: []Tensor{{Name: "t", Shape: []uint64{4}, Type: 8, Rows: Constant(0)}}}, "supports F32 and F16"},
		"f16 overflow":      {File{Tensors: []Tensor{{Name: "t", Shape: []uint64{2}, Type: F16, Data: []float32{1, 70000}}}}, "column 1 is 70000"},
		"nan":               {File{Tensors: []Tensor{{Name: "t", Shape: []uint64{1}, Type: F32, Data: []float32{float32(math.NaN())}}}}, "is NaN"},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			_, err := c.file.WriteTo(&bytes.Buffer{})
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Errorf("error = %v, want it to contain %q", err, c.want)
			}
		})
	}
}

func TestWriteFileRemovesPartialFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "bad.gguf")
	f := File{Tensors: []Tensor{{Name: "t", Shape: []uint64{1}, Type: F32, Data: []float32{float32(math.Inf(1))}}}}
	if err := f.WriteFile(path); err == nil {
		t.Fatal("WriteFile accepted an infinite weight")
	}
	if _, err := os.Stat(path); !os.IsNotExist(err) {
		t.Errorf("partial file left behind: stat error %v", err)
	}
}
