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

// maxCalibrationRequests bounds the requests calibrate sends per model.
const maxCalibrationRequests = 6

// calibrate sets wordCount so that the server counts about target prompt
// tokens. It starts from 1.4 tokens per word, then refits tokens = a + b ×
// words through the last two measured lengths until a count is within 1%
// (at least 2 tokens) of target, or maxCalibrationRequests were sent; it
// keeps the closest length. A count of numCtx or more means the server
// truncated the prompt, so that point is not fitted and the length is
// halved. When the server reports no prompt_eval_count, it keeps the first
// estimate and leaves calibrated at 0.
func (w *workload) calibrate(ctx context.Context, model string, target, numCtx int, measure calibrationFunc) error {
	const tokensPerWordGuess = 1.4
	tolerance := max(2, target/100)
	words := max(1, int(float64(target)/tokensPerWordGuess))
	var points [][2]int // (words, count) of untruncated measurements

	for i := range maxCalibrationRequests {
		count, err := measure(ctx, w.prompt(fmt.Sprintf("%s/calibrate/%d", model, i), words))
		if err != nil {
			return err
		}
		if count == 0 {
			slog.Warn("the server reported no prompt_eval_count; prompt length is estimated, not calibrated", "model", model)
			w.wordCount, w.calibrated = words, 0
			return nil
		}
		if count >= numCtx {
			words = max(1, words/2)
			continue
		}

		points = append(points, [2]int{words, count})
		if w.calibrated == 0 || abs(count-target) < abs(w.calibrated-target) {
			w.wordCount, w.calibrated = words, count
		}
		if abs(count-target) <= tolerance {
			break
		}
		next := nextWordCount(target, points)
		if next == words {
			break // one word more or less is below this tokenizer's resolution
		}
		words = next
	}

	if w.calibrated == 0 {
		return fmt.Errorf("model %s: every calibration prompt filled num_ctx %d: raise throughput.num_ctx", model, numCtx)
	}
	if abs(w.calibrated-target) > max(tolerance, target/20) {
		slog.Warn("prompt length differs from the target by more than 5%", "model", model, "target_tokens", target, "prompt_eval_count", w.calibrated)
	}
	slog.Info("calibrated prompt length", "model", model, "target_tokens", target, "words", w.wordCount, "prompt_eval_count", w.calibrated)
	return nil
}

// nextWordCount returns the word count to try next: a fit through the last
// two points, or proportional scaling of the only one.
func nextWordCount(target int, points [][2]int) int {
	last := points[len(points)-1]
	if len(points) == 1 {
		return max(1, int(math.Round(float64(last[0])*float64(target)/float64(last[1]))))
	}
	prev := points[len(points)-2]
	return fitWordCount(target, prev[0], prev[1], last[0], last[1])
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

// fitWordCount solves tokens = a + b × words through two measured points
// for the word count giving target tokens. It falls back to proportional
// scaling of the second point when the points do not give a positive slope.
func fitWordCount(target, words0, count0, words1, count1 int) int {
	if words1 != words0 && count1 != count0 {
		slope := float64(count1-count0) / float64(words1-words0)
		if slope > 0 {
			intercept := float64(count0) - slope*float64(words0)
			return max(1, int(math.Round((float64(target)-intercept)/slope)))
		}
	}
	return max(1, int(math.Round(float64(words1)*float64(target)/float64(count1))))
}
