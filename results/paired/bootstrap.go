package paired

import (
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/montanaflynn/stats"
)

// Interval is a confidence interval. A nil end is unbounded: for a ratio, the
// percentile fell on resamples whose baseline mean was 0. Both ends are nil
// when the statistic is undefined.
type Interval struct {
	Low  *float64
	High *float64
}

// Width returns High − Low, or nil when either end is unbounded.
func (iv Interval) Width() *float64 {
	if iv.Low == nil || iv.High == nil {
		return nil
	}
	w := *iv.High - *iv.Low
	return &w
}

type bootstrapResult struct {
	difference  Interval
	ratio       Interval
	ratioReason string
}

// bootstrap draws opts.Resamples paired resamples of the items, each the size
// of the data and drawn with replacement from a PCG generator seeded with
// opts.Seed. It returns percentile intervals of the mean difference and the
// ratio of means at opts.Confidence. Their ends are the (1 − confidence)/2
// and (1 + confidence)/2 nearest-rank percentiles of the resampled values.
//
// A resample whose baseline mean is 0 has ratio 1 when its variant mean is 0
// too (nothing changed) and an infinite ratio otherwise. An interval end that
// falls on an infinite ratio is reported as unbounded (nil).
func bootstrap(baseline, variant []float64, opts Options) bootstrapResult {
	n := len(baseline)
	rng := rand.New(rand.NewPCG(uint64(opts.Seed), 0x9e3779b97f4a7c15))

	differences := make([]float64, opts.Resamples)
	ratios := make([]float64, opts.Resamples)
	infinite := 0
	for s := range opts.Resamples {
		var sumBaseline, sumVariant float64
		for range n {
			i := rng.IntN(n)
			sumBaseline += baseline[i]
			sumVariant += variant[i]
		}

		differences[s] = (sumVariant - sumBaseline) / float64(n)
		switch {
		case sumBaseline > 0:
			ratios[s] = sumVariant / sumBaseline
		case sumVariant == 0:
			ratios[s] = 1
		default:
			ratios[s] = math.Inf(1)
			infinite++
		}
	}

	result := bootstrapResult{
		difference: percentileInterval(differences, opts.Confidence),
		ratio:      percentileInterval(ratios, opts.Confidence),
	}
	if result.ratio.Low == nil || result.ratio.High == nil {
		result.ratioReason = fmt.Sprintf("%d of %d bootstrap resamples had a baseline mean of 0, so the ratio interval is unbounded above", infinite, opts.Resamples)
	}
	return result
}

// percentileInterval returns the central interval of values at confidence,
// with infinite ends as nil.
func percentileInterval(values []float64, confidence float64) Interval {
	tail := 100 * (1 - confidence) / 2
	low, errLow := stats.PercentileNearestRank(values, tail)
	high, errHigh := stats.PercentileNearestRank(values, 100-tail)

	var iv Interval
	if errLow == nil && !math.IsInf(low, 0) && !math.IsNaN(low) {
		iv.Low = &low
	}
	if errHigh == nil && !math.IsInf(high, 0) && !math.IsNaN(high) {
		iv.High = &high
	}
	return iv
}
