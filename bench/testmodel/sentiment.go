package testmodel

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"sort"
	"strings"

	"github.com/quantbench/quantbench/bench/gguf"
)

// The sentiment model is a llama network whose forward pass computes a
// bag-of-words linear classifier; nothing in it is trained by gradient descent.
//
//   - Each token's embedding holds its class evidence e (a naive-Bayes
//     log-count ratio) as +e/2 and -e/2 in dimensions 0 and 1. Dimension 2 is
//     a constant 1, dimension 3 a label flag (non-zero only for the label
//     tokens), and the rest a random identity vector of fixed norm. The
//     identity vector keeps each position's RMS nearly constant, so the RMS
//     normalisation before attention scales the evidence almost linearly.
//   - Query and key weights are zero, so every attention score is equal and
//     each position attends uniformly to itself and all earlier tokens: the
//     attention output is the mean of the value vectors over the prompt. The
//     value and output projections copy dimensions 0 and 1 into the residual
//     stream, scaled by attentionScale. The feed-forward weights are zero.
//   - The output matrix reads dimensions 0 and 1 into the logits of the two
//     label tokens, plus a bias through the constant dimension 2 that both
//     keeps the labels above every other token (whose logits are 0) and moves
//     the decision threshold to the one fitted on the training set.
//   - After a label token, its flag in dimension 3 gives the end-of-sequence
//     token a logit far above the labels, so generation stops.

// Magnitudes of the construction. The identity vectors share each 32-value
// quantisation block with the evidence, so 4-bit scales round the evidence
// more coarsely than 8-bit ones, as they would real weights.
const (
	identityNorm   = 4.0  // norm of each token's identity vector (dimensions 4 and up)
	labelFlag      = 4.0  // dimension 3 of the label tokens
	attentionScale = 4.0  // attn_output weight copying the mean evidence
	evidenceWeight = 10.0 // output weight of dimensions 0 and 1 into the label logits
	labelBias      = 6.0  // output weight of the constant dimension into both label logits
	stopWeight     = 60.0 // output weight of the label flag into the EOS logit
	evidenceClip   = 3.0  // bound on the magnitude of a token's evidence
	rmsEpsilon     = 1e-5 // llama.attention.layer_norm_rms_epsilon
)

// Residual stream dimensions with a fixed meaning.
const (
	dimPositive = 0
	dimNegative = 1
	dimBias     = 2
	dimFlag     = 3
	dimIdentity = 4 // first identity dimension
)

// The prompt the classifier is built for; the built-in sentiment dataset
// renders the same text from its template "Review: {{.text}}\nSentiment:".
const (
	SentimentPromptPrefix = "Review: "
	SentimentPromptSuffix = "\nSentiment:"
)

// SentimentPrompt returns the prompt for a review text.
func SentimentPrompt(text string) string {
	return SentimentPromptPrefix + text + SentimentPromptSuffix
}

// SentimentOptions sets how the classifier is built. A zero field takes the
// default given in its comment.
type SentimentOptions struct {
	// Seed selects the generated training sentences and the identity vectors. Default 1.
	Seed uint64

	// Hidden is the embedding length, a multiple of 256. Default 256.
	Hidden int

	// Generated is the number of template sentences added to the
	// hand-written ones. Default 4000.
	Generated int
}

func (o SentimentOptions) withDefaults() SentimentOptions {
	if o.Seed == 0 {
		o.Seed = 1
	}
	if o.Hidden == 0 {
		o.Hidden = 256
	}
	if o.Generated == 0 {
		o.Generated = 4000
	}
	return o
}

// SentimentInfo describes a built classifier.
type SentimentInfo struct {
	VocabSize     int
	TrainExamples int

	// TrainAccuracy is the fraction of training examples that the model's
	// decision rule, computed in Go, labels correctly.
	TrainAccuracy float64

	// Threshold is the fitted decision threshold on the evidence score.
	Threshold float64
}

// Classifier is a trained sentiment classifier before it is written as GGUF.
type Classifier struct {
	vocab     *vocabulary
	evidence  []float64 // per token id
	flags     []float64 // label flag per token id
	positive  int       // token id of the positive label
	negative  int       // token id of the negative label
	threshold float64
	hidden    int
	seed      uint64
	info      SentimentInfo
}

// Sentiment trains the classifier and writes it to path as an F16 GGUF.
func Sentiment(path string, opts SentimentOptions) (SentimentInfo, error) {
	c, err := TrainSentiment(opts)
	if err != nil {
		return SentimentInfo{}, err
	}
	if err := c.file().WriteFile(path); err != nil {
		return SentimentInfo{}, err
	}
	return c.info, nil
}

