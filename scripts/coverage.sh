#!/usr/bin/env bash
# Measures how much of the native decode path (codec/open.go, header.go,
# compress.go, internal/b64url/b64url.go) the tests exercise. Go's coverage
# counts basic blocks, which split at every branch, so block coverage is the
# closest figure to branch coverage the toolchain gives.
#
# Usage: scripts/coverage.sh [packages whose tests count]   (default ./codec)
#   scripts/coverage.sh ./codec ./internal/robust   # add the robustness tests
# Env: COVERAGE_MIN=90 fails when the decode path is below that percentage.
set -euo pipefail
cd "$(dirname "$0")/.."
export GOTOOLCHAIN=auto # the toolchain the go.mod files pin
pkgs=("$@")
[ ${#pkgs[@]} -gt 0 ] || pkgs=(./codec)
files='codec/(open|header|compress)\.go|internal/b64url/b64url\.go'
profile=$(mktemp)
trap 'rm -f "$profile"' EXIT

echo "== go test -short -covermode=set -coverpkg=./codec,./internal/b64url ${pkgs[*]}"
go test -short -count=1 -covermode=set -coverpkg=./codec,./internal/b64url -coverprofile="$profile" "${pkgs[@]}"

echo "== functions of the decode path"
go tool cover -func="$profile" | grep -E "$files" || true

# Per file: blocks (statements) covered by any package's tests. A block can
# appear once per test binary; it counts as covered if any run covered it.
echo "== decode path, per file (statements covered / total)"
table=$(awk -v files="$files" '
  NR > 1 && $1 ~ files {
    split($1, a, ":"); key = $1
    stmts[key] = $2; file[key] = a[1]
    if ($3 > 0) hit[key] = 1
  }
  END {
    for (k in stmts) { tot[file[k]] += stmts[k]; if (k in hit) cov[file[k]] += stmts[k] }
    for (f in tot) printf "%-50s %4d/%-4d %5.1f%%\n", f, cov[f], tot[f], 100 * cov[f] / tot[f]
  }' "$profile" | sort)
printf '%s\n' "$table"
total=$(awk '{ split($2, a, "/"); c += a[1]; t += a[2] } END { printf "%.1f", t ? 100 * c / t : 0 }' <<<"$table")
printf '%-50s %s%%\n' "decode path total" "$total"

echo "== decode-path blocks no test reached"
awk -v files="$files" 'NR > 1 && $1 ~ files { if ($3 > 0) hit[$1] = 1; seen[$1] = 1 }
  END { for (k in seen) if (!(k in hit)) print "  " k }' "$profile" | sort

if [ -n "${COVERAGE_MIN:-}" ] && awk -v t="$total" -v m="$COVERAGE_MIN" 'BEGIN { exit !(t < m) }'; then
  echo "coverage: decode path at ${total}% is below COVERAGE_MIN=${COVERAGE_MIN}%" >&2
  exit 1
fi
