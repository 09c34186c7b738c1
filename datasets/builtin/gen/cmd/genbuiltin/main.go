// Command genbuiltin writes quantbench's built-in datasets (manifests and items)
// into a folder, normally datasets/builtin:
//
//	go run ./datasets/builtin/gen/cmd/genbuiltin -out datasets/builtin
//
// With -check it writes nothing and exits 1 when a file in the folder differs
// from what the generator produces.
package main

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"path/filepath"

	"github.com/quantbench/quantbench/datasets/builtin/gen"
)

func main() {
	out := flag.String("out", "datasets/builtin", "folder to write the dataset files into")
	check := flag.Bool("check", false, "compare the files in -out with the generator's output instead of writing")
	flag.Parse()

	if *check {
		os.Exit(runCheck(*out))
	}
	if err := gen.Write(*out); err != nil {
		fmt.Fprintln(os.Stderr, "genbuiltin:", err)
		os.Exit(1)
	}
}

func runCheck(dir string) int {
	files, err := gen.Files()
	if err != nil {
		fmt.Fprintln(os.Stderr, "genbuiltin:", err)
		return 1
	}

	stale := 0
	for _, f := range files {
		path := filepath.Join(dir, f.Name)
		got, err := os.ReadFile(path)
		if err != nil || !bytes.Equal(got, f.Data) {
			fmt.Fprintf(os.Stderr, "genbuiltin: %s is missing or out of date; run go generate ./datasets/builtin/gen\n", path)
			stale++
		}
	}
	if stale > 0 {
		return 1
	}
	return 0
}
