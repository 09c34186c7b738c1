package paired

import (
	"math"
	"math/rand/v2"
	"sort"
	"strconv"
	"testing"
)

// candidates returns a top-k list from token:probability pairs.
func candidates(pairs ...any) []Candidate {
	var list []Candidate
	for i := 0; i < len(pairs); i += 2 {
		list = append(list, Candidate{Token: pairs[i].(string), Logprob: math.Log(pairs[i+1].(float64))})
	}
	return list
}

func exactKL(p, q []float64) float64 {
	kl := 0.0
	for i := range p {
		if p[i] > 0 {
			kl += p[i] * math.Log(p[i]/q[i])
		}
	}
	return kl
}

func TestTopKKLWholeVocabulary(t *testing.T) {
	p := candidates("a", 0.5, "b", 0.3, "c", 0.2)
	q := candidates("b", 0.4, "a", 0.4, "c", 0.2)
	want := 0.5*math.Log(0.5/0.4) + 0.3*math.Log(0.3/0.4)
	if got := TopKKL(p, q); math.Abs(got-want) > 1e-12 {
		t.Errorf("TopKKL = %.12f, want %.12f", got, want)
	}
}

func TestTopKKLProportionalTails(t *testing.T) {
	// Vocabulary of five tokens, top-2 lists. Both models put 0.1 on each of
	// c, d and e, so the rest bucket loses nothing and the result is exact.
	full := exactKL([]float64{0.5, 0.2, 0.1, 0.1, 0.1}, []float64{0.4, 0.3, 0.1, 0.1, 0.1})
	p := candidates("a", 0.5, "b", 0.2)
	q := candidates("a", 0.4, "b", 0.3)
	if got := TopKKL(p, q); math.Abs(got-full) > 1e-12 {
		t.Errorf("TopKKL = %.12f, want the exact %.12f", got, full)
	}
}

func TestTopKKLIdentical(t *testing.T) {
	p := candidates("a", 0.7, "b", 0.1, "c", 0.05)
	if got := TopKKL(p, p); got != 0 {
		t.Errorf("TopKKL(p, p) = %v, want 0", got)
	}
}

func TestTopKKLMissingToken(t *testing.T) {
	// b is missing from the variant's list: Q(b) = min(0.35, 0.05 / 2).
	p := candidates("a", 0.6, "b", 0.3)
	q := candidates("a", 0.6, "c", 0.35)
	qb := 0.025
	want := 0.3*math.Log(0.3/qb) + 0.1*math.Log(0.1/(1-0.6-qb))
	if got := TopKKL(p, q); math.Abs(got-want) > 1e-12 {
		t.Errorf("TopKKL = %.12f, want %.12f", got, want)
	}
}

func TestTopKKLFloor(t *testing.T) {
	// The variant's list holds all its mass, so b gets the floor.
	p := candidates("a", 0.5, "b", 0.5)
	q := candidates("a", 1.0)
	want := 0.5*math.Log(0.5/1.0) + 0.5*math.Log(0.5/ProbabilityFloor)
	got := TopKKL(p, q)
	if math.IsInf(got, 0) || math.IsNaN(got) {
		t.Fatalf("TopKKL = %v, want a finite value", got)
	}
	// Q(a) + Q(b) exceeds 1 by the floor, so Q(rest) takes the floor, and
	// P(rest) = 0 adds nothing.
	if math.Abs(got-want) > 1e-9 {
		t.Errorf("TopKKL = %.12f, want %.12f", got, want)
	}
}

func TestTopKKLMergesEqualTexts(t *testing.T) {
	// Two byte tokens that Ollama sends as U+FFFD merge into one outcome.
	p := candidates("\ufffd", 0.3, "\ufffd", 0.2, "a", 0.5)
	q := candidates("\ufffd", 0.5, "a", 0.5)
	if got := TopKKL(p, q); math.Abs(got) > 1e-12 {
		t.Errorf("TopKKL = %v, want 0", got)
	}
}

func TestTopKKLEmptyBaseline(t *testing.T) {
	if got := TopKKL(nil, candidates("a", 1.0)); got != 0 {
		t.Errorf("TopKKL(nil, q) = %v, want 0", got)
	}
}

// TestTopKKLLowerBound checks on random distributions that when the
// variant's list includes the baseline's top 5, the approximation does not
// exceed the true KL over the whole vocabulary.
func TestTopKKLLowerBound(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	const vocabulary = 40
	for trial := range 200 {
		p, q := randomDistribution(rng, vocabulary), randomDistribution(rng, vocabulary)
		exact := exactKL(p, q)

		pTop := topK(p, 5)
		qList := topK(q, 20)
		for _, c := range pTop {
			i, _ := strconv.Atoi(c.Token)
			if !containsToken(qList, c.Token) {
				qList = append(qList, Candidate{Token: c.Token, Logprob: math.Log(q[i])})
			}
		}

		got := TopKKL(pTop, qList)
		if got > exact+1e-12 {
			t.Fatalf("trial %d: TopKKL = %.9f exceeds the exact %.9f", trial, got, exact)
		}
		if got < 0 {
			t.Fatalf("trial %d: TopKKL = %v is negative", trial, got)
		}
	}
}

func randomDistribution(rng *rand.Rand, n int) []float64 {
	p := make([]float64, n)
	sum := 0.0
	for i := range p {
		p[i] = rng.ExpFloat64() * rng.ExpFloat64()
		sum += p[i]
	}
	for i := range p {
		p[i] /= sum
	}
	return p
}

func topK(p []float64, k int) []Candidate {
	list := make([]Candidate, len(p))
	for i, prob := range p {
		list[i] = Candidate{Token: strconv.Itoa(i), Logprob: math.Log(prob)}
	}
	sort.Slice(list, func(i, j int) bool { return list[i].Logprob > list[j].Logprob })
	return list[:k:k]
}

func containsToken(list []Candidate, token string) bool {
	for _, c := range list {
		if c.Token == token {
			return true
		}
	}
	return false
}
