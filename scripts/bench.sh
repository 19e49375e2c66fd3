#!/usr/bin/env bash
# Regenerates BENCHMARKS.md: runs the codec benchmarks (keyseal beside the raw
# AEAD) and the side-by-side benchmarks of the bench/ module in interleaved
# rounds (each round runs every benchmark once, so a slow spell on a shared
# machine hits every contender alike), then renders the medians over the
# rounds as a few tables, each beside its anchors.
#
# Usage: scripts/bench.sh [rounds] [benchtime]     (defaults: 6 rounds, 0.2s)
# Raw results stay in bench/results/ (compare two runs with benchstat,
# pinned in scripts/tools.sh). With valgrind installed it also counts
# instructions per operation (scripts/bench-instr.sh, scripts/mw-instr.sh,
# about 10 minutes; BENCH_INSTR=0 skips them). RENDER_ONLY=1 rewrites
# BENCHMARKS.md from the results already in bench/results/ without running
# anything: its header then describes the run that made them
# (bench/results/run.txt), not this call. The load test (scripts/load.sh),
# the binary round trip, the parallel and the counter benchmarks are run by
# hand (slow or noisy); their results are rendered when present, and a
# section whose results file is missing says so instead of its table.
set -euo pipefail
cd "$(dirname "$0")/.."
export GOTOOLCHAIN=auto # the toolchain the go.mod files pin
rounds=${1:-6}
benchtime=${2:-0.2s}
out=bench/results
mkdir -p "$out"

if [ "${RENDER_ONLY:-0}" != 1 ]; then
  echo "== building test binaries"
  go test -c -o "$out/codec.test" ./codec
  (cd bench && go test -c -o "results/bench.test" .)
  go test -c -o "$out/cookiesession.test" ./cookiesession

  : >"$out/codec.txt"
  : >"$out/bench.txt"
  : >"$out/overhead.txt"
  for i in $(seq "$rounds"); do
    echo "== round $i of $rounds"
    (cd codec && "../$out/codec.test" -test.run '^$' -test.bench . -test.benchmem -test.benchtime "$benchtime") >>"$out/codec.txt"
    (cd bench && "results/bench.test" -test.run '^$' -test.bench . -test.benchmem -test.benchtime "$benchtime") >>"$out/bench.txt"
    (cd cookiesession && "../$out/cookiesession.test" -test.run '^$' -test.bench '^BenchmarkOverhead$' -test.benchtime "$benchtime") >>"$out/overhead.txt"
  done
  if [ "${BENCH_INSTR:-1}" != 0 ] && command -v valgrind >/dev/null; then
    echo "== instruction counts (valgrind)"
    scripts/bench-instr.sh >"$out/instr.md"
    echo "== middleware instruction counts (valgrind)"
    scripts/mw-instr.sh >"$out/mw-instr.md"
  fi
  # What made these results, for the header and for RENDER_ONLY=1 later.
  {
    echo "rounds=$rounds"
    echo "benchtime=$benchtime"
    echo "date=$(date -u +%Y-%m-%d)"
    echo "machine=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //'), $(nproc) CPUs, $(uname -sm)"
    echo "go=$(go version)"
  } >"$out/run.txt"
fi

# run_field KEY: a value from run.txt (read as text, never sourced).
run_field() {
  [ -s "$out/run.txt" ] || return 0
  sed -n "s/^$1=//p" "$out/run.txt" | head -1
}

