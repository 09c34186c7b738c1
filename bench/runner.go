package bench

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/ollama/ollama/api"

	"github.com/quantbench/quantbench/datasets"
	"github.com/quantbench/quantbench/evaluators"
	"github.com/quantbench/quantbench/results"
)

// RunOptions are the settings of one invocation that are not part of the suite.
type RunOptions struct {
	// ResumeDir continues the run in that results folder instead of starting one.
	ResumeDir string

	// Progress receives progress bars (a terminal) or progress lines.
	Progress   io.Writer
	IsTerminal bool

	Version string
	Commit  string

	// HTTPClient, when set, replaces the HTTP client of every Ollama client.
	HTTPClient *http.Client
}

// ErrStopped is wrapped by Run's error when the run stopped before every
// request finished, because it was interrupted or hit too many infrastructure
// errors. The results folder can be resumed.
var ErrStopped = errors.New("run stopped before it finished")

// runState is everything a run needs while its items execute.
type runState struct {
	suite    *Suite
	dir      string
	runID    string
	clients  []*api.Client
	hosts    []string
	datasets []*datasets.Dataset
	scorers  map[string]evaluators.Scorer
	models   []ModelCheck
	store    *results.Store
	manifest *results.RunManifest

	// completed holds the keys of records already written (other than
	// infra_error), which a resumed run skips.
	completed map[string]bool

	opts RunOptions

	// lockHandle keeps the results folder's lock file open, and so locked.
	lockHandle *os.File
}

// Run executes the quality phase of a suite and, when the suite has one, its
// throughput phase, and returns the results folder. Datasets and the suite are
// validated and every model is checked before the first item runs.
func Run(ctx context.Context, suite *Suite, opts RunOptions) (string, error) {
	state, err := prepare(ctx, suite, opts)
	if err != nil {
		return "", err
	}
	defer state.store.Close()
	defer state.unlock()

	slog.Info("run started", "run", state.runID, "dir", state.dir, "models", len(state.models),
		"datasets", len(state.datasets), "resumed", opts.ResumeDir != "")

	if err := state.executeQuality(ctx); err != nil {
		return state.dir, err
	}
	if suite.Judge != "" {
		if err := state.executeJudge(ctx); err != nil {
			return state.dir, err
		}
	}
	if suite.Throughput != nil {
		if err := state.executeThroughput(ctx); err != nil {
			return state.dir, err
		}
	}

	end := time.Now().UTC()
	state.manifest.End = &end
	if err := results.WriteJSONFile(filepath.Join(state.dir, results.RunFile), state.manifest); err != nil {
		return state.dir, err
	}
	slog.Info("run finished", "run", state.runID, "dir", state.dir, "duration", end.Sub(state.manifest.Start).Round(time.Second))
	return state.dir, nil
}

// prepare resolves datasets and scorers, runs pre-flight and creates (or
// reopens) the results folder.
func prepare(ctx context.Context, suite *Suite, opts RunOptions) (*runState, error) {
	state := &runState{suite: suite, opts: opts, completed: map[string]bool{}}

	var prior *results.RunManifest
	if opts.ResumeDir != "" {
		m, err := results.ReadManifest(opts.ResumeDir)
		if err != nil {
			return nil, err
		}
		prior = m
	}

	if err := suite.Validate(); err != nil {
		return nil, err
	}
	if err := state.loadDatasets(prior); err != nil {
		return nil, err
	}
	if err := state.loadScorers(); err != nil {
		return nil, err
	}

	if err := state.connect(); err != nil {
		return nil, err
	}
	models, version, warnings, err := Preflight(ctx, state.clients, state.hosts, suite)
	if err != nil {
		return nil, err
	}
	state.models = models
	if suite.Concurrency > 1 {
		w := fmt.Sprintf("concurrency %d: parallel requests share batches on the server, which can change outputs even at temperature 0", suite.Concurrency)
		slog.Warn(w)
		warnings = append(warnings, w)
	}

	if prior != nil {
		err = state.reopen(prior)
	} else {
		err = state.create(version, warnings)
	}
	if err != nil {
		return nil, err
	}

	store, err := results.OpenStore(filepath.Join(state.dir, results.RecordsFile))
	if err != nil {
		return nil, err
	}
	state.store = store
	return state, nil
}

