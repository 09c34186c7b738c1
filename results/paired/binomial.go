package paired

import (
	"fmt"
	"math"
	"math/big"
)

// McNemarExact returns the two-sided p-value of McNemar's exact test for
// paired pass/fail scores. Only the discordant pairs carry information: under
// the null hypothesis that both models are equally good, each of the
// n = correctToWrong + wrongToCorrect discordant pairs is equally likely to go
// either way, so the smaller count follows Binomial(n, 1/2). The p-value is
// min(1, 2 × P(X <= min(correctToWrong, wrongToCorrect))); it is 1 when there
// are no discordant pairs. For 10 and 2 it is 2 × (1 + 12 + 66) / 2^12 = 158/4096.
func McNemarExact(correctToWrong, wrongToCorrect int) (float64, error) {
	if correctToWrong < 0 || wrongToCorrect < 0 {
		return 0, fmt.Errorf("invalid flip counts %d and %d: counts must be >= 0", correctToWrong, wrongToCorrect)
	}

	n := correctToWrong + wrongToCorrect
	if n == 0 {
		return 1, nil
	}

	// Sum C(n, i) for i <= k exactly, so golden values such as 158/4096 come
	// out exact.
	k := min(correctToWrong, wrongToCorrect)
	term, sum := big.NewInt(1), big.NewInt(1)
	for i := 0; i < k; i++ {
		term.Mul(term, big.NewInt(int64(n-i)))
		term.Quo(term, big.NewInt(int64(i+1)))
		sum.Add(sum, term)
	}
	p, _ := new(big.Rat).SetFrac(sum.Lsh(sum, 1), new(big.Int).Lsh(big.NewInt(1), uint(n))).Float64()
	return min(1, p), nil
}

// binomialCDF returns P(X <= k) for X ~ Binomial(n, p), summing the
// probability mass terms in log space so that large n does not overflow.
func binomialCDF(k, n int, p float64) float64 {
	if k < 0 {
		return 0
	}
	if k >= n {
		return 1
	}
	if p <= 0 {
		return 1
	}
	if p >= 1 {
		return 0
	}

	logP, logQ := math.Log(p), math.Log1p(-p)
	lgN1, _ := math.Lgamma(float64(n + 1))

	sum := 0.0
	for i := 0; i <= k; i++ {
		lgI1, _ := math.Lgamma(float64(i + 1))
		lgNI1, _ := math.Lgamma(float64(n - i + 1))
		sum += math.Exp(lgN1 - lgI1 - lgNI1 + float64(i)*logP + float64(n-i)*logQ)
	}
	return min(1, sum)
}

// ClopperPearsonUpper returns the one-sided Clopper-Pearson (exact binomial)
// upper confidence bound for a proportion observed as successes out of n: the
// p at which P(X <= successes | n, p) = 1 − confidence. It is 1 when
// successes == n. With 0 successes it equals 1 − (1 − confidence)^(1/n), about
// 3/n at 95% (the rule of three).
func ClopperPearsonUpper(successes, n int, confidence float64) (float64, error) {
	switch {
	case n <= 0:
		return 0, fmt.Errorf("invalid sample size %d: need at least one trial for a bound", n)
	case successes < 0 || successes > n:
		return 0, fmt.Errorf("invalid count %d of %d trials: must be between 0 and the number of trials", successes, n)
	case !(confidence > 0 && confidence < 1):
		return 0, fmt.Errorf("invalid confidence %v: must be between 0 and 1, for example 0.95", confidence)
	}
	if successes == n {
		return 1, nil
	}

	// P(X <= successes | n, p) falls as p grows, so bisect on p.
	alpha := 1 - confidence
	low, high := float64(successes)/float64(n), 1.0
	for range 200 {
		mid := (low + high) / 2
		if binomialCDF(successes, n, mid) > alpha {
			low = mid
		} else {
			high = mid
		}
		if high-low < 1e-13 {
			break
		}
	}
	return high, nil
}
