package testmodel

import (
	"container/heap"
	"fmt"
	"strings"
	"unicode/utf8"
)

// Token types of a SentencePiece vocabulary, as GGUF's tokenizer.ggml.token_type stores them.
const (
	tokenNormal  int32 = 1
	tokenUnknown int32 = 2
	tokenControl int32 = 3
	tokenUnused  int32 = 5
	tokenByte    int32 = 6
)

// Ids of the special tokens, the first three entries of every vocabulary here.
const (
	unknownID = 0
	bosID     = 1
	eosID     = 2
)

// spaceMarker replaces a space in SentencePiece pieces.
const spaceMarker = "\u2581"

// vocabulary is a SentencePiece-style vocabulary: the special tokens, one
// byte-fallback token per byte value, then normal pieces. A normal piece's
// score is its length in runes, so when the tokenizer merges adjacent pieces
// it prefers longer ones.
type vocabulary struct {
	tokens []string
	scores []float32
	types  []int32
	index  map[string]int
}

// newVocabulary returns a vocabulary holding <unk>, <s>, </s> and the 256
// byte tokens <0x00> to <0xFF>.
func newVocabulary() *vocabulary {
	v := &vocabulary{index: map[string]int{}}
	v.add("<unk>", tokenUnknown, 0)
	v.add("<s>", tokenControl, 0)
	v.add("</s>", tokenControl, 0)
	for b := range 256 {
		v.add(fmt.Sprintf("<0x%02X>", b), tokenByte, 0)
	}
	return v
}

// add appends a piece unless it is present and returns its id.
func (v *vocabulary) add(piece string, typ int32, score float32) int {
	if id, ok := v.index[piece]; ok {
		return id
	}
	id := len(v.tokens)
	v.tokens = append(v.tokens, piece)
	v.scores = append(v.scores, score)
	v.types = append(v.types, typ)
	v.index[piece] = id
	return id
}

// addPiece adds a normal piece scored by its length.
func (v *vocabulary) addPiece(piece string) int {
	return v.add(piece, tokenNormal, float32(utf8.RuneCountInString(piece)))
}

// addChars adds each rune of chars as a piece, alone and after the space marker.
func (v *vocabulary) addChars(chars string) {
	for _, r := range chars {
		v.addPiece(string(r))
		v.addPiece(spaceMarker + string(r))
	}
}

// addWord adds every prefix of word, with and without a leading space marker,
// in lower case and capitalised. The tokenizer merges a pair of adjacent pieces
// only when their concatenation is a piece, so the chain of prefixes is what
// lets a whole word become one token. Because scores rise with length, the
// chain growing from the word's first rune outbids any merge inside the word.
func (v *vocabulary) addWord(word string) {
	lower := strings.ToLower(word)
	for _, form := range []string{lower, capitalise(lower)} {
		v.addChars(form)
		for _, prefix := range []string{"", spaceMarker} {
			s := prefix + form
			for i := range s {
				if i > 0 {
					v.addPiece(s[:i])
				}
			}
			v.addPiece(s)
		}
	}
}

// id returns the id of a piece, or -1 when the vocabulary lacks it.
func (v *vocabulary) id(piece string) int {
	if id, ok := v.index[piece]; ok {
		return id
	}
	return -1
}

func (v *vocabulary) size() int { return len(v.tokens) }

// capitalise upper-cases the first rune of an ASCII word.
func capitalise(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// encode tokenizes text as Ollama v0.17.4's SentencePiece tokenizer and
// llama.cpp's SPM tokenizer (with add_space_prefix false) do: spaces become the
// space marker, the text is split into runes, and the adjacent pair whose
// concatenation is the highest-scoring piece is merged repeatedly (ties go to
// the leftmost pair). Pieces left that are not in the vocabulary fall back to
// byte tokens. BOS is not added.
func (v *vocabulary) encode(text string) []int {
	text = strings.ReplaceAll(text, " ", spaceMarker)
	if text == "" {
		return nil
	}
	if id := v.id(text); id >= 0 {
		return []int{id}
	}

	symbols := make([]symbol, 0, len(text))
	for _, r := range text {
		symbols = append(symbols, symbol{text: string(r), prev: len(symbols) - 1, next: len(symbols) + 1})
	}

	q := &bigramQueue{}
	v.pushBigram(q, symbols, 0, 1)
	for i := 1; i < len(symbols)-1; i++ {
		v.pushBigram(q, symbols, i, i+1)
	}
	for q.Len() > 0 {
		b := heap.Pop(q).(bigram)
		left, right := &symbols[b.left], &symbols[b.right]
		if left.text == "" || right.text == "" || len(left.text)+len(right.text) != b.size {
			continue // a stale pair: one side has merged since it was queued
		}
		left.text += right.text
		right.text = ""
		left.next = right.next
		if right.next < len(symbols) {
			symbols[right.next].prev = b.left
		}
		v.pushBigram(q, symbols, left.prev, b.left)
		v.pushBigram(q, symbols, b.left, left.next)
	}

	var ids []int
	for _, s := range symbols {
		if s.text == "" {
			continue
		}
		if id := v.id(s.text); id >= 0 {
			ids = append(ids, id)
			continue
		}
		for _, b := range []byte(s.text) {
			ids = append(ids, 3+int(b)) // byte tokens follow the three special tokens
		}
	}
	return ids
}

func (v *vocabulary) pushBigram(q *bigramQueue, symbols []symbol, left, right int) {
	if left < 0 || right >= len(symbols) {
		return
	}
	joined := symbols[left].text + symbols[right].text
	id := v.id(joined)
	if id < 0 || v.types[id] != tokenNormal {
		return
	}
	heap.Push(q, bigram{left: left, right: right, score: v.scores[id], size: len(joined)})
}

type symbol struct {
	text       string
	prev, next int
}

type bigram struct {
	left, right int
	score       float32
	size        int
}

// bigramQueue is a max-heap of bigrams by score, then by leftmost position.
type bigramQueue []bigram

func (q bigramQueue) Len() int { return len(q) }
func (q bigramQueue) Less(i, j int) bool {
	return q[i].score > q[j].score || (q[i].score == q[j].score && q[i].left < q[j].left)
}
func (q bigramQueue) Swap(i, j int) { q[i], q[j] = q[j], q[i] }
func (q *bigramQueue) Push(x any)   { *q = append(*q, x.(bigram)) }
func (q *bigramQueue) Pop() any {
	old := *q
	x := old[len(old)-1]
	*q = old[:len(old)-1]
	return x
}
