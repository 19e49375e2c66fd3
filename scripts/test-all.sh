#!/usr/bin/env bash
# Runs every test of every Go module in this repository (the root module and
# the nested test-only modules), with the race detector. Installs what the
# tests need first (see scripts/setup.sh). Usage: scripts/test-all.sh [go test flags]
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
# Use the patched toolchain the go.mod files pin (Go's default; this
# machine sets GOTOOLCHAIN=local). It comes through the Go module proxy.
export GOTOOLCHAIN=auto
# setup.sh installs Node.js, so the JOSE interop tests must run, not skip.
export KEYSEAL_REQUIRE_NODE="${KEYSEAL_REQUIRE_NODE:-1}"
# ... and Ruby's Rails and Python's Flask, so the framework interop tests
# must run too.
export KEYSEAL_REQUIRE_FRAMEWORKS="${KEYSEAL_REQUIRE_FRAMEWORKS:-1}"
status=0
while IFS= read -r mod; do
  dir=$(dirname "$mod")
  echo "== go test -race ./... in ${dir}"
  (cd "$dir" && go test -race -count=1 "$@" ./...) || status=1
done < <(find . -name go.mod -not -path './.git/*' -not -path '*/testdata/*' | sort)
exit $status
