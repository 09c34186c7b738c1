package gen

import (
	"fmt"
	"strings"

	"github.com/quantbench/quantbench/datasets"
)

// creativeTopic is a subject for a writing prompt, with words that fit it
// (candidates for required words), words a writer would reach for first
// (candidates for forbidden words), and an acrostic word.
type creativeTopic struct {
	subject   string
	required  []string
	forbidden []string
	acrostic  string
}

var creativeTopics = []creativeTopic{
	{"a lighthouse keeper's last night on duty", []string{"lantern", "gull", "ledger"}, []string{"ocean", "lonely"}, "BEAM"},
	{"a city bus route at dawn", []string{"driver", "ticket", "fog"}, []string{"sunrise", "morning"}, "ROUTE"},
	{"learning to bake sourdough bread", []string{"starter", "crust", "patience"}, []string{"delicious", "flour"}, "LOAF"},
	{"an old bicycle found in a shed", []string{"chain", "rust", "bell"}, []string{"wheel", "vintage"}, "SPOKE"},
	{"a community garden in winter", []string{"compost", "frost", "neighbour"}, []string{"snow", "cold"}, "SEED"},
	{"a night shift at a hospital", []string{"corridor", "kettle", "chart"}, []string{"doctor", "tired"}, "WARD"},
	{"moving to a new apartment", []string{"boxes", "key", "echo"}, []string{"home", "fresh"}, "NEST"},
	{"a thunderstorm over a wheat field", []string{"barn", "thunder", "gold"}, []string{"rain", "dark"}, "STORM"},
	{"the first day at a new job", []string{"badge", "coffee", "names"}, []string{"nervous", "excited"}, "DESK"},
	{"a market stall selling spices", []string{"saffron", "scale", "copper"}, []string{"smell", "colorful"}, "CUMIN"},
	{"a library that stays open all night", []string{"lamp", "whisper", "index"}, []string{"books", "quiet"}, "PAGE"},
	{"repairing a leaking roof", []string{"ladder", "tar", "bucket"}, []string{"water", "drip"}, "SLATE"},
	{"a train journey through mountains", []string{"tunnel", "window", "pine"}, []string{"view", "beautiful"}, "PEAK"},
	{"a chess match in a park", []string{"bishop", "clock", "pigeon"}, []string{"game", "win"}, "PAWN"},
	{"a fishing boat returning to harbour", []string{"net", "engine", "gulls"}, []string{"sea", "waves"}, "HULL"},
	{"a grandmother's recipe notebook", []string{"margin", "stain", "cinnamon"}, []string{"love", "memories"}, "INK"},
	{"a data centre at midnight", []string{"fan", "rack", "cable"}, []string{"computer", "noise"}, "BYTE"},
	{"a beekeeper checking hives", []string{"smoke", "comb", "veil"}, []string{"honey", "bees"}, "HIVE"},
	{"a power cut in a small town", []string{"candle", "radio", "porch"}, []string{"dark", "electricity"}, "FUSE"},
	{"a marathon runner's final mile", []string{"crowd", "lungs", "banner"}, []string{"tired", "finish"}, "PACE"},
}

// creativeRecipe turns a topic into a prompt and its constraints.
type creativeRecipe struct {
	name  string
	build func(t creativeTopic, k int) (string, datasets.Constraints)
}

var creativeRecipes = []creativeRecipe{
	{"paragraph", paragraphPrompt},
	{"haiku", haikuPrompt},
	{"acrostic", acrosticPrompt},
	{"bullets", bulletsPrompt},
	{"question", questionPrompt},
	{"titled", titledPrompt},
	{"lines", linesPrompt},
}

const promptsPerRecipe = 10

func creativeDataset() Dataset {
	var items []datasets.Item
	for i := 0; i < promptsPerRecipe; i++ {
		for r, recipe := range creativeRecipes {
			// Step through the topics so that each recipe meets different ones.
			topic := creativeTopics[(i*3+r*7)%len(creativeTopics)]
			prompt, c := recipe.build(topic, i)
			items = append(items, datasets.Item{
				ID:       fmt.Sprintf("%s-%02d", recipe.name, i+1),
				Input:    map[string]string{"prompt": prompt},
				Expected: datasets.Expected{Constraints: &c},
			})
		}
	}

	return Dataset{
		Manifest: Manifest{
			Name:     "constrained_writing",
			Category: datasets.Creative,
			Description: "Short writing prompts with constraints a program can check: a word range " +
				"(min_words, max_words), required and forbidden words (whole words, any case), an exact " +
				"number of lines or of bullet points (lines starting with \"- \"), and a form. Forms: " +
				"\"haiku\" (three lines), \"acrostic:WORD\" (the first letters of the lines spell WORD, " +
				"one line per letter), \"ends_with_question\" (the text ends with a question mark), and " +
				"\"title_case_first_line\" (the first line is a title with every major word capitalised).",
			Template:   "{{.prompt}}\n\nWrite only the requested text, with no introduction or explanation.",
			NumPredict: 384,
		},
		Items: items,
	}
}

