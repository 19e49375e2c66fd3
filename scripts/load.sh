#!/usr/bin/env bash
# Load test of a real server: the app of bench/load in four builds (no
# sessions, keyseal's cookiesession with JSON, the default, or a binary
# session form, gorilla/sessions' CookieStore), served
# by net/http on 127.0.0.1 and driven by wrk (Debian package wrk,
# 4.1.0-3+b2) with a fixed connection count and duration, on a read-only
# route (/read) and a read-write route (/write). The builds run
# interleaved: each of the rounds runs every build and route once, so a
# slow spell of a shared machine hits all alike. Prints one Markdown
# table of medians over the rounds: requests/s, p50 and p99 latency, and
# heap allocations and server CPU time per request (the server's
# runtime.MemStats.Mallocs and getrusage user+system time before and after
# each run, from its loopback /debug/stats, over wrk's request count),
# then the min-max spread of requests/s, and the goals. CPU time per
# request is the steadiest figure on a shared machine: requests/s and
# p99 move with whatever else runs. The table also goes to
# bench/results/load.md, the raw rows to bench/results/load.txt.
#
# Usage: scripts/load.sh [rounds] [duration] [connections]
#        (defaults: 3 rounds, 5s, 16 connections; wrk runs 1 thread)
# Not part of CI (slow and noisy); bench/load's own test starts the
# builds and checks their routes, so the app cannot rot.
set -euo pipefail
cd "$(dirname "$0")/.."
export GOTOOLCHAIN=auto # the toolchain the go.mod files pin
rounds=${1:-3}
duration=${2:-5s}
conns=${3:-16}
builds=(none keyseal keyseal-binary gorilla)
routes=(read write)

command -v wrk >/dev/null || { echo "load.sh: wrk is missing (apt-get install wrk=4.1.0-3+b2)" >&2; exit 1; }
command -v curl >/dev/null || { echo "load.sh: curl is missing" >&2; exit 1; }

tmp=$(mktemp -d)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$tmp"
}
trap cleanup EXIT

echo "== building bench/load" >&2
(cd bench && go build -o "$tmp/loadserver" ./load)

# wrk reports through this script: latencies in microseconds, and the
# non-2xx responses, which must be none.
cat >"$tmp/report.lua" <<'LUA'
done = function(summary, latency, requests)
  io.write(string.format("RESULT %d %.1f %d %d %d\n", summary.requests,
    summary.requests / (summary.duration / 1e6), latency:percentile(50),
    latency:percentile(99), summary.errors.status + summary.errors.connect +
    summary.errors.read + summary.errors.write + summary.errors.timeout))
end
LUA

declare -A addr cookie
for b in "${builds[@]}"; do
  "$tmp/loadserver" -build "$b" -addr 127.0.0.1:0 >"$tmp/$b.out" 2>&1 &
  pids+=($!)
  for _ in $(seq 100); do
    grep -q '^listening on ' "$tmp/$b.out" && break
    sleep 0.1
  done
  addr[$b]=$(sed -n 's|^listening on http://||p' "$tmp/$b.out")
  [ -n "${addr[$b]}" ] || { echo "load.sh: $b did not start: $(cat "$tmp/$b.out")" >&2; exit 1; }
  # The session cookie /login sets (none for the build without sessions).
  cookie[$b]=$(curl -sf -D - -o /dev/null "http://${addr[$b]}/login" |
    sed -n 's/^[Ss]et-[Cc]ookie: \([^;]*\).*/\1/p' | head -1)
done

# stats ADDR: "mallocs cpu_ns" of the server.
stats() { curl -sf "http://$1/debug/stats" | awk '{ v[$1] = $2 } END { print v["mallocs"], v["cpu_ns"] }'; }

: >"$tmp/results"
for i in $(seq "$rounds"); do
  for b in "${builds[@]}"; do
    for r in "${routes[@]}"; do
      echo "== round $i of $rounds: $b /$r" >&2
      hdr=()
      [ -z "${cookie[$b]}" ] || hdr=(-H "Cookie: ${cookie[$b]}")
      read -r m0 c0 < <(stats "${addr[$b]}")
      out=$(wrk -t1 -c"$conns" -d"$duration" "${hdr[@]}" -s "$tmp/report.lua" "http://${addr[$b]}/$r")
      read -r m1 c1 < <(stats "${addr[$b]}")
      read -r n rps p50 p99 errs < <(echo "$out" | sed -n 's/^RESULT //p')
      [ "$errs" = 0 ] || { echo "load.sh: $b /$r: $errs errors or non-2xx responses" >&2; echo "$out" >&2; exit 1; }
      echo "$b $r $rps $p50 $p99 $(awk -v m0="$m0" -v m1="$m1" -v c0="$c0" -v c1="$c1" -v n="$n" \
        'BEGIN { printf "%.1f %.2f", (m1 - m0) / n, (c1 - c0) / n / 1000 }')" >>"$tmp/results"
    done
  done
