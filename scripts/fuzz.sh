#!/usr/bin/env bash
# Fuzzes every FuzzXxx target in every module for the given time each
# (default 10s). Before a release: scripts/fuzz.sh 1h
# Env: FUZZMINIMIZETIME (default 5s), the bound on minimizing one input;
#      FUZZJOBS (default: the number of CPUs), targets fuzzed at once, each
#      with one worker, so that the start-up every target repeats (build,
#      seed corpus, baseline coverage) overlaps another target's fuzzing.
#
# A target fails the run when it writes a failing input (a crasher under
# testdata/fuzz/<target>/) or fails in any other way twice. The one failure
# retried once is Go's fuzz-coordinator shutdown race (go.dev/issue/75804,
# "context deadline exceeded" at the -fuzztime boundary with no input
# written); the go.mod toolchain (go1.27.4) carries the upstream fix, and the
# retry covers an older local toolchain.
set -euo pipefail
cd "$(dirname "$0")/.."
export GOTOOLCHAIN=auto # the toolchain the go.mod files pin
t=${1:-10s}
jobs=${FUZZJOBS:-$(nproc)}
# Go minimizes every input that finds new coverage, for up to 60 s each
# by default, and runs nothing new meanwhile: FuzzLegacyPayload spent most
# of a 150 s run so (98,742 executions; 647,653 in 30 s with no
# minimizing). Crashers are minimized within the same bound.
minimize=${FUZZMINIMIZETIME:-5s}
logs=$(mktemp -d)
trap 'rm -rf "$logs"' EXIT

corpus_list() { { find "$1/testdata/fuzz/$2" -type f 2>/dev/null || true; } | sort; }
fuzz_once() { # dir target log
  (cd "$1" && go test -run '^$' -fuzz "^${2}\$" -fuzztime "$t" -fuzzminimizetime "$minimize" -parallel 1 .) >"$3" 2>&1
}
# fuzz_target dir target: fuzzes one target, its output in one piece.
fuzz_target() {
  local dir=$1 target=$2 log="$logs/$RANDOM$RANDOM.log" before after rc=0
  before=$(corpus_list "$dir" "$target")
  if ! fuzz_once "$dir" "$target" "$log"; then
    after=$(corpus_list "$dir" "$target")
    if [ "$before" != "$after" ]; then
      { echo "FAIL: $target wrote a failing input:"; comm -13 <(echo "$before") <(echo "$after"); } >>"$log"
      rc=1
    elif ! grep -q 'context deadline exceeded' "$log"; then
      echo "FAIL: $target" >>"$log"
      rc=1
    else
      echo "== $target stopped with Go's fuzztime shutdown race and no input written; retrying once" >>"$log"
      fuzz_once "$dir" "$target" "$log.2" || { echo "FAIL: $target failed again" >>"$log.2"; rc=1; }
      cat "$log.2" >>"$log"
    fi
  fi
  { echo "== fuzz $target in $dir for $t"; cat "$log"; } | grep -v '^fuzz: elapsed: [0-9]*s, execs: .*new interesting' || true
  tail -n 3 "$log" | grep '^fuzz: elapsed' | tail -n 1 || true
  return $rc
}
export -f fuzz_target fuzz_once corpus_list
export t minimize logs

targets=()
while IFS= read -r f; do
  dir=$(dirname "$f")
  for target in $(grep -ho '^func Fuzz[A-Za-z0-9_]*' "$f" | sed 's/^func //'); do
    targets+=("$dir" "$target")
  done
done < <(grep -rl --include='*_test.go' '^func Fuzz' . | sort)
if [ ${#targets[@]} -eq 0 ]; then echo "no fuzz targets yet"; exit 0; fi
echo "== fuzzing $(( ${#targets[@]} / 2 )) targets, $jobs at a time, one worker each, $t each"
printf '%s\0' "${targets[@]}" | xargs -0 -n 2 -P "$jobs" bash -c 'fuzz_target "$0" "$1"'
