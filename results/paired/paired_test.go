package paired

import (
	"math"
	"math/rand/v2"
	"testing"
)

func TestMcNemarExactGolden(t *testing.T) {
	cases := []struct {
		down, up int
		want     float64
	}{
		{10, 2, 158.0 / 4096},
		{2, 10, 158.0 / 4096},
		{0, 6, 2.0 / 64},
		{0, 0, 1},
		{5, 5, 1}, // 2 × 638/1024 > 1, capped
		{3, 4, 1}, // 2 × P(X <= 3 | 7) = 2 × 64/128
		{1, 0, 1}, // 2 × 1/2
		{7, 0, 2.0 / 128},
	}
	for _, c := range cases {
		got, err := McNemarExact(c.down, c.up)
		if err != nil {
			t.Fatalf("McNemarExact(%d, %d): %v", c.down, c.up, err)
		}
		if got != c.want {
			t.Errorf("McNemarExact(%d, %d) = %.12f, want %.12f", c.down, c.up, got, c.want)
		}
	}
}

func TestMcNemarExactNegativeCount(t *testing.T) {
	if _, err := McNemarExact(-1, 3); err == nil {
		t.Fatal("McNemarExact(-1, 3) returned no error")
	}
}

func TestClopperPearsonUpper(t *testing.T) {
	// Zero successes has the closed form 1 − (1 − c)^(1/n).
	got, err := ClopperPearsonUpper(0, 30, 0.95)
	if err != nil {
		t.Fatal(err)
	}
	want := 1 - math.Pow(0.05, 1.0/30)
	if math.Abs(got-want) > 1e-9 {
		t.Errorf("ClopperPearsonUpper(0, 30) = %.10f, want %.10f", got, want)
	}

	all, err := ClopperPearsonUpper(12, 12, 0.95)
	if err != nil {
		t.Fatal(err)
	}
	if all != 1 {
		t.Errorf("ClopperPearsonUpper(12, 12) = %v, want 1", all)
	}

	// The bound p solves P(X <= k | n, p) = 1 − c. For 1 of 10 at 95% the
	// bound is 0.3942 (one-sided exact binomial tables).
	one, err := ClopperPearsonUpper(1, 10, 0.95)
	if err != nil {
		t.Fatal(err)
	}
	if math.Abs(one-0.3942) > 5e-5 {
		t.Errorf("ClopperPearsonUpper(1, 10) = %.5f, want 0.3942", one)
	}
	if cdf := binomialCDF(1, 10, one); math.Abs(cdf-0.05) > 1e-9 {
		t.Errorf("P(X <= 1 | 10, %.5f) = %.10f, want 0.05", one, cdf)
	}
}

func TestClopperPearsonUpperInvalid(t *testing.T) {
	for _, c := range []struct {
		k, n int
		conf float64
	}{{0, 0, 0.95}, {5, 4, 0.95}, {-1, 4, 0.95}, {1, 4, 1}, {1, 4, 0}} {
		if _, err := ClopperPearsonUpper(c.k, c.n, c.conf); err == nil {
			t.Errorf("ClopperPearsonUpper(%d, %d, %v) returned no error", c.k, c.n, c.conf)
		}
	}
}

