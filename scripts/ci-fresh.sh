#!/usr/bin/env bash
# Runs .ci/run the way CI runs it on a new machine: in a clean clone of a
# branch (default main), with CI=true, no standard input, and an empty
# GOPATH, GOCACHE and keyseal tool folder, so that every tool is built
# from its pin and every test binary from nothing. Only the module
# download cache (GOMODCACHE, which also holds the pinned toolchain) is
# reused, so that a run does not download the world; everything else is
# made in a temporary folder and removed on exit, also on failure.
# A warm machine hides missing install steps: run this before every stop
# that touches CI or scripts.
#
# Usage: scripts/ci-fresh.sh [branch]      Env: KEEP=1 keeps the folder.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
branch=${1:-main}
modcache=$(GOTOOLCHAIN=local go env GOMODCACHE)
work=$(mktemp -d /tmp/keyseal-ci-fresh.XXXXXX)
cleanup() {
  [ "${KEEP:-0}" = 1 ] && { echo "ci-fresh: kept $work"; return; }
  chmod -R u+w "$work" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
git clone -q --no-local --branch "$branch" "$repo" "$work/keyseal"
echo "ci-fresh: $(git -C "$work/keyseal" log -1 --format='%h %s') (empty GOPATH, GOCACHE, tools)"
start=$SECONDS
set +e
(
  cd "$work/keyseal"
  env -u GOFLAGS -u GOTOOLCHAIN -u KEYSEAL_TOOLS CI=true \
    GOPATH="$work/gopath" GOCACHE="$work/gocache" GOMODCACHE="$modcache" \
    bash .ci/run </dev/null
)
rc=$?
set -e
echo "ci-fresh: .ci/run exited $rc after $((SECONDS - start)) s"
exit $rc
