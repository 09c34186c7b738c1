// Package gguf writes GGUF version 3 files: the model format of llama.cpp and
// Ollama. It supports what quantbench's generated test models need: metadata
// key/values of the scalar, string and array types, F32 and F16 tensors, and
// the default 32-byte alignment.
//
// A file is laid out as
//
//	header      "GGUF", version (uint32 3), tensor count (uint64), key/value count (uint64)
//	key/values  key (string), value type (uint32), value
//	tensor info name (string), dimension count (uint32), dimensions (uint64 each,
//	            fastest-varying first), tensor type (uint32), data offset (uint64)
//	padding     zeros up to the next multiple of the alignment
//	tensor data each tensor padded to the alignment; offsets are relative to
//	            the start of this section
//
// All integers are little-endian, and a string is a uint64 byte length followed
// by UTF-8 bytes with no terminator. The format is specified in
// https://github.com/ggml-org/ggml/blob/master/docs/gguf.md.
//
// Tensor data is streamed row by row from a RowFunc, so a writer can produce
// files of hundreds of megabytes without holding the weights in memory.
package gguf

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"os"

	"github.com/x448/float16"
)

// Version is the GGUF version this package writes.
const Version = 3

// Alignment is the alignment in bytes of the tensor data section and of every
// tensor in it. It is the GGUF default, so the file needs no general.alignment key.
const Alignment = 32

// TensorType is a GGML tensor element type.
type TensorType uint32

// The tensor types this package writes.
const (
	F32 TensorType = 0
	F16 TensorType = 1
)

// String returns the GGML name of the type.
func (t TensorType) String() string {
	switch t {
	case F32:
		return "F32"
	case F16:
		return "F16"
	default:
		return fmt.Sprintf("TensorType(%d)", uint32(t))
	}
}

// elementSize returns the bytes per element, or 0 for a type this package does not write.
func (t TensorType) elementSize() uint64 {
	switch t {
	case F32:
		return 4
	case F16:
		return 2
	default:
		return 0
	}
}

// Metadata value types.
const (
	typeUint8   uint32 = 0
	typeInt8    uint32 = 1
	typeUint16  uint32 = 2
	typeInt16   uint32 = 3
	typeUint32  uint32 = 4
	typeInt32   uint32 = 5
	typeFloat32 uint32 = 6
	typeBool    uint32 = 7
	typeString  uint32 = 8
	typeArray   uint32 = 9
	typeUint64  uint32 = 10
	typeInt64   uint32 = 11
	typeFloat64 uint32 = 12
)

// KV is one metadata key/value. Value is one of uint8, int8, uint16, int16,
// uint32, int32, uint64, int64, float32, float64, bool, string, or a slice of
// one of those (written as a GGUF array).
type KV struct {
	Key   string
	Value any
}

// RowFunc fills dst with row number row of a tensor. A row is the tensor's
// first (fastest-varying) dimension, so len(dst) is Shape[0]. Rows are
// requested in order, once each.
type RowFunc func(row int, dst []float32)

// Tensor describes one tensor and where its values come from.
type Tensor struct {
	Name string

	// Shape lists the dimensions fastest-varying first, as GGUF stores them:
	// a matrix with n rows of length k has Shape {k, n}.
	Shape []uint64

	Type TensorType

	// Data holds all values in row order. Set either Data or Rows.
	Data []float32

	// Rows produces the values row by row, for tensors too large to hold in memory.
	Rows RowFunc
}

// Elements returns the number of values in the tensor.
func (t Tensor) Elements() uint64 {
	n := uint64(1)
	for _, d := range t.Shape {
		n *= d
	}
	return n
}

// Size returns the size in bytes of the tensor data, without padding.
func (t Tensor) Size() uint64 {
	return t.Elements() * t.Type.elementSize()
}

// Constant returns a RowFunc that fills every value with v, for example 1 for
// the weights of a normalisation layer.
func Constant(v float32) RowFunc {
	return func(_ int, dst []float32) {
		for i := range dst {
			dst[i] = v
		}
	}
}

// File is the content of a GGUF file.
type File struct {
	KV      []KV
	Tensors []Tensor
}

// WriteFile writes f to path, replacing any existing file. On error the
// partial file is removed.
func (f *File) WriteFile(path string) (err error) {
	out, err := os.Create(path)
	if err != nil {
		return err
	}
	defer func() {
		if cerr := out.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			os.Remove(path)
		}
	}()
	_, err = f.WriteTo(out)
	return err
}

