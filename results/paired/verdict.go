package paired

import (
	"fmt"
	"math"
)

// Verdicts of Decide.
const (
	Pass         = "PASS"
	Fail         = "FAIL"
	Inconclusive = "INCONCLUSIVE"
	NA           = "n/a"
)

// Decision is a verdict on a ratio interval against a tolerance.
type Decision struct {
	Verdict string
	// Reason is one sentence explaining the verdict.
	Reason string
	// ItemsForDecision estimates the number of pairs that would make an
	// inconclusive verdict decisive. It is nil for other verdicts and when the
	// ratio equals the tolerance.
	ItemsForDecision *int
}

// Decide judges the variant/baseline ratio and its interval, measured on
// pairs items, against tolerance (0.97 means 97% of baseline). The verdict is
// Pass when the whole interval is at or above the tolerance, and Fail when
// the whole interval is below it. It is NA when the ratio or the interval's
// lower end is undefined, and Inconclusive otherwise.
//
// For an inconclusive verdict, ItemsForDecision estimates how many pairs
// would make the interval clear the tolerance. The estimate assumes that the
// ratio stays where it is and that the half of the interval facing the
// tolerance shrinks as 1/sqrt(pairs). With h that half-width and g the gap
// between ratio and tolerance, it is ceil(pairs × (h/g)²), and at least
// pairs + 1.
func Decide(ratio *float64, interval Interval, tolerance float64, pairs int) Decision {
	switch {
	case ratio == nil:
		return Decision{Verdict: NA, Reason: "the ratio to the baseline is undefined"}
	case interval.Low == nil:
		return Decision{Verdict: NA, Reason: "the interval of the ratio is undefined"}
	}

	low, r := *interval.Low, *ratio
	tol := percent(tolerance)
	if low >= tolerance {
		return Decision{Verdict: Pass, Reason: fmt.Sprintf("the whole interval (from %s) is at or above the %s tolerance", percent(low), tol)}
	}
	if interval.High != nil && *interval.High < tolerance {
		return Decision{Verdict: Fail, Reason: fmt.Sprintf("the whole interval (up to %s) is below the %s tolerance", percent(*interval.High), tol)}
	}

	d := Decision{
		Verdict: Inconclusive,
		Reason:  fmt.Sprintf("the interval (%s to %s) contains the %s tolerance", percent(low), percentOrUnbounded(interval.High), tol),
	}

	var halfWidth, gap float64
	if r >= tolerance {
		halfWidth, gap = r-low, r-tolerance
	} else if interval.High != nil {
		halfWidth, gap = *interval.High-r, tolerance-r
	}
	if gap > 0 {
		needed := math.Ceil(float64(pairs) * (halfWidth / gap) * (halfWidth / gap))
		items := max(pairs+1, int(math.Min(needed, math.MaxInt32)))
		d.ItemsForDecision = &items
	}
	return d
}

func percent(fraction float64) string {
	return fmt.Sprintf("%.1f%%", 100*fraction)
}

func percentOrUnbounded(fraction *float64) string {
	if fraction == nil {
		return "unbounded"
	}
	return percent(*fraction)
}
