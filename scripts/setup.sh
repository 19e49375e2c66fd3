#!/usr/bin/env bash
# Installs what the tests need on a bare Debian + Go machine: Chromium for
# the browser test (e2e/), nginx for the cluster harness (cluster/), Node.js
# and npm for the JOSE and Node-session interop tests, Ruby with Rails'
# ActionPack and ActiveSupport and Python with Flask for the Rails and
# Flask interop tests (interop/frameworks), at the versions scripts/tools.sh
# pins.
# Idempotent and quiet when everything is present.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/tools.sh
have() { # package: installed at any version?
  dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed'
}
need=()
for pin in "${DEBIAN_PINS[@]}"; do
  pkg=${pin%%=*}
  case $pkg in # a command of the same name from elsewhere does as well
    nodejs) command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1 && continue ;;
    nginx) { command -v nginx || [ -x /usr/sbin/nginx ]; } >/dev/null 2>&1 && continue ;;
    chromium) command -v chromium >/dev/null 2>&1 && continue ;;
  esac
  have "$pkg" || need+=("$pin")
done
[ ${#need[@]} -gt 0 ] || exit 0
if [ "$(id -u)" -ne 0 ]; then
  echo "setup: missing packages ${need[*]}; install them (apt-get install ${need[*]}) or run as root" >&2
  exit 1
fi
apt-get update -qq
install=()
for pin in "${need[@]}"; do
  pkg=${pin%%=*} ver=${pin#*=}
  if apt-cache madison "$pkg" | awk -F'|' '{ gsub(/ /, "", $2); print $2 }' | grep -qxF "$ver"; then
    install+=("$pin")
  else
    cand=$(apt-cache policy "$pkg" | awk '/Candidate:/ { print $2 }')
    echo "setup: WARNING: $pkg $ver (pinned in scripts/tools.sh) is no longer in the archive;" >&2
    echo "setup: WARNING: installing its successor $cand: move the pin" >&2
    install+=("$pkg=$cand")
  fi
done
echo "setup: installing ${install[*]}"
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${install[@]}" >/dev/null
