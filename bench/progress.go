package bench

import (
	"fmt"
	"io"
	"sync"
	"time"

	"github.com/schollz/progressbar/v3"

	"github.com/quantbench/quantbench/results"
)

// progress reports items done, the total, the ETA and live decode tokens/s
// for one phase: a bar on a terminal, else a plain line every few seconds.
type progress struct {
	mu      sync.Mutex
	bar     *progressbar.ProgressBar
	w       io.Writer
	label   string
	total   int
	done    int
	tokens  int64
	evalNS  int64
	started time.Time
	lastLog time.Time
}

// plainInterval is how often a progress line is written when not on a terminal.
const plainInterval = 10 * time.Second

func newProgress(w io.Writer, terminal bool, label string, total int) *progress {
	p := &progress{w: w, label: label, total: total, started: time.Now(), lastLog: time.Now()}
	if w == nil {
		p.w = io.Discard
	}
	if terminal && w != nil {
		p.bar = progressbar.NewOptions(total,
			progressbar.OptionSetWriter(w),
			progressbar.OptionSetDescription(label),
			progressbar.OptionShowCount(),
			progressbar.OptionSetPredictTime(true),
			progressbar.OptionSetElapsedTime(true),
			progressbar.OptionSetWidth(30),
			progressbar.OptionThrottle(200*time.Millisecond),
			progressbar.OptionOnCompletion(func() { fmt.Fprintln(w) }),
		)
	}
	return p
}

// Done counts a finished item and its decode tokens.
func (p *progress) Done(rec *results.Record) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.done++
	if rec.EvalCount != nil && rec.EvalDuration != nil {
		p.tokens += int64(*rec.EvalCount)
		p.evalNS += *rec.EvalDuration
	}
	rate := p.rate()
	if p.bar != nil {
		p.bar.Describe(fmt.Sprintf("%s %s", p.label, rate))
		_ = p.bar.Add(1)
		return
	}
	if time.Since(p.lastLog) >= plainInterval || p.done == p.total {
		p.lastLog = time.Now()
		fmt.Fprintf(p.w, "%s: %d/%d items, %s, elapsed %s, ETA %s\n", p.label, p.done, p.total, rate,
			time.Since(p.started).Round(time.Second), p.eta().Round(time.Second))
	}
}

// rate is the decode rate of the items so far: eval tokens over eval time.
func (p *progress) rate() string {
	if p.evalNS == 0 {
		return "- tok/s"
	}
	return fmt.Sprintf("%.1f tok/s", float64(p.tokens)/(float64(p.evalNS)/1e9))
}

func (p *progress) eta() time.Duration {
	if p.done == 0 {
		return 0
	}
	perItem := time.Since(p.started) / time.Duration(p.done)
	return perItem * time.Duration(p.total-p.done)
}

// Finish closes the bar.
func (p *progress) Finish() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.bar != nil {
		_ = p.bar.Finish()
	}
}
