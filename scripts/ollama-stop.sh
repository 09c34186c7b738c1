#!/usr/bin/env bash
# Stops the Ollama server that scripts/ollama-start.sh started, by the process
# id in its pid file: SIGTERM to the server's process group (the server and its
# model runners), then SIGKILL after 15 seconds. It only ever signals that
# process group, and does nothing when no server is recorded or it has exited.
#
# Environment:
#   QUANTBENCH_STATE_DIR  the folder given to ollama-start.sh
#                         (default ${XDG_CACHE_HOME:-$HOME/.cache}/quantbench/server)
set -euo pipefail

state="${QUANTBENCH_STATE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/quantbench/server}"
pidfile="$state/ollama.pid"

log() { echo "ollama-stop: $*" >&2; }

if [ ! -f "$pidfile" ]; then
	log "no server recorded in $pidfile; nothing to stop"
	exit 0
fi
pid=$(cat "$pidfile")
if ! [[ "$pid" =~ ^[0-9]+$ ]]; then
	log "invalid pid file $pidfile (content $pid); remove it by hand"
	exit 1
fi
if ! kill -0 "$pid" 2>/dev/null; then
	log "server $pid has already exited"
	rm -f "$pidfile" "$state/ollama.env"
	exit 0
fi

kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid"
for _ in $(seq 75); do
	kill -0 "$pid" 2>/dev/null || break
	sleep 0.2
done
if kill -0 "$pid" 2>/dev/null; then
	log "server $pid still running after 15s; sending SIGKILL"
	kill -KILL -- "-$pid" 2>/dev/null || kill -KILL "$pid"
fi
rm -f "$pidfile" "$state/ollama.env"
log "stopped server $pid"
