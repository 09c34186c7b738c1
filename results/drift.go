package results

import (
	"math"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/ollama/ollama/api"

	"github.com/quantbench/quantbench/results/paired"
)

// LogprobsFromAPI converts the logprobs Ollama returned for one generation to
// records, with each token's byte offset in content, the whole generated text
// as streamed. Pass every chunk's logprobs, in order, in one call.
//
// Entries and content do not always line up one to one, so each token's text
// is matched in content from where the previous token ended:
//   - A token whose text comes next gets that offset.
//   - A token cut inside a multi-byte UTF-8 character arrives with each
//     invalid byte replaced by U+FFFD. It is placed where the next byte is
//     part of a multi-byte character, and covers one byte per U+FFFD.
//   - When neither matches, the search skips forward over bytes of
//     multi-byte characters only, because the tokens that ended inside them
//     may have no entry.
//   - A token that is still not found gets Offset -1. Ollama v0.17.4 trims
//     invalid UTF-8 from the end of a chunk before sending it. When nothing
//     is left it drops the chunk's entries too, otherwise it keeps them.
func LogprobsFromAPI(content string, lps []api.Logprob) []Logprob {
	if len(lps) == 0 {
		return nil
	}

	out := make([]Logprob, len(lps))
	position := 0
	for i, lp := range lps {
		out[i] = Logprob{TokenLogprob: tokenLogprobFromAPI(lp.TokenLogprob), Offset: -1}
		for _, top := range lp.TopLogprobs {
			out[i].Top = append(out[i].Top, tokenLogprobFromAPI(top))
		}

		if offset, length, ok := placeToken(content, position, lp.Token); ok {
			out[i].Offset = offset
			position = min(len(content), offset+length)
		}
	}
	return out
}

// placeToken finds token in content at or after position and returns its
// offset and length in content. Only bytes of multi-byte characters are
// skipped on the way.
func placeToken(content string, position int, token string) (offset, length int, ok bool) {
	if token == "" {
		return 0, 0, false
	}
	for p := position; p <= len(content); p++ {
		rest := content[p:]
		if strings.HasPrefix(rest, token) {
			return p, len(token), true
		}
		if isFragmentAt(token, rest) {
			return p, rawTokenLength(token), true
		}
		if p == len(content) || content[p] < utf8.RuneSelf {
			break
		}
	}
	return 0, 0, false
}

func tokenLogprobFromAPI(t api.TokenLogprob) TokenLogprob {
	return TokenLogprob{Token: t.Token, Logprob: t.Logprob, Bytes: slices.Clone(t.Bytes)}
}

// isFragmentAt reports whether token, which contains U+FFFD in place of
// invalid bytes, can be the start of rest: its valid prefix matches and the
// byte after that prefix is part of a multi-byte character.
func isFragmentAt(token, rest string) bool {
	valid, _, found := strings.Cut(token, string(utf8.RuneError))
	if !found || !strings.HasPrefix(rest, valid) || len(rest) <= len(valid) {
		return false
	}
	return rest[len(valid)] >= utf8.RuneSelf
}

// rawTokenLength returns the number of bytes the model generated for token,
// counting each U+FFFD (3 bytes in the JSON text) as the one invalid byte it
// replaced.
func rawTokenLength(token string) int {
	return len(token) - 2*strings.Count(token, string(utf8.RuneError))
}

// alignedEntries returns the entries that have a place in the output, keyed
// by byte offset, and the end of the last one. Records written without
// offsets (every offset 0 in a list of more than one entry) get offsets
// recomputed from the token texts.
func alignedEntries(entries []Logprob) (map[int]*Logprob, int) {
	missing := len(entries) > 1
	for _, e := range entries {
		if e.Offset != 0 {
			missing = false
			break
		}
	}

	byOffset := make(map[int]*Logprob, len(entries))
	end, position := 0, 0
	for i := range entries {
		e := &entries[i]
		offset := e.Offset
		if missing {
			offset = position
			position += rawTokenLength(e.Token)
		}
		if offset < 0 {
			continue
		}
		if _, taken := byOffset[offset]; !taken {
			byOffset[offset] = e
		}
		end = max(end, offset+rawTokenLength(e.Token))
	}
	return byOffset, end
}