done

# The table: medians over the rounds, then the spread and the goals.
awk -v rounds="$rounds" -v duration="$duration" -v conns="$conns" '
  function median(k, f,   m, i, j, t, a) {
    m = cnt[k]
    for (i = 1; i <= m; i++) a[i] = v[k, f, i]
    for (i = 2; i <= m; i++) { t = a[i]; for (j = i - 1; j >= 1 && a[j] > t; j--) a[j+1] = a[j]; a[j+1] = t }
    return (m % 2) ? a[(m+1)/2] : (a[m/2] + a[m/2+1]) / 2
  }
  function lo(k,   i, x) { x = v[k, 3, 1]; for (i = 2; i <= cnt[k]; i++) if (v[k, 3, i] < x) x = v[k, 3, i]; return x }
  function hi(k,   i, x) { x = v[k, 3, 1]; for (i = 2; i <= cnt[k]; i++) if (v[k, 3, i] > x) x = v[k, 3, i]; return x }
  function ms(us) { return sprintf("%.2f ms", us / 1000) }
  { k = $1 " " $2; n = ++cnt[k]; for (f = 3; f <= 7; f++) v[k, f, n] = $f; if (!(k in seen)) { seen[k] = 1; order[++nk] = k } }
  END {
    printf "| build | route | requests/s | p50 | p99 | allocs/request | server CPU/request | requests/s min-max |\n"
    printf "|---|---|---|---|---|---|---|---|\n"
    for (i = 1; i <= nk; i++) {
      k = order[i]; split(k, p, " ")
      rps[k] = median(k, 3); p99[k] = median(k, 5); cpu[k] = median(k, 7)
      printf "| %s | /%s | %.0f | %s | %s | %.1f | %.1f µs | %.0f-%.0f |\n", p[1], p[2], rps[k], ms(median(k, 4)), ms(p99[k]), median(k, 6), cpu[k], lo(k), hi(k)
    }
    printf "\nwrk -t1 -c%d -d%s, %d interleaved rounds, medians.\n\n", conns, duration, rounds
    printf "| goal | measured | |\n|---|---|---|\n"
    r = rps["keyseal read"] / rps["none read"]
    printf "| keyseal /read req/s >= 85%% of no sessions | %.0f%% | %s |\n", 100 * r, (r >= 0.85 ? "met" : "MISSED")
    r = p99["keyseal read"] / p99["none read"]
    printf "| keyseal /read p99 <= 1.2x no sessions | %.2fx | %s |\n", r, (r <= 1.2 ? "met" : "MISSED")
    r = cpu["none read"] / cpu["keyseal read"]
    printf "| (steadier) keyseal /read server CPU per request, no sessions / keyseal | %.0f%% | %s |\n", 100 * r, (r >= 0.85 ? "met" : "MISSED")
    r = rps["keyseal-binary read"] / rps["none read"]
    printf "| (context) keyseal-binary /read req/s vs no sessions | %.0f%% | |\n", 100 * r
    r = cpu["none read"] / cpu["keyseal-binary read"]
    printf "| (context) keyseal-binary /read server CPU per request, no sessions / keyseal | %.0f%% | |\n", 100 * r
    for (j = 1; j <= 2; j++) {
      rt = j == 1 ? "read" : "write"
      r = rps["keyseal " rt] / rps["gorilla " rt]
      printf "| keyseal /%s req/s >= 2x gorilla/sessions | %.2fx | %s |\n", rt, r, (r >= 2 ? "met" : "MISSED")
      r = cpu["gorilla " rt] / cpu["keyseal " rt]
      printf "| (steadier) keyseal /%s server CPU per request, gorilla / keyseal | %.2fx | %s |\n", rt, r, (r >= 2 ? "met" : "MISSED")
    }
  }' "$tmp/results" | tee bench/results/load.md
cp "$tmp/results" bench/results/load.txt
