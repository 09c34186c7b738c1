#!/usr/bin/env bash
# Prints the path of an Ollama binary of at least v0.17.4, building it when needed.
#
# Order: $QUANTBENCH_OLLAMA if set, an `ollama` on PATH whose version is at least
# the pinned one, the cached build, else a fresh build from the Go module proxy.
# The build uses the CPU backend only and takes about 4 minutes on 2 cores.
# The cache lives outside the repository so a clean clone reuses it.
set -euo pipefail

OLLAMA_VERSION="${OLLAMA_VERSION:-0.17.4}"
MALGO_VERSION="v0.11.24"
CACHE_DIR="${XDG_CACHE_HOME:-$HOME/.cache}/quantbench"
BIN="$CACHE_DIR/ollama-v$OLLAMA_VERSION/ollama"

log() { echo "ollama-provide: $*" >&2; }

# version_at_least A B: true when dotted version A >= B.
version_at_least() {
	[ "$(printf '%s\n%s\n' "$2" "$1" | sort -V | head -n1)" = "$2" ]
}

if [ -n "${QUANTBENCH_OLLAMA:-}" ]; then
	echo "$QUANTBENCH_OLLAMA"
	exit 0
fi

if command -v ollama >/dev/null 2>&1; then
	found=$(ollama --version 2>/dev/null | grep -oE '[0-9]+\.[0-9]+\.[0-9]+' | tail -n1 || true)
	if [ -n "$found" ] && version_at_least "$found" "$OLLAMA_VERSION"; then
		log "using $(command -v ollama) (version $found)"
		command -v ollama
		exit 0
	fi
fi

# binary_version BIN: the client version BIN reports, e.g. 0.17.4. A build
# without the version stamped in by -ldflags reports 0.0.0. OLLAMA_HOST points
# at a closed port so that no running server is contacted.
binary_version() {
	OLLAMA_HOST=127.0.0.1:1 "$1" --version 2>&1 | grep -oE '[0-9]+\.[0-9]+\.[0-9]+' | tail -n1 || true
}

if [ -x "$BIN" ]; then
	if [ "$(binary_version "$BIN")" = "$OLLAMA_VERSION" ]; then
		echo "$BIN"
		exit 0
	fi
	log "cached $BIN reports version $(binary_version "$BIN"), not $OLLAMA_VERSION; rebuilding"
fi

missing=()
for pkg in nlohmann-json3-dev libstb-dev g++; do
	dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
done
if [ ${#missing[@]} -gt 0 ]; then
	if [ "$(id -u)" -ne 0 ]; then
		log "missing Debian packages: ${missing[*]}; run: sudo apt-get install -y ${missing[*]}"
		exit 1
	fi
	log "installing ${missing[*]}"
	apt-get update -qq >&2
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >&2
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

log "fetching miniaudio.h from github.com/gen2brain/malgo@$MALGO_VERSION"
malgo_dir=$(cd "$work" && GOFLAGS=-mod=mod go mod download -json "github.com/gen2brain/malgo@$MALGO_VERSION" | sed -n 's/.*"Dir": "\(.*\)".*/\1/p')
mkdir -p "$work/include/miniaudio"
cp "$malgo_dir/miniaudio.h" "$work/include/miniaudio/miniaudio.h"

log "building github.com/ollama/ollama@v$OLLAMA_VERSION (CPU backend, about 4 minutes on 2 cores)"
mkdir -p "$(dirname "$BIN")"
# Release builds stamp the version with -X; without it the server reports
# 0.0.0 from /api/version, which run manifests record.
CGO_ENABLED=1 CGO_CPPFLAGS="-I$work/include" GOBIN="$work/bin" \
	go install -ldflags="-X=github.com/ollama/ollama/version.Version=$OLLAMA_VERSION" \
	"github.com/ollama/ollama@v$OLLAMA_VERSION" >&2
# Copy beside the target, then rename, so a server starting meanwhile never
# runs a half-written file.
cp "$work/bin/ollama" "$BIN.tmp.$$"
mv -f "$BIN.tmp.$$" "$BIN"
log "built $BIN"
echo "$BIN"
