#!/usr/bin/env bash
# Regenerates BENCHMARKS.md: runs the codec benchmarks (keyseal beside the raw
# AEAD) and the side-by-side benchmarks of the bench/ module in interleaved
# rounds (each round runs every benchmark once, so a slow spell on a shared
# machine hits every contender alike), then summarises them with benchstat.
#
# Usage: scripts/bench.sh [rounds] [benchtime]     (defaults: 6 rounds, 0.2s)
# Raw results are kept in bench/results/ for later comparison. With valgrind
# installed it also counts instructions per operation (scripts/bench-instr.sh,
# about 10 minutes; BENCH_INSTR=0 skips it). RENDER_ONLY=1 rewrites
# BENCHMARKS.md from the results already in bench/results/.
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-6}
benchtime=${2:-0.2s}
out=bench/results
mkdir -p "$out"

benchstat=$(command -v benchstat || true)
if [ -z "$benchstat" ]; then
  benchstat="$(go env GOPATH)/bin/benchstat"
  [ -x "$benchstat" ] || go install golang.org/x/perf/cmd/benchstat@latest
fi

if [ "${RENDER_ONLY:-0}" != 1 ]; then
  echo "== building test binaries"
  go test -c -o "$out/codec.test" ./codec
  (cd bench && go test -c -o "results/bench.test" .)

  : >"$out/codec.txt"
  : >"$out/bench.txt"
  for i in $(seq "$rounds"); do
    echo "== round $i of $rounds"
    (cd codec && "../$out/codec.test" -test.run '^$' -test.bench . -test.benchmem -test.benchtime "$benchtime") >>"$out/codec.txt"
    (cd bench && "results/bench.test" -test.run '^$' -test.bench . -test.benchmem -test.benchtime "$benchtime") >>"$out/bench.txt"
  done
  if [ "${BENCH_INSTR:-1}" != 0 ] && command -v valgrind >/dev/null; then
    echo "== instruction counts (valgrind)"
    scripts/bench-instr.sh >"$out/instr.md"
  fi
fi

# only FILE PATTERN: the benchmark lines matching PATTERN, with the headers.
only() { grep -E "^(goos|goarch|pkg|cpu):|^Benchmark($2)" "$1"; }

# medians FILE: "name median-ns/op median-allocs/op median-cookie-chars" per
# benchmark (GOMAXPROCS suffix removed).
medians() {
  awk '/^Benchmark/ {
    name = $1; sub(/-[0-9]+$/, "", name)
    for (i = 3; i < NF; i++) {
      if ($(i+1) == "ns/op") v[name, "ns", ++n[name, "ns"]] = $i
      if ($(i+1) == "allocs/op") v[name, "al", ++n[name, "al"]] = $i
      if ($(i+1) == "token-chars" || $(i+1) == "cookie-chars") v[name, "ch", ++n[name, "ch"]] = $i
    }
    seen[name] = 1
  }
  function median(name, k,   m, i, j, t, a) {
    m = n[name, k]; if (m == 0) return 0
    for (i = 1; i <= m; i++) a[i] = v[name, k, i] + 0
    for (i = 2; i <= m; i++) { t = a[i]; for (j = i - 1; j >= 1 && a[j] > t; j--) a[j+1] = a[j]; a[j+1] = t }
    return (m % 2) ? a[(m+1)/2] : (a[m/2] + a[m/2+1]) / 2
  }
  END { for (s in seen) print s, median(s, "ns"), median(s, "al"), median(s, "ch") }' "$1"
}
medians "$out/codec.txt" >"$out/medians.txt"
medians "$out/bench.txt" >>"$out/medians.txt"

# ns NAME, allocs NAME, chars NAME: a median from medians.txt.
ns() { awk -v n="Benchmark$1" '$1 == n { print $2 }' "$out/medians.txt"; }
allocs() { awk -v n="Benchmark$1" '$1 == n { print $3 }' "$out/medians.txt"; }
chars() { awk -v n="Benchmark$1" '$1 == n { print $4 }' "$out/medians.txt"; }
# ratio A B: A/B to two decimals.
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b == 0) print "n/a"; else printf "%.2f", a / b }'; }
# check VALUE OP LIMIT: "met" or "MISSED".
check() { awk -v v="$1" -v l="$3" -v op="$2" 'BEGIN { ok = (op == "<=") ? (v <= l) : (v >= l); print ok ? "met" : "MISSED" }'; }

