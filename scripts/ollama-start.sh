#!/usr/bin/env bash
# Starts an Ollama server for quantbench on a free port of 127.0.0.1 and
# prints the line to point quantbench at it:
#
#	eval "$(scripts/ollama-start.sh)"     # sets OLLAMA_HOST in this shell
#	scripts/ollama-stop.sh                # stops it again
#
# stdout carries only `export OLLAMA_HOST=http://127.0.0.1:PORT`; messages go
# to stderr. The binary comes from scripts/ollama-provide.sh (built on first
# use). A server started earlier with the same state folder and still alive
# is reused.
#
# Environment:
#   QUANTBENCH_STATE_DIR   folder for ollama.pid, ollama.log and ollama.env
#                          (default ${XDG_CACHE_HOME:-$HOME/.cache}/quantbench/server)
#   QUANTBENCH_MODELS_DIR  the server's OLLAMA_MODELS folder
#                          (default ${XDG_CACHE_HOME:-$HOME/.cache}/quantbench/models)
#   QUANTBENCH_PORT        port to listen on (default: a free port from 20000 to 59999)
#   QUANTBENCH_START_TIMEOUT  seconds to wait for /api/version (default 60)
#   OLLAMA_NUM_PARALLEL, OLLAMA_KEEP_ALIVE, OLLAMA_MAX_LOADED_MODELS are
#   passed to the server when set.
#
# Exit status: 0 when /api/version responds, 1 otherwise (the log tail is shown).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
cache="${XDG_CACHE_HOME:-$HOME/.cache}/quantbench"
state="${QUANTBENCH_STATE_DIR:-$cache/server}"
models="${QUANTBENCH_MODELS_DIR:-$cache/models}"
timeout="${QUANTBENCH_START_TIMEOUT:-60}"
pidfile="$state/ollama.pid"
logfile="$state/ollama.log"
envfile="$state/ollama.env"

log() { echo "ollama-start: $*" >&2; }

# port_open PORT: true when something accepts connections on 127.0.0.1:PORT.
port_open() {
	(exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

# version_answers PORT: true when GET /api/version returns 200.
version_answers() {
	if command -v curl >/dev/null 2>&1; then
		curl -fsS -m 2 "http://127.0.0.1:$1/api/version" >/dev/null 2>&1
		return
	fi
	local status
	status=$(
		exec 3<>"/dev/tcp/127.0.0.1/$1" || exit 1
		printf 'GET /api/version HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n' >&3
		head -n1 <&3
	) 2>/dev/null || return 1
	[[ "$status" == *" 200 "* ]]
}

mkdir -p "$state" "$models"

if [ -f "$pidfile" ] && [ -f "$envfile" ]; then
	pid=$(cat "$pidfile")
	port=$(sed -n 's/.*127\.0\.0\.1:\([0-9]*\).*/\1/p' "$envfile")
	if kill -0 "$pid" 2>/dev/null && [ -n "$port" ] && version_answers "$port"; then
		log "reusing the server already running (pid $pid, log $logfile)"
		cat "$envfile"
		exit 0
	fi
	rm -f "$pidfile" "$envfile"
fi

bin=$("$here/ollama-provide.sh")

port="${QUANTBENCH_PORT:-}"
if [ -z "$port" ]; then
	for _ in $(seq 50); do
		candidate=$((20000 + RANDOM % 40000))
		if ! port_open "$candidate"; then
			port=$candidate
			break
		fi
	done
	[ -n "$port" ] || { log "no free port found on 127.0.0.1 after 50 tries; set QUANTBENCH_PORT"; exit 1; }
elif port_open "$port"; then
	log "port $port on 127.0.0.1 is in use; choose another QUANTBENCH_PORT or unset it"
	exit 1
fi

log "starting $bin on 127.0.0.1:$port (models in $models, log $logfile)"
: >"$logfile"
# setsid gives the server its own process group, so ollama-stop.sh can stop
# it and the model runners it starts with one signal.
OLLAMA_HOST="127.0.0.1:$port" OLLAMA_MODELS="$models" \
	OLLAMA_KEEP_ALIVE="${OLLAMA_KEEP_ALIVE:-10m}" \
	setsid "$bin" serve >>"$logfile" 2>&1 </dev/null &
pid=$!
echo "$pid" >"$pidfile"

deadline=$((SECONDS + timeout))
until version_answers "$port"; do
	if ! kill -0 "$pid" 2>/dev/null; then
		log "the server exited during start-up; last lines of $logfile:"
		tail -n 30 "$logfile" >&2
		rm -f "$pidfile"
		exit 1
	fi
	if [ "$SECONDS" -ge "$deadline" ]; then
		log "/api/version did not answer within ${timeout}s; last lines of $logfile:"
		tail -n 30 "$logfile" >&2
		kill -TERM -- "-$pid" 2>/dev/null || true
		rm -f "$pidfile"
		exit 1
	fi
	sleep 0.2
done

echo "export OLLAMA_HOST=http://127.0.0.1:$port" >"$envfile"
log "ready: pid $pid, stop it with scripts/ollama-stop.sh"
cat "$envfile"