# The header describes the run that made the results (run.txt), which with
# RENDER_ONLY=1 is not this call. Results older than run.txt are described
# from what they hold: the rounds are the runs appended to codec.txt (one
# "pkg:" line each) and the CPU their "cpu:" line.
today=$(date -u +%Y-%m-%d)
generated="Results of \`scripts/bench.sh $rounds $benchtime\`, run on $today."
if [ "${RENDER_ONLY:-0}" = 1 ]; then
  [ $# -eq 0 ] || echo "bench.sh: RENDER_ONLY=1 runs nothing; ignoring the arguments: $*" >&2
  if [ -s "$out/run.txt" ]; then
    rounds=$(run_field rounds)
    benchtime=$(run_field benchtime)
    generated="Results of \`scripts/bench.sh $rounds $benchtime\`, run on $(run_field date); rendered on $today."
  else
    rounds=$(grep -c '^pkg:' "$out/codec.txt" 2>/dev/null || true)
    rounds=${rounds:-an unknown number of}
    benchtime=""
    generated="Results of $rounds rounds whose date and benchtime were not recorded; rendered on $today."
  fi
fi
machine=$(run_field machine)
gover=$(run_field go)
if [ "${RENDER_ONLY:-0}" = 1 ] && [ ! -s "$out/run.txt" ]; then
  machine="$(sed -n 's/^cpu: //p' "$out/codec.txt" 2>/dev/null | head -1 || true)"
  machine="${machine:-CPU not recorded} (CPU count not recorded)"
  gover="Go version not recorded"
fi
machine=${machine:-$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //'), $(nproc) CPUs, $(uname -sm)}
gover=${gover:-$(go version)}

# have FILE: whether bench/results/FILE holds results.
have() { [ -s "$out/$1" ]; }
# skipped FILE COMMAND: what a section says when its results are missing.
skipped() { echo "_Skipped: bench/results/$1 is missing; \`$2\` makes it._"; }

# only FILE PATTERN: the benchmark lines matching PATTERN, with the headers.
only() { grep -E "^(goos|goarch|pkg|cpu):|^Benchmark($2)" "$1" || true; }

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
: >"$out/medians.txt"
for f in codec bench; do
  if have "$f.txt"; then medians "$out/$f.txt" >>"$out/medians.txt"; fi
done
# The per-comparison slices of the raw results, for benchstat by hand.
if have codec.txt; then
  only "$out/codec.txt" '(Seal|Open|RoundTrip|AppendSeal|AppendOpen)/' >"$out/codec-raw.txt"
  only "$out/codec.txt" 'OpenKeys' >"$out/openkeys.txt"
fi
if have bench.txt; then
  for s in Session Middleware Payload MultiKey; do
    only "$out/bench.txt" "$s" >"$out/$(echo "$s" | tr 'A-Z' 'a-z').txt"
  done
fi

# ns NAME, allocs NAME, chars NAME: a median from medians.txt.
ns() { awk -v n="Benchmark$1" '$1 == n { print $2 }' "$out/medians.txt"; }
allocs() { awk -v n="Benchmark$1" '$1 == n { print $3 }' "$out/medians.txt"; }
chars() { awk -v n="Benchmark$1" '$1 == n { print $4 }' "$out/medians.txt"; }
# int V: V rounded, or "–" when there is none.
int() { awk -v v="$1" 'BEGIN { if (v == "") print "–"; else printf "%.0f", v }'; }
# ratio A B: A/B to two decimals.
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a == "" || b == 0) print "n/a"; else printf "%.2f", a / b }'; }
# minus A B: A-B.
minus() { awk -v a="$1" -v b="$2" 'BEGIN { print a - b }'; }
# check OP LIMIT VALUE...: "met" if every VALUE is OP LIMIT, else "MISSED".
check() {
  local op=$1 limit=$2
  shift 2
  awk -v op="$op" -v l="$limit" -v vs="$*" 'BEGIN {
    n = split(vs, v, " "); ok = n > 0
    for (i = 1; i <= n; i++) {
      if (v[i] !~ /^[0-9.]+$/) { print "n/a"; exit }
      if ((op == "<=") ? (v[i] + 0 > l + 0) : (v[i] + 0 < l + 0)) ok = 0
    }
    print ok ? "met" : "MISSED" }'
}
# median FILE NAME FIELD: the median of the value before unit FIELD over the
# lines of benchmark NAME (any GOMAXPROCS suffix).
median() {
  awk -v n="$2" -v f="$3" '$1 ~ "^" n "(-[0-9]+)?$" { for (i = 3; i < NF; i++) if ($(i+1) == f) v[++m] = $i }
    END { for (i = 2; i <= m; i++) { t = v[i]; for (j = i - 1; j >= 1 && v[j] > t; j--) v[j+1] = v[j]; v[j+1] = t }
          if (m) printf "%.2f", (m % 2) ? v[(m+1)/2] : (v[m/2] + v[m/2+1]) / 2 }' "$out/$1"
}
# spread FILE NAME: "median ns (min–max, N runs)" of benchmark NAME, exactly
# (-cpu 1 and -cpu 2 differ only by the suffix).
spread() {
  awk -v n="$2" '$1 == n { for (i = 3; i < NF; i++) if ($(i+1) == "ns/op") v[++m] = $i }
    END { for (i = 2; i <= m; i++) { t = v[i]; for (j = i - 1; j >= 1 && v[j] > t; j--) v[j+1] = v[j]; v[j+1] = t }
          if (m) printf "%.1f ns (%.1f–%.1f, %d runs)", (m % 2) ? v[(m+1)/2] : (v[m/2] + v[m/2+1]) / 2, v[1], v[m], m }' "$out/$1"
}

