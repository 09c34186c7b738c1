package bench

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"time"

	"github.com/quantbench/quantbench/datasets"
	"github.com/quantbench/quantbench/evaluators"
	"github.com/quantbench/quantbench/results"
)

// RescoreSummary counts what Rescore did.
type RescoreSummary struct {
	Scored  int
	Changed int
	// Backup is the previous records file, kept beside the new one.
	Backup string
}

// snapshot is one dataset of a results folder with its items by id and its scorer.
type snapshot struct {
	dataset *datasets.Dataset
	items   map[string]*datasets.Item
	scorer  evaluators.Scorer
}

// Rescore scores every ok record of the results folder dir again, from its
// output and the dataset snapshot in the folder, with the current scorers.
// It writes the new records file beside the old one and swaps them, keeping
// the old one as records.jsonl.bak-TIME, so nothing already written is lost.
// A sandbox failure stops it before anything is replaced.
func Rescore(ctx context.Context, dir string) (RescoreSummary, error) {
	var sum RescoreSummary
	manifest, err := results.ReadManifest(dir)
	if err != nil {
		return sum, err
	}
	holder := &runState{dir: dir}
	if err := holder.lock(); err != nil {
		return sum, err
	}
	defer holder.unlock()

	snapshots, err := loadSnapshots(dir, manifest)
	if err != nil {
		return sum, err
	}

	path := filepath.Join(dir, results.RecordsFile)
	tmp := path + ".rescore"
	out, err := os.Create(tmp)
	if err != nil {
		return sum, fmt.Errorf("create %s: %w", tmp, err)
	}
	defer os.Remove(tmp)

	err = results.ReadRecords(path, func(r *results.Record) error {
		if r.Status == results.StatusOK {
			changed, err := rescoreRecord(ctx, r, snapshots)
			if err != nil {
				return err
			}
			sum.Scored++
			if changed {
				sum.Changed++
			}
		}
		line, err := json.Marshal(r)
		if err != nil {
			return err
		}
		_, err = out.Write(append(line, '\n'))
		return err
	})
	if closeErr := out.Close(); err == nil {
		err = closeErr
	}
	if err != nil {
		return sum, err
	}

	sum.Backup = fmt.Sprintf("%s.bak-%s", path, time.Now().UTC().Format("20060102-150405"))
	if err := os.Rename(path, sum.Backup); err != nil {
		return sum, fmt.Errorf("keep the old records: %w", err)
	}
	if err := os.Rename(tmp, path); err != nil {
		return sum, fmt.Errorf("replace %s (the old records are in %s): %w", path, sum.Backup, err)
	}
	slog.Info("rescored records", "dir", dir, "scored", sum.Scored, "changed", sum.Changed, "backup", sum.Backup)
	return sum, nil
}

// loadSnapshots loads the folder's dataset snapshots, checks their hashes
// against run.json, and makes a scorer for each.
func loadSnapshots(dir string, manifest *results.RunManifest) (map[string]*snapshot, error) {
	snapshots := map[string]*snapshot{}
	var manifests []*datasets.Manifest
	for _, ref := range manifest.Datasets {
		ds, err := datasets.Load(filepath.Join(dir, ref.Snapshot))
		if err != nil {
			return nil, fmt.Errorf("load dataset snapshot: %w", err)
		}
		if ds.SHA256 != ref.SHA256 {
			return nil, fmt.Errorf("dataset snapshot %s changed since the run (sha256 %s, run.json has %s): restore it before rescoring",
				ref.Snapshot, ds.SHA256, ref.SHA256)
		}
		scorer, err := evaluators.For(&ds.Manifest)
		if err != nil {
			return nil, fmt.Errorf("dataset %s: %w", ds.Manifest.Name, err)
		}
		snap := &snapshot{dataset: ds, items: map[string]*datasets.Item{}, scorer: scorer}
		for i := range ds.Items {
			snap.items[ds.Items[i].ID] = &ds.Items[i]
		}
		snapshots[ds.Manifest.Name] = snap
		manifests = append(manifests, &ds.Manifest)
	}
	return snapshots, evaluators.CheckPrerequisites(manifests)
}

// rescoreRecord replaces r's score and reports whether it changed.
func rescoreRecord(ctx context.Context, r *results.Record, snapshots map[string]*snapshot) (bool, error) {
	snap := snapshots[r.Dataset]
	if snap == nil || snap.items[r.ItemID] == nil {
		return false, fmt.Errorf("record %s/%s has no item in the folder's dataset snapshots: the folder is inconsistent", r.Dataset, r.ItemID)
	}
	score, err := snap.scorer.Score(ctx, &snap.dataset.Manifest, snap.items[r.ItemID], r.Output)
	if err != nil {
		return false, fmt.Errorf("score item %s of dataset %s: %w", r.ItemID, r.Dataset, err)
	}
	if score.Outcome == evaluators.SandboxError {
		return false, fmt.Errorf("the code sandbox failed on item %s of dataset %s: %v; nothing was replaced", r.ItemID, r.Dataset, score.Detail["error"])
	}
	changed := r.Score == nil || r.Score.Value != score.Value || r.Score.Outcome != score.Outcome
	r.Score = &score
	return changed, nil
}
