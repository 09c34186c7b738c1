package bench

// Temporary bindings while the datasets, evaluators and statistics packages
// are being written; replaced by direct calls when they land.

import (
	"errors"

	"github.com/quantbench/quantbench/datasets"
	"github.com/quantbench/quantbench/evaluators"
)

var errPending = errors.New("not yet available in this build")

var (
	resolveDatasets          = func(spec string) ([]*datasets.Dataset, error) { return nil, errPending }
	loadDataset              = func(path string) (*datasets.Dataset, error) { return nil, errPending }
	writeSnapshot            = func(ds *datasets.Dataset, dir string) (string, error) { return "", errPending }
	renderItem               = func(m *datasets.Manifest, it *datasets.Item) (string, string, error) { return "", "", errPending }
	scorerFor                = func(m *datasets.Manifest) (evaluators.Scorer, error) { return nil, errPending }
	checkScorerPrerequisites = func(ms []*datasets.Manifest) error { return nil }
	defaultTolerances        = map[string]float64{}
)
