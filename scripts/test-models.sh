#!/usr/bin/env bash
# Creates the generated test models on the Ollama server at $OLLAMA_HOST:
# qb-tiny:f16, qb-tiny:q8_0 and qb-tiny:q4_K_M (random weights, for timings
# and logprobs) and qb-sentiment:f16, :q8_0 and :q4_K_M (a working sentiment
# classifier). Takes under 20 seconds on 2 cores.
#
#	eval "$(scripts/ollama-start.sh)"
#	scripts/test-models.sh
#
# Extra arguments are passed to both `quantbench testmodel` calls, for
# example --quantize q8_0,q4_K_S,q4_K_M. OLLAMA_HOST must be set, so the
# models never land on a server by accident.
set -euo pipefail

if [ -z "${OLLAMA_HOST:-}" ]; then
	echo "test-models: OLLAMA_HOST is not set; start a server with: eval \"\$(scripts/ollama-start.sh)\"" >&2
	exit 1
fi

root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

(cd "$root" && go build -o "$work/quantbench" ./cmd/quantbench)
"$work/quantbench" testmodel --kind tiny --host "$OLLAMA_HOST" "$@"
"$work/quantbench" testmodel --kind sentiment --host "$OLLAMA_HOST" "$@"
