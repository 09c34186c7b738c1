package evaluators

import (
	"encoding/json"
	"math"
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
)

// The fuzz targets check that extractors never panic and that what they
// return is well formed. Run one with, for example,
//
//	go test ./evaluators -run '^$' -fuzz FuzzExtractNumber -fuzztime 15s

func FuzzExtractNumber(f *testing.F) {
	for _, s := range []string{
		"#### 1,234", "The answer is $5.00.", `\boxed{1{,}000}`, `\boxed{\frac{1}{0}}`,
		"-.5%", "1,23,456", "$,", "####", `\boxed{`, "−$1", "1e308", strings.Repeat("9", 400),
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, ok := ExtractNumber(s)
		if !ok {
			return
		}
		if math.IsNaN(got.Value) || math.IsInf(got.Value, 0) {
			t.Fatalf("ExtractNumber(%q) = %v", s, got.Value)
		}
		if got.Rule == "" {
			t.Fatalf("ExtractNumber(%q) has no rule", s)
		}
		parsed, err := strconv.ParseFloat(got.Text, 64)
		if err != nil || !NumbersEqual(parsed, got.Value, 1e-12) {
			t.Fatalf("ExtractNumber(%q) text %q does not read as %v (%v)", s, got.Text, got.Value, err)
		}
	})
}

func FuzzMatchLabel(f *testing.F) {
	for _, s := range []string{
		"Positive.", "**Answer:** negative", "The answer is neutral", "not positive",
		"card_arrival", "[", "answer is", "\n\n", "—positive—",
	} {
		f.Add(s)
	}
	labels := []string{"positive", "negative", "neutral", "card_arrival", "Very Negative", "a-b"}
	f.Fuzz(func(t *testing.T, s string) {
		got, rule, ok := MatchLabel(s, labels)
		if !ok {
			if got != "" || rule != "" {
				t.Fatalf("MatchLabel(%q) = %q, %q without a match", s, got, rule)
			}
			return
		}
		found := false
		for _, l := range labels {
			found = found || l == got
		}
		if !found || rule == "" {
			t.Fatalf("MatchLabel(%q) = %q by %q, not a label of the set", s, got, rule)
		}
	})
}

func FuzzExtractJSON(f *testing.F) {
	for _, s := range []string{
		`{"a": 1,}`, "```json\n{\"a\": [1, 2,],}\n```", `x {"a": "}"} y`, `[`, `{"a": 1e999999999}`,
		`{"a": "\"}",}`, "```\n", `{{{{`, `]}`, `{"a": {"b": [}]}}`,
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, ok := ExtractJSON(s)
		if !ok {
			return
		}
		if !json.Valid([]byte(got.Text)) {
			t.Fatalf("ExtractJSON(%q) text %q is not valid JSON", s, got.Text)
		}
		again, err := decodeNumbers(got.Text)
		if err != nil || !reflect.DeepEqual(again, got.Value) {
			t.Fatalf("ExtractJSON(%q) value %v differs from its text %q", s, got.Value, got.Text)
		}
		if !got.Repaired && !strings.Contains(s, got.Text) {
			t.Fatalf("ExtractJSON(%q) text %q is not in the input", s, got.Text)
		}
		if obj, ok := got.Value.(map[string]any); ok {
			flattenJSON(obj)
		}
	})
}

func FuzzExtractCode(f *testing.F) {
	for _, s := range []string{
		"```python\nx = 1\n```", "```\n```", "```py", "  ```python\n  a\n   ```\n", "````\nb\n````", "raw",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got := ExtractCode(s)
		if !strings.Contains(s, got) {
			t.Fatalf("ExtractCode(%q) = %q, not part of the output", s, got)
		}
		BuildProgram("def f():\n", got, "def check(c):\n    pass\n", "f")
	})
}

