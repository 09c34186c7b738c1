package telemetry

import (
	"slices"
	"strings"
)

// bandwidthRule maps GPU names containing all of tokens to a memory
// bandwidth. Rules are tried in order, most specific first.
type bandwidthRule struct {
	tokens []string
	gbs    float64
}

// bandwidthRules contains the peak memory bandwidth, in GB/s (10^9 bytes per
// second), of common inference GPUs. The figures are NVIDIA's, from each
// product's data sheet or product brief: H200 (4.8 TB/s, SXM and NVL), H100 SXM
// (3.35 TB/s), H100 NVL (3.9 TB/s), H100 PCIe (product brief PB-11133-001:
// "greater than 2,000 GBps"), A100 80GB SXM (2,039 GB/s), A100 80GB PCIe
// (1,935 GB/s), A100 40GB (1,555 GB/s), L40S and L40 (864 GB/s), L4
// (300 GB/s), A10 and A10G (600 GB/s), T4 (320 GB/s), V100 (900 GB/s), GeForce RTX 4090
// (1,008 GB/s), RTX 3090 (936 GB/s), RTX 6000 Ada (960 GB/s) and RTX A6000
// (768 GB/s). Names are matched as nvidia-smi prints them, for example
// "NVIDIA A100-SXM4-80GB", "NVIDIA H100 80GB HBM3" (the SXM part) and
// "NVIDIA GeForce RTX 4090".
//
// NOTE: only the H100 PCIe row was checked against a vendor document. The
// other rows are NVIDIA's headline figures as commonly quoted, so check a
// row before relying on it for a purchase.
var bandwidthRules = []bandwidthRule{
	{[]string{"h200"}, 4800},
	{[]string{"h100", "nvl"}, 3900},
	{[]string{"h100", "pcie"}, 2000},
	{[]string{"h100"}, 3350},
	{[]string{"a100", "80gb", "pcie"}, 1935},
	{[]string{"a100", "80gb"}, 2039},
	{[]string{"a100", "40gb"}, 1555},
	{[]string{"a10g"}, 600},
	{[]string{"a10"}, 600},
	{[]string{"l40s"}, 864},
	{[]string{"l40"}, 864},
	{[]string{"l4"}, 300},
	{[]string{"t4"}, 320},
	{[]string{"v100"}, 900},
	{[]string{"4090"}, 1008},
	{[]string{"3090"}, 936},
	{[]string{"6000", "ada"}, 960},
	{[]string{"a6000"}, 768},
}

// Bandwidth returns the peak memory bandwidth of the GPU named name, in
// GB/s, and whether the table contains it. memoryMiB (memory.total, 0 when
// unknown) tells the A100 40 GB and 80 GB apart when the name does not.
func Bandwidth(name string, memoryMiB float64) (float64, bool) {
	tokens := strings.Fields(strings.NewReplacer("-", " ", "_", " ", "/", " ").Replace(strings.ToLower(name)))
	if slices.Contains(tokens, "a100") && !slices.Contains(tokens, "40gb") && !slices.Contains(tokens, "80gb") {
		switch {
		case memoryMiB > 60*1024 && slices.Contains(tokens, "pcie"):
			return 1935, true
		case memoryMiB > 60*1024:
			return 2039, true
		case memoryMiB > 0:
			return 1555, true
		}
		return 0, false
	}
	for _, rule := range bandwidthRules {
		if containsAll(tokens, rule.tokens) {
			return rule.gbs, true
		}
	}
	return 0, false
}

func containsAll(tokens, want []string) bool {
	for _, w := range want {
		if !slices.Contains(tokens, w) {
			return false
		}
	}
	return true
}