ops="Seal Open RoundTrip AppendSeal AppendOpen"
algs="xchacha20poly1305 aes256gcm hmacsha256"
sizes="64 256 1024 3072"

# instr_ratio OP ALG SIZE: keyseal/raw instructions from instr.md (a round
# trip is a Seal plus an Open), or nothing without instruction counts.
instr_ratio() {
  have instr.md || return 0
  local ops=$1
  [ "$1" = RoundTrip ] && ops="Seal Open"
  awk -v ops="$ops" -v alg="$2" -v size="$3" -F'|' '
    BEGIN { n = split(ops, o, " "); for (k = 1; k <= n; k++) want[o[k] " " alg " " size " B"] = 1 }
    { c = $2; gsub(/^ +| +$/, "", c) }
    c in want { raw += $3; ks += $4; found++ }
    END { if (found) printf "%.2f", ks / raw }' "$out/instr.md"
}

# codec_cases: "op alg size time-ratio instr-ratio" for every codec case.
codec_cases() {
  local b alg size
  for b in $ops; do
    for alg in $algs; do
      for size in $sizes; do
        echo "$b $alg $size" \
          "$(ratio "$(ns "$b/alg=$alg/size=$size/impl=keyseal")" "$(ns "$b/alg=$alg/size=$size/impl=raw")")" \
          "$(instr_ratio "$b" "$alg" "$size")"
      done
    done
  done
}

rt="Session/op=roundtrip/impl"
mw="Middleware/op"

