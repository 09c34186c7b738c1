package paired

import (
	"math"

	"github.com/montanaflynn/stats"
)

// Candidate is one token of a top-k list with its natural-log probability
// under the model's full softmax.
type Candidate struct {
	Token   string
	Logprob float64
}

// ProbabilityFloor is the smallest probability TopKKL gives the variant for
// any outcome, so a token the variant all but rules out costs a large but
// finite divergence (at most about 23 nats per unit of baseline mass).
const ProbabilityFloor = 1e-10

// TopKKL approximates KL(P ‖ Q) in nats, the divergence of the variant Q
// from the baseline P at one token position, from their top-k lists alone.
//
// The approximation: the vocabulary is coarsened into the baseline's listed
// tokens plus one "rest" bucket holding everything else, and KL is computed
// between the two coarsened distributions.
//   - P(rest) = 1 − the baseline's listed mass.
//   - Q(t) for a baseline-listed token t is the variant's listed probability
//     of t. Suppose m of the baseline's tokens are missing from the variant's
//     list. Each of them gets the variant's unlisted mass divided by m + 1,
//     because one share stays with the rest of the vocabulary. That value is
//     capped at the variant's lowest listed probability, because an unlisted
//     token cannot be more probable than a listed one.
//   - Q(rest) = 1 − the sum of those Q(t).
//   - Every Q value is at least ProbabilityFloor.
//
// Candidates with equal token text are merged by adding their
// probabilities, in both lists alike. Ollama sends a byte token that is not
// valid UTF-8 on its own as U+FFFD, so distinct byte tokens share one text.
//
// When the variant lists every token of the baseline's list the result is
// exact for the coarsened distributions, and by the data-processing
// inequality it is then a lower bound of the true KL over the full
// vocabulary. It equals the true KL when the lists cover the whole
// vocabulary, or when P and Q split the rest bucket in the same proportions.
// The result is 0 for an empty baseline list, and never negative.
func TopKKL(baseline, variant []Candidate) float64 {
	p, pOrder := mergeCandidates(baseline)
	q, _ := mergeCandidates(variant)
	if len(p) == 0 {
		return 0
	}

	qListed, qLowest := 0.0, math.Inf(1)
	for _, prob := range q {
		qListed += prob
		qLowest = math.Min(qLowest, prob)
	}
	missing := 0
	for _, t := range pOrder {
		if _, ok := q[t]; !ok {
			missing++
		}
	}
	qUnlisted := math.Max(0, 1-qListed)
	qMissing := math.Min(qLowest, qUnlisted/float64(missing+1))

	kl, pSum, qSum := 0.0, 0.0, 0.0
	for _, t := range pOrder {
		qt, ok := q[t]
		if !ok {
			qt = qMissing
		}
		qt = math.Max(qt, ProbabilityFloor)
		pt := p[t]
		pSum += pt
		qSum += qt
		if pt > 0 {
			kl += pt * math.Log(pt/qt)
		}
	}

	pRest := math.Max(0, 1-pSum)
	qRest := math.Max(ProbabilityFloor, 1-qSum)
	if pRest > 0 {
		kl += pRest * math.Log(pRest/qRest)
	}
	return math.Max(0, kl)
}

// mergeCandidates returns the probability of each distinct token text and
// the texts in first-seen order. Probabilities are scaled down to sum to 1
// when rounding in the server pushed their sum above 1.
func mergeCandidates(list []Candidate) (map[string]float64, []string) {
	probs := make(map[string]float64, len(list))
	var order []string
	total := 0.0
	for _, c := range list {
		if math.IsNaN(c.Logprob) {
			continue
		}
		prob := math.Exp(math.Min(0, c.Logprob))
		if _, ok := probs[c.Token]; !ok {
			order = append(order, c.Token)
		}
		probs[c.Token] += prob
		total += prob
	}
	if total > 1 {
		for t := range probs {
			probs[t] /= total
		}
	}
	return probs, order
}

// Summary is the mean, median and 99th percentile of a sample.
type Summary struct {
	N      int
	Mean   float64
	Median float64
	P99    float64
}

// Describe returns the mean, median and nearest-rank 99th percentile of
// values, and false when values is empty or holds NaN or infinity.
func Describe(values []float64) (Summary, bool) {
	if len(values) == 0 {
		return Summary{}, false
	}
	for _, v := range values {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return Summary{}, false
		}
	}

	s := Summary{N: len(values)}
	s.Mean, _ = stats.Mean(values)
	s.Median, _ = stats.Median(values)
	s.P99, _ = stats.PercentileNearestRank(values, 99)
	return s, true
}