func TestCompareIdenticalScores(t *testing.T) {
	scores := []float64{1, 0, 1, 1, 0, 1, 1, 1, 0, 1}
	r, err := Compare(scores, scores, true, Options{Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	if r.Flips.Down != 0 || r.Flips.Up != 0 {
		t.Errorf("flips = %+v, want none", r.Flips)
	}
	if r.Ratio == nil || *r.Ratio != 1 {
		t.Fatalf("ratio = %v, want exactly 1", r.Ratio)
	}
	if r.RatioInterval.Low == nil || *r.RatioInterval.Low != 1 {
		t.Errorf("ratio interval low = %v, want exactly 1", r.RatioInterval.Low)
	}
	if r.RatioInterval.High == nil || *r.RatioInterval.High != 1 {
		t.Errorf("ratio interval high = %v, want exactly 1", r.RatioInterval.High)
	}
	if w := r.DifferenceInterval.Width(); w == nil || *w != 0 {
		t.Errorf("difference interval width = %v, want 0", w)
	}
	if r.Difference != 0 {
		t.Errorf("difference = %v, want 0", r.Difference)
	}
	if r.PValue == nil || *r.PValue != 1 {
		t.Errorf("p-value = %v, want 1", r.PValue)
	}
}

func TestCompareBaselineZero(t *testing.T) {
	baseline := []float64{0, 0, 0, 0}
	variant := []float64{0, 1, 0, 0}
	r, err := Compare(baseline, variant, true, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if r.Ratio != nil {
		t.Errorf("ratio = %v, want nil", *r.Ratio)
	}
	if r.RatioInterval.Low != nil || r.RatioInterval.High != nil {
		t.Errorf("ratio interval = %+v, want both ends nil", r.RatioInterval)
	}
	if r.RatioReason == "" {
		t.Error("ratio reason is empty")
	}
	if r.Difference != 0.25 {
		t.Errorf("difference = %v, want 0.25", r.Difference)
	}

	d := Decide(r.Ratio, r.RatioInterval, 0.9, r.Pairs)
	if d.Verdict != NA {
		t.Errorf("verdict = %s, want %s", d.Verdict, NA)
	}
	if d.ItemsForDecision != nil {
		t.Errorf("items for decision = %d, want nil", *d.ItemsForDecision)
	}
}

func TestCompareGoldenMeans(t *testing.T) {
	baseline := []float64{1, 1, 1, 1, 0, 0, 1, 1}
	variant := []float64{1, 0, 1, 0, 0, 1, 1, 0}
	r, err := Compare(baseline, variant, true, Options{Seed: 7})
	if err != nil {
		t.Fatal(err)
	}
	if r.BaselineMean != 0.75 || r.VariantMean != 0.5 {
		t.Errorf("means = %v, %v, want 0.75, 0.5", r.BaselineMean, r.VariantMean)
	}
	if r.Ratio == nil || math.Abs(*r.Ratio-2.0/3) > 1e-15 {
		t.Errorf("ratio = %v, want 2/3", r.Ratio)
	}
	if r.Flips.Down != 3 || r.Flips.Up != 1 {
		t.Errorf("flips = %+v, want 3 down and 1 up", r.Flips)
	}
	// 2 × P(X <= 1 | 4) = 2 × 5/16.
	if r.PValue == nil || *r.PValue != 10.0/16 {
		t.Errorf("p-value = %v, want 0.625", derefOr(r.PValue))
	}
	if r.DifferenceInterval.Low == nil || r.DifferenceInterval.High == nil {
		t.Fatal("difference interval has an unbounded end")
	}
	if *r.DifferenceInterval.Low > r.Difference || *r.DifferenceInterval.High < r.Difference {
		t.Errorf("difference interval [%v, %v] excludes the estimate %v", *r.DifferenceInterval.Low, *r.DifferenceInterval.High, r.Difference)
	}
}

func TestCompareContinuousFlips(t *testing.T) {
	baseline := []float64{0.5, 0.8, 1, 0.6, 0.3}
	variant := []float64{0.5, 0.7, 1, 0.62, 0.9}
	r, err := Compare(baseline, variant, false, Options{})
	if err != nil {
		t.Fatal(err)
	}
	// 0.8 → 0.7 is a flip down, 0.6 → 0.62 is within the 0.05 threshold.
	if r.Flips.Down != 1 || r.Flips.Up != 1 {
		t.Errorf("flips = %+v, want 1 down and 1 up", r.Flips)
	}
	if r.PValue != nil {
		t.Errorf("p-value = %v, want nil for continuous scores", *r.PValue)
	}
	if r.PValueReason == "" {
		t.Error("p-value reason is empty")
	}
}

func TestCompareInvalidInput(t *testing.T) {
	cases := map[string]struct {
		baseline, variant []float64
		binary            bool
		opts              Options
	}{
		"unequal lengths":    {[]float64{1, 0}, []float64{1}, true, Options{}},
		"no pairs":           {nil, nil, false, Options{}},
		"score above 1":      {[]float64{1.5}, []float64{1}, false, Options{}},
		"NaN score":          {[]float64{math.NaN()}, []float64{1}, false, Options{}},
		"binary fraction":    {[]float64{0.5}, []float64{1}, true, Options{}},
		"confidence above":   {[]float64{1}, []float64{1}, true, Options{Confidence: 1.5}},
		"negative resamples": {[]float64{1}, []float64{1}, true, Options{Resamples: -3}},
	}
	for name, c := range cases {
		if _, err := Compare(c.baseline, c.variant, c.binary, c.opts); err == nil {
			t.Errorf("%s: Compare returned no error", name)
		}
	}
}

func TestBootstrapReproducible(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	baseline, variant := make([]float64, 50), make([]float64, 50)
	for i := range baseline {
		baseline[i] = rng.Float64()
		variant[i] = rng.Float64()
	}

	first, err := Compare(baseline, variant, false, Options{Seed: 42})
	if err != nil {
		t.Fatal(err)
	}
	second, _ := Compare(baseline, variant, false, Options{Seed: 42})
	other, _ := Compare(baseline, variant, false, Options{Seed: 43})

	if *first.DifferenceInterval.Low != *second.DifferenceInterval.Low || *first.DifferenceInterval.High != *second.DifferenceInterval.High {
		t.Error("same seed gave different difference intervals")
	}
	if *first.RatioInterval.Low != *second.RatioInterval.Low || *first.RatioInterval.High != *second.RatioInterval.High {
		t.Error("same seed gave different ratio intervals")
	}
	if *first.DifferenceInterval.Low == *other.DifferenceInterval.Low && *first.DifferenceInterval.High == *other.DifferenceInterval.High {
		t.Error("seeds 42 and 43 gave the same difference interval")
	}
}

// TestBootstrapCoverage draws many synthetic data sets with a known
// population difference and ratio and checks that about 95% of the 95%
// intervals contain them. Baseline scores are uniform on [0, 1] and the
// variant's are 0.8 × baseline + 0.1 × an independent uniform, so the
// population difference is 0.45 − 0.5 = −0.05 and the ratio 0.9.
func TestBootstrapCoverage(t *testing.T) {
	const (
		trials    = 400
		pairs     = 60
		trueDiff  = -0.05
		trueRatio = 0.9
	)
	rng := rand.New(rand.NewPCG(11, 12))
	coveredDiff, coveredRatio := 0, 0
	for trial := range trials {
		baseline, variant := make([]float64, pairs), make([]float64, pairs)
		for i := range baseline {
			baseline[i] = rng.Float64()
			variant[i] = 0.8*baseline[i] + 0.1*rng.Float64()
		}

		r, err := Compare(baseline, variant, false, Options{Seed: int64(trial), Resamples: 1000})
		if err != nil {
			t.Fatal(err)
		}
		if *r.DifferenceInterval.Low <= trueDiff && trueDiff <= *r.DifferenceInterval.High {
			coveredDiff++
		}
		if *r.RatioInterval.Low <= trueRatio && trueRatio <= *r.RatioInterval.High {
			coveredRatio++
		}
	}

	for name, covered := range map[string]int{"difference": coveredDiff, "ratio": coveredRatio} {
		rate := float64(covered) / trials
		t.Logf("%s interval coverage %.3f over %d trials", name, rate, trials)
		if rate < 0.92 || rate > 0.98 {
			t.Errorf("%s interval coverage = %.3f, want 0.92 to 0.98", name, rate)
		}
	}
}

// TestBootstrapCoverageBinary repeats the coverage check with pass/fail
// scores: baseline correct with probability 0.8, a correct score turns wrong
// with probability 0.15 and a wrong one correct with probability 0.3, so the
// population difference is −0.8 × 0.15 + 0.2 × 0.3 = −0.06.
func TestBootstrapCoverageBinary(t *testing.T) {
	const (
		trials   = 400
		pairs    = 120
		trueDiff = -0.06
	)
	rng := rand.New(rand.NewPCG(21, 22))
	covered := 0
	for trial := range trials {
		baseline, variant := make([]float64, pairs), make([]float64, pairs)
		for i := range baseline {
			if rng.Float64() < 0.8 {
				baseline[i] = 1
			}
			variant[i] = baseline[i]
			if baseline[i] == 1 && rng.Float64() < 0.15 {
				variant[i] = 0
			}
			if baseline[i] == 0 && rng.Float64() < 0.3 {
				variant[i] = 1
			}
		}

		r, err := Compare(baseline, variant, true, Options{Seed: int64(trial), Resamples: 1000})
		if err != nil {
			t.Fatal(err)
		}
		if *r.DifferenceInterval.Low <= trueDiff && trueDiff <= *r.DifferenceInterval.High {
			covered++
		}
	}

	rate := float64(covered) / trials
	t.Logf("binary difference interval coverage %.3f over %d trials", rate, trials)
	if rate < 0.92 || rate > 0.98 {
		t.Errorf("binary difference interval coverage = %.3f, want 0.92 to 0.98", rate)
	}
}

func TestBootstrapUnboundedRatio(t *testing.T) {
	// One success in 20 baseline items: about 36% of resamples miss it and
	// have a baseline mean of 0 while the variant's mean stays above 0.
	baseline := make([]float64, 20)
	variant := make([]float64, 20)
	baseline[0] = 1
	for i := range variant {
		variant[i] = 1
	}
	r, err := Compare(baseline, variant, true, Options{Seed: 5})
	if err != nil {
		t.Fatal(err)
	}
	if r.Ratio == nil || *r.Ratio != 20 {
		t.Fatalf("ratio = %v, want 20", r.Ratio)
	}
	if r.RatioInterval.High != nil {
		t.Errorf("ratio interval high = %v, want nil (unbounded)", *r.RatioInterval.High)
	}
	if r.RatioInterval.Low == nil || *r.RatioInterval.Low < 1 {
		t.Errorf("ratio interval low = %v, want a finite value >= 1", r.RatioInterval.Low)
	}
	if r.RatioReason == "" {
		t.Error("ratio reason is empty for an unbounded interval")
	}
}

func ptr(v float64) *float64 { return &v }

// derefOr returns *v, or NaN for nil so a failure message shows a number.
func derefOr(v *float64) float64 {
	if v == nil {
		return math.NaN()
	}
	return *v
}

func TestDecide(t *testing.T) {
	cases := []struct {
		name    string
		ratio   float64
		low     *float64
		high    *float64
		verdict string
		items   *int
	}{
		{"whole interval above", 1.0, ptr(0.96), ptr(1.04), Pass, nil},
		{"low end on tolerance", 1.0, ptr(0.95), ptr(1.04), Pass, nil},
		{"whole interval below", 0.8, ptr(0.7), ptr(0.9), Fail, nil},
		{"unbounded above", 2, ptr(0.96), nil, Pass, nil},
		{"straddles, ratio above", 0.75, ptr(0.5), ptr(0.875), Inconclusive, intPtr(40)},
		{"straddles, ratio below", 0.5, ptr(0.375), ptr(0.75), Inconclusive, intPtr(40)},
		{"ratio on tolerance", 0.625, ptr(0.5), ptr(0.75), Inconclusive, nil},
	}
	for _, c := range cases {
		tol := 0.95
		if c.verdict == Inconclusive {
			tol = 0.625
		}
		d := Decide(ptr(c.ratio), Interval{Low: c.low, High: c.high}, tol, 10)
		if d.Verdict != c.verdict {
			t.Errorf("%s: verdict = %s, want %s", c.name, d.Verdict, c.verdict)
		}
		if d.Reason == "" {
			t.Errorf("%s: reason is empty", c.name)
		}
		switch {
		case c.items == nil && d.ItemsForDecision != nil:
			t.Errorf("%s: items for decision = %d, want nil", c.name, *d.ItemsForDecision)
		case c.items != nil && (d.ItemsForDecision == nil || *d.ItemsForDecision != *c.items):
			t.Errorf("%s: items for decision = %v, want %d", c.name, d.ItemsForDecision, *c.items)
		}
	}
}

func TestDecideItemsAtLeastOneMore(t *testing.T) {
	// An asymmetric interval whose near half is barely wider than the gap
	// still requests more pairs than were measured.
	d := Decide(ptr(0.96), Interval{Low: ptr(0.9499), High: ptr(0.97)}, 0.95, 100)
	if d.Verdict != Inconclusive {
		t.Fatalf("verdict = %s, want %s", d.Verdict, Inconclusive)
	}
	if d.ItemsForDecision == nil || *d.ItemsForDecision < 101 {
		t.Errorf("items for decision = %v, want at least 101", d.ItemsForDecision)
	}
}

func intPtr(v int) *int { return &v }

func TestDescribe(t *testing.T) {
	values := make([]float64, 100)
	for i := range values {
		values[i] = float64(i + 1)
	}
	s, ok := Describe(values)
	if !ok {
		t.Fatal("Describe returned false")
	}
	if s.N != 100 || s.Mean != 50.5 || s.Median != 50.5 || s.P99 != 99 {
		t.Errorf("Describe(1..100) = %+v, want N 100, mean 50.5, median 50.5, p99 99", s)
	}
	if _, ok := Describe(nil); ok {
		t.Error("Describe(nil) returned true")
	}
	if _, ok := Describe([]float64{1, math.Inf(1)}); ok {
		t.Error("Describe with infinity returned true")
	}
}
