#!/usr/bin/env bash
# Runs govulncheck on every Go module of the repository (the root module and
# the nested test-only modules), with -test so that test code, all there is
# in the nested modules, is scanned too. Installs govulncheck if missing.
#
# govulncheck needs the Go vulnerability database (https://vuln.go.dev, or
# the one named by GOVULNDB, e.g. file:///path/to/mirror). When that
# database cannot be reached the script says so clearly and exits 0: an
# unreachable database is "not checked", never "clean". Set
# VULNCHECK_STRICT=1 (as a release job should) to make that a failure.
#
# Usage: scripts/vulncheck.sh
# Env:   GOVULNDB (database URL), GOVULNCHECK_VERSION (default latest),
#        VULNCHECK_STRICT=1 (fail when the database is unreachable)
set -euo pipefail
cd "$(dirname "$0")/.."

db=${GOVULNDB:-https://vuln.go.dev}
gobin=$(go env GOBIN)
[ -n "$gobin" ] || gobin="$(go env GOPATH)/bin"
export PATH="$gobin:$PATH"
if ! command -v govulncheck >/dev/null 2>&1; then
  echo "== installing govulncheck@${GOVULNCHECK_VERSION:-latest}"
  go install "golang.org/x/vuln/cmd/govulncheck@${GOVULNCHECK_VERSION:-latest}"
fi
govulncheck -version 2>/dev/null | grep -i scanner || true

status=0
while IFS= read -r mod; do
  dir=$(dirname "$mod")
  echo "== govulncheck -db $db -test ./... in ${dir}"
  set +e
  out=$(cd "$dir" && govulncheck -db "$db" -test ./... 2>&1)
  rc=$?
  set -e
  printf '%s\n' "$out"
  if [ $rc -ne 0 ] && grep -q 'fetching vulnerabilities' <<<"$out"; then
    echo "vulncheck: the vulnerability database at $db is UNREACHABLE from this machine;"
    echo "vulncheck: NOT CHECKED (this is not a clean result). Run where $db is reachable,"
    echo "vulncheck: or point GOVULNDB at a local mirror (file:///...)."
    if [ "${VULNCHECK_STRICT:-0}" = 1 ]; then
      exit 2
    fi
    exit 0
  fi
  [ $rc -eq 0 ] || status=1
done < <(find . -name go.mod -not -path './.git/*' -not -path '*/testdata/*' | sort)
exit $status