// loadDatasets resolves the suite's datasets, or on resume loads the
// snapshots stored in the results folder and checks their hashes.
func (s *runState) loadDatasets(prior *results.RunManifest) error {
	if prior != nil {
		for _, ref := range prior.Datasets {
			ds, err := datasets.Load(filepath.Join(s.opts.ResumeDir, ref.Snapshot))
			if err != nil {
				return fmt.Errorf("load dataset snapshot of the run: %w", err)
			}
			if ds.SHA256 != ref.SHA256 {
				return fmt.Errorf("dataset snapshot %s changed since the run started (sha256 %s, run.json has %s): restore it or start a new run",
					ref.Snapshot, ds.SHA256, ref.SHA256)
			}
			s.datasets = append(s.datasets, ds)
		}
		return nil
	}

	all, err := datasets.Resolve(strings.Join(s.suite.Datasets, ","))
	if err != nil {
		return err
	}
	for _, ds := range all {
		if s.suite.Limit > 0 && len(ds.Items) > s.suite.Limit {
			limited := *ds
			limited.Items = ds.Items[:s.suite.Limit]
			ds = &limited
		}
		s.datasets = append(s.datasets, ds)
	}
	if len(s.datasets) == 0 {
		return fmt.Errorf("the datasets %q hold no items", strings.Join(s.suite.Datasets, ","))
	}
	return nil
}

func (s *runState) loadScorers() error {
	s.scorers = map[string]evaluators.Scorer{}
	var manifests []*datasets.Manifest
	for _, ds := range s.datasets {
		scorer, err := evaluators.For(&ds.Manifest)
		if err != nil {
			return fmt.Errorf("dataset %s: %w", ds.Manifest.Name, err)
		}
		s.scorers[ds.Manifest.Name] = scorer
		manifests = append(manifests, &ds.Manifest)
	}
	return evaluators.CheckPrerequisites(manifests)
}

// connect makes one Ollama client per host. Hosts come from the suite, else
// OLLAMA_HOST, else the local default.
func (s *runState) connect() error {
	hosts := s.suite.Hosts
	if len(hosts) == 0 {
		hosts = []string{DefaultHost()}
	}
	httpClient := s.opts.HTTPClient
	if httpClient == nil {
		transport := http.DefaultTransport.(*http.Transport).Clone()
		transport.MaxIdleConnsPerHost = s.suite.Concurrency + 1
		httpClient = &http.Client{Transport: transport}
	}
	for _, host := range hosts {
		base, err := ParseHost(host)
		if err != nil {
			return err
		}
		s.hosts = append(s.hosts, base.String())
		s.clients = append(s.clients, api.NewClient(base, httpClient))
	}
	return nil
}

// DefaultHost returns OLLAMA_HOST when set, else http://127.0.0.1:11434.
func DefaultHost() string {
	if h := strings.TrimSpace(os.Getenv("OLLAMA_HOST")); h != "" {
		return h
	}
	return "http://127.0.0.1:11434"
}

// ParseHost accepts "host:port", "http://host:port" or "https://host" and
// adds Ollama's port 11434 to a plain http host without one.
func ParseHost(host string) (*url.URL, error) {
	if !strings.Contains(host, "://") {
		host = "http://" + host
	}
	u, err := url.Parse(host)
	if err != nil || u.Host == "" {
		return nil, fmt.Errorf("invalid host %q: use a URL such as http://127.0.0.1:11434", host)
	}
	if u.Port() == "" && u.Scheme == "http" {
		u.Host += ":11434"
	}
	return u, nil
}

// create makes a new results folder with the dataset snapshots and run.json.
func (s *runState) create(ollamaVersion string, warnings []string) error {
	suiteJSON, err := json.Marshal(s.suite)
	if err != nil {
		return fmt.Errorf("encode suite: %w", err)
	}
	start := time.Now().UTC()
	if err := s.makeRunFolder(start); err != nil {
		return err
	}
	if err := s.lock(); err != nil {
		return err
	}

	var refs []results.DatasetRef
	for _, ds := range s.datasets {
		rel, err := datasets.WriteSnapshot(ds, s.dir)
		if err != nil {
			return err
		}
		written, err := datasets.Load(filepath.Join(s.dir, rel))
		if err != nil {
			return fmt.Errorf("reload dataset snapshot %s: %w", rel, err)
		}
		refs = append(refs, results.DatasetRef{
			Name: ds.Manifest.Name, Category: string(ds.Manifest.Category), Source: ds.Source,
			Items: len(ds.Items), SHA256: written.SHA256, Snapshot: rel,
		})
	}

	s.manifest = &results.RunManifest{
		RunID:             s.runID,
		QuantbenchVersion: s.opts.Version,
		Commit:            s.opts.Commit,
		Suite:             suiteJSON,
		Host:              strings.Join(s.hosts, ","),
		OllamaVersion:     ollamaVersion,
		Models:            modelInfos(s.models),
		Datasets:          refs,
		Options:           s.baseOptions(),
		Analysis:          s.analysis(),
		Machine:           DescribeMachine(context.Background(), s.hosts),
		Start:             start,
		Warnings:          warnings,
	}
	return results.WriteJSONFile(filepath.Join(s.dir, results.RunFile), s.manifest)
}

