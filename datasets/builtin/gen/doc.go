// Package gen writes quantbench's built-in datasets: the manifests (NAME.yaml)
// and items (NAME.jsonl) in datasets/builtin, except the sentiment set, which is
// written by hand.
//
// Every item is written for this project. Word problems and business documents
// come from seeded generators that compute the expected values. Code tasks,
// classification texts and creative topics are hand-written tables in this
// package. Tests re-derive the expected values, run every code task's reference
// solution with python3, and check that the committed files equal what Files
// returns, byte for byte. After a change here, regenerate with
//
//	go generate ./datasets/builtin/gen
package gen

//go:generate go run ./cmd/genbuiltin -out ..
