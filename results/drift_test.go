package results

import (
	"math"
	"testing"

	"github.com/ollama/ollama/api"
)

func apiLogprobs(tokens ...string) []api.Logprob {
	out := make([]api.Logprob, len(tokens))
	for i, t := range tokens {
		out[i] = api.Logprob{TokenLogprob: api.TokenLogprob{Token: t, Logprob: -0.5}}
	}
	return out
}

func offsets(entries []Logprob) []int {
	out := make([]int, len(entries))
	for i, e := range entries {
		out[i] = e.Offset
	}
	return out
}

func equalInts(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func TestLogprobsFromAPIOffsets(t *testing.T) {
	cases := []struct {
		name    string
		content string
		tokens  []string
		want    []int
	}{
		{"plain tokens", "Hello world", []string{"Hello", " world"}, []int{0, 5}},
		// é is C3 A9: two byte tokens, each sent as U+FFFD.
		{"byte tokens of one character", "aé b", []string{"a", "\ufffd", "\ufffd", " b"}, []int{0, 1, 2, 3}},
		// € is E2 82 AC: its three byte tokens came back without entries.
		{"entries missing for a character", "a€b", []string{"a", "b"}, []int{0, 4}},
		// Only the byte token that completed € has an entry.
		{"last byte token only", "a€b", []string{"a", "\ufffd", "b"}, []int{0, 1, 4}},
		// The server dropped "\xe4A" from the content but kept its entries.
		{"content dropped", "XY", []string{"X", "\ufffd", "A", "Y"}, []int{0, -1, -1, 1}},
		{"token not in content", "abc", []string{"a", "zz", "b"}, []int{0, -1, 1}},
		{"valid prefix with a cut byte", "xé", []string{"x\ufffd", "\ufffd"}, []int{0, 2}},
		{"empty token", "ab", []string{"a", "", "b"}, []int{0, -1, 1}},
	}
	for _, c := range cases {
		got := offsets(LogprobsFromAPI(c.content, apiLogprobs(c.tokens...)))
		if !equalInts(got, c.want) {
			t.Errorf("%s: offsets = %v, want %v", c.name, got, c.want)
		}
	}
}

func TestLogprobsFromAPICopiesCandidates(t *testing.T) {
	lps := []api.Logprob{{
		TokenLogprob: api.TokenLogprob{Token: "a", Logprob: -0.1, Bytes: []int{97}},
		TopLogprobs: []api.TokenLogprob{
			{Token: "a", Logprob: -0.1, Bytes: []int{97}},
			{Token: "b", Logprob: -2.5, Bytes: []int{98}},
		},
	}}
	got := LogprobsFromAPI("a", lps)
	if len(got) != 1 {
		t.Fatalf("got %d entries, want 1", len(got))
	}
	if got[0].Token != "a" || got[0].Logprob != -0.1 || len(got[0].Bytes) != 1 {
		t.Errorf("entry = %+v, want token a, logprob -0.1, bytes [97]", got[0].TokenLogprob)
	}
	if len(got[0].Top) != 2 || got[0].Top[1].Token != "b" || got[0].Top[1].Logprob != -2.5 {
		t.Errorf("top = %+v, want a then b at -2.5", got[0].Top)
	}
	if LogprobsFromAPI("a", nil) != nil {
		t.Error("LogprobsFromAPI with no entries returned a non-nil slice")
	}
}

// entry builds a record entry at offset whose top list is the given
// token:probability pairs.
func entry(token string, offset int, top ...any) Logprob {
	e := Logprob{TokenLogprob: TokenLogprob{Token: token}, Offset: offset}
	for i := 0; i < len(top); i += 2 {
		e.Top = append(e.Top, TokenLogprob{Token: top[i].(string), Logprob: math.Log(top[i+1].(float64))})
	}
	return e
}

func TestCompareTokensAlignsByOffset(t *testing.T) {
	// The baseline has entries for both byte tokens of é at offsets 1 and 2,
	// the variant none. The outputs diverge at offset 5.
	baseline := []Logprob{
		entry("a", 0, "a", 0.5, "b", 0.3, "c", 0.2),
		entry("\ufffd", 1),
		entry("\ufffd", 2),
		entry(" b", 3, " b", 0.9),
		entry(" c", 5, " c", 0.6, " d", 0.4),
	}
	variant := []Logprob{
		entry("a", 0, "b", 0.4, "a", 0.4, "c", 0.2),
		entry(" b", 3, " b", 0.8),
		entry(" d", 5, " d", 0.7, " c", 0.3),
		entry(" e", 7, " e", 0.9),
	}
	d := compareTokens(baseline, variant)

	want := 0.5*math.Log(0.5/0.4) + 0.3*math.Log(0.3/0.4)
	if d.firstTokenKL == nil || math.Abs(*d.firstTokenKL-want) > 1e-12 {
		t.Errorf("first-token KL = %v, want %.12f", d.firstTokenKL, want)
	}
	// Offset 0: a against b and a tied at 0.4, the first listed (b) wins.
	// Offset 3 agrees, offset 5 disagrees and ends the common prefix.
	if d.compared != 3 {
		t.Errorf("compared = %d, want 3", d.compared)
	}
	if d.agreed != 1 {
		t.Errorf("agreed = %d, want 1", d.agreed)
	}
	if d.withoutEntry != 2 {
		t.Errorf("without entry = %d, want 2", d.withoutEntry)
	}
}

func TestCompareTokensStopsAtShorterOutput(t *testing.T) {
	baseline := []Logprob{entry("a", 0, "a", 0.9), entry("b", 1, "b", 0.9), entry("c", 2, "c", 0.9)}
	variant := []Logprob{entry("a", 0, "a", 0.8), entry("b", 1, "b", 0.7)}
	d := compareTokens(baseline, variant)
	if d.compared != 2 || d.agreed != 2 || d.withoutEntry != 0 {
		t.Errorf("compared, agreed, without entry = %d, %d, %d, want 2, 2, 0", d.compared, d.agreed, d.withoutEntry)
	}
}

func TestCompareTokensRecomputesMissingOffsets(t *testing.T) {
	// Records written without offsets: every entry at 0.
	baseline := []Logprob{entry("ab", 0, "ab", 0.9), entry("c", 0, "c", 0.9), entry("\ufffd", 0, "x", 0.9), entry("d", 0, "d", 0.9)}
	variant := []Logprob{entry("ab", 0, "ab", 0.9), entry("c", 2, "c", 0.9), entry("d", 4, "d", 0.9)}

	byOffset, end := alignedEntries(baseline)
	for offset, token := range map[int]string{0: "ab", 2: "c", 3: "\ufffd", 4: "d"} {
		if e := byOffset[offset]; e == nil || e.Token != token {
			t.Errorf("entry at %d = %v, want %q", offset, e, token)
		}
	}
	if end != 5 {
		t.Errorf("end = %d, want 5", end)
	}

	d := compareTokens(baseline, variant)
	if d.compared != 3 || d.agreed != 3 || d.withoutEntry != 1 {
		t.Errorf("compared, agreed, without entry = %d, %d, %d, want 3, 3, 1", d.compared, d.agreed, d.withoutEntry)
	}
}

func TestCompareTokensNoFirstEntry(t *testing.T) {
	// The variant's first token was cut inside a character and has no entry.
	baseline := []Logprob{entry("\u00e9", 0, "\u00e9", 0.9), entry("x", 2, "x", 0.9)}
	variant := []Logprob{entry("x", 2, "x", 0.9)}
	d := compareTokens(baseline, variant)
	if d.firstTokenKL != nil {
		t.Errorf("first-token KL = %v, want nil", *d.firstTokenKL)
	}
	if d.compared != 1 || d.withoutEntry != 1 {
		t.Errorf("compared, without entry = %d, %d, want 1, 1", d.compared, d.withoutEntry)
	}
}

func TestDriftAccumulator(t *testing.T) {
	var acc driftAccumulator
	if acc.drift() != nil {
		t.Fatal("drift of no items is not nil")
	}

	same := []Logprob{entry("a", 0, "a", 0.5, "b", 0.5), entry("b", 1, "b", 1.0)}
	acc.add(same, same)
	acc.add(same, nil) // no logprobs on one side: skipped
	acc.add([]Logprob{entry("a", 0, "a", 0.5, "b", 0.5)}, []Logprob{entry("b", 0, "a", 0.25, "b", 0.75)})

	d := acc.drift()
	if d.Items != 2 || d.KLItems != 2 {
		t.Fatalf("items, KL items = %d, %d, want 2, 2", d.Items, d.KLItems)
	}
	wantKL := 0.5*math.Log(0.5/0.25) + 0.5*math.Log(0.5/0.75)
	if d.FirstTokenKL == nil || math.Abs(d.FirstTokenKL.Mean-wantKL/2) > 1e-12 {
		t.Errorf("mean KL = %v, want %.12f", d.FirstTokenKL, wantKL/2)
	}
	// Agreement is 1 on the first item and 0 on the second (a against b).
	if d.TopAgreement == nil || d.TopAgreement.Mean != 0.5 || d.TopAgreement.N != 2 {
		t.Errorf("agreement = %+v, want mean 0.5 over 2 items", d.TopAgreement)
	}
	if d.PositionsCompared != 3 {
		t.Errorf("positions compared = %d, want 3", d.PositionsCompared)
	}
}

func TestCompareTokensSkipsImpossibleLogprobs(t *testing.T) {
	valid := []Logprob{{TokenLogprob: TokenLogprob{Token: "a", Logprob: -0.1}, Offset: 0,
		Top: []TokenLogprob{{Token: "a", Logprob: -0.1}, {Token: "b", Logprob: -2.4}}}}
	impossible := []Logprob{{TokenLogprob: TokenLogprob{Token: "a", Logprob: 50}, Offset: 0,
		Top: []TokenLogprob{{Token: "a", Logprob: 50}, {Token: "b", Logprob: -2.4}}}}

	if d := compareTokens(valid, impossible); d.firstTokenKL != nil {
		t.Errorf("KL = %v from a logprob of +50, want none", *d.firstTokenKL)
	}
	if d := compareTokens(valid, valid); d.firstTokenKL == nil || *d.firstTokenKL != 0 {
		t.Errorf("KL of identical lists = %v, want 0", d.firstTokenKL)
	}
}
