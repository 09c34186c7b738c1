package results

import (
	"strings"
	"testing"
)

func TestCompareVariantsFewPairsNotDecisive(t *testing.T) {
	b := &runBuilder{}
	for i := range 5 {
		b.add("m:f16", "classification", i, 0, StatusOK, passFail(true))
		b.add("m:q8_0", "classification", i, 0, StatusOK, passFail(true))
	}
	comparisons, _, _ := compareVariants(testManifest, b.records)
	c := findComparison(t, comparisons, "classification", "m:q8_0")

	if c.PercentLow == nil || *c.PercentLow != 100 {
		t.Fatalf("percent low = %v, want the zero-width interval at 100", show(c.PercentLow))
	}
	if c.Verdict != VerdictInconclusive {
		t.Errorf("verdict = %s, want %s on 5 pairs", c.Verdict, VerdictInconclusive)
	}
	if !strings.Contains(c.VerdictReason, "only 5 pairs") || !strings.Contains(c.VerdictReason, "PASS") {
		t.Errorf("reason = %q, want the pair count and what the interval alone says", c.VerdictReason)
	}
	if c.ItemsForDecision == nil || *c.ItemsForDecision != DefaultMinPairs {
		t.Errorf("items for decision = %v, want %d", c.ItemsForDecision, DefaultMinPairs)
	}
}
