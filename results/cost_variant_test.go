package results

import (
	"math"
	"testing"
)

func TestChooseVariantPricesFewestBits(t *testing.T) {
	s := &Summary{Run: RunManifest{Models: []ModelInfo{
		{Name: "m:f16", Role: RoleBaseline, Quantization: "F16"},
		{Name: "m:q8_0", Role: RoleVariant, Quantization: "Q8_0"},
		{Name: "m:q4_K_M", Role: RoleVariant, Quantization: "Q4_K_M"},
		{Name: "m:q5_K_M", Role: RoleVariant, Quantization: "Q5_K_M"},
	}}}
	if got, note := chooseVariant(s, ""); got != "m:q4_K_M" || note != "" {
		t.Errorf("chose %q (note %q), want m:q4_K_M", got, note)
	}
	if got, _ := chooseVariant(s, "m:q8_0"); got != "m:q8_0" {
		t.Errorf("requested m:q8_0, chose %q", got)
	}
}

func TestBitsPerWeight(t *testing.T) {
	tests := map[string]float64{"Q4_K_M": 4, "q8_0": 8, "IQ3_XXS": 3, "BF16": 16, "F32": 32, "weird": math.Inf(1)}
	for level, want := range tests {
		if got := bitsPerWeight(level); got != want {
			t.Errorf("bitsPerWeight(%q) = %v, want %v", level, got, want)
		}
	}
}
