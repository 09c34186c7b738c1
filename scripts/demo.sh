#!/usr/bin/env bash
# The offline demo behind `make demo`: starts a private Ollama v0.17.4 on a
# free port of 127.0.0.1, makes the generated test models, runs two suites and
# stops the server again.
#
#   1. demo: qb-sentiment:f16 against :q8_0 and :q4_K_M on the built-in
#      sentiment items. qb-sentiment is a bag-of-words classifier built into a
#      llama-architecture GGUF, so its accuracy, flips and intervals are real.
#   2. quick: qb-tiny:f16 against :q8_0 and :q4_K_M on a few items of every
#      built-in dataset, with a small throughput phase and a priced TCO.
#      qb-tiny has random weights: its outputs are noise, its timings real.
#
# Results go to runs/demo/ (override with QUANTBENCH_DEMO_OUTPUT). The server
# keeps its models under ${XDG_CACHE_HOME:-$HOME/.cache}/quantbench/demo-models;
# a second run creates them again in a few seconds, from the same seeds.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
cache="${XDG_CACHE_HOME:-$HOME/.cache}/quantbench"
output="${QUANTBENCH_DEMO_OUTPUT:-runs/demo}"

export QUANTBENCH_STATE_DIR="$cache/demo-server"
export QUANTBENCH_MODELS_DIR="$cache/demo-models"

make -s build
qb="$root/bin/quantbench"

eval "$(scripts/ollama-start.sh)"
trap 'scripts/ollama-stop.sh' EXIT
version=$(curl -fsS "$OLLAMA_HOST/api/version" 2>/dev/null | sed -n 's/.*"version":"\([^"]*\)".*/\1/p' || true)
echo "demo: Ollama ${version:-(version unknown)} at $OLLAMA_HOST"

cat <<'BANNER'

================================================================================
 The models in this demo are generated on this machine, not downloaded.
 qb-sentiment is a bag-of-words sentiment classifier written into a GGUF: its
 accuracy and its quantised variants' flips are real. qb-tiny has random
 weights: its answers are noise, while its timings, quantisation and log
 probabilities are real. Timings on a busy or small machine vary from run to
 run. To run on real models instead:

   ollama pull llama3.1:8b-instruct-fp16 && ollama pull llama3.1:8b-instruct-q4_K_M
   bin/quantbench run --baseline llama3.1:8b-instruct-fp16 --variant llama3.1:8b-instruct-q4_K_M --datasets builtin
================================================================================

BANNER

"$qb" testmodel --kind sentiment --host "$OLLAMA_HOST"
"$qb" testmodel --kind tiny --host "$OLLAMA_HOST"

echo
echo "demo: 1/2 sentiment suite on qb-sentiment (real accuracy)"
"$qb" run --suite demo --output "$output"

echo
echo "demo: 2/2 quick suite on qb-tiny (random weights: answers are noise, timings are real)"
"$qb" run --suite quick --name quick-tiny \
	--baseline qb-tiny:f16 --variant qb-tiny:q8_0 --variant qb-tiny:q4_K_M \
	--limit 4 --num-predict 24 --output "$output" \
	--throughput-input-tokens 128 --throughput-output-tokens 32 --throughput-concurrency-max 2 \
	--tco-preset claude-haiku --tco-volume 500000 --tco-capex 18000 \
	--tco-power-rack-month 400 --tco-maintenance-month 200 --tco-engineering 8000

echo
echo "demo: done. Results folders are under $output/; open report.xlsx or report.md in each."
