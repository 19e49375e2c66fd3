#!/usr/bin/env bash
# Runs govulncheck on every Go module of the repository (the root module and
# the nested test-only modules), with -test so that test code, all there is
# in the nested modules, is scanned too. Every tool is pinned
# (scripts/tools.sh): a new release of govulncheck cannot break CI, while a
# new vulnerability in the database still fails it, which is its purpose.
#
# govulncheck needs the Go vulnerability database: GOVULNDB if set, else
# https://vuln.go.dev if it answers, else the OSV reports of the pinned
# golang.org/x/vulndb module, fetched through the Go module proxy and read
# as they are (govulncheck indexes a folder of OSV files itself). Moving
# VULNDB_VERSION (scripts/tools.sh) is how new vulnerability data reaches
# an offline CI. Before scanning, a positive control (scripts/testdata/
# vulncontrol, which requires a vulnerable golang.org/x/text) must be
# reported, so that a database that finds nothing never passes for clean.
# If no database can be had the script says so clearly and exits 0: "not
# checked", never "clean". Set VULNCHECK_STRICT=1 (as a release job
# should) to make that a failure.
#
# The standard library is checked at the toolchain the go.mod files pin
# (GOTOOLCHAIN=auto), the one the tests run with.
#
# Usage: scripts/vulncheck.sh
# Env:   GOVULNDB (database URL), VULNCHECK_STRICT=1 (fail when no database),
#        GOVULNCHECK_VERSION, VULNDB_VERSION (override the pins)
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/tools.sh

export GOTOOLCHAIN=auto
not_checked() {
  echo "vulncheck: $1: NOT CHECKED (this is not a clean result)."
  [ "${VULNCHECK_STRICT:-0}" = 1 ] && exit 2
  exit 0
}
db=${GOVULNDB:-}
if [ -z "$db" ]; then
  if curl -fsS --max-time 5 -o /dev/null https://vuln.go.dev/index/db.json 2>/dev/null; then
    db=https://vuln.go.dev
  else
    src=$(go mod download -json "golang.org/x/vulndb@$VULNDB_VERSION" 2>/dev/null |
      sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p' || true)
    [ -n "$src" ] && [ -d "$src/data/osv" ] ||
      not_checked "vuln.go.dev is unreachable and golang.org/x/vulndb@$VULNDB_VERSION could not be downloaded"
    n=$(find "$src/data/osv" -name 'GO-*.json' | wc -l)
    echo "== vuln.go.dev unreachable: the $n OSV reports of golang.org/x/vulndb@$VULNDB_VERSION"
    [ "$n" -ge 1000 ] || not_checked "golang.org/x/vulndb@$VULNDB_VERSION has only $n reports"
    db="file://$src/data/osv"
  fi
fi

govulncheck=$(keyseal_tool govulncheck golang.org/x/vuln/cmd/govulncheck "$GOVULNCHECK_VERSION")
"$govulncheck" -version 2>/dev/null | grep -i scanner || true

echo "== positive control: the database must report golang.org/x/text v0.3.5"
set +e
out=$(cd scripts/testdata/vulncontrol && "$govulncheck" -db "$db" -scan module 2>&1)
rc=$?
set -e
if [ $rc -ne 3 ] || ! grep -q 'Module: golang.org/x/text' <<<"$out"; then
  printf '%s\n' "$out"
  if grep -q 'fetching vulnerabilities' <<<"$out"; then
    not_checked "the vulnerability database at $db is unreachable from this machine (run where it is, or point GOVULNDB at a local mirror, file:///...)"
  fi
  echo "vulncheck: govulncheck did not report the control's known vulnerabilities (exit $rc): the scan cannot be trusted"
  exit 1
fi

status=0
while IFS= read -r mod; do
  dir=$(dirname "$mod")
  echo "== govulncheck -test ./... in ${dir}"
  set +e
  out=$(cd "$dir" && "$govulncheck" -db "$db" -test ./... 2>&1)
  rc=$?
  set -e
  printf '%s\n' "$out"
  if [ $rc -ne 0 ] && grep -q 'fetching vulnerabilities' <<<"$out"; then
    not_checked "the vulnerability database at $db is unreachable from this machine (run where it is, or point GOVULNDB at a local mirror, file:///...)"
  fi
  # govulncheck exits 3 when it found vulnerabilities; anything else
  # non-zero is the tool failing, which must not pass as "checked".
  [ $rc -eq 0 ] || status=1
done < <(find . -name go.mod -not -path './.git/*' -not -path '*/testdata/*' | sort)
exit $status