var isoDateOut = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}$`)

func FuzzNormalizeDate(f *testing.F) {
	for _, s := range []string{
		"2024-03-05", "03/05/24", "5th of March, 2024", "Tue, Mar 5, 2024", "31.02.2024",
		"20240230", "march march 5 2024", "0000-01-01", "99/99/99", "'24 March 5",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		for _, order := range []DateOrder{MonthFirst, DayFirst} {
			got, ok := NormalizeDate(s, order)
			if !ok {
				continue
			}
			if !isoDateOut.MatchString(got) {
				t.Fatalf("NormalizeDate(%q) = %q, not YYYY-MM-DD", s, got)
			}
			if _, err := time.Parse("2006-01-02", got); err != nil {
				t.Fatalf("NormalizeDate(%q) = %q, not a real date: %v", s, got, err)
			}
			if again, _ := NormalizeDate(got, order); again != got {
				t.Fatalf("NormalizeDate(%q) = %q, but that normalises to %q", s, got, again)
			}
		}
	})
}

var decimalOut = regexp.MustCompile(`^-?(0|[1-9]\d*)(\.\d*[1-9])?$`)

func FuzzNormalizeAmount(f *testing.F) {
	for _, s := range []string{
		"$1,234.50", "1.234,50 €", "(12)", "1 234 567,8", "0,0", "-.5", "1'000'000", "٣", "1,2,3.4.5",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, ok := NormalizeAmount(s)
		if !ok {
			return
		}
		if !decimalOut.MatchString(got) {
			t.Fatalf("NormalizeAmount(%q) = %q, not a plain decimal", s, got)
		}
		if again, ok := NormalizeAmount(got); !ok || again != got {
			t.Fatalf("NormalizeAmount(%q) = %q, but that normalises to %q", s, got, again)
		}
	})
}

// TestExtractorsLargeInputs feeds each extractor about 256 KB of adversarial
// text, far more than a model writes. A quadratic extractor would run for
// minutes here, so the test's own timeout catches it.
func TestExtractorsLargeInputs(t *testing.T) {
	inputs := map[string]string{
		"open braces":    strings.Repeat("{", 1<<18),
		"open brackets":  strings.Repeat(`["a",`, 50000),
		"quotes":         strings.Repeat(`{"`, 130000),
		"digit groups":   strings.Repeat("1,000,", 43000),
		"answer phrases": strings.Repeat("the answer is ", 18000),
		"boxed":          strings.Repeat(`\boxed{`, 35000),
		"fences":         strings.Repeat("```\n", 64000),
		"lines":          strings.Repeat("positive feedback\n", 14000),
	}
	labels := []string{"positive", "negative"}
	for name, s := range inputs {
		t.Run(name, func(t *testing.T) {
			ExtractNumber(s)
			ExtractJSON(s)
			ExtractCode(s)
			MatchLabel(s, labels)
			NormalizeDate(s, MonthFirst)
			NormalizeAmount(s)
		})
	}
}

// Benchmarks of the extractors on a typical output of a few hundred bytes.
func BenchmarkExtractNumber(b *testing.B) {
	output := strings.Repeat("She buys 3 packs of 12 eggs, so 3 * 12 = 36 eggs. ", 8) + "\nThe answer is 36."
	for b.Loop() {
		ExtractNumber(output)
	}
}

func BenchmarkMatchLabel(b *testing.B) {
	output := "The customer describes a card that never arrived.\nThe intent is card_arrival."
	labels := []string{"card_arrival", "card_linking", "exchange_rate", "card_not_working", "lost_or_stolen_card"}
	for b.Loop() {
		MatchLabel(output, labels)
	}
}

func BenchmarkExtractJSON(b *testing.B) {
	output := "Here is the JSON:\n```json\n{\"vendor\": \"Acme\", \"date\": \"2024-03-05\", \"total\": \"1234.50\", \"lines\": [1, 2, 3],}\n```"
	for b.Loop() {
		ExtractJSON(output)
	}
}
