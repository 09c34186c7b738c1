package ollamatest

import (
	"testing"

	"github.com/quantbench/quantbench/bench/testmodel"
)

// SentimentModels creates qb-sentiment:f16, qb-sentiment:q8_0 and
// qb-sentiment:q4_K_M on srv from the generated sentiment classifier with
// the default SentimentOptions, once per server, and returns their names,
// baseline first. Prompts must have the form of testmodel.SentimentPrompt.
func SentimentModels(t testing.TB, srv *Server) []string {
	t.Helper()
	return names(srv.createSet(t, "qb-sentiment", func(path string) error {
		_, err := testmodel.Sentiment(path, testmodel.SentimentOptions{})
		return err
	}))
}
