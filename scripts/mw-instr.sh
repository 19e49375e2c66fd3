#!/usr/bin/env bash
# Counts the instructions of one cookiesession request that changes its
# session (load + save, BenchmarkOverhead) and of the codec round trip it
# cannot avoid (Open + SealAt on the same token), under valgrind's
# callgrind, and prints their ratio: issue 4's "middleware overhead ≤ 1.3×
# the codec round trip", free of a noisy machine's timing.
#
# Each size runs at two iteration counts; the difference divided by the
# difference in iterations cancels the set-up cost. The method is the one
# in the doc comment of BenchmarkOverhead (cookiesession/bench_test.go).
#
# Usage: scripts/mw-instr.sh [sizes...]   (default: 16 256 2048)
# Needs valgrind. Prints a Markdown table.
set -euo pipefail
cd "$(dirname "$0")/.."
export GOTOOLCHAIN=auto # the toolchain the go.mod files pin
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(16 256 2048)
n1=4000
n2=12000
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
bin=$dir/cookiesession.test
CGO_ENABLED=0 go test -c -o "$bin" ./cookiesession
cd cookiesession

# instr FUNC SIZE N: instructions collected inside FUNC over one run of
# BenchmarkOverhead/SIZE at N iterations.
instr() {
  # Asynchronous preemption signals upset callgrind; one P and no GC keep
  # the count repeatable.
  GOGC=off GOMAXPROCS=1 GODEBUG=asyncpreemptoff=1 valgrind --tool=callgrind \
    --callgrind-out-file=/dev/null --toggle-collect="$1" \
    "$bin" -test.run '^$' -test.bench "^BenchmarkOverhead\$/^$2B\$" -test.benchtime "$3x" 2>&1 |
    awk '/Collected :/ { print $NF }'
}
perop() {
  local a b
  a=$(instr "$1" "$2" $n1)
  b=$(instr "$1" "$2" $n2)
  echo $(((b - a) / (n2 - n1)))
}

echo "| payload | middleware instr/op (M) | codec round trip instr/op (C) | M − C | M / C |"
echo "|---|---|---|---|---|"
for size in "${sizes[@]}"; do
  mw=$(perop '*benchApp*handle' "$size")
  cd_=$(perop '*codecRoundTrip' "$size")
  echo "| $size B | $mw | $cd_ | $((mw - cd_)) | $(awk -v a="$mw" -v b="$cd_" 'BEGIN { printf "%.3f", a / b }') |"
done