# instr_ratio OP ALG SIZE: keyseal/raw instructions from instr.md (a round
# trip is a Seal plus an Open), or nothing without instruction counts.
instr_ratio() {
  [ -s "$out/instr.md" ] || return 0
  local ops=$1
  [ "$1" = RoundTrip ] && ops="Seal Open"
  awk -v ops="$ops" -v alg="$2" -v size="$3" -F'|' '
    BEGIN { n = split(ops, o, " "); for (k = 1; k <= n; k++) want[o[k] " " alg " " size " B"] = 1 }
    { c = $2; gsub(/^ +| +$/, "", c) }
    c in want { raw += $3; ks += $4; found++ }
    END { if (found) printf "%.2f", ks / raw }' "$out/instr.md"
}

target_rows() {
  local r i
  for b in Seal Open RoundTrip AppendSeal AppendOpen; do
    for alg in xchacha20poly1305 aes256gcm hmacsha256; do
      for size in 64 256 1024 3072; do
        r=$(ratio "$(ns "$b/alg=$alg/size=$size/impl=keyseal")" "$(ns "$b/alg=$alg/size=$size/impl=raw")")
        i=$(instr_ratio "$b" "$alg" "$size")
        if [ -n "$i" ]; then
          echo "| $b $alg ${size} B: keyseal / raw AEAD | $r× time, $i× instr | ≤ 1.15× | $(check "$i" "<=" 1.15) (instr) |"
        else
          echo "| $b $alg ${size} B: keyseal / raw AEAD | $r× time | ≤ 1.15× | $(check "$r" "<=" 1.15) |"
        fi
      done
    done
  done
  for alg in xchacha20poly1305 aes256gcm hmacsha256; do
    r=$(ratio "$(ns "OpenKeys/alg=$alg/keys=100")" "$(ns "OpenKeys/alg=$alg/keys=1")")
    echo "| Open $alg, 100 keys / 1 key | $r× | ≤ 1.1× | $(check "$r" "<=" 1.1) |"
  done
  for alg in xchacha20poly1305 aes256gcm hmacsha256; do
    a=$(allocs "Seal/alg=$alg/size=1024/impl=keyseal")
    echo "| Seal $alg allocations | $a | ≤ 1 | $(check "$a" "<=" 1) |"
    a=$(allocs "AppendSeal/alg=$alg/size=1024/impl=keyseal")
    echo "| AppendSeal $alg allocations | $a | 0 | $(check "$a" "<=" 0) |"
    a=$(allocs "AppendOpen/alg=$alg/size=1024/impl=keyseal")
    echo "| AppendOpen $alg allocations | $a | 0 | $(check "$a" "<=" 0) |"
  done
  local rt="Session/op=roundtrip/impl"
  r=$(ratio "$(ns "$rt=keyseal-json")" "$(ns "$rt=raw-aead-json")")
  echo "| session round trip, JSON: keyseal / raw AEAD+JSON | $r× | ≤ 1.2× | $(check "$r" "<=" 1.2) |"
  r=$(ratio "$(ns "$rt=securecookie-json")" "$(ns "$rt=keyseal-json")")
  echo "| session round trip, JSON: securecookie JSON / keyseal | $r× faster | ≥ 2× | $(check "$r" ">=" 2) |"
  r=$(ratio "$(ns "$rt=jose-jwe-json")" "$(ns "$rt=keyseal-json")")
  echo "| session round trip, JSON: go-jose JWE / keyseal | $r× faster | ≥ 4× | $(check "$r" ">=" 4) |"
  local pj ks
  pj=$(ns "$rt=plain-json")
  ks=$(awk -v a="$(ns "$rt=keyseal-json")" -v b="$pj" 'BEGIN { print a - b }')
  r=$(ratio "$(awk -v a="$(ns "$rt=securecookie-json")" -v b="$pj" 'BEGIN { print a - b }')" "$ks")
  echo "| (for context) securecookie JSON / keyseal, without the JSON cost both pay (minus plain-json) | $r× faster | | |"
  r=$(ratio "$(awk -v a="$(ns "$rt=jose-jwe-json")" -v b="$pj" 'BEGIN { print a - b }')" "$ks")
  echo "| (for context) go-jose / keyseal, without the JSON cost both pay | $r× faster | | |"
  r=$(ratio "$(ns "$rt=securecookie-json")" "$(ns "$rt=keyseal-binary")")
  echo "| session round trip, binary: securecookie JSON / keyseal | $r× faster | ≥ 5× | $(check "$r" ">=" 5) |"
  r=$(ratio "$(ns "MultiKey/keys=100/impl=keyseal")" "$(ns "MultiKey/keys=1/impl=keyseal")")
  echo "| session open, 100 keys / 1 key | $r× | ≤ 1.1× | $(check "$r" "<=" 1.1) |"
  local mw="Middleware/op"
  for op in read write; do
    r=$(ratio "$(ns "$mw=$op/impl=gorilla-gob")" "$(ns "$mw=$op/impl=keyseal-json")")
    echo "| middleware per request ($op), JSON: gorilla/sessions gob / keyseal | $r× faster | ≥ 2× | $(check "$r" ">=" 2) |"
  done
  r=$(ratio "$(ns "$mw=write/impl=gorilla-gob")" "$(ns "$mw=write/impl=keyseal-json")")
  echo "| session round trip through the middleware, JSON: gorilla/sessions gob / keyseal | $r× faster | ≥ 5× | $(check "$r" ">=" 5) |"
  r=$(ratio "$(ns "$mw=write/impl=gorilla-gob")" "$(ns "$mw=write/impl=keyseal-binary")")
  echo "| (for context) the same with keyseal's binary form | $r× faster | | |"
  c=$(chars "$rt=keyseal-json")
  echo "| benchmark session cookie (XChaCha20-Poly1305, JSON) | $c chars | ≤ 360 | $(check "$c" "<=" 360) |"
  a=$(allocs "Session/op=decode/impl=keyseal-json"); p=$(allocs "Session/op=decode/impl=plain-json")
  echo "| session Open allocations, JSON: keyseal vs serializer alone | $a vs $p | ≤ serializer + 1 | $(check "$a" "<=" $((${p%.*} + 1))) |"
  a=$(allocs "Session/op=decode/impl=keyseal-binary"); p=$(allocs "Session/op=decode/impl=plain-binary")
  echo "| session Open allocations, binary: keyseal vs serializer alone | $a vs $p | ≤ serializer + 1 | $(check "$a" "<=" $((${p%.*} + 1))) |"
}

