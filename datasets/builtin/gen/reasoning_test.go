package gen

import (
	"math/big"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

var questionNumber = regexp.MustCompile(`\d{1,3}(?:,\d{3})+|\d+`)

// questionNumbers reads the numbers of a question in order, accepting comma
// thousands separators.
func questionNumbers(q string) []int64 {
	var nums []int64
	for _, m := range questionNumber.FindAllString(q, -1) {
		n, err := strconv.ParseInt(strings.ReplaceAll(m, ",", ""), 10, 64)
		if err != nil {
			panic(err)
		}
		nums = append(nums, n)
	}
	return nums
}

// solveQuestion recomputes an answer from the numbers of the question text,
// with formulas written apart from the generator. It returns false when the
// numbers do not give a whole, positive answer.
func solveQuestion(shape string, n []int64) (*big.Rat, bool) {
	r := func(x int64) *big.Rat { return new(big.Rat).SetInt64(x) }
	mul := func(a, b *big.Rat) *big.Rat { return new(big.Rat).Mul(a, b) }
	sub := func(a, b *big.Rat) *big.Rat { return new(big.Rat).Sub(a, b) }
	quo := func(a, b *big.Rat) *big.Rat { return new(big.Rat).Quo(a, b) }
	add := func(a, b *big.Rat) *big.Rat { return new(big.Rat).Add(a, b) }

	var answer *big.Rat
	switch shape {
	case "bottling": // per minute, hours a day, days, minutes stopped early
		minutes := sub(mul(r(60), mul(r(n[1]), r(n[2]))), r(n[3]))
		answer = mul(r(n[0]), minutes)
	case "batches": // rolls a batch, minutes a batch, hours, set aside, bag size
		batches := quo(mul(r(n[2]), r(60)), r(n[1]))
		if !batches.IsInt() {
			return nil, false
		}
		answer = quo(sub(mul(batches, r(n[0])), r(n[3])), r(n[4]))
	case "discount": // count, list price, percent off, tax percent
		sale := mul(mul(r(n[0]), r(n[1])), quo(r(100-n[2]), r(100)))
		answer = mul(sale, quo(r(100+n[3]), r(100)))
	case "boxes": // per box, box price, needed, note
		boxes := (n[2] + n[0] - 1) / n[0]
		answer = sub(r(n[3]), r(boxes*n[1]))
	case "ages": // gap, years ahead, future sum
		younger := quo(sub(sub(r(n[2]), r(n[0])), r(2*n[1])), r(2))
		answer = add(younger, r(n[0]))
		if younger.Sign() <= 0 {
			return nil, false
		}
	case "cartons": // eggs a day, days, carton size, carton price
		answer = r(n[0] * n[1] / n[2] * n[3])
	case "distance": // speed, hours, speed, minutes
		answer = add(r(n[0]*n[1]), quo(mul(r(n[2]), r(n[3])), r(60)))
	case "budget": // budget, laptops, laptop price, projectors, projector price
		answer = sub(r(n[0]), r(n[1]*n[2]+n[3]*n[4]))
	default:
		return nil, false
	}
	return answer, answer.IsInt() && answer.Sign() > 0
}

func TestWordProblemsRecomputed(t *testing.T) {
	d := reasoningDataset()
	if len(d.Items) < 60 {
		t.Fatalf("word_problems has %d items, want at least 60", len(d.Items))
	}

	wantCounts := map[string]int{
		"bottling": 4, "batches": 5, "discount": 4, "boxes": 4,
		"ages": 3, "cartons": 4, "distance": 4, "budget": 5,
	}
	shapes := map[string]int{}
	questions := map[string]string{}
	thousands := 0
	for _, it := range d.Items {
		if other, dup := questions[it.Input["question"]]; dup {
			t.Errorf("items %s and %s ask the same question", other, it.ID)
		}
		questions[it.Input["question"]] = it.ID

		shape, _, ok := strings.Cut(it.ID, "-")
		if !ok {
			t.Fatalf("item %s: id has no shape prefix", it.ID)
		}
		shapes[shape]++

		nums := questionNumbers(it.Input["question"])
		if len(nums) != wantCounts[shape] {
			t.Errorf("item %s: question states %d numbers, want %d: %q", it.ID, len(nums), wantCounts[shape], it.Input["question"])
			continue
		}
		got, ok := solveQuestion(shape, nums)
		if !ok {
			t.Errorf("item %s: numbers %v give no whole positive answer (%v)", it.ID, nums, got)
			continue
		}
		if it.Expected.Number == nil {
			t.Errorf("item %s: expected number missing", it.ID)
			continue
		}
		want := new(big.Rat).SetFloat64(*it.Expected.Number)
		if got.Cmp(want) != 0 {
			t.Errorf("item %s: recomputed %s, expected %v", it.ID, got.RatString(), *it.Expected.Number)
		}
		if *it.Expected.Number >= 1000 {
			thousands++
		}
	}

	if len(shapes) != len(problemShapes) {
		t.Errorf("items cover %d shapes, want %d", len(shapes), len(problemShapes))
	}
	if thousands < 10 {
		t.Errorf("%d answers are 1000 or more, want at least 10 to exercise thousands separators", thousands)
	}
}

func TestGroupDigits(t *testing.T) {
	cases := map[int]string{0: "0", 999: "999", 1000: "1,000", 12500: "12,500", 1234567: "1,234,567", -4500: "-4,500"}
	for n, want := range cases {
		if got := groupDigits(n); got != want {
			t.Errorf("groupDigits(%d) = %q, want %q", n, got, want)
		}
	}
}
