# Sourced by .ci/run and scripts/*.sh: the exact version of every tool they
# install or run, and the helpers that install them. Nothing here floats:
# a new release of a tool cannot change what CI does until a pin moves.
#
# Moving a pin forward (one commit per tool, with CI green from a fresh
# machine: scripts/ci-fresh.sh):
#   Go tools:  go list -m -versions MODULE   (pseudo-versioned modules such
#              as golang.org/x/perf and golang.org/x/vulndb: go list -m
#              MODULE@<newest>), then edit the pin below. A tool that type-
#              checks the standard library (govulncheck, staticcheck) must
#              work with the toolchain go.mod pins: govulncheck v1.10.0
#              built with go1.27.4 fails to load the standard library.
#   Debian:    apt-cache policy PACKAGE, then edit DEBIAN_PINS.
#   npm:       the package-lock.json files pin every package (npm ci).

STATICCHECK_VERSION=${STATICCHECK_VERSION:-v0.8.2}
GOVULNCHECK_VERSION=${GOVULNCHECK_VERSION:-v1.9.0}
# The Go vulnerability database, as the golang.org/x/vulndb module: its OSV
# reports, which govulncheck reads when vuln.go.dev cannot be reached.
# Moving this pin is how new vulnerability data reaches an offline CI.
VULNDB_VERSION=${VULNDB_VERSION:-v0.0.0-20261105234957-e22db6528018}
BENCHSTAT_VERSION=${BENCHSTAT_VERSION:-v0.0.0-20260908200009-22c9c6c9d4da}
WAZERO_VERSION=${WAZERO_VERSION:-v1.12.0}

# Debian packages the tests need (scripts/setup.sh), as name=version.
# Debian's archive keeps only the newest build of a package in a suite, so
# a pin that a security update has superseded cannot be installed any
# more: setup.sh then installs the archive's version and says loudly that
# the pin moved (a security update must not break CI); move the pin.
DEBIAN_PINS=(
  chromium=156.0.8078.114-1~deb12u1
  nginx=1.22.1-9+deb12u12
  nodejs=20.20.2-1nodesource1+repack1
  ruby=1:3.1
  ruby-actionpack=2:6.1.7.10+dfsg-1~deb12u4
  ruby-activesupport=2:6.1.7.10+dfsg-1~deb12u4
  python3-flask=2.2.2-3
  python3-itsdangerous=2.1.2-3
)

# keyseal_tool NAME PACKAGE VERSION: prints the path of the binary NAME
# built from PACKAGE@VERSION by the current toolchain, building it first if
# needed. Tools live in $KEYSEAL_TOOLS (default GOPATH/keyseal-tools), one
# folder per toolchain and version: a tool that type-checks the standard
# library must be built by the toolchain it checks.
keyseal_tool() {
  local name=$1 pkg=$2 ver=$3 dir
  dir="${KEYSEAL_TOOLS:-$(go env GOPATH)/keyseal-tools}/$(go env GOVERSION)/$name@$ver"
  if [ ! -x "$dir/$name" ]; then
    echo "== installing $pkg@$ver built with $(go env GOVERSION)" >&2
    GOBIN="$dir" go install "$pkg@$ver" >&2
  fi
  printf '%s\n' "$dir/$name"
}
