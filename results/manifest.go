package results

import (
	"encoding/json"
	"time"

	"github.com/quantbench/quantbench/results/tco"
)

// File names inside a results folder.
const (
	RunFile        = "run.json"
	RecordsFile    = "records.jsonl"
	ThroughputFile = "throughput.jsonl"
	TelemetryFile  = "telemetry.jsonl"
	SummaryJSON    = "summary.json"
	SummaryCSV     = "summary.csv"
	WorkbookFile   = "report.xlsx"
	MarkdownFile   = "report.md"
	// DatasetsDir holds a snapshot of every dataset used, so the folder can be
	// rescored without the original files.
	DatasetsDir = "datasets"
)

// RunManifest is run.json: everything needed to interpret the records.
type RunManifest struct {
	RunID             string `json:"run_id"`
	QuantbenchVersion string `json:"quantbench_version"`
	Commit            string `json:"commit,omitempty"`

	// Suite is the suite as resolved (file, embedded default and flags merged).
	Suite json.RawMessage `json:"suite"`

	Host          string `json:"host"`
	OllamaVersion string `json:"ollama_version"`

	Models   []ModelInfo  `json:"models"`
	Datasets []DatasetRef `json:"datasets"`

	// Options are the decoding options sent in every request's options field,
	// before the per-dataset num_predict.
	Options map[string]any `json:"options"`

	Analysis Analysis    `json:"analysis"`
	Machine  MachineInfo `json:"machine"`

	Start time.Time  `json:"start"`
	End   *time.Time `json:"end,omitempty"`

	Warnings []string `json:"warnings,omitempty"`
}

// ModelInfo describes a model as pre-flight read it from /api/show and /api/tags.
type ModelInfo struct {
	Name          string `json:"name"`
	Role          string `json:"role"`
	Digest        string `json:"digest"`
	Family        string `json:"family"`
	ParameterSize string `json:"parameter_size"`
	Quantization  string `json:"quantization"`
	Format        string `json:"format,omitempty"`
	SizeBytes     int64  `json:"size_bytes,omitempty"`
}

// DatasetRef names a dataset used by a run and where its snapshot is.
type DatasetRef struct {
	Name     string `json:"name"`
	Category string `json:"category"`
	Source   string `json:"source"`
	Items    int    `json:"items"`
	SHA256   string `json:"sha256"`
	// Snapshot is the path of the copy inside the results folder, relative to it.
	Snapshot string `json:"snapshot"`
}

// Analysis holds the settings that reports use, so a report needs no suite file.
type Analysis struct {
	// Tolerances maps a category to the minimum acceptable variant score as a
	// fraction of the baseline's (0.97 means 97%).
	Tolerances map[string]float64 `json:"tolerances"`

	BootstrapResamples int     `json:"bootstrap_resamples"`
	BootstrapSeed      int64   `json:"bootstrap_seed"`
	Confidence         float64 `json:"confidence"`

	// MinPairs is the number of paired items below which a comparison gets a footnote.
	MinPairs int `json:"min_pairs"`

	TCO *tco.Inputs `json:"tco,omitempty"`
}

// MachineInfo describes the machine that ran the server, as far as the client can tell.
type MachineInfo struct {
	CPUModel string    `json:"cpu_model,omitempty"`
	CPUCores int       `json:"cpu_cores,omitempty"`
	GPUs     []GPUInfo `json:"gpus,omitempty"`
	// GPUReason is the reason GPU columns are blank, for example "nvidia-smi not found".
	GPUReason string `json:"gpu_reason,omitempty"`
}

// GPUInfo is one GPU as reported by nvidia-smi.
type GPUInfo struct {
	Name        string  `json:"name"`
	MemoryMiB   float64 `json:"memory_mib"`
	Driver      string  `json:"driver,omitempty"`
	BandwidthGB float64 `json:"bandwidth_gb_s,omitempty"`
}
