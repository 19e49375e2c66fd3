#!/usr/bin/env bash
# Counts instructions per operation of keyseal and of the raw AEAD under
# valgrind's callgrind, for a ratio that does not depend on a noisy machine.
# Each case runs at two iteration counts; the difference divided by the
# difference in iterations cancels the set-up cost.
#
# Usage: scripts/bench-instr.sh [benchmark regexp]   (default: every codec case)
# Needs valgrind. Prints a Markdown table.
set -euo pipefail
cd "$(dirname "$0")/.."
export GOTOOLCHAIN=auto # the toolchain the go.mod files pin
filter=${1:-.}
n1=2000
n2=6000
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
bin=$tmp/codec.test
go test -c -o "$bin" ./codec
cd codec

# instr BENCH N: instructions of one run of BENCH at N iterations.
instr() {
  # Asynchronous preemption signals upset callgrind; one P and no GC keep
  # the count repeatable.
  GOMAXPROCS=1 GOGC=off GODEBUG=asyncpreemptoff=1 valgrind --tool=callgrind --callgrind-out-file=/dev/null \
    "$bin" -test.run '^$' -test.bench "$(echo "^$1\$" | sed 's|/|$/^|g')" -test.benchtime "$2x" 2>&1 |
    awk '/Collected :/ { print $NF }'
}
perop() {
  local a b
  a=$(instr "$1" $n1)
  b=$(instr "$1" $n2)
  echo $(((b - a) / (n2 - n1)))
}

# raw encodes with encoding/base64; raw-b64url with keyseal's own base64url,
# so keyseal / raw-b64url is what the format itself costs.
echo "| case | raw instr/op | keyseal instr/op | keyseal / raw | raw-b64url instr/op | keyseal / raw-b64url |"
echo "|---|---|---|---|---|---|"
for op in Seal Open AppendSeal AppendOpen; do
  for alg in xchacha20poly1305 aes256gcm hmacsha256; do
    for size in 64 256 1024 3072; do
      name="Benchmark$op/alg=$alg/size=$size"
      echo "$name" | grep -Eq -- "$filter" || continue
      raw=$(perop "$name/impl=raw")
      ks=$(perop "$name/impl=keyseal")
      fast=$(perop "$name/impl=raw-b64url")
      echo "| $op $alg $size B | $raw | $ks | $(awk -v a="$ks" -v b="$raw" 'BEGIN { printf "%.3f", a / b }') | $fast | $(awk -v a="$ks" -v b="$fast" 'BEGIN { printf "%.3f", a / b }') |"
    done
  done
done
for alg in xchacha20poly1305 aes256gcm hmacsha256; do
  name="BenchmarkOpenKeys/alg=$alg"
  echo "$name" | grep -Eq -- "$filter" || continue
  one=$(perop "$name/keys=1")
  hundred=$(perop "$name/keys=100")
  echo "| Open $alg, 100 keys vs 1 | $one (1 key) | $hundred (100 keys) | $(awk -v a="$hundred" -v b="$one" 'BEGIN { printf "%.3f", a / b }') | | |"
done
