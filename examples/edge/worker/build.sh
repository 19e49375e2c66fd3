#!/usr/bin/env bash
# Builds the edge gate's Worker: build/gate.wasm (GOOS=js GOARCH=wasm,
# symbols stripped) and build/wasm_exec.js, the loader of the same Go
# toolchain (a module needs the loader of the Go that built it).
set -euo pipefail
cd "$(dirname "$0")"
mkdir -p build
GOOS=js GOARCH=wasm go build -trimpath -ldflags="-s -w" -o build/gate.wasm .
cp "$(go env GOROOT)/lib/wasm/wasm_exec.js" build/wasm_exec.js
