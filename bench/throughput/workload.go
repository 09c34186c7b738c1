package throughput

import (
	"context"
	"crypto/sha256"
	"encoding/binary"
	"fmt"
	"log/slog"
	"math"
	"math/rand/v2"
	"os"
	"slices"
	"strings"
)

// syntheticWords is the built-in vocabulary of the synthetic prompts: plain
// English words of one to three tokens in common tokenizers, so the prompt's
// token count grows smoothly with its word count.
var syntheticWords = strings.Fields(`
account action amount answer april area balance bank basis batch billing
board branch budget buyer cable call capital card case cash center charge
check city claim client code column company contract copy cost country
credit customer data date deadline delivery demand deposit design detail
device discount document due east entry error estimate event fee field
figure file final form freight fund goods group hardware history holder
hour income index invoice issue item january june label ledger level limit
line list loan local location manager march margin market meeting member
method month name net network notice number office order owner package page
paid part party payment period phone plan point policy port price process
product project purchase quarter rate receipt record region release renewal
report request result retail review risk route sale schedule section sector
service share shipment signed site size source staff standard state status
stock store summary supplier supply support system table tax team term
total trade transfer unit update user value vendor version volume warehouse
week weight west window year zone approved pending closed opened received
sent shipped returned delayed confirmed reviewed updated missing overdue
north south after before during within about under over between against
`)

// promptInstruction follows the unique prefix of every prompt.
const promptInstruction = "Summarize the key facts of the following notes in plain sentences.\n\n"

// workload builds the prompts of one model: a unique prefix, a fixed
// instruction and pseudo-random words, sized so the server counts about
// the target number of prompt tokens. It is not safe for concurrent use.
type workload struct {
	words []string
	seed  uint64
	nonce string
	// drawn is the word sequence drawn so far by rng; prompts use its prefix.
	drawn []string
	rng   *rand.Rand
	// wordCount is the number of body words giving the target length.
	wordCount int
	// calibrated is the server's prompt_eval_count for a prompt of
	// wordCount words, or 0 when the server reported none.
	calibrated int
}

// newWorkload returns a workload over the built-in vocabulary, or over the
// words of promptFile when it is set. nonce makes the prefixes of this run
// differ from every earlier run's.
func newWorkload(promptFile string, seed int, nonce string) (*workload, error) {
	words := syntheticWords
	if promptFile != "" {
		data, err := os.ReadFile(promptFile)
		if err != nil {
			return nil, fmt.Errorf("throughput.prompt_file: %w", err)
		}
		words = strings.Fields(string(data))
		if len(words) < 50 {
			return nil, fmt.Errorf("throughput.prompt_file %s: only %d words: use a text of at least 50 words", promptFile, len(words))
		}
	}
	return &workload{words: words, seed: uint64(seed), nonce: nonce}, nil
}

// prompt returns the prompt for request key with n body words. Every
// prompt of n words holds the same words, the first n of a sequence drawn
// once from the vocabulary with the seed, so the server counts about the
// same number of tokens in each. The prefix, a number hashed from the
// nonce and key, and the order of the words, shuffled by that hash, make
// each request differ from its first tokens, so the server's prompt cache
// cannot serve it.
func (w *workload) prompt(key string, n int) string {
	sum := sha256.Sum256([]byte(w.nonce + "\x00" + key))
	hash := binary.LittleEndian.Uint64(sum[:8])

	body := slices.Clone(w.sequence(n))
	rng := rand.New(rand.NewPCG(w.seed, hash))
	rng.Shuffle(len(body), func(i, j int) { body[i], body[j] = body[j], body[i] })

	var b strings.Builder
	b.Grow(n * 8)
	// A fixed-width decimal keeps the prefix's token count the same for
	// every request; tokenizers split digits alike whatever their values.
	fmt.Fprintf(&b, "Document %09d. ", hash%1_000_000_000)
	b.WriteString(promptInstruction)
	for i, word := range body {
		if i > 0 {
			if i%12 == 0 {
				b.WriteString(".\n")
			} else {
				b.WriteByte(' ')
			}
		}
		b.WriteString(word)
	}
	b.WriteString(".\n")
	return b.String()
}

// sequence returns the first n words of the workload's word sequence,
// drawn from the vocabulary with the seed and extended as needed.
func (w *workload) sequence(n int) []string {
	if w.rng == nil {
		w.rng = rand.New(rand.NewPCG(w.seed, 0x71756e74))
	}
	for len(w.drawn) < n {
		w.drawn = append(w.drawn, w.words[w.rng.IntN(len(w.words))])
	}
	return w.drawn[:n]
}

// calibrationFunc sends one prompt with num_predict 1 and returns the
// server's prompt_eval_count (0 when absent).
type calibrationFunc func(ctx context.Context, prompt string) (int, error)

// calibrate sets wordCount so that the server counts about target prompt
// tokens. It measures two prompt lengths, fits tokens = a + b × words, and
// checks the fit with a third request whose count becomes calibrated.
// When the server reports no prompt_eval_count, it keeps an estimate of
// 1.4 tokens per word and leaves calibrated at 0.
func (w *workload) calibrate(ctx context.Context, model string, target int, measure calibrationFunc) error {
	const tokensPerWordGuess = 1.4
	words0 := max(1, int(float64(target)/tokensPerWordGuess))
	count0, err := measure(ctx, w.prompt(model+"/calibrate/0", words0))
	if err != nil {
		return err
	}
	if count0 == 0 {
		slog.Warn("the server reported no prompt_eval_count; prompt length is estimated, not calibrated", "model", model)
		w.wordCount = words0
		return nil
	}

	words1 := max(1, int(math.Round(float64(words0)*float64(target)/float64(count0))))
	if words1 == words0 {
		words1 = words0 / 2
	}
	count1, err := measure(ctx, w.prompt(model+"/calibrate/1", words1))
	if err != nil {
		return err
	}

	w.wordCount = fitWordCount(target, words0, count0, words1, count1)
	w.calibrated, err = measure(ctx, w.prompt(model+"/calibrate/2", w.wordCount))
	if err != nil {
		return err
	}
	slog.Info("calibrated prompt length", "model", model, "target_tokens", target, "words", w.wordCount, "prompt_eval_count", w.calibrated)
	return nil
}

// fitWordCount solves tokens = a + b × words through two measured points
// for the word count giving target tokens. It falls back to proportional
// scaling when the points do not give a positive slope.
func fitWordCount(target, words0, count0, words1, count1 int) int {
	if words1 != words0 && count1 != count0 {
		slope := float64(count1-count0) / float64(words1-words0)
		if slope > 0 {
			intercept := float64(count0) - slope*float64(words0)
			return max(1, int(math.Round((float64(target)-intercept)/slope)))
		}
	}
	return max(1, int(math.Round(float64(words0)*float64(target)/float64(count0))))
}
