#!/usr/bin/env bash
# Fuzzes every FuzzXxx target in every module for the given time each
# (default 10s). Before a release: scripts/fuzz.sh 1h
set -euo pipefail
cd "$(dirname "$0")/.."
t=${1:-10s}
found=0
while IFS= read -r f; do
  dir=$(dirname "$f")
  for target in $(grep -ho '^func Fuzz[A-Za-z0-9_]*' "$f" | sed 's/^func //'); do
    found=1
    echo "== fuzz $target in $dir for $t"
    (cd "$dir" && go test -run '^$' -fuzz "^${target}\$" -fuzztime "$t" .)
  done
done < <(grep -rl --include='*_test.go' '^func Fuzz' . | sort)
[ $found -eq 1 ] || echo "no fuzz targets yet"