// TrainSentiment builds the vocabulary, computes each token's evidence from
// the training set and fits the decision threshold.
func TrainSentiment(opts SentimentOptions) (*Classifier, error) {
	opts = opts.withDefaults()
	if opts.Hidden <= 0 || opts.Hidden%256 != 0 {
		return nil, fmt.Errorf("hidden size %d must be a positive multiple of 256 so K-quants apply", opts.Hidden)
	}
	train, err := TrainingSet(opts.Seed, opts.Generated)
	if err != nil {
		return nil, err
	}

	c := &Classifier{vocab: sentimentVocabulary(train), hidden: opts.Hidden, seed: opts.Seed}
	c.positive = c.vocab.id(spaceMarker + LabelPositive)
	c.negative = c.vocab.id(spaceMarker + LabelNegative)
	c.flags = make([]float64, c.vocab.size())
	c.flags[c.positive], c.flags[c.negative] = labelFlag, labelFlag

	c.evidence = c.naiveBayes(train)
	c.evidence[c.positive], c.evidence[c.negative] = 0, 0
	c.fitThreshold(train)
	return c, nil
}

// sentimentVocabulary makes every training word, template word and label a
// single token; other text falls back to characters and bytes.
func sentimentVocabulary(train []LabelledText) *vocabulary {
	v := newVocabulary()
	v.addChars(tinyCharacters)
	v.addPiece(spaceMarker)

	set := map[string]bool{}
	for _, w := range tinyWords {
		set[w] = true
	}
	for _, text := range []string{SentimentPromptPrefix, SentimentPromptSuffix, LabelPositive, LabelNegative} {
		for _, w := range words(text) {
			set[w] = true
		}
	}
	for _, ex := range train {
		for _, w := range words(ex.Text) {
			set[w] = true
		}
	}
	sorted := make([]string, 0, len(set))
	for w := range set {
		sorted = append(sorted, w)
	}
	sort.Strings(sorted)
	for _, w := range sorted {
		v.addWord(w)
	}
	return v
}

// tokenKey is the word a token stands for: lower case, without the space marker.
func tokenKey(piece string) string {
	return strings.ToLower(strings.TrimPrefix(piece, spaceMarker))
}

// naiveBayes returns each token's evidence: the log-count ratio of its word
// between positive and negative examples, counting each word once per
// example, with add-one smoothing, clipped to ±evidenceClip. Tokens of
// words not seen in training, punctuation and byte tokens get 0.
func (c *Classifier) naiveBayes(train []LabelledText) []float64 {
	counts := map[string][2]float64{}
	var totals [2]float64
	for _, ex := range train {
		class := 0
		if ex.Label == LabelNegative {
			class = 1
		}
		seen := map[string]bool{}
		for _, id := range c.vocab.encode(SentimentPromptPrefix + ex.Text) {
			key := tokenKey(c.vocab.tokens[id])
			if seen[key] || c.vocab.types[id] != tokenNormal || !wordRE.MatchString(key) {
				continue
			}
			seen[key] = true
			n := counts[key]
			n[class]++
			counts[key] = n
			totals[class]++
		}
	}

	vocabSize := float64(len(counts))
	ratio := func(n [2]float64) float64 {
		r := math.Log((n[0]+1)/(totals[0]+vocabSize)) - math.Log((n[1]+1)/(totals[1]+vocabSize))
		return max(-evidenceClip, min(evidenceClip, r))
	}
	evidence := make([]float64, c.vocab.size())
	for id, piece := range c.vocab.tokens {
		if n, ok := counts[tokenKey(piece)]; ok && c.vocab.types[id] == tokenNormal {
			evidence[id] = ratio(n)
		}
	}
	return evidence
}

// score returns the model's evidence score for a prompt: the difference of
// residual dimensions 0 and 1 at the last position. RMS normalisation,
// uniform attention and the value and output projections make it the last
// token's own evidence plus attentionScale times a mean over BOS and every
// prompt token. Each term of the mean is the token's evidence divided by the
// RMS of its embedding. The model generates positive when score > threshold.
func (c *Classifier) score(prompt string) float64 {
	ids := append([]int{bosID}, c.vocab.encode(prompt)...)
	var sum float64
	for _, id := range ids {
		e, flag := c.evidence[id], c.flags[id]
		rms := math.Sqrt((e*e/2+1+flag*flag+identityNorm*identityNorm)/float64(c.hidden) + rmsEpsilon)
		sum += e / rms
	}
	last := ids[len(ids)-1]
	return c.evidence[last] + attentionScale*sum/float64(len(ids))
}

