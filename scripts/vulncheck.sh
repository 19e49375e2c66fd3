#!/usr/bin/env bash
# Runs govulncheck on every Go module of the repository (the root module and
# the nested test-only modules), with -test so that test code, all there is
# in the nested modules, is scanned too. Installs govulncheck if missing.
#
# govulncheck needs the Go vulnerability database: GOVULNDB if set, else
# https://vuln.go.dev if it answers, else a local copy built from the
# golang.org/x/vulndb module (the same OSV reports, fetched through the Go
# module proxy, indexed with its own cmd/indexdb). If no database can be had
# the script says so clearly and exits 0: "not checked", never "clean". Set
# VULNCHECK_STRICT=1 (as a release job should) to make that a failure.
#
# The standard library is checked at the toolchain the go.mod files pin
# (GOTOOLCHAIN=auto), the one the tests run with.
#
# Usage: scripts/vulncheck.sh
# Env:   GOVULNDB (database URL), GOVULNCHECK_VERSION (default latest),
#        VULNCHECK_STRICT=1 (fail when the database is unreachable)
set -euo pipefail
cd "$(dirname "$0")/.."

export GOTOOLCHAIN=auto
db=${GOVULNDB:-}
if [ -z "$db" ]; then
  if curl -fsS --max-time 5 -o /dev/null https://vuln.go.dev/index/db.json 2>/dev/null; then
    db=https://vuln.go.dev
  else
    ver=$(go list -m -f '{{.Version}}' "golang.org/x/vulndb@${VULNDB_VERSION:-latest}" 2>/dev/null || true)
    src=$( [ -n "$ver" ] && go mod download -json "golang.org/x/vulndb@$ver" 2>/dev/null | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p' || true)
    if [ -n "$src" ] && [ -d "$src/data/osv" ]; then
      out_db=$(mktemp -d)
      echo "== vuln.go.dev unreachable: building the database from golang.org/x/vulndb@$ver"
      (cd "$out_db" && GOFLAGS=-mod=mod go run "golang.org/x/vulndb/cmd/indexdb@$ver" -vulns "$src/data/osv" -out "$out_db/db") >/dev/null
      db="file://$out_db/db"
      n=$(find "$out_db/db/ID" -name 'GO-*.json' | wc -l)
      echo "== local database: $n reports"
      if [ "$n" -lt 1000 ]; then
        echo "vulncheck: the database built from golang.org/x/vulndb has only $n reports: NOT CHECKED"
        [ "${VULNCHECK_STRICT:-0}" = 1 ] && exit 2
        exit 0
      fi
    else
      db=https://vuln.go.dev # unreachable: reported as NOT CHECKED below
    fi
  fi
fi
# govulncheck type-checks the standard library of the toolchain it scans, so
# it must be built by that same toolchain (one built by an older Go fails
# with "file requires newer Go version"): keep one per toolchain.
tc=$(go env GOVERSION)
gobin="$(go env GOPATH)/keyseal-tools/$tc"
export PATH="$gobin:$PATH"
if [ ! -x "$gobin/govulncheck" ]; then
  echo "== installing govulncheck@${GOVULNCHECK_VERSION:-latest} built with $tc"
  GOBIN="$gobin" GOTOOLCHAIN="$tc" go install "golang.org/x/vuln/cmd/govulncheck@${GOVULNCHECK_VERSION:-latest}"
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