// topToken returns the most probable candidate at an entry's position: the
// first of the highest logprob in Top, or the generated token when Top is empty.
func topToken(e *Logprob) string {
	if len(e.Top) == 0 {
		return e.Token
	}
	best := e.Top[0]
	for _, c := range e.Top[1:] {
		if c.Logprob > best.Logprob {
			best = c
		}
	}
	return best.Token
}

// validTop reports whether a top-k list can be read as log probabilities: it
// is not empty and every value is finite and at most 0 (a probability of at
// most 1, with a little rounding room). Other lists give no KL for the item.
func validTop(list []TokenLogprob) bool {
	if len(list) == 0 {
		return false
	}
	for _, t := range list {
		if math.IsNaN(t.Logprob) || math.IsInf(t.Logprob, 0) || t.Logprob > 1e-6 {
			return false
		}
	}
	return true
}

func candidates(list []TokenLogprob) []paired.Candidate {
	out := make([]paired.Candidate, len(list))
	for i, t := range list {
		out[i] = paired.Candidate{Token: t.Token, Logprob: t.Logprob}
	}
	return out
}

// itemDrift is the token-level drift of one pair of outputs.
type itemDrift struct {
	// firstTokenKL is nil when either side has no entry with a top-k list at
	// offset 0.
	firstTokenKL *float64

	// agreed counts the compared positions where both models' most probable
	// token is the same, and withoutEntry positions within the common prefix
	// where only one side has an entry starting there.
	agreed, compared, withoutEntry int
}

// compareTokens measures the drift of variant from baseline on one item.
//
// The first token is the entry at byte offset 0.
//
// NOTE: when Ollama dropped the first chunk of an output (all of it invalid
// UTF-8, with its entries), the entry at offset 0 is from a later step. Positions are the byte
// offsets where an entry starts, below the end of the shorter output. They
// are walked in order up to and including the first position where both
// sides have an entry but generated different tokens, which is where the
// outputs stop sharing a prefix.
func compareTokens(baseline, variant []Logprob) itemDrift {
	base, baseEnd := alignedEntries(baseline)
	vari, variEnd := alignedEntries(variant)

	var d itemDrift
	if b, v := base[0], vari[0]; b != nil && v != nil && validTop(b.Top) && validTop(v.Top) {
		kl := paired.TopKKL(candidates(b.Top), candidates(v.Top))
		d.firstTokenKL = &kl
	}

	end := min(baseEnd, variEnd)
	offsets := make([]int, 0, len(base)+len(vari))
	for o := range base {
		offsets = append(offsets, o)
	}
	for o := range vari {
		if _, ok := base[o]; !ok {
			offsets = append(offsets, o)
		}
	}
	slices.Sort(offsets)

	for _, o := range offsets {
		if o >= end {
			break
		}
		b, v := base[o], vari[o]
		if b == nil || v == nil {
			d.withoutEntry++
			continue
		}

		d.compared++
		if topToken(b) == topToken(v) {
			d.agreed++
		}
		if b.Token != v.Token {
			break
		}
	}
	return d
}

// driftAccumulator collects per-item drift of one comparison.
type driftAccumulator struct {
	items        int
	kl           []float64
	agreement    []float64
	compared     int
	withoutEntry int
}

func (a *driftAccumulator) add(baseline, variant []Logprob) {
	if len(baseline) == 0 || len(variant) == 0 {
		return
	}
	a.items++

	d := compareTokens(baseline, variant)
	if d.firstTokenKL != nil {
		a.kl = append(a.kl, *d.firstTokenKL)
	}
	if d.compared > 0 {
		a.agreement = append(a.agreement, float64(d.agreed)/float64(d.compared))
	}
	a.compared += d.compared
	a.withoutEntry += d.withoutEntry
}

// drift returns the summary, or nil when no pair carried logprobs.
func (a *driftAccumulator) drift() *Drift {
	if a.items == 0 {
		return nil
	}

	d := &Drift{
		Items:                 a.items,
		KLItems:               len(a.kl),
		PositionsCompared:     a.compared,
		PositionsWithoutEntry: a.withoutEntry,
	}
	if s, ok := paired.Describe(a.kl); ok {
		d.FirstTokenKL = sampleSummary(s)
	}
	if s, ok := paired.Describe(a.agreement); ok {
		d.TopAgreement = sampleSummary(s)
	}
	return d
}

func sampleSummary(s paired.Summary) *SampleSummary {
	return &SampleSummary{N: s.N, Mean: s.Mean, Median: s.Median, P99: s.P99}
}
