package results

import (
	"sort"
	"strconv"

	"github.com/quantbench/quantbench/datasets"
	"github.com/quantbench/quantbench/evaluators"
)

// ModelScore is one model's score on one dataset in one repeat.
type ModelScore struct {
	Dataset  string `json:"dataset"`
	Category string `json:"category"`
	Model    string `json:"model"`
	Role     string `json:"role"`
	Repeat   int    `json:"repeat"`

	// Items counts the records; Scored those with status ok and a score.
	Items  int `json:"items"`
	Scored int `json:"scored"`

	// Score is the mean item score over scored items, in [0, 1]; nil when
	// nothing was scored.
	Score *float64 `json:"score"`

	// Metrics are the dataset metrics (accuracy, macro_f1, precision, recall,
	// f1, pass_at_1, constraint_fraction), as the category defines them.
	Metrics map[string]float64 `json:"metrics,omitempty"`

	// Counts holds the number of records per request status (ok, truncated,
	// budget_exhausted, infra_error) and per scoring outcome (correct, wrong,
	// no_answer, format_error, passed, failed, timeout, sandbox_error, partial).
	Counts map[string]int `json:"counts"`

	// MeanInputTokens and MeanOutputTokens are the means of prompt_eval_count
	// and eval_count over the records that have them.
	MeanInputTokens  *float64 `json:"mean_input_tokens,omitempty"`
	MeanOutputTokens *float64 `json:"mean_output_tokens,omitempty"`
}

// CategoryScore is one model's score over all datasets of a category, in
// repeat 0. Score is the mean over scored items, so larger datasets weigh more.
type CategoryScore struct {
	Category string   `json:"category"`
	Model    string   `json:"model"`
	Role     string   `json:"role"`
	Items    int      `json:"items"`
	Scored   int      `json:"scored"`
	Score    *float64 `json:"score"`
	// PercentOfBaseline is 100 × Score / the baseline's Score over the same
	// category; nil for the baseline itself and when the baseline scored 0 or
	// nothing.
	PercentOfBaseline *float64       `json:"percent_of_baseline"`
	Counts            map[string]int `json:"counts"`
	MeanInputTokens   *float64       `json:"mean_input_tokens,omitempty"`
	MeanOutputTokens  *float64       `json:"mean_output_tokens,omitempty"`
}

// scoreGroup accumulates the records of one dataset or category, model and repeat.
type scoreGroup struct {
	dataset, category, model, role string
	repeat                         int
	items                          int
	scores                         []evaluators.Score
	counts                         map[string]int
	inputTokens, outputTokens      meanAccumulator
}

type meanAccumulator struct {
	sum float64
	n   int
}

func (m *meanAccumulator) add(v *int) {
	if v != nil {
		m.sum += float64(*v)
		m.n++
	}
}

func (m *meanAccumulator) mean() *float64 {
	if m.n == 0 {
		return nil
	}
	v := m.sum / float64(m.n)
	return &v
}

func (g *scoreGroup) add(r *Record) {
	g.items++
	g.counts[string(r.Status)]++
	if r.Status == StatusOK && r.Score != nil {
		g.scores = append(g.scores, *r.Score)
		g.counts[string(r.Score.Outcome)]++
	}
	g.inputTokens.add(r.PromptEvalCount)
	g.outputTokens.add(r.EvalCount)
}

func (g *scoreGroup) mean() *float64 {
	if len(g.scores) == 0 {
		return nil
	}
	var sum float64
	for _, s := range g.scores {
		sum += s.Value
	}
	v := sum / float64(len(g.scores))
	return &v
}

// summarizeQuality computes per-dataset scores for every model and repeat,
// and per-category scores with the percentage of the baseline for repeat 0.
func summarizeQuality(m *RunManifest, records []*Record) ([]ModelScore, []CategoryScore) {
	roles := map[string]string{}
	for _, info := range m.Models {
		roles[info.Name] = info.Role
	}
	byDataset := map[[3]string]*scoreGroup{}
	byCategory := map[[2]string]*scoreGroup{}
	for _, r := range records {
		role := roles[r.Model]
		if role == "" {
			role = r.Role
		}
		dk := [3]string{r.Dataset, r.Model, strconv.Itoa(r.Repeat)}
		if byDataset[dk] == nil {
			byDataset[dk] = &scoreGroup{dataset: r.Dataset, category: r.Category, model: r.Model, role: role, repeat: r.Repeat, counts: map[string]int{}}
		}
		byDataset[dk].add(r)
		if r.Repeat != 0 {
			continue
		}
		ck := [2]string{r.Category, r.Model}
		if byCategory[ck] == nil {
			byCategory[ck] = &scoreGroup{category: r.Category, model: r.Model, role: role, counts: map[string]int{}}
		}
		byCategory[ck].add(r)
	}

	order := modelOrder(m)
	scores := make([]ModelScore, 0, len(byDataset))
	for _, g := range byDataset {
		scores = append(scores, ModelScore{
			Dataset: g.dataset, Category: g.category, Model: g.model, Role: g.role, Repeat: g.repeat,
			Items: g.items, Scored: len(g.scores), Score: g.mean(),
			Metrics: evaluators.Metrics(datasets.Category(g.category), g.scores),
			Counts:  g.counts, MeanInputTokens: g.inputTokens.mean(), MeanOutputTokens: g.outputTokens.mean(),
		})
	}
	sort.Slice(scores, func(i, j int) bool {
		a, b := scores[i], scores[j]
		if a.Dataset != b.Dataset {
			return datasetOrder(m, a.Dataset) < datasetOrder(m, b.Dataset)
		}
		if a.Repeat != b.Repeat {
			return a.Repeat < b.Repeat
		}
		return order[a.Model] < order[b.Model]
	})

	baselineScore := map[string]*float64{}
	for _, g := range byCategory {
		if g.role == RoleBaseline {
			baselineScore[g.category] = g.mean()
		}
	}
	categories := make([]CategoryScore, 0, len(byCategory))
	for _, g := range byCategory {
		c := CategoryScore{
			Category: g.category, Model: g.model, Role: g.role, Items: g.items, Scored: len(g.scores),
			Score: g.mean(), Counts: g.counts,
			MeanInputTokens: g.inputTokens.mean(), MeanOutputTokens: g.outputTokens.mean(),
		}
		if base := baselineScore[g.category]; g.role != RoleBaseline && base != nil && *base > 0 && c.Score != nil {
			pct := 100 * *c.Score / *base
			c.PercentOfBaseline = &pct
		}
		categories = append(categories, c)
	}
	sort.Slice(categories, func(i, j int) bool {
		a, b := categories[i], categories[j]
		if a.Category != b.Category {
			return categoryRank(a.Category) < categoryRank(b.Category)
		}
		return order[a.Model] < order[b.Model]
	})
	return scores, categories
}

// modelOrder ranks models as run.json lists them: the baseline, then the variants.
func modelOrder(m *RunManifest) map[string]int {
	order := map[string]int{}
	for i, info := range m.Models {
		order[info.Name] = i
	}
	return order
}

func datasetOrder(m *RunManifest, name string) int {
	for i, d := range m.Datasets {
		if d.Name == name {
			return i
		}
	}
	return len(m.Datasets)
}

// categoryRank orders categories as datasets.Categories lists them.
func categoryRank(category string) int {
	for i, c := range datasets.Categories {
		if string(c) == category {
			return i
		}
	}
	return len(datasets.Categories)
}
