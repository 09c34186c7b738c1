#!/usr/bin/env bash
# Compares quantbench's single-stream decode rate with Ollama's own cmd/bench
# on the same model and server, run one after the other.
#
# Usage: scripts/compare-ollama-bench.sh --model MODEL [--host URL]
#            [--epochs N] [--output-tokens N] [--rounds N]
#
# cmd/bench is built from github.com/ollama/ollama at the version this
# module requires (v0.17.4), so both tools use the same client library. It
# sends its built-in prompt through /api/chat EPOCHS times and prints
# eval_count / eval_duration per request ("generate" rows of -format csv).
# quantbench then runs at concurrency 1 with EPOCHS repetitions and the
# same num_predict. Its prompt is calibrated to the length of cmd/bench's
# prompt (the first prefill count), and its num_ctx is the one the server
# gave cmd/bench (the default, read from /api/ps). A different num_ctx would
# reload the model with another KV-cache size, which changes decode speed on
# its own. quantbench reports the same server ratio per request.
#
# Both figures come from the server's own timings, so the ratio should be
# close to 1. A gap points at different workloads (prompt length, template,
# cache) or a loaded machine, not at the client. With --rounds N (default 2)
# the pair runs N times in alternating order, so a load that drifts during
# the comparison weighs on both tools alike; the rates are means over all
# rounds.
#
# Host: --host, else OLLAMA_HOST, else http://127.0.0.1:11434.
# Needs: go, jq, curl. Prints both decode rates (tokens/s, mean and median
# over requests) and their ratios.
set -euo pipefail

model=""
host="${OLLAMA_HOST:-http://127.0.0.1:11434}"
epochs=6
output_tokens=200
rounds=2

usage() { sed -n '2,28p' "$0" | sed 's/^# \{0,1\}//'; exit 2; }

while [ $# -gt 0 ]; do
	case "$1" in
	--model) model="$2"; shift 2 ;;
	--host) host="$2"; shift 2 ;;
	--epochs) epochs="$2"; shift 2 ;;
	--output-tokens) output_tokens="$2"; shift 2 ;;
	--rounds) rounds="$2"; shift 2 ;;
	-h | --help) usage ;;
	*) echo "compare-ollama-bench: unknown argument $1" >&2; usage ;;
	esac
done
[ -n "$model" ] || { echo "compare-ollama-bench: --model is required" >&2; usage; }
for tool in jq curl; do
	command -v "$tool" >/dev/null || { echo "compare-ollama-bench: $tool not found: install it (apt-get install $tool)" >&2; exit 1; }
done
case "$host" in *://*) ;; *) host="http://$host" ;; esac

root="$(cd "$(dirname "$0")/.." && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

cd "$root"
ollama_version="$(go list -m -f '{{.Version}}' github.com/ollama/ollama)"
echo "building cmd/bench from github.com/ollama/ollama@$ollama_version and quantbench" >&2
go build -o "$work/ollama-bench" github.com/ollama/ollama/cmd/bench
go build -o "$work/quantbench" ./cmd/quantbench

# run_bench appends cmd/bench's CSV rows to bench.csv. Rows are
# NAME,STEP,COUNT,NS_PER_COUNT,TOKEN_PER_SEC; a model name has no commas.
run_bench() {
	echo "running cmd/bench: $epochs epochs, max $output_tokens tokens" >&2
	OLLAMA_HOST="$host" "$work/ollama-bench" -model "$model" -epochs "$epochs" \
		-max-tokens "$output_tokens" -temperature 0 -seed 1 -format csv >>"$work/bench.csv"
	prompt_tokens="$(awk -F, '$2 == "prefill" { print $3; exit }' "$work/bench.csv")"
	if [ -z "$prompt_tokens" ]; then
		echo "compare-ollama-bench: cmd/bench produced no prefill rows; its output:" >&2
		cat "$work/bench.csv" >&2
		exit 1
	fi
	if [ -z "${num_ctx:-}" ]; then
		num_ctx="$(curl -sf "$host/api/ps" | jq -r --arg m "$model" '[.models[] | select(.name == $m or .model == $m)][0].context_length // empty')"
		if [ -z "$num_ctx" ]; then
			echo "compare-ollama-bench: $model is not loaded after cmd/bench, so its num_ctx is unknown" >&2
			exit 1
		fi
	fi
}

# run_quantbench appends the decode rate of each measured request at
# concurrency 1 to quantbench.rates.
run_quantbench() {
	echo "running quantbench throughput: $epochs requests at concurrency 1, $prompt_tokens prompt tokens, num_ctx $num_ctx" >&2
	"$work/quantbench" throughput --host "$host" --model "$model" --concurrency-max 1 \
		--repetitions "$epochs" --warmup 1 --input-tokens "$prompt_tokens" --num-ctx "$num_ctx" \
		--output-tokens "$output_tokens" --min-tokens 1 --out "$work/runs" >>"$work/quantbench.txt"
	jq -r 'select(.phase == "measure" and .decode_tps != null) | .decode_tps' \
		"$(ls -td "$work"/runs/*/ | head -n1)throughput.jsonl" >>"$work/quantbench.rates"
}

# cmd/bench runs first in round 1 because its first prefill count and the
# num_ctx it got set quantbench's workload.
for round in $(seq 1 "$rounds"); do
	if [ $((round % 2)) = 1 ]; then
		run_bench
		run_quantbench
	else
		run_quantbench
		run_bench
	fi
done

awk -F, '$2 == "generate" && $3 > 0 { print $5 }' "$work/bench.csv" >"$work/bench.rates"

# stats FILE prints the mean, the median and the count of the numbers in FILE.
stats() {
	sort -g "$1" | awk '{ v[NR] = $1; s += $1 } END {
		if (NR == 0) { print "0 0 0"; exit }
		m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
		printf "%.2f %.2f %d\n", s / NR, m, NR
	}'
}
read -r bench_mean bench_median bench_n < <(stats "$work/bench.rates")
read -r qb_mean qb_median qb_n < <(stats "$work/quantbench.rates")
if [ "$bench_n" = 0 ] || [ "$qb_n" = 0 ]; then
	echo "compare-ollama-bench: a tool measured no decode rate (cmd/bench $bench_n, quantbench $qb_n requests); outputs:" >&2
	cat "$work/bench.csv" "$work/quantbench.txt" >&2
	exit 1
fi

awk -v m="$model" -v r="$rounds" -v c="$num_ctx" -v p="$prompt_tokens" -v o="$output_tokens" \
	-v bm="$bench_mean" -v bd="$bench_median" -v bn="$bench_n" -v qm="$qb_mean" -v qd="$qb_median" -v qn="$qb_n" 'BEGIN {
	printf "model %s, prompt %d tokens, num_predict %d, num_ctx %d, %d rounds\n", m, p, o, c, r
	printf "decode tokens/s            mean     median  requests\n"
	printf "ollama cmd/bench     %10.2f %10.2f  %d\n", bm, bd, bn
	printf "quantbench           %10.2f %10.2f  %d\n", qm, qd, qn
	printf "ratio quantbench / cmd/bench: %.3f (means), %.3f (medians)\n", qm / bm, qd / bd
}'
