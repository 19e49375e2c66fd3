#!/usr/bin/env bash
# Installs what the tests need on a bare Debian + Go machine. Idempotent and
# quiet when everything is present. Add a package here when a test needs it.
set -euo pipefail
need=()
# (filled in as tests need system packages, e.g. chromium for browser tests)
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "setup: missing packages ${need[*]}; run as root or install them" >&2
    exit 1
  fi
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
fi
