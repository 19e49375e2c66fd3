#!/usr/bin/env bash
# Runs the keyring, codec and cookiesession test suites under GOOS=js
# GOARCH=wasm with Node, builds those packages and examples/wasm for
# GOOS=wasip1, and runs the example under Node (js) and under wazero
# (wasip1, at the version scripts/tools.sh pins).
# Needs node (Debian package nodejs). Usage: scripts/wasm-test.sh [go test flags]
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/tools.sh
export GOTOOLCHAIN=auto # the toolchain the go.mod files pin
export GOFLAGS="${GOFLAGS:-} -buildvcs=false"
if ! command -v node >/dev/null 2>&1; then
  echo "wasm-test: node not found; install the Debian package nodejs (scripts/setup.sh does)" >&2
  exit 1
fi
# go_js_wasm_exec runs a js/wasm binary under Node; go test finds it on PATH.
export PATH="$(go env GOROOT)/lib/wasm:$PATH"
pkgs=(./keyring/ ./codec/ ./cookiesession/)

echo "== go test, GOOS=js GOARCH=wasm (Node $(node --version))"
GOOS=js GOARCH=wasm go test -count=1 "$@" "${pkgs[@]}"

echo "== go build and vet, GOOS=wasip1 GOARCH=wasm"
GOOS=wasip1 GOARCH=wasm go build "${pkgs[@]}" ./examples/wasm/
GOOS=wasip1 GOARCH=wasm go vet "${pkgs[@]}" ./examples/wasm/

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# A keyring file written by hand, to show the format (keyring.WriteFile or
# the keyseal CLI make them in practice).
secret=$(head -c 32 /dev/urandom | base64 -w0)
export KEYSEAL_KEYRING='{"version": 1, "keys": [{"id": 4242, "algorithm": "xchacha20poly1305", "state": "primary", "secret": "'"$secret"'", "created": "2026-01-01T00:00:00Z"}]}'

echo "== examples/wasm under Node (GOOS=js)"
GOOS=js GOARCH=wasm go build -o "$tmp/js.wasm" ./examples/wasm/
go_js_wasm_exec "$tmp/js.wasm"

echo "== examples/wasm for GOOS=wasip1"
GOOS=wasip1 GOARCH=wasm go build -o "$tmp/wasip1.wasm" ./examples/wasm/
wazero=$(keyseal_tool wazero github.com/tetratelabs/wazero/cmd/wazero "$WAZERO_VERSION")
echo "== examples/wasm under wazero $WAZERO_VERSION (GOOS=wasip1)"
"$wazero" run -env "KEYSEAL_KEYRING=$KEYSEAL_KEYRING" "$tmp/wasip1.wasm"