target_rows() {
  local r a p vs alg size
  if have codec.txt; then
    awk '{ n++; t = $4 + 0; if (n == 1 || t < tmin) tmin = t; if (t > tmax) tmax = t; if (t > 1.15) tover++
           if ($5 != "") { ni++; if ($5 + 0 > imax) { imax = $5 + 0; icase = $1 " " $2 " " $3 " B" }; if ($5 + 0 > 1.15) iover++ } }
      END {
        time = sprintf("time %.2f–%.2f×, over 1.15× in %d", tmin, tmax, tover)
        if (ni) printf "| keyseal ÷ raw AEAD, %d cases (table below) | ≤ 1.15× | instructions at most %.2f× (%s); %s | %s |\n", n, imax, icase, time, iover ? "MISSED (instr)" : "met (instr)"
        else printf "| keyseal ÷ raw AEAD, %d cases (table below) | ≤ 1.15× | %s | %s |\n", n, time, tover ? "MISSED" : "met" }' "$tmp/cases"
    vs=""
    for alg in $algs; do vs="$vs $(ratio "$(ns "OpenKeys/alg=$alg/keys=100")" "$(ns "OpenKeys/alg=$alg/keys=1")")"; done
    # shellcheck disable=SC2086
    echo "| codec Open, 100 keys ÷ 1 key (XChaCha20, AES-GCM, HMAC) | ≤ 1.1× | $(echo $vs | sed 's/ /×, /g')× | $(check "<=" 1.1 $vs) |"
    local op goal limit
    for r in "Seal:≤ 1:1" "AppendSeal:0:0" "AppendOpen:0:0"; do
      IFS=: read -r op goal limit <<<"$r"
      vs=""
      for alg in $algs; do vs="$vs $(allocs "$op/alg=$alg/size=1024/impl=keyseal")"; done
      # shellcheck disable=SC2086
      echo "| $op allocations, 1 KiB (each algorithm) | $goal | $(echo $vs | sed 's/ /, /g') | $(check "<=" "$limit" $vs) |"
    done
  fi
  if have bench.txt; then
    r=$(ratio "$(ns "$rt=keyseal-json")" "$(ns "$rt=raw-aead-json")")
    echo "| session round trip, JSON: keyseal ÷ raw AEAD + JSON | ≤ 1.2× | $r× | $(check "<=" 1.2 "$r") |"
    r=$(ratio "$(ns "$rt=securecookie-json")" "$(ns "$rt=keyseal-json")")
    echo "| session round trip, JSON: securecookie ÷ keyseal | ≥ 2× | $r× (raw AEAD + JSON: $(ratio "$(ns "$rt=securecookie-json")" "$(ns "$rt=raw-aead-json")")×) | $(check ">=" 2 "$r") |"
    r=$(ratio "$(ns "$rt=jose-jwe-json")" "$(ns "$rt=keyseal-json")")
    echo "| session round trip, JSON: go-jose JWE ÷ keyseal | ≥ 4× | $r× (raw AEAD + JSON: $(ratio "$(ns "$rt=jose-jwe-json")" "$(ns "$rt=raw-aead-json")")×) | $(check ">=" 4 "$r") |"
    r=$(ratio "$(ns "$rt=securecookie-json")" "$(ns "$rt=keyseal-binary")")
    echo "| session round trip: securecookie JSON ÷ keyseal binary (BenchmarkSession) | ≥ 5× | $r× (raw AEAD + binary: $(ratio "$(ns "$rt=securecookie-json")" "$(ns "$rt=raw-aead-binary")")×) | $(check ">=" 5 "$r") |"
  fi
  if have binary.txt; then
    r=$(median binary.txt BenchmarkBinaryRoundTrip x-securecookie)
    echo "| the same, alternating batches in one run (BenchmarkBinaryRoundTrip, bench/results/binary.txt) | ≥ 5× | ${r:-n/a}× | $(check ">=" 5 "${r:-n/a}") |"
  fi
  if have bench.txt; then
    r=$(ratio "$(ns "MultiKey/keys=100/impl=keyseal")" "$(ns "MultiKey/keys=1/impl=keyseal")")
    echo "| session open, 100 keys ÷ 1 key | ≤ 1.1× | $r× | $(check "<=" 1.1 "$r") |"
  fi
  if have overhead.txt; then
    vs=""
    for size in 16 256 2048; do vs="$vs $(median overhead.txt "BenchmarkOverhead/${size}B" x-codec)"; done
    # shellcheck disable=SC2086
    echo "| middleware request ÷ codec round trip, 16 B, 256 B, 2 KiB (time, BenchmarkOverhead) | ≤ 1.3× | $(echo $vs | sed 's/ /×, /g')× | $(check "<=" 1.3 $vs) |"
  fi
  if have mw-instr.md; then
    vs=""
    for size in 16 256 2048; do
      vs="$vs $(awk -F'|' -v s="$size B" '{ c = $2; gsub(/^ +| +$/, "", c) } c == s { printf "%.2f", $3 / $4 }' "$out/mw-instr.md")"
    done
    # shellcheck disable=SC2086
    echo "| the same by instructions (scripts/mw-instr.sh) | ≤ 1.3× | $(echo $vs | sed 's/ /×, /g')× | $(check "<=" 1.3 $vs) |"
  fi
  if have bench.txt; then
    a=$(ratio "$(ns "$mw=read/impl=gorilla-gob")" "$(ns "$mw=read/impl=keyseal-json")")
    p=$(ratio "$(ns "$mw=write/impl=gorilla-gob")" "$(ns "$mw=write/impl=keyseal-json")")
    echo "| middleware per request, read and write: gorilla/sessions ÷ keyseal JSON | ≥ 2× | $a×, $p× | $(check ">=" 2 "$a" "$p") |"
    echo "| session round trip through the middleware (write): gorilla/sessions ÷ keyseal JSON | ≥ 5× | $p× (binary form: $(ratio "$(ns "$mw=write/impl=gorilla-gob")" "$(ns "$mw=write/impl=keyseal-binary")")×) | $(check ">=" 5 "$p") |"
    r=$(chars "$rt=keyseal-json")
    echo "| benchmark session cookie (XChaCha20-Poly1305, JSON) | ≤ 360 chars | $r chars | $(check "<=" 360 "$r") |"
    a=$(allocs "Session/op=decode/impl=keyseal-json"); p=$(allocs "Session/op=decode/impl=plain-json")
    r=$(allocs "Session/op=decode/impl=keyseal-binary"); vs=$(allocs "Session/op=decode/impl=plain-binary")
    echo "| session Open allocations, JSON and binary: keyseal vs the serializer alone | ≤ serializer + 1 | $a vs $p, $r vs $vs | $(check "<=" 1 "$(minus "$a" "$p")" "$(minus "$r" "$vs")") |"
  fi
}

