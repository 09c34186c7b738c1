package datasets

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
)

// Write writes ds as one JSON-lines file with its manifest as a YAML header
// between two "---" lines, the form Load reads back.
func Write(w io.Writer, ds *Dataset) error {
	bw := bufio.NewWriter(w)
	bw.WriteString("---\n")
	if err := encodeManifest(bw, &ds.Manifest); err != nil {
		return err
	}
	bw.WriteString("---\n")
	if err := WriteItems(bw, ds.Items); err != nil {
		return err
	}
	return bw.Flush()
}

// WriteItems writes items as JSON lines, without a manifest.
func WriteItems(w io.Writer, items []Item) error {
	for i := range items {
		if err := encodeJSONLine(w, &items[i]); err != nil {
			return fmt.Errorf("encode item %q: %w", items[i].ID, err)
		}
	}
	return nil
}

// WriteManifest writes the manifest of ds as a YAML file, for use beside a
// JSON-lines file written with WriteItems.
func WriteManifest(w io.Writer, ds *Dataset) error {
	return encodeManifest(w, &ds.Manifest)
}

// SnapshotDir is the folder of a results folder that holds dataset snapshots.
// It has the same value as results.DatasetsDir.
const SnapshotDir = "datasets"

// WriteSnapshot writes ds into the datasets folder of the results folder dir
// as NAME.jsonl with a manifest header, so that the results can be scored
// again without the original files. It returns the path relative to the
// results folder, "datasets/NAME.jsonl". Load reads the snapshot back
// with the same SHA256. An existing snapshot of the same name is kept when
// its content is the same, and is an error otherwise.
func WriteSnapshot(ds *Dataset, dir string) (string, error) {
	if !nameRE.MatchString(ds.Manifest.Name) {
		return "", fmt.Errorf("write snapshot: invalid dataset name %q: use letters, digits, '.', '_' and '-', starting with a letter or digit", ds.Manifest.Name)
	}
	rel := filepath.Join(SnapshotDir, ds.Manifest.Name+".jsonl")
	path := filepath.Join(dir, rel)

	var buf bytes.Buffer
	if err := Write(&buf, ds); err != nil {
		return "", err
	}
	old, err := os.ReadFile(path)
	if err == nil {
		if bytes.Equal(old, buf.Bytes()) {
			return rel, nil
		}
		return "", fmt.Errorf("snapshot %s already exists with other content; two datasets named %q were used in one results folder: rename one in its manifest", path, ds.Manifest.Name)
	}

	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return "", fmt.Errorf("write snapshot: %w", err)
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+ds.Manifest.Name+"-*.tmp")
	if err != nil {
		return "", fmt.Errorf("write snapshot: %w", err)
	}
	defer os.Remove(tmp.Name())
	if err := tmp.Chmod(0o644); err != nil {
		tmp.Close()
		return "", fmt.Errorf("write snapshot %s: %w", path, err)
	}
	if _, err := tmp.Write(buf.Bytes()); err != nil {
		tmp.Close()
		return "", fmt.Errorf("write snapshot %s: %w", path, err)
	}
	if err := tmp.Close(); err != nil {
		return "", fmt.Errorf("write snapshot %s: %w", path, err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return "", fmt.Errorf("write snapshot %s: %w", path, err)
	}
	return rel, nil
}