// Predict returns the label the model generates for a review text, as
// computed in Go from the F32 values before the F16 conversion.
func (c *Classifier) Predict(text string) string {
	if c.score(SentimentPrompt(text)) > c.threshold {
		return LabelPositive
	}
	return LabelNegative
}

// fitThreshold picks the threshold on the score that labels the most
// training examples correctly, midway between two adjacent scores.
func (c *Classifier) fitThreshold(train []LabelledText) {
	type scored struct {
		score    float64
		positive bool
	}
	all := make([]scored, len(train))
	positives := 0
	for i, ex := range train {
		all[i] = scored{c.score(SentimentPrompt(ex.Text)), ex.Label == LabelPositive}
		if all[i].positive {
			positives++
		}
	}
	slices.SortFunc(all, func(a, b scored) int { return cmpFloat(a.score, b.score) })

	// Start with every example above the threshold (labelled positive),
	// then move the threshold past one example at a time. Several
	// thresholds often tie, because the training set is nearly separable:
	// take the middle of the first and last best ones, which keeps the
	// threshold away from both classes.
	correct, best := positives, positives
	first, last := math.Inf(-1), math.Inf(-1)
	for i, s := range all {
		if s.positive {
			correct--
		} else {
			correct++
		}
		if correct < best || i+1 == len(all) {
			continue
		}
		at := (s.score + all[i+1].score) / 2
		if correct > best {
			best, first = correct, at
		}
		last = at
	}
	bestAt := (first + last) / 2
	if math.IsInf(first, -1) {
		bestAt = all[0].score - 1 // every example is positive
	}
	c.threshold = bestAt
	c.info = SentimentInfo{
		VocabSize:     c.vocab.size(),
		TrainExamples: len(train),
		TrainAccuracy: float64(best) / float64(len(train)),
		Threshold:     bestAt,
	}
}

func cmpFloat(a, b float64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// Info describes the classifier.
func (c *Classifier) Info() SentimentInfo { return c.info }

// file lays the classifier out as a one-layer llama model.
func (c *Classifier) file() *gguf.File {
	arch := architecture{
		name:    "qb-sentiment",
		hidden:  c.hidden,
		layers:  1,
		ff:      256,
		heads:   4,
		context: 4096,
		vocab:   c.vocab,
	}
	return arch.file(weights{
		embedding: c.embeddingRow,
		output:    c.outputRow,
		layer: func(_ int, name string) gguf.RowFunc {
			switch name {
			case "attn_v":
				return copyRows(1)
			case "attn_output":
				return copyRows(attentionScale)
			}
			return nil // zero query, key and feed-forward weights
		},
	})
}

// embeddingRow writes token id's embedding: evidence, bias, flag and identity.
func (c *Classifier) embeddingRow(id int, dst []float32) {
	e := c.evidence[id]
	dst[dimPositive] = float32(e / 2)
	dst[dimNegative] = float32(-e / 2)
	dst[dimBias] = 1
	dst[dimFlag] = float32(c.flags[id])

	rng := rand.New(rand.NewPCG(c.seed, uint64(id)))
	identity := dst[dimIdentity:]
	var norm float64
	for i := range identity {
		x := rng.NormFloat64()
		identity[i] = float32(x)
		norm += x * x
	}
	scale := identityNorm / math.Sqrt(norm)
	for i := range identity {
		identity[i] = float32(float64(identity[i]) * scale)
	}
}

// outputRow writes the output weights of token id. Only the two labels and
// EOS have non-zero rows. The threshold enters as opposite biases on the
// labels: logit(positive) - logit(negative) is then proportional to
// evidenceWeight*(score - threshold).
func (c *Classifier) outputRow(id int, dst []float32) {
	shift := -evidenceWeight * c.threshold
	switch id {
	case c.positive:
		dst[dimPositive] = evidenceWeight
		dst[dimBias] = float32(labelBias + shift/2)
	case c.negative:
		dst[dimNegative] = evidenceWeight
		dst[dimBias] = float32(labelBias - shift/2)
	case eosID:
		dst[dimFlag] = stopWeight
	}
}

// copyRows returns the rows of a matrix that copies dimensions 0 and 1,
// scaled by scale, and zeroes the rest.
func copyRows(scale float32) gguf.RowFunc {
	return func(row int, dst []float32) {
		if row == dimPositive || row == dimNegative {
			dst[row] = scale
		}
	}
}