# codec_table: keyseal ÷ raw AEAD per operation, algorithm and size.
codec_table() {
  local head="| keyseal ÷ raw AEAD | 64 B | 256 B | 1 KiB | 3 KiB |"
  echo "$head"
  echo "|---|---|---|---|---|"
  awk '{ k = $1 " " $2; if (!(k in row)) order[++n] = k
         row[k] = row[k] " | " $4 ($5 != "" ? " · " $5 : "") }
    END { for (i = 1; i <= n; i++) print "| " order[i] row[order[i]] " |" }' "$tmp/cases"
}

# instr_table: instructions per Seal and Open, keyseal (raw AEAD).
instr_table() {
  echo "| instructions per op: keyseal (raw) | 64 B | 256 B | 1 KiB | 3 KiB |"
  echo "|---|---|---|---|---|"
  awk -F'|' '{ c = $2; gsub(/^ +| +$/, "", c); split(c, w, " ") }
    (w[1] == "Seal" || w[1] == "Open") && w[4] == "B" {
      k = w[1] " " w[2]; if (!(k in row)) order[++n] = k
      row[k] = row[k] sprintf(" | %d (%d)", $4, $3) }
    END { for (i = 1; i <= n; i++) print "| " order[i] row[order[i]] " |" }' "$out/instr.md"
}

session_table() {
  local i k
  k=$(ns "$rt=keyseal-json")
  echo "| impl | round trip ns | ÷ keyseal-json | encode ns | decode ns | cookie chars | allocs |"
  echo "|---|---|---|---|---|---|---|"
  for i in keyseal-json keyseal-aes-json keyseal-signed-json keyseal-binary raw-aead-json raw-aead-binary \
    securecookie-json securecookie-gob jose-jwe-json plain-json plain-binary; do
    echo "| $i | $(int "$(ns "$rt=$i")") | $(ratio "$(ns "$rt=$i")" "$k")× | $(int "$(ns "Session/op=encode/impl=$i")")" \
      "| $(int "$(ns "Session/op=decode/impl=$i")") | $(int "$(chars "$rt=$i")") | $(int "$(allocs "$rt=$i")") |"
  done
}

middleware_table() {
  local i
  echo "| impl | read ns | write ns | gorilla ÷ impl (read, write) | allocs (read, write) | cookie chars |"
  echo "|---|---|---|---|---|---|"
  for i in keyseal-json keyseal-binary gorilla-gob; do
    echo "| $i | $(int "$(ns "$mw=read/impl=$i")") | $(int "$(ns "$mw=write/impl=$i")")" \
      "| $(ratio "$(ns "$mw=read/impl=gorilla-gob")" "$(ns "$mw=read/impl=$i")")×, $(ratio "$(ns "$mw=write/impl=gorilla-gob")" "$(ns "$mw=write/impl=$i")")×" \
      "| $(int "$(allocs "$mw=read/impl=$i")"), $(int "$(allocs "$mw=write/impl=$i")") | $(int "$(chars "$mw=write/impl=$i")") |"
  done
}

payload_table() {
  local s i row
  local impls="keyseal-xchacha20poly1305 keyseal-aes256gcm keyseal-hmacsha256 raw-aead securecookie jose-jwe"
  echo "| size, ns per round trip | keyseal XChaCha20 | keyseal AES-GCM | keyseal HMAC | raw AEAD | securecookie | go-jose |"
  echo "|---|---|---|---|---|---|---|"
  for s in $sizes; do
    row="| $s B"
    for i in $impls; do row="$row | $(int "$(ns "Payload/size=$s/impl=$i")")"; done
    echo "$row |"
  done
  row="| token chars, 1 KiB"
  for i in $impls; do row="$row | $(int "$(chars "Payload/size=1024/impl=$i")")"; done
  echo "$row |"
}

multikey_table() {
  local k alg row
  echo "| keys | session open: keyseal | securecookie | codec Open XChaCha20 | AES-GCM | HMAC |"
  echo "|---|---|---|---|---|---|"
  for k in 1 4 100; do
    row="| $k | $(int "$(ns "MultiKey/keys=$k/impl=keyseal")") | $(int "$(ns "MultiKey/keys=$k/impl=securecookie")")"
    for alg in $algs; do row="$row | $(int "$(ns "OpenKeys/alg=$alg/keys=$k")")"; done
    echo "$row |"
  done
}

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
if have codec.txt; then codec_cases >"$tmp/cases"; fi

