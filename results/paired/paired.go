// Package paired compares two models, the baseline and a variant, on the
// same items. It is pure statistics over slices of per-item scores
// in [0, 1], where index i of both slices is the same item.
//
// It assumes nothing about the distribution of the scores. The paired
// bootstrap resamples items, so each resample keeps the baseline's and the
// variant's score of an item together. For pass/fail scores McNemar's exact
// test gives a p-value from the discordant pairs alone.
//
// Undefined values are never NaN or infinity: they are nil pointers with a
// reason string. Means, medians and percentiles come from
// github.com/montanaflynn/stats.
package paired

import (
	"fmt"
	"math"

	"github.com/montanaflynn/stats"
)

// Defaults of Options.
const (
	DefaultResamples  = 2000
	DefaultConfidence = 0.95

	// DefaultFlipThreshold is the score difference above which a pair counts
	// as a flip. Pass/fail scores differ by 0 or 1, so for them a flip is
	// exactly a correct-to-wrong or wrong-to-correct pair. For continuous
	// scores (F1, constraint fraction) it ignores differences of a twentieth
	// of the score range or less, so rounding noise is not counted.
	DefaultFlipThreshold = 0.05
)

// Options are the settings of Compare. A zero field takes its default.
type Options struct {
	// Resamples is the number of bootstrap resamples.
	Resamples int
	// Confidence is the level of the intervals, 0.95 for 95%.
	Confidence float64
	// Seed seeds the bootstrap, so equal inputs give equal intervals.
	Seed int64
	// FlipThreshold is the score difference above which a pair is a flip.
	FlipThreshold float64
}

func (o Options) withDefaults() Options {
	if o.Resamples == 0 {
		o.Resamples = DefaultResamples
	}
	if o.Confidence == 0 {
		o.Confidence = DefaultConfidence
	}
	if o.FlipThreshold == 0 {
		o.FlipThreshold = DefaultFlipThreshold
	}
	return o
}

func (o Options) validate() error {
	switch {
	case o.Resamples < 1:
		return fmt.Errorf("invalid bootstrap resamples %d: must be at least 1 (default %d)", o.Resamples, DefaultResamples)
	case !(o.Confidence > 0 && o.Confidence < 1):
		return fmt.Errorf("invalid confidence %v: must be between 0 and 1, for example 0.95", o.Confidence)
	case !(o.FlipThreshold >= 0 && o.FlipThreshold < 1):
		return fmt.Errorf("invalid flip threshold %v: must be at least 0 and below 1", o.FlipThreshold)
	}
	return nil
}

// Flips counts the pairs whose scores differ by more than a threshold.
type Flips struct {
	// Down counts pairs where the variant scored lower than the baseline
	// (correct to wrong for pass/fail scores), Up pairs where it scored higher.
	Down int
	Up   int
}

// Total returns Down + Up.
func (f Flips) Total() int { return f.Down + f.Up }

// CountFlips counts the pairs where variant[i] and baseline[i] differ by
// more than threshold, by direction.
func CountFlips(baseline, variant []float64, threshold float64) (Flips, error) {
	if err := checkPairs(baseline, variant); err != nil {
		return Flips{}, err
	}

	var f Flips
	for i := range baseline {
		d := variant[i] - baseline[i]
		switch {
		case d < -threshold:
			f.Down++
		case d > threshold:
			f.Up++
		}
	}
	return f, nil
}

// Result is the paired comparison of a variant's scores with the baseline's.
type Result struct {
	Pairs int

	BaselineMean float64
	VariantMean  float64

	// Difference is VariantMean − BaselineMean with its bootstrap percentile
	// interval.
	Difference         float64
	DifferenceInterval Interval

	// Ratio is VariantMean / BaselineMean with its bootstrap percentile
	// interval. Ratio is nil when BaselineMean is 0. RatioReason then
	// explains that, or else an unbounded interval end.
	Ratio         *float64
	RatioInterval Interval
	RatioReason   string

	Flips Flips

	// PValue is McNemar's exact two-sided p-value. It is nil unless the
	// scores are pass/fail, and PValueReason then explains why.
	PValue       *float64
	PValueReason string
}

// Compare compares variant with baseline pair by pair: means, difference and
// ratio with paired bootstrap intervals, flips and, when binary is true (every
// score is 0 or 1), McNemar's exact test. It returns an error for slices of
// different lengths, no pairs, scores outside [0, 1] or invalid options.
func Compare(baseline, variant []float64, binary bool, opts Options) (Result, error) {
	opts = opts.withDefaults()
	if err := opts.validate(); err != nil {
		return Result{}, err
	}
	if err := checkPairs(baseline, variant); err != nil {
		return Result{}, err
	}
	if len(baseline) == 0 {
		return Result{}, fmt.Errorf("no pairs to compare")
	}
	if binary {
		if err := checkBinary(baseline, variant); err != nil {
			return Result{}, err
		}
	}

	r := Result{Pairs: len(baseline)}
	r.BaselineMean, _ = stats.Mean(baseline)
	r.VariantMean, _ = stats.Mean(variant)
	r.Difference = r.VariantMean - r.BaselineMean

	boot := bootstrap(baseline, variant, opts)
	r.DifferenceInterval = boot.difference
	r.RatioInterval = boot.ratio
	r.RatioReason = boot.ratioReason
	if r.BaselineMean > 0 {
		// The ratio of sums equals the ratio of means and rounds less.
		sumBaseline, _ := stats.Sum(baseline)
		sumVariant, _ := stats.Sum(variant)
		ratio := sumVariant / sumBaseline
		r.Ratio = &ratio
	} else {
		r.RatioInterval = Interval{}
		r.RatioReason = "baseline mean score is 0, so the ratio is undefined"
	}

	r.Flips, _ = CountFlips(baseline, variant, opts.FlipThreshold)
	if binary {
		p, _ := McNemarExact(r.Flips.Down, r.Flips.Up)
		r.PValue = &p
	} else {
		r.PValueReason = "continuous scores: McNemar's test needs pass/fail scores, so only the bootstrap applies"
	}
	return r, nil
}

func checkPairs(baseline, variant []float64) error {
	if len(baseline) != len(variant) {
		return fmt.Errorf("unpaired scores: %d baseline scores and %d variant scores", len(baseline), len(variant))
	}
	for i := range baseline {
		for _, v := range [2]float64{baseline[i], variant[i]} {
			if math.IsNaN(v) || v < 0 || v > 1 {
				return fmt.Errorf("invalid score %v at pair %d: scores must be in [0, 1]", v, i)
			}
		}
	}
	return nil
}

func checkBinary(baseline, variant []float64) error {
	for i := range baseline {
		for _, v := range [2]float64{baseline[i], variant[i]} {
			if v != 0 && v != 1 {
				return fmt.Errorf("invalid pass/fail score %v at pair %d: must be 0 or 1", v, i)
			}
		}
	}
	return nil
}
