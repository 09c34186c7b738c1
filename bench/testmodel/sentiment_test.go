package testmodel

import (
	"bufio"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ollama/ollama/fs/ggml"
	"go.yaml.in/yaml/v3"
)

// builtinItem is one line of datasets/builtin/sentiment.jsonl.
type builtinItem struct {
	ID    string `json:"id"`
	Input struct {
		Text string `json:"text"`
	} `json:"input"`
	Expected struct {
		Label string `json:"label"`
	} `json:"expected"`
}

func readBuiltinSentiment(t *testing.T) []builtinItem {
	t.Helper()
	f, err := os.Open(filepath.Join("..", "..", "datasets", "builtin", "sentiment.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var items []builtinItem
	s := bufio.NewScanner(f)
	for s.Scan() {
		var it builtinItem
		if err := json.Unmarshal(s.Bytes(), &it); err != nil {
			t.Fatalf("sentiment.jsonl line %d: %v", len(items)+1, err)
		}
		items = append(items, it)
	}
	return items
}

func TestSentimentHeldOutAccuracy(t *testing.T) {
	start := time.Now()
	c, err := TrainSentiment(SentimentOptions{})
	if err != nil {
		t.Fatal(err)
	}
	info := c.Info()
	t.Logf("trained in %v: %+v", time.Since(start), info)

	items := readBuiltinSentiment(t)
	correct := 0
	for _, it := range items {
		got := c.Predict(it.Input.Text)
		if got == it.Expected.Label {
			correct++
		} else {
			t.Logf("%s: predicted %s, want %s: %q (score %.3f)", it.ID, got, it.Expected.Label, it.Input.Text, c.score(SentimentPrompt(it.Input.Text)))
		}
	}
	acc := float64(correct) / float64(len(items))
	t.Logf("held-out accuracy %.3f (%d/%d)", acc, correct, len(items))
	if acc < 0.8 {
		t.Errorf("held-out accuracy %.3f, want at least 0.8", acc)
	}
	if info.TrainAccuracy < 0.9 {
		t.Errorf("training accuracy %.3f, want at least 0.9", info.TrainAccuracy)
	}
}

// normalise folds case and spacing so near-duplicates count as overlap.
func normalise(text string) string {
	return strings.Join(strings.Fields(strings.ToLower(text)), " ")
}

func TestTrainingSetExcludesBuiltinItems(t *testing.T) {
	train, err := TrainingSet(1, 4000)
	if err != nil {
		t.Fatal(err)
	}
	inTraining := map[string]bool{}
	for _, ex := range train {
		inTraining[normalise(ex.Text)] = true
	}
	for _, it := range readBuiltinSentiment(t) {
		if inTraining[normalise(it.Input.Text)] {
			t.Errorf("%s is in the training set: %q", it.ID, it.Input.Text)
		}
	}
}

func TestTrainingSetIsBalancedAndSeeded(t *testing.T) {
	a, err := TrainingSet(1, 1000)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := TrainingSet(1, 1000)
	c, _ := TrainingSet(2, 1000)
	hand, _ := handWritten()
	if len(a) != len(hand)+1000 {
		t.Errorf("%d examples, want %d hand-written plus 1000", len(a), len(hand))
	}
	positives := 0
	for _, ex := range a {
		if ex.Label == LabelPositive {
			positives++
		}
	}
	if share := float64(positives) / float64(len(a)); share < 0.45 || share > 0.55 {
		t.Errorf("positive share %.2f, want about 0.5", share)
	}
	if a[len(a)-1] != b[len(b)-1] {
		t.Error("the same seed gave different sentences")
	}
	if a[len(a)-1] == c[len(c)-1] && a[len(a)-2] == c[len(c)-2] {
		t.Error("seeds 1 and 2 gave the same sentences")
	}
}

func TestBuiltinSentimentItems(t *testing.T) {
	items := readBuiltinSentiment(t)
	if len(items) < 60 {
		t.Errorf("%d items, want at least 60", len(items))
	}
	ids := map[string]bool{}
	counts := map[string]int{}
	for _, it := range items {
		if ids[it.ID] {
			t.Errorf("duplicate id %s", it.ID)
		}
		ids[it.ID] = true
		counts[it.Expected.Label]++
		if strings.TrimSpace(it.Input.Text) == "" {
			t.Errorf("%s has no text", it.ID)
		}
	}
	if counts[LabelPositive] != counts[LabelNegative] || counts[LabelPositive]+counts[LabelNegative] != len(items) {
		t.Errorf("label counts %v, want equal positive and negative and no other label", counts)
	}
}

func TestSentimentManifestMatchesPrompt(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("..", "..", "datasets", "builtin", "sentiment.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	var m struct {
		Name     string   `yaml:"name"`
		Category string   `yaml:"category"`
		Template string   `yaml:"template"`
		Labels   []string `yaml:"labels"`
	}
	if err := yaml.Unmarshal(data, &m); err != nil {
		t.Fatal(err)
	}
	if want := SentimentPromptPrefix + "{{.text}}" + SentimentPromptSuffix; m.Template != want {
		t.Errorf("manifest template %q, want %q, the prompt the classifier is built for", m.Template, want)
	}
	if m.Name != "sentiment" || m.Category != "classification" {
		t.Errorf("name %q category %q, want sentiment and classification", m.Name, m.Category)
	}
	if strings.Join(m.Labels, ",") != LabelPositive+","+LabelNegative {
		t.Errorf("labels %v, want [positive negative]", m.Labels)
	}
}

func TestSentimentVocabularyHasWholeWords(t *testing.T) {
	c, err := TrainSentiment(SentimentOptions{Generated: 200})
	if err != nil {
		t.Fatal(err)
	}
	v := c.vocab
	got := func(text string) []string {
		var pieces []string
		for _, id := range v.encode(text) {
			pieces = append(pieces, v.tokens[id])
		}
		return pieces
	}
	prompt := got(SentimentPrompt("The staff were friendly"))
	want := []string{"Review", ":", "\u2581The", "\u2581staff", "\u2581were", "\u2581friendly", "\n", "Sentiment", ":"}
	if strings.Join(prompt, "|") != strings.Join(want, "|") {
		t.Errorf("prompt tokens %q, want %q", prompt, want)
	}
	if c.positive < 0 || c.negative < 0 {
		t.Fatalf("label tokens missing: positive %d negative %d", c.positive, c.negative)
	}
	if c.evidence[v.id("\u2581friendly")] <= 0 {
		t.Errorf("evidence of friendly %.2f, want positive", c.evidence[v.id("\u2581friendly")])
	}
	if c.evidence[v.id("\u2581rude")] >= 0 {
		t.Errorf("evidence of rude %.2f, want negative", c.evidence[v.id("\u2581rude")])
	}
}

func TestSentimentFileDecodesWithOllama(t *testing.T) {
	path := filepath.Join(t.TempDir(), "sentiment.gguf")
	info, err := Sentiment(path, SentimentOptions{Generated: 200})
	if err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	m, err := ggml.Decode(f, -1)
	if err != nil {
		t.Fatal(err)
	}
	if n := len(m.KV().Strings("tokenizer.ggml.tokens")); n != info.VocabSize {
		t.Errorf("file has %d tokens, info says %d", n, info.VocabSize)
	}
	if m.KV().BlockCount() != 1 {
		t.Errorf("block count %d, want 1", m.KV().BlockCount())
	}
}

// TestSentimentSST2InGo logs the accuracy of the Go-side decision rule on the
// first 400 SST-2 test items, which the server's F16 answers have matched.
// Words outside the vocabulary fall back to characters and carry no evidence.
func TestSentimentSST2InGo(t *testing.T) {
	path := filepath.Join("..", "..", "..", "shared", "datasets", "sst2", "stsa.binary.test")
	data, err := os.ReadFile(path)
	if err != nil {
		t.Skipf("SST-2 not available: %v", err)
	}
	c, err := TrainSentiment(SentimentOptions{})
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(string(data)), "\n")[:400]
	correct := 0
	for i, line := range lines {
		label, text, ok := strings.Cut(line, " ")
		if !ok || (label != "0" && label != "1") {
			t.Fatalf("%s:%d: want \"0 TEXT\" or \"1 TEXT\"", path, i+1)
		}
		want := LabelNegative
		if label == "1" {
			want = LabelPositive
		}
		if c.Predict(text) == want {
			correct++
		}
	}
	t.Logf("SST-2 accuracy in Go: %.1f%% on the first %d test items", 100*float64(correct)/float64(len(lines)), len(lines))
}