stat() { "$benchstat" "$@" | sed 's/^/    /'; }

{
  echo "# keyseal benchmarks"
  echo
  echo "Generated by \`scripts/bench.sh $rounds $benchtime\` on $(date -u +%Y-%m-%d)."
  echo "Machine: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //'), $(nproc) CPUs, $(uname -sm);"
  echo "$(go version)."
  echo
  echo "Each of $rounds rounds runs every benchmark once for $benchtime (interleaved, so a slow"
  echo "spell on a shared machine hits every contender alike); figures are medians over rounds."
  echo "Differences under 1.3× on a noisy machine are noise unless they repeat."
  echo "Raw results: bench/results/codec.txt and bench/results/bench.txt. Commands:"
  echo
  echo "    go test -c -o codec.test ./codec && (cd bench && go test -c -o bench.test .)"
  echo "    ./codec.test -test.run '^\$' -test.bench . -test.benchmem -test.benchtime $benchtime   # in codec/, $rounds times"
  echo "    ./bench.test -test.run '^\$' -test.bench . -test.benchmem -test.benchtime $benchtime   # in bench/, interleaved"
  echo "    benchstat -col /impl codec.txt"
  echo
  echo "## Targets"
  echo
  echo "Wall-clock ratios (\"time\") are medians over the rounds and swing by ±30 % on this"
  echo "shared machine from one run to the next; where instruction counts exist (\"instr\","
  echo "see below) the keyseal/raw verdict uses them, since they repeat to about 1 %. They"
  echo "under-weigh one thing keyseal does and the raw AEAD does not: the clock read (~43 ns)."
  echo
  echo "| target | measured | goal | |"
  echo "|---|---|---|---|"
  target_rows
  echo
  cat <<'EOF_NOTES'
### Where the missed targets come from (profiled November 2026, Go 1.26)

- **keyseal / raw AEAD at 64 B (and AES-GCM at 256 B).** keyseal does a fixed amount of
  work the raw AEAD does not: one clock read per Seal or Open (time.Now costs ~43 ns on
  these VMs, as much as AES-GCM over 64 bytes; Seal used to read it twice, now once), 24
  bytes of associated data (name and header) through the AEAD, 16 header bytes more to
  base64, the keyring snapshot and key lookup, the usage counters, and a pooled scratch
  buffer: 800–1200 instructions per operation (table below). That is under 5 % from
  1 KiB up and matters only for tiny payloads under the fastest cipher. Every part is
  required by the format or the API (times are authenticated, usage is counted), so it
  stays. Wall-clock ratios at 1–3 KiB scatter both ways (0.7×–1.5×) from run to run
  while the instruction counts there are within 2–5 %: that scatter is the machine.
- **Session round trip vs securecookie and go-jose.** encoding/json alone (plain-json,
  ~2.3 µs) is most of keyseal's JSON round trip (~3.6 µs: keyseal adds ~1.3 µs), and
  every contender pays it, which caps these ratios; the "(for context)" rows take it
  out. On a quiet machine (25 November 2026, after the other jobs had stopped)
  securecookie JSON / keyseal was 1.61×, go-jose / keyseal 2.88× and securecookie JSON /
  keyseal-binary 4.40×: the ≥ 2×, ≥ 4× and ≥ 5× targets are missed. Earlier runs on the
  loaded machine (2.07×, 3.54×, 6.14×) were noise in keyseal's favour. Closing the gap
  means a faster serializer path in keyseal itself, not less crypto.
- **Middleware vs gorilla/sessions.** The ≥ 2× and ≥ 5× targets are met: gorilla/sessions
  pays gob (with its type descriptors), two base64 passes, AES-CTR plus HMAC and a
  registry per request.

EOF_NOTES
  if [ -s "$out/instr.md" ]; then
    echo "## Instructions per operation (callgrind), keyseal beside the raw AEAD"
    echo
    echo "Wall-clock ratios on a shared 2-core machine swing by ±30 %; instruction counts"
    echo "(scripts/bench-instr.sh: one P, no GC, difference of two iteration counts) repeat to"
    echo "about 1 %. They do not weigh instructions (AES-NI and SHA rounds count as one), so"
    echo "read them as the fixed work keyseal adds, not as time."
    echo
    cat "$out/instr.md"
    echo
  fi
  echo "## Session: keyseal beside raw AEAD, securecookie and go-jose"
  echo
  echo "A ~200-byte JSON session (bench/session_test.go). keyseal-binary and plain-binary use a"
  echo "hand-written binary serializer; plain-* is the serializer alone, no protection."
  echo
  only "$out/bench.txt" 'Session' >"$out/session.txt"
  stat -col /impl "$out/session.txt"
  echo
  echo "## Middleware per request: cookiesession beside gorilla/sessions"
  echo
  echo "One request through the session middleware for the ~200-byte session: the cookie"
  echo "opened and the session read (op=read), or also changed and re-sealed into a new"
  echo "Set-Cookie (op=write). gorilla/sessions is its CookieStore with gob, a hash key and a"
  echo "block key (bench/middleware_test.go); each request is a fresh shallow copy for both."
  echo
  only "$out/bench.txt" 'Middleware' >"$out/middleware.txt"
  stat -col /impl "$out/middleware.txt"
  echo
  echo "## Payload round trip by size"
  echo
  only "$out/bench.txt" 'Payload' >"$out/payload.txt"
  stat -col /impl "$out/payload.txt"
  echo
  echo "## Open with 1, 4 and 100 keys (token under the middle key)"
  echo
  only "$out/bench.txt" 'MultiKey' >"$out/multikey.txt"
  stat -col /impl "$out/multikey.txt"
  echo
  only "$out/codec.txt" 'OpenKeys' >"$out/openkeys.txt"
  stat -col /keys "$out/openkeys.txt"
  echo
  echo "## codec: keyseal beside the raw AEAD (same algorithm, no header)"
  echo
  only "$out/codec.txt" '(Seal|Open|RoundTrip|AppendSeal|AppendOpen)/' >"$out/codec-raw.txt"
  stat -col /impl "$out/codec-raw.txt"
} >BENCHMARKS.md
echo "wrote BENCHMARKS.md"
