package testmodel

import (
	"bufio"
	"embed"
	"fmt"
	"math/rand/v2"
	"regexp"
	"strings"
)

// sentimentData holds the training material of the sentiment classifier,
// all written for quantbench: word lists of each polarity, neutral subjects
// and adverbs, sentence templates, and hand-written labelled sentences.
//
//go:embed sentimentdata
var sentimentData embed.FS

// LabelledText is one training example.
type LabelledText struct {
	Label string // "positive" or "negative"
	Text  string
}

// Sentiment labels, as the model generates them.
const (
	LabelPositive = "positive"
	LabelNegative = "negative"
)

// readLines returns the non-empty lines of an embedded file that do not
// start with '#', and their 1-based line numbers.
func readLines(name string) (lines []string, numbers []int, err error) {
	f, err := sentimentData.Open("sentimentdata/" + name)
	if err != nil {
		return nil, nil, err
	}
	defer f.Close()
	s := bufio.NewScanner(f)
	for n := 1; s.Scan(); n++ {
		line := strings.TrimSpace(s.Text())
		if line != "" && !strings.HasPrefix(line, "#") {
			lines = append(lines, line)
			numbers = append(numbers, n)
		}
	}
	return lines, numbers, s.Err()
}

// handWritten returns the labelled sentences of sentences.tsv.
func handWritten() ([]LabelledText, error) {
	lines, numbers, err := readLines("sentences.tsv")
	if err != nil {
		return nil, err
	}
	out := make([]LabelledText, 0, len(lines))
	for i, line := range lines {
		label, text, ok := strings.Cut(line, "\t")
		if !ok || (label != LabelPositive && label != LabelNegative) {
			return nil, fmt.Errorf("sentimentdata/sentences.tsv:%d: want \"positive\" or \"negative\", a tab, then the text; got %q", numbers[i], line)
		}
		out = append(out, LabelledText{Label: label, Text: text})
	}
	return out, nil
}

// slotRE matches a template slot such as {pos} or {Subject}.
var slotRE = regexp.MustCompile(`\{(pos|neg|subject|Subject|intensifier)\}`)

// TrainingSet returns the hand-written sentences followed by generated ones:
// each generated sentence is a template whose {pos} or {neg} slots give it
// its label, filled from the word lists with a generator seeded by seed. The
// labels are balanced because every template exists in both polarities.
func TrainingSet(seed uint64, generated int) ([]LabelledText, error) {
	set, err := handWritten()
	if err != nil {
		return nil, err
	}
	lists := map[string][]string{}
	for slot, file := range map[string]string{
		"pos": "positive.txt", "neg": "negative.txt", "subject": "subjects.txt",
		"intensifier": "intensifiers.txt", "template": "templates.txt",
	} {
		if lists[slot], _, err = readLines(file); err != nil {
			return nil, err
		}
	}

	rng := rand.New(rand.NewPCG(seed, 0x5e47))
	pick := func(list []string) string { return list[rng.IntN(len(list))] }
	seen := map[string]bool{}
	for _, s := range set {
		seen[s.Text] = true
	}
	target := len(set) + generated
	for attempts := 0; len(set) < target && attempts < 20*generated; attempts++ {
		tmpl := pick(lists["template"])
		label := LabelPositive
		if strings.Contains(tmpl, "{neg}") {
			label = LabelNegative
		}
		text := slotRE.ReplaceAllStringFunc(tmpl, func(slot string) string {
			name := slot[1 : len(slot)-1]
			if name == "Subject" {
				return capitalise(pick(lists["subject"]))
			}
			return pick(lists[name])
		})
		if seen[text] {
			continue
		}
		seen[text] = true
		set = append(set, LabelledText{Label: label, Text: text})
	}
	return set, nil
}

// wordRE matches a word: letters with an optional apostrophe suffix such as "n't" or "'s".
var wordRE = regexp.MustCompile(`[A-Za-z]+(?:'[A-Za-z]+)?`)

// words returns the lower-case words of text.
func words(text string) []string {
	found := wordRE.FindAllString(text, -1)
	for i, w := range found {
		found[i] = strings.ToLower(w)
	}
	return found
}
