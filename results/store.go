package results

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"sync"
)

// Store appends records to records.jsonl. Each record is written and flushed
// to the operating system as one line as soon as it is added, so a killed run
// loses at most the requests in flight. Store is safe for concurrent use.
type Store struct {
	mu   sync.Mutex
	file *os.File
	path string
}

// OpenStore opens (creating if needed) the records file at path for appending.
// A partial last line left by a killed run is cut off first, so the next
// record starts on a line of its own.
func OpenStore(path string) (*Store, error) {
	if err := trimPartialLine(path); err != nil {
		return nil, err
	}
	f, err := os.OpenFile(path, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		return nil, fmt.Errorf("open records file: %w", err)
	}
	return &Store{file: f, path: path}, nil
}

// Append writes one record as one JSON line.
func (s *Store) Append(r *Record) error {
	line, err := json.Marshal(r)
	if err != nil {
		return fmt.Errorf("encode record %s/%s/%s: %w", r.Dataset, r.ItemID, r.Model, err)
	}
	line = append(line, '\n')

	s.mu.Lock()
	defer s.mu.Unlock()
	if _, err := s.file.Write(line); err != nil {
		return fmt.Errorf("write %s: %w", s.path, err)
	}
	return nil
}

// Sync flushes the file to stable storage.
func (s *Store) Sync() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.file.Sync()
}

// Close syncs and closes the file.
func (s *Store) Close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.file.Sync(); err != nil {
		s.file.Close()
		return err
	}
	return s.file.Close()
}

// trimPartialLine truncates path after its last newline, when the file exists
// and does not end with one.
func trimPartialLine(path string) error {
	data, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("read records file: %w", err)
	}
	if len(data) == 0 || data[len(data)-1] == '\n' {
		return nil
	}
	keep := bytes.LastIndexByte(data, '\n') + 1
	slog.Warn("dropping a partial last record left by an interrupted run", "file", path, "bytes", len(data)-keep)
	return os.Truncate(path, int64(keep))
}

// maxRecordLine is the longest JSON line accepted (64 MiB), enough for long
// outputs with logprobs.
const maxRecordLine = 64 << 20

// ReadRecords calls fn for each record in the JSON-lines file at path, in file
// order. A partial last line (an interrupted write) is skipped with a warning;
// any other invalid line is an error naming path:line.
func ReadRecords(path string, fn func(*Record) error) error {
	return ReadJSONLines(path, fn)
}

// ReadJSONLines calls fn for each value in the JSON-lines file at path, in
// file order. Blank lines are skipped. A partial last line (an interrupted
// write) is skipped with a warning; any other invalid line, or one longer than
// 64 MiB, is an error naming path:line.
func ReadJSONLines[T any](path string, fn func(*T) error) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()

	reader := bufio.NewReaderSize(f, 1<<20)
	for lineNo := 1; ; lineNo++ {
		line, readErr := reader.ReadBytes('\n')
		if len(line) > maxRecordLine {
			return fmt.Errorf("%s:%d: line longer than %d bytes", path, lineNo, maxRecordLine)
		}
		complete := len(line) > 0 && line[len(line)-1] == '\n'
		if len(bytes.TrimSpace(line)) > 0 {
			var v T
			if err := json.Unmarshal(line, &v); err != nil {
				if !complete && readErr == io.EOF {
					slog.Warn("skipping a partial last line", "file", path, "line", lineNo)
					return nil
				}
				return fmt.Errorf("%s:%d: invalid line: %v; repair or delete that line, then try again", path, lineNo, err)
			}
			if err := fn(&v); err != nil {
				return err
			}
		}
		if readErr == io.EOF {
			return nil
		}
		if readErr != nil {
			return fmt.Errorf("read %s: %w", path, readErr)
		}
	}
}

// ReadManifest reads run.json from a results folder.
func ReadManifest(dir string) (*RunManifest, error) {
	path := dir + string(os.PathSeparator) + RunFile
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read run manifest: %w (is %s a quantbench results folder?)", err, dir)
	}
	var m RunManifest
	if err := json.Unmarshal(data, &m); err != nil {
		return nil, fmt.Errorf("%s: invalid run manifest: %v", path, err)
	}
	if err := m.check(); err != nil {
		return nil, fmt.Errorf("%s: %v; it is not a complete quantbench run manifest", path, err)
	}
	return &m, nil
}

// WriteJSONFile writes v as indented JSON to path through a temporary file and
// a rename, so a reader never sees a half-written file.
func WriteJSONFile(path string, v any) error {
	data, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return fmt.Errorf("encode %s: %w", path, err)
	}
	data = append(data, '\n')
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, data, 0o644); err != nil {
		return fmt.Errorf("write %s: %w", tmp, err)
	}
	return os.Rename(tmp, path)
}

// check reports a manifest that lacks what every report needs: a run id and
// at most one baseline among named models.
func (m *RunManifest) check() error {
	if m.RunID == "" {
		return errors.New("run_id is missing")
	}
	baselines := 0
	for i, model := range m.Models {
		if model.Name == "" {
			return fmt.Errorf("models[%d].name is missing", i)
		}
		if model.Role == RoleBaseline {
			baselines++
		}
	}
	if baselines > 1 {
		return fmt.Errorf("%d models have role baseline; a run has one", baselines)
	}
	return nil
}
