package gen

import (
	"fmt"
	"strconv"

	"github.com/quantbench/quantbench/datasets"
)

const reasoningSeed = 0x5eed0001

// problem is one generated word problem with its exact answer.
type problem struct {
	question string
	answer   int
}

// problemShape generates word problems of one kind. Every number a question
// states appears in the order the shape's formula takes it, which the tests
// rely on to recompute the answer from the text alone.
type problemShape struct {
	name     string
	generate func(s *source) problem
}

var problemShapes = []problemShape{
	{"bottling", bottlingProblem},
	{"batches", batchesProblem},
	{"discount", discountProblem},
	{"boxes", boxesProblem},
	{"ages", agesProblem},
	{"cartons", cartonsProblem},
	{"distance", distanceProblem},
	{"budget", budgetProblem},
}

const problemsPerShape = 9

var personNames = []string{
	"Amara", "Bruno", "Chen", "Dalia", "Emeka", "Farah", "Goran", "Hana", "Ivo", "Jia",
	"Kofi", "Lena", "Mateo", "Nadia", "Oskar", "Priya", "Quinn", "Rosa", "Sami", "Tomas",
}

func reasoningDataset() Dataset {
	s := newSource(reasoningSeed)
	var items []datasets.Item
	for i := 1; i <= problemsPerShape; i++ {
		for _, shape := range problemShapes {
			p := shape.generate(s)
			answer := float64(p.answer)
			items = append(items, datasets.Item{
				ID:       fmt.Sprintf("%s-%02d", shape.name, i),
				Input:    map[string]string{"question": p.question},
				Expected: datasets.Expected{Number: &answer},
			})
		}
	}

	return Dataset{
		Manifest: Manifest{
			Name:     "word_problems",
			Category: datasets.Reasoning,
			Description: "Multi-step arithmetic word problems (rates, percentages, unit prices, ages, " +
				"remainders, distances, budgets) with exact whole-number answers, generated from a fixed seed. " +
				"Some answers run into the thousands or tens of thousands.",
			Template:   "{{.question}}\n\nSolve the problem step by step. Then write the final answer on its own last line as \"#### N\", where N is the number only.",
			NumPredict: 512,
		},
		Items: items,
	}
}

// groupDigits writes n with comma thousands separators, as the questions do.
func groupDigits(n int) string {
	digits := strconv.Itoa(n)
	if n < 0 {
		return "-" + groupDigits(-n)
	}
	for i := len(digits) - 3; i > 0; i -= 3 {
		digits = digits[:i] + "," + digits[i:]
	}
	return digits
}

// bottlingProblem: rate x time over several days, minus an early stop.
func bottlingProblem(s *source) problem {
	perMinute := s.between(12, 45)
	hours := s.between(6, 10)
	days := s.between(3, 6)
	early := s.stepped(10, 50, 5)
	answer := perMinute * (60*hours*days - early)

	q := fmt.Sprintf("A bottling line at %s's plant fills %d bottles per minute. It runs for %d hours on each of %d days, "+
		"but on the last day it stops %d minutes early. How many bottles does it fill in total?",
		pick(s, personNames), perMinute, hours, days, early)
	return problem{q, answer}
}

// batchesProblem: batches in a shift, rolls per batch, some set aside, the rest bagged.
func batchesProblem(s *source) problem {
	perBatch := s.between(24, 60)
	minutes := pick(s, []int{10, 12, 15, 20, 30})
	hours := s.between(3, 8)
	bagSize := pick(s, []int{4, 5, 6, 8, 10, 12})
	rolls := perBatch * hours * 60 / minutes

	// Choose the rolls set aside so that the rest fill whole bags.
	setAside := s.between(5, 40)
	setAside += (rolls - setAside) % bagSize
	answer := (rolls - setAside) / bagSize

	q := fmt.Sprintf("%s's bakery oven bakes %d rolls in each batch, and one batch takes %d minutes. "+
		"The oven runs without a break for %d hours. Afterwards %d rolls are set aside for the staff, "+
		"and the rest are packed into bags of %d. How many bags are filled?",
		pick(s, personNames), perBatch, minutes, hours, setAside, bagSize)
	return problem{q, answer}
}

