#!/usr/bin/env bash
# Edge figures (docs/edge.md): the sizes of the edge gate's modules, raw
# and gzipped (what the platforms' limits count), stripped and, when
# binaryen's wasm-opt is installed, optimised for size; then, in one run of
# examples/edge/e2e's benchmarks: open-and-verify per request natively and
# inside workerd, workerd's cold start, a request through the gate against
# one straight to the origin, and the WASI filter per request in wazero.
# Needs node and npm (workerd comes through npm ci, pinned).
#
# Usage: scripts/edge-bench.sh [benchtime]     (default 1s)
set -euo pipefail
cd "$(dirname "$0")/.."
export GOTOOLCHAIN=auto # the toolchain the go.mod files pin
benchtime=${1:-1s}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

size() { # file: raw and gzip -9 sizes in KiB
  printf '%8.0f KiB  %8.0f KiB' "$(($(stat -c %s "$1") / 1024))" "$(($(gzip -9c "$1" | wc -c) / 1024))"
}
echo "== module sizes ($(go version | cut -d' ' -f3)), raw and gzip -9"
printf '%-40s %12s  %12s\n' module raw gzip
for m in "js examples/edge/worker gate" "wasip1 examples/edge/wasi filter"; do
  set -- $m
  GOOS=$1 GOARCH=wasm go build -trimpath -o "$tmp/$3.wasm" "./$2"
  GOOS=$1 GOARCH=wasm go build -trimpath -ldflags="-s -w" -o "$tmp/$3-s.wasm" "./$2"
  printf '%-40s %s\n' "$3 ($1)" "$(size "$tmp/$3.wasm")"
  printf '%-40s %s\n' "$3 ($1), -ldflags=-s -w" "$(size "$tmp/$3-s.wasm")"
  if command -v wasm-opt >/dev/null 2>&1; then
    # Go's wasm needs these features; -Oz optimises for size.
    wasm-opt -Oz --enable-bulk-memory --enable-sign-ext --enable-nontrapping-float-to-int \
      "$tmp/$3-s.wasm" -o "$tmp/$3-opt.wasm"
    printf '%-40s %s\n' "$3 ($1), -s -w, wasm-opt -Oz" "$(size "$tmp/$3-opt.wasm")"
  fi
done
command -v wasm-opt >/dev/null 2>&1 || echo "(wasm-opt not found: apt-get install binaryen for its figures)"
printf '%-40s %s\n' "wasm_exec.js" "$(size "$(go env GOROOT)/lib/wasm/wasm_exec.js")"

echo "== benchmarks (examples/edge/e2e, benchtime $benchtime)"
cd examples/edge/e2e
KEYSEAL_REQUIRE_NODE=1 go test -run '^$' -bench . -benchtime "$benchtime" .