{
  echo "# keyseal benchmarks"
  echo
  echo "$generated"
  echo "Machine: $machine; $gover. Sections whose results are made by hand"
  echo "(instruction counts, load test, binary round trip, contention) may be newer:"
  echo "\`git log bench/results/\` dates each file. Regenerate with:"
  echo
  echo "    scripts/bench.sh [rounds] [benchtime]   # runs the benchmarks (default 6 rounds of 0.2s), then renders"
  echo "    RENDER_ONLY=1 scripts/bench.sh         # renders this file from bench/results/ alone"
  echo
  echo "**How these are measured.** Each round runs every benchmark once, contenders"
  echo "interleaved, so a slow spell on the shared machine hits all alike; figures are medians"
  echo "over the rounds. Wall-clock figures still move by ±20-30 % from one run to the next, so"
  echo "a difference under 1.3× is noise unless it repeats. Where a ratio must be repeatable,"
  echo "instructions are counted under valgrind's callgrind (one P, no GC, the difference of"
  echo "two iteration counts; they repeat to about 1.5 %): the keyseal ÷ raw AEAD verdicts use"
  echo "them. Instruction counts do not weigh instructions (an AES-NI round counts as one) and"
  echo "barely see the clock read every Seal and Open makes, which is why time ratios at 64 B"
  echo "run higher. Raw results, one line per run, and the slices used here stay in"
  echo "bench/results/ (compare two runs with benchstat); the history of these figures is in git."
  echo
  echo "## Targets"
  echo
  echo "| target | goal | measured | verdict |"
  echo "|---|---|---|---|"
  target_rows
  echo
  echo "The load test's goals are in its own table below."
  echo
  echo "## codec: keyseal beside the raw AEAD"
  echo
  if have codec.txt; then
    echo "Seal, Open, their round trip and the append forms (caller's buffer), keyseal ÷ the raw"
    echo "AEAD (random nonce, encoding/base64, no header), by payload size: time ratio$(have instr.md && echo ' · instruction ratio')."
    echo
    codec_table
  else
    skipped codec.txt scripts/bench.sh
  fi
  echo
  if have instr.md || have mw-instr.md; then
    echo "## Instructions (callgrind)"
    echo
  fi
  if have instr.md; then
    echo "Per operation, keyseal beside the raw AEAD (scripts/bench-instr.sh; the other operations"
    echo "and multi-key opens are in bench/results/instr.md). Against a raw AEAD with keyseal's own"
    echo "base64, the format's fixed work (header, associated data, key lookup, usage counters,"
    awk -F'|' '{ c = $2; gsub(/^ +| +$/, "", c); split(c, w, " ") } w[4] == "B" && $7 + 0 > 0 {
        r = $7 + 0; if (w[3] == "64") { if (!n64++ || r < lo) lo = r; if (r > hi) hi = r } else if (w[3] == "1024" && r > hi1) hi1 = r }
      END { printf "clock read) costs %.2f-%.2f× at 64 B and at most %.2f× at 1 KiB.\n", lo, hi, hi1 }' "$out/instr.md"
    echo
    instr_table
    echo
  fi
  if have mw-instr.md; then
    echo "Per request through cookiesession (load + save, binary form) beside the codec round trip"
    echo "it cannot avoid (scripts/mw-instr.sh):"
    echo
    cat "$out/mw-instr.md"
    echo
  fi
  echo "## Session round trip: keyseal beside raw AEAD, securecookie and go-jose"
  echo
  if have bench.txt; then
    echo "A ~200-byte session (bench/session_test.go), sealed and opened. -binary uses a"
    echo "hand-written binary serializer; plain-* is the serializer alone, no protection."
    echo
    session_table
    echo
    pj=$(ns "$rt=plain-json")
    ks=$(minus "$(ns "$rt=keyseal-json")" "$pj")
    echo "Without the JSON cost every contender pays (minus plain-json), securecookie takes"
    echo "$(ratio "$(minus "$(ns "$rt=securecookie-json")" "$pj")" "$ks")× and go-jose $(ratio "$(minus "$(ns "$rt=jose-jwe-json")" "$pj")" "$ks")× keyseal's time; securecookie takes"
    echo "$(ratio "$(ns "$rt=securecookie-json")" "$(ns "$rt=keyseal-aes-json")")× the time of keyseal with an AES-256-GCM key. The raw AEAD rows are the floor"
    echo "any format meets."
  else
    skipped bench.txt scripts/bench.sh
  fi
  echo
  echo "## Middleware: cookiesession beside gorilla/sessions"
  echo
  if have bench.txt; then
    echo "One request through the session middleware: the cookie opened and read (read), or also"
    echo "changed and re-sealed into a new Set-Cookie (write); gorilla/sessions is its CookieStore"
    echo "with gob, a hash key and a block key (bench/middleware_test.go)."
    echo
    middleware_table
    echo
    echo "## Payload round trip by size"
    echo
    payload_table
    echo
    echo "## Open under many keys (token under the middle key)"
    echo
    if have codec.txt; then multikey_table; else skipped codec.txt scripts/bench.sh; fi
  else
    skipped bench.txt scripts/bench.sh
  fi
  echo
  echo "## Load test"
  echo
  if have load.md; then
    echo "The app of bench/load (login, a read-only /read and a read-write /write over a"
    echo "~150-byte session) served by net/http on loopback in four builds (no sessions; keyseal's"
    echo "cookiesession with its zero Config, JSON; the same with a binary session form;"
    echo "gorilla/sessions' CookieStore), driven by wrk with the builds interleaved:"
    echo "\`scripts/load.sh 5 5s 16\` (run by hand; it writes bench/results/load.md). Requests/s"
    echo "moved by up to 3× between runs on this shared machine and server CPU per request by"
    echo "~20 %, so the CPU rows are the steadier verdict. A CPU profile of keyseal's /read put"
    echo "encoding/json at 57 % of the middleware's cost and the codec's Open at 15 %: a binary"
    echo "session form is the lever for a CPU-bound service."
    echo
    cat "$out/load.md"
  else
    skipped load.md "scripts/load.sh 5 5s 16"
  fi
  echo
  echo "## Contention: parallel benchmarks and usage counters"
  echo
  if have parallel.txt; then
    echo "\`go test -run '^\$' -bench Parallel -cpu 1,2 ./codec ./cookiesession\` runs Seal, Open and"
    echo "the middleware from GOMAXPROCS goroutines on one Codec or Manager"
    echo "(bench/results/parallel.txt); on this 2-vCPU machine -cpu 2 stays within noise of -cpu 1."
  else
    skipped parallel.txt "go test -run '^\$' -bench Parallel -cpu 1,2 ./codec ./cookiesession"
  fi
  echo
  if have count-before.txt && have count-after.txt; then
    echo "A key counts its uses in one word until two goroutines collide on it, then in one"
    echo "cache line per P (keyring/usage.go), so that a key used on every request is not one"
    echo "line bounced between cores. On two vCPUs that share a cache striping is a loss; it pays"
    echo "from about 32 cores, where one line would be busy most of the time."
    echo "\`go test -run '^\$' -bench Count -cpu 1,2 -count 10 ./keyring\`, before and after striping:"
    echo
    echo "| BenchmarkCountParallel (one seal and one open per op) | one word | striped |"
    echo "|---|---|---|"
    echo "| -cpu 1 | $(spread count-before.txt BenchmarkCountParallel) | $(spread count-after.txt BenchmarkCountParallel) |"
    echo "| -cpu 2 | $(spread count-before.txt BenchmarkCountParallel-2) | $(spread count-after.txt BenchmarkCountParallel-2) |"
  else
    skipped "count-before.txt and count-after.txt" "go test -run '^\$' -bench Count -cpu 1,2 -count 10 ./keyring"
  fi
  echo
  echo "## Edge"
  echo
  echo "The edge gate (examples/edge: open and verify a session inside workerd or a WASI host)"
  echo "has its own figures, module sizes against the platforms' limits and per-request cost,"
  echo "in [docs/edge.md](docs/edge.md#figures); \`scripts/edge-bench.sh\` makes them (needs node)."
} >BENCHMARKS.md
echo "wrote BENCHMARKS.md ($(wc -c <BENCHMARKS.md) bytes)"
