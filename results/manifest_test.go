package results

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestReadManifestRejectsIncomplete(t *testing.T) {
	tests := map[string]string{
		"empty object":  `{}`,
		"unnamed model": `{"run_id":"r","models":[{"role":"baseline"}]}`,
		"two baselines": `{"run_id":"r","models":[{"name":"a","role":"baseline"},{"name":"b","role":"baseline"}]}`,
	}
	want := map[string]string{
		"empty object":  "run_id is missing",
		"unnamed model": "models[0].name is missing",
		"two baselines": "2 models have role baseline",
	}
	for name, content := range tests {
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			os.WriteFile(filepath.Join(dir, RunFile), []byte(content), 0o644)
			_, err := ReadManifest(dir)
			if err == nil || !strings.Contains(err.Error(), want[name]) || !strings.Contains(err.Error(), RunFile) {
				t.Errorf("error = %v, want %q with the file name", err, want[name])
			}
		})
	}
}