// quoteWords lists quoted words joined by conjunction ("and", "or").
func quoteWords(words []string, conjunction string) string {
	quoted := make([]string, len(words))
	for i, w := range words {
		quoted[i] = fmt.Sprintf("%q", w)
	}
	switch len(quoted) {
	case 1:
		return quoted[0]
	case 2:
		return quoted[0] + " " + conjunction + " " + quoted[1]
	}
	return strings.Join(quoted[:len(quoted)-1], ", ") + ", " + conjunction + " " + quoted[len(quoted)-1]
}

func paragraphPrompt(t creativeTopic, k int) (string, datasets.Constraints) {
	minWords := 60 + 10*(k%4)
	c := datasets.Constraints{
		MinWords:  minWords,
		MaxWords:  minWords + 40,
		Required:  t.required[:2],
		Forbidden: t.forbidden,
	}
	p := fmt.Sprintf("Write one paragraph about %s. Use between %d and %d words. Include the words %s. Do not use the words %s.",
		t.subject, c.MinWords, c.MaxWords, quoteWords(c.Required, "and"), quoteWords(c.Forbidden, "or"))
	return p, c
}

func haikuPrompt(t creativeTopic, k int) (string, datasets.Constraints) {
	word := t.required[k%len(t.required)]
	c := datasets.Constraints{Lines: 3, Form: "haiku", Required: []string{word}}
	p := fmt.Sprintf("Write a haiku about %s: exactly three lines of about five, seven and five syllables. Include the word %q.",
		t.subject, word)
	return p, c
}

func acrosticPrompt(t creativeTopic, k int) (string, datasets.Constraints) {
	c := datasets.Constraints{
		Lines:     len(t.acrostic),
		Form:      "acrostic:" + t.acrostic,
		Forbidden: t.forbidden[:1],
	}
	p := fmt.Sprintf("Write an acrostic poem about %s on the word %s: exactly %d lines, and the first letters of the lines, read from top to bottom, spell %s. Do not use the word %q.",
		t.subject, t.acrostic, len(t.acrostic), t.acrostic, t.forbidden[0])
	return p, c
}

func bulletsPrompt(t creativeTopic, k int) (string, datasets.Constraints) {
	n := 3 + k%4
	word := t.required[(k+1)%len(t.required)]
	c := datasets.Constraints{
		Bullets:   n,
		MaxWords:  n * 20,
		Required:  []string{word},
		Forbidden: t.forbidden[1:],
	}
	p := fmt.Sprintf("Write exactly %d bullet points, each starting with \"- \", with practical observations about %s. Use at most %d words in total. Mention %q in at least one bullet, and do not use the word %q.",
		n, t.subject, c.MaxWords, word, t.forbidden[1])
	return p, c
}

func questionPrompt(t creativeTopic, k int) (string, datasets.Constraints) {
	minWords := 40 + 5*(k%3)
	c := datasets.Constraints{
		MinWords: minWords,
		MaxWords: minWords + 30,
		Required: t.required[1:],
		Form:     "ends_with_question",
	}
	p := fmt.Sprintf("Write a short message to a friend about %s. Use between %d and %d words, include the words %s, and end the message with a question to the friend.",
		t.subject, c.MinWords, c.MaxWords, quoteWords(c.Required, "and"))
	return p, c
}

func titledPrompt(t creativeTopic, k int) (string, datasets.Constraints) {
	minWords := 50 + 10*(k%3)
	c := datasets.Constraints{
		MinWords:  minWords,
		MaxWords:  minWords + 50,
		Required:  []string{t.required[k%len(t.required)]},
		Forbidden: t.forbidden[:1],
		Form:      "title_case_first_line",
	}
	p := fmt.Sprintf("Write a short blog post about %s. The first line is its title, in Title Case. The whole text, title included, has between %d and %d words. Include the word %q and do not use the word %q.",
		t.subject, c.MinWords, c.MaxWords, c.Required[0], c.Forbidden[0])
	return p, c
}

func linesPrompt(t creativeTopic, k int) (string, datasets.Constraints) {
	n := 4 + k%5
	c := datasets.Constraints{
		Lines:     n,
		MaxWords:  n * 12,
		Forbidden: t.forbidden,
	}
	p := fmt.Sprintf("Write a poem of exactly %d lines about %s, with at most %d words in total. Do not use the words %s.",
		n, t.subject, c.MaxWords, quoteWords(c.Forbidden, "or"))
	return p, c
}