// discountProblem: a quantity at a list price, a percentage off, then sales tax.
func discountProblem(s *source) problem {
	goods := []string{"desk lamps", "backpacks", "office chairs", "rain jackets", "coffee grinders", "monitors"}
	for {
		count := s.between(2, 12)
		price := s.stepped(20, 400, 5)
		off := pick(s, []int{10, 15, 20, 25, 30, 40, 50})
		tax := pick(s, []int{5, 8, 10, 12, 20})

		cents := count * price * (100 - off) * (100 + tax) // in units of 1/10000 dollar
		if cents%10000 != 0 {
			continue
		}
		name := pick(s, personNames)
		q := fmt.Sprintf("%s buys %d %s listed at $%d each. During a sale the shop takes %d%% off the list price, "+
			"and then a sales tax of %d%% is added to the sale price. How many dollars does %s pay in total?",
			name, count, pick(s, goods), price, off, tax, name)
		return problem{q, cents / 10000}
	}
}

// boxesProblem: whole boxes needed for a quantity, their cost, and the change.
func boxesProblem(s *source) problem {
	goods := []string{"pens", "light bulbs", "notebooks", "batteries", "candles", "tea bags"}
	perBox := pick(s, []int{6, 8, 10, 12, 20, 24})
	price := s.between(3, 19)
	needed := s.between(2*perBox+1, 9*perBox)
	boxes := (needed + perBox - 1) / perBox
	cost := boxes * price
	note := pick(s, []int{50, 100, 200})
	for note <= cost {
		note *= 2
	}
	name := pick(s, personNames)
	item := pick(s, goods)

	q := fmt.Sprintf("A box of %d %s costs $%d. %s needs %d %s, can only buy whole boxes, and pays with a $%d note. "+
		"How many dollars of change does %s get?", perBox, item, price, name, needed, item, note, name)
	return problem{q, note - cost}
}

// agesProblem: an age difference and a future sum give the present age.
func agesProblem(s *source) problem {
	younger := s.between(4, 40)
	gap := s.between(2, 15)
	years := s.between(2, 12)
	sum := 2*younger + gap + 2*years
	older, other := pick(s, personNames), pick(s, personNames)
	for other == older {
		other = pick(s, personNames)
	}

	q := fmt.Sprintf("%s is %d years older than %s. In %d years, their ages will add up to %d. How old is %s now?",
		older, gap, other, years, sum, older)
	return problem{q, younger + gap}
}

// cartonsProblem: daily output over days, only full cartons sold, at a unit price.
func cartonsProblem(s *source) problem {
	perDay := s.between(120, 480)
	days := s.between(5, 14)
	carton := pick(s, []int{6, 10, 12, 15, 18, 30})
	price := s.between(2, 9)
	answer := (perDay * days / carton) * price

	q := fmt.Sprintf("%s's farm collects %d eggs a day for %d days. The eggs are packed into cartons of %d, "+
		"and only full cartons are sold, at $%d per carton. How many dollars do the full cartons bring in?",
		pick(s, personNames), perDay, days, carton, price)
	return problem{q, answer}
}

// distanceProblem: two legs at different speeds, the second given in minutes.
func distanceProblem(s *source) problem {
	for {
		speed1 := s.stepped(40, 140, 5)
		hours1 := s.between(2, 9)
		speed2 := s.stepped(30, 120, 6)
		minutes2 := pick(s, []int{15, 20, 30, 40, 45, 50})
		if speed2*minutes2%60 != 0 {
			continue
		}
		answer := speed1*hours1 + speed2*minutes2/60

		q := fmt.Sprintf("A freight train travels at %d km/h for %d hours, then slows to %d km/h for another %d minutes. "+
			"How many kilometres does it travel in total?", speed1, hours1, speed2, minutes2)
		return problem{q, answer}
	}
}

// budgetProblem: a budget in the thousands minus two kinds of purchase.
func budgetProblem(s *source) problem {
	laptops := s.between(3, 25)
	laptopPrice := s.stepped(350, 1450, 25)
	projectors := s.between(1, 6)
	projectorPrice := s.stepped(180, 900, 20)
	spent := laptops*laptopPrice + projectors*projectorPrice
	budget := (spent/500 + s.between(1, 12)) * 500

	q := fmt.Sprintf("A school has a budget of $%s for equipment. It buys %d laptops at $%s each and %d projectors at $%d each. "+
		"How many dollars of the budget are left?",
		groupDigits(budget), laptops, groupDigits(laptopPrice), projectors, projectorPrice)
	return problem{q, budget - spent}
}