// WriteTo writes f in GGUF v3 format and returns the number of bytes written.
func (f *File) WriteTo(w io.Writer) (int64, error) {
	if err := f.validate(); err != nil {
		return 0, err
	}
	cw := &countingWriter{w: w}
	bw := bufio.NewWriterSize(cw, 1<<20)
	e := &encoder{w: bw}

	e.raw([]byte("GGUF"))
	e.u32(Version)
	e.u64(uint64(len(f.Tensors)))
	e.u64(uint64(len(f.KV)))
	for _, kv := range f.KV {
		e.str(kv.Key)
		if err := e.value(kv.Value); err != nil {
			return 0, fmt.Errorf("gguf: metadata key %q: %w", kv.Key, err)
		}
	}

	var offset uint64
	for _, t := range f.Tensors {
		e.str(t.Name)
		e.u32(uint32(len(t.Shape)))
		for _, d := range t.Shape {
			e.u64(d)
		}
		e.u32(uint32(t.Type))
		e.u64(offset)
		offset += padded(t.Size())
	}
	if e.err != nil {
		return 0, e.err
	}
	if err := bw.Flush(); err != nil {
		return cw.n, err
	}
	e.zeros(padded(uint64(cw.n)) - uint64(cw.n))

	for _, t := range f.Tensors {
		if err := e.tensorData(t); err != nil {
			return cw.n, err
		}
	}
	if e.err != nil {
		return cw.n, e.err
	}
	err := bw.Flush()
	return cw.n, err
}

// validate checks names, shapes and types before anything is written.
func (f *File) validate() error {
	keys := make(map[string]bool, len(f.KV))
	for i, kv := range f.KV {
		if kv.Key == "" {
			return fmt.Errorf("gguf: metadata entry %d has an empty key", i)
		}
		if keys[kv.Key] {
			return fmt.Errorf("gguf: duplicate metadata key %q", kv.Key)
		}
		keys[kv.Key] = true
	}

	names := make(map[string]bool, len(f.Tensors))
	for _, t := range f.Tensors {
		switch {
		case t.Name == "":
			return errors.New("gguf: tensor with an empty name")
		case names[t.Name]:
			return fmt.Errorf("gguf: duplicate tensor %q", t.Name)
		case len(t.Shape) == 0 || len(t.Shape) > 4:
			return fmt.Errorf("gguf: tensor %q has %d dimensions, want 1 to 4", t.Name, len(t.Shape))
		case t.Type.elementSize() == 0:
			return fmt.Errorf("gguf: tensor %q has type %v; this writer supports F32 and F16", t.Name, t.Type)
		case (t.Rows == nil) == (t.Data == nil):
			return fmt.Errorf("gguf: tensor %q must set exactly one of Data and Rows", t.Name)
		}
		for _, d := range t.Shape {
			if d == 0 {
				return fmt.Errorf("gguf: tensor %q has a zero dimension in shape %v", t.Name, t.Shape)
			}
		}
		if t.Data != nil && uint64(len(t.Data)) != t.Elements() {
			return fmt.Errorf("gguf: tensor %q has %d values in Data, want %d for shape %v", t.Name, len(t.Data), t.Elements(), t.Shape)
		}
		names[t.Name] = true
	}
	return nil
}

// padded rounds n up to a multiple of Alignment.
func padded(n uint64) uint64 {
	return (n + Alignment - 1) / Alignment * Alignment
}

type countingWriter struct {
	w io.Writer
	n int64
}

func (c *countingWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	return n, err
}

// encoder writes little-endian values and keeps the first error, so a
// sequence of writes needs one check at the end.
type encoder struct {
	w   *bufio.Writer
	err error
	buf [8]byte
}

func (e *encoder) raw(p []byte) {
	if e.err == nil {
		_, e.err = e.w.Write(p)
	}
}

func (e *encoder) zeros(n uint64) {
	for ; n > 0; n-- {
		if e.err == nil {
			e.err = e.w.WriteByte(0)
		}
	}
}

func (e *encoder) u8(v uint8)   { e.raw([]byte{v}) }
func (e *encoder) u16(v uint16) { binary.LittleEndian.PutUint16(e.buf[:], v); e.raw(e.buf[:2]) }
func (e *encoder) u32(v uint32) { binary.LittleEndian.PutUint32(e.buf[:], v); e.raw(e.buf[:4]) }
func (e *encoder) u64(v uint64) { binary.LittleEndian.PutUint64(e.buf[:], v); e.raw(e.buf[:8]) }

func (e *encoder) str(s string) {
	e.u64(uint64(len(s)))
	e.raw([]byte(s))
}

// value writes the type tag and the value of one metadata entry.
func (e *encoder) value(v any) error {
	if t, ok := scalarType(v); ok {
		e.u32(t)
		e.scalar(v)
		return nil
	}

	elemType, n, elem, ok := arrayOf(v)
	if !ok {
		return fmt.Errorf("unsupported value type %T", v)
	}
	e.u32(typeArray)
	e.u32(elemType)
	e.u64(uint64(n))
	for i := range n {
		e.scalar(elem(i))
	}
	return nil
}