// makeRunFolder creates NAME-YYYYMMDD-HHMMSS under the output folder, with a
// numeric suffix when a run of the same name started in the same second.
func (s *runState) makeRunFolder(start time.Time) error {
	if err := os.MkdirAll(s.suite.Output, 0o755); err != nil {
		return fmt.Errorf("create output folder: %w", err)
	}
	base := fmt.Sprintf("%s-%s", s.suite.Name, start.Format("20060102-150405"))
	for n := 1; n < 1000; n++ {
		s.runID = base
		if n > 1 {
			s.runID = fmt.Sprintf("%s-%d", base, n)
		}
		s.dir = filepath.Join(s.suite.Output, s.runID)
		err := os.Mkdir(s.dir, 0o755)
		if err == nil {
			return nil
		}
		if !errors.Is(err, os.ErrExist) {
			return fmt.Errorf("create results folder: %w", err)
		}
	}
	return fmt.Errorf("create results folder: %s-N exists for N up to 999; choose another --name or --output", base)
}

// reopen checks that the models are the ones the run started with and loads
// the keys already completed.
func (s *runState) reopen(prior *results.RunManifest) error {
	s.dir = s.opts.ResumeDir
	s.runID = prior.RunID
	s.manifest = prior
	if err := s.lock(); err != nil {
		return err
	}

	for i, check := range s.models {
		if i >= len(prior.Models) || prior.Models[i].Name != check.Info.Name {
			return fmt.Errorf("the models differ from the run in %s: resume with the run's own suite (do not pass --baseline or --variant)", s.dir)
		}
		if prior.Models[i].Digest != check.Info.Digest {
			return fmt.Errorf("model %s changed since the run started (digest %s, run.json has %s): results would mix two builds; start a new run",
				check.Info.Name, shortDigest(check.Info.Digest), shortDigest(prior.Models[i].Digest))
		}
	}
	prior.Host = strings.Join(s.hosts, ",")
	prior.End = nil

	err := results.ReadRecords(filepath.Join(s.dir, results.RecordsFile), func(r *results.Record) error {
		if r.Status != results.StatusInfraError {
			s.completed[r.Key()] = true
		}
		return nil
	})
	if err != nil && !errors.Is(err, os.ErrNotExist) {
		return err
	}
	slog.Info("resuming run", "run", s.runID, "completed", len(s.completed))
	return results.WriteJSONFile(filepath.Join(s.dir, results.RunFile), s.manifest)
}

func modelInfos(checks []ModelCheck) []results.ModelInfo {
	infos := make([]results.ModelInfo, len(checks))
	for i, c := range checks {
		infos[i] = c.Info
	}
	return infos
}

// baseOptions are the decoding options every request carries; num_predict
// is added per dataset.
func (s *runState) baseOptions() map[string]any {
	o := s.suite.Options
	options := map[string]any{
		"temperature": o.Temperature,
		"seed":        o.Seed,
		"num_ctx":     o.NumCtx,
	}
	if o.TopK != nil {
		options["top_k"] = *o.TopK
	}
	if o.TopP != nil {
		options["top_p"] = *o.TopP
	}
	return options
}

// analysis copies the report settings into run.json.
func (s *runState) analysis() results.Analysis {
	tolerances := map[string]float64{}
	for category, tol := range results.DefaultTolerances {
		tolerances[category] = tol
	}
	for category, tol := range s.suite.Tolerances {
		tolerances[category] = tol
	}
	return results.Analysis{
		Tolerances:         tolerances,
		BootstrapResamples: s.suite.Bootstrap.Resamples,
		BootstrapSeed:      s.suite.Bootstrap.Seed,
		Confidence:         s.suite.Bootstrap.Confidence,
		MinPairs:           s.suite.MinPairs,
		TCO:                s.suite.TCO,
	}
}
