package results

// ModelScore is one model's score on one dataset in one repeat.
type ModelScore struct {
	Dataset  string `json:"dataset"`
	Category string `json:"category"`
	Model    string `json:"model"`
	Role     string `json:"role"`
	Repeat   int    `json:"repeat"`

	Items  int `json:"items"`
	Scored int `json:"scored"`

	// Score is the mean item score over scored (status ok) items, in [0, 1];
	// nil when nothing was scored.
	Score *float64 `json:"score"`

	// Metrics are the dataset metrics (accuracy, macro_f1, precision, recall,
	// f1, pass_at_1, constraint_fraction), as the category defines them.
	Metrics map[string]float64 `json:"metrics,omitempty"`

	// Counts holds the number of records per request status and per scoring
	// outcome (infra_error, truncated, budget_exhausted, no_answer, format_error ...).
	Counts map[string]int `json:"counts"`

	// Mean token counts per item, from prompt_eval_count and eval_count.
	MeanInputTokens  *float64 `json:"mean_input_tokens,omitempty"`
	MeanOutputTokens *float64 `json:"mean_output_tokens,omitempty"`
}

// CategoryScore is one model's score over all datasets of a category (repeat 0).
type CategoryScore struct {
	Category string   `json:"category"`
	Model    string   `json:"model"`
	Role     string   `json:"role"`
	Items    int      `json:"items"`
	Scored   int      `json:"scored"`
	Score    *float64 `json:"score"`
	// PercentOfBaseline is 100 * score / baseline score; nil when undefined.
	PercentOfBaseline *float64       `json:"percent_of_baseline"`
	Counts            map[string]int `json:"counts"`
	MeanInputTokens   *float64       `json:"mean_input_tokens,omitempty"`
	MeanOutputTokens  *float64       `json:"mean_output_tokens,omitempty"`
}

// summarizeQuality computes per-dataset and per-category scores.
func summarizeQuality(m *RunManifest, records []*Record) ([]ModelScore, []CategoryScore) {
	// TODO: implemented with the runner.
	return nil, nil
}