// scalarType returns the GGUF type of a scalar value.
func scalarType(v any) (uint32, bool) {
	switch v.(type) {
	case uint8:
		return typeUint8, true
	case int8:
		return typeInt8, true
	case uint16:
		return typeUint16, true
	case int16:
		return typeInt16, true
	case uint32:
		return typeUint32, true
	case int32:
		return typeInt32, true
	case uint64:
		return typeUint64, true
	case int64:
		return typeInt64, true
	case float32:
		return typeFloat32, true
	case float64:
		return typeFloat64, true
	case bool:
		return typeBool, true
	case string:
		return typeString, true
	}
	return 0, false
}

// arrayOf returns the element type, length and element accessor of a slice value.
func arrayOf(v any) (elemType uint32, n int, elem func(int) any, ok bool) {
	switch s := v.(type) {
	case []uint8:
		return typeUint8, len(s), func(i int) any { return s[i] }, true
	case []int8:
		return typeInt8, len(s), func(i int) any { return s[i] }, true
	case []uint16:
		return typeUint16, len(s), func(i int) any { return s[i] }, true
	case []int16:
		return typeInt16, len(s), func(i int) any { return s[i] }, true
	case []uint32:
		return typeUint32, len(s), func(i int) any { return s[i] }, true
	case []int32:
		return typeInt32, len(s), func(i int) any { return s[i] }, true
	case []uint64:
		return typeUint64, len(s), func(i int) any { return s[i] }, true
	case []int64:
		return typeInt64, len(s), func(i int) any { return s[i] }, true
	case []float32:
		return typeFloat32, len(s), func(i int) any { return s[i] }, true
	case []float64:
		return typeFloat64, len(s), func(i int) any { return s[i] }, true
	case []bool:
		return typeBool, len(s), func(i int) any { return s[i] }, true
	case []string:
		return typeString, len(s), func(i int) any { return s[i] }, true
	}
	return 0, 0, nil, false
}

// scalar writes a scalar value without its type tag.
func (e *encoder) scalar(v any) {
	switch x := v.(type) {
	case uint8:
		e.u8(x)
	case int8:
		e.u8(uint8(x))
	case uint16:
		e.u16(x)
	case int16:
		e.u16(uint16(x))
	case uint32:
		e.u32(x)
	case int32:
		e.u32(uint32(x))
	case uint64:
		e.u64(x)
	case int64:
		e.u64(uint64(x))
	case float32:
		e.u32(math.Float32bits(x))
	case float64:
		e.u64(math.Float64bits(x))
	case bool:
		if x {
			e.u8(1)
		} else {
			e.u8(0)
		}
	case string:
		e.str(x)
	}
}

// tensorData streams one tensor's rows, converted to its type, then the padding.
func (e *encoder) tensorData(t Tensor) error {
	rowLen := int(t.Shape[0])
	rows := int(t.Elements() / t.Shape[0])
	values := make([]float32, rowLen)
	out := make([]byte, rowLen*int(t.Type.elementSize()))

	for r := range rows {
		if t.Data != nil {
			copy(values, t.Data[r*rowLen:])
		} else {
			clear(values)
			t.Rows(r, values)
		}
		if i := firstUnrepresentable(t.Type, values); i >= 0 {
			return fmt.Errorf("gguf: tensor %q row %d column %d is %v, which %v cannot represent; scale the weights down", t.Name, r, i, values[i], t.Type)
		}
		encodeRow(t.Type, values, out)
		e.raw(out)
	}
	e.zeros(padded(t.Size()) - t.Size())
	return e.err
}

// maxF16 is the largest finite F16 value.
const maxF16 = 65504

// firstUnrepresentable returns the index of the first value that is NaN,
// infinite or, for F16, beyond the F16 range; or -1 when there is none.
func firstUnrepresentable(typ TensorType, values []float32) int {
	for i, v := range values {
		x := float64(v)
		if math.IsNaN(x) || math.IsInf(x, 0) || (typ == F16 && math.Abs(x) > maxF16) {
			return i
		}
	}
	return -1
}

// encodeRow converts values to little-endian bytes of type typ in out.
// F16 conversion rounds to the nearest even value.
func encodeRow(typ TensorType, values []float32, out []byte) {
	switch typ {
	case F32:
		for i, v := range values {
			binary.LittleEndian.PutUint32(out[4*i:], math.Float32bits(v))
		}
	case F16:
		for i, v := range values {
			binary.LittleEndian.PutUint16(out[2*i:], float16.Fromfloat32(v).Bits())
		}
	}
}
