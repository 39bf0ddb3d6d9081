#!/usr/bin/env bash
# End-to-end benchmark: generates bundles in two profiles, then times on the same files, in
# one run:
#   grep -c Call-ID           the floor (reads every byte, parses nothing)
#   lnav -n -c 'SELECT ...'   the tool a support engineer has today (skipped when absent)
#   fedtriage events          parse only, JSON Lines to /dev/null
#   fedtriage analyze --no-db parse, correlate, rules, JSON report
#   fedtriage analyze --db    the same plus the SQLite store (the default)
# and prints, per size, the sparse profile (today's generator: ~80 % developer noise, few SIP
# messages per MB) and the dense one (a busy Expressway-E with DEBUG network.sip: ~190 SIPMSG
# blocks per MB, each followed by developer.sip.leg dumps) side by side: seconds, ratio to
# grep and to lnav, peak RSS (/usr/bin/time -v), and the database size as % of the input.
# Then checks analyze's findings against the generator's ground truth.
#
# Usage: bench/run_bench.sh [--build DIR] [--work DIR] [--sizes "100 1024"] [--with-4g]
#                           [--profiles "sparse dense"] [--seed S] [--failure-ratio R]
#                           [--repeat N] [--no-lnav] [--extras]
# --extras: also the same logs as one .tar.gz against gzip -dc, and the largest file alone on
# all cores split in pieces (the default for a lone large file: 1 MiB pieces) against one core
# and not split (FEDTRIAGE_SPLIT_BYTES=0).
# The machine may be noisy: compare ratios measured in the same run, not seconds across runs.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
build="$here/../build/release"
work="${TMPDIR:-/tmp}/fedtriage-bench"
sizes="100"
profiles="sparse dense"
seed=1
failure_ratio=0.1
repeat=1
lnav=1
extras=0
while [ $# -gt 0 ]; do
  case "$1" in
    --build) build=$2; shift 2 ;;
    --work) work=$2; shift 2 ;;
    --sizes) sizes=$2; shift 2 ;;
    --with-4g) sizes="$sizes 4096"; shift ;;
    --profiles) profiles=$2; shift 2 ;;
    --seed) seed=$2; shift 2 ;;
    --failure-ratio) failure_ratio=$2; shift 2 ;;
    --repeat) repeat=$2; shift 2 ;;
    --no-lnav) lnav=0; shift ;;
    --extras) extras=1; shift ;;
    -h|--help) sed -n 2,22p "$0"; exit 0 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done

. "$here/bench_common.sh"
bench_binaries "$build"

# Public tools only: /usr/bin/time is needed (Debian package `time`); lnav is optional.
install_missing time /usr/bin/time || { echo "needs /usr/bin/time (apt-get install time)" >&2; exit 2; }
if [ "$lnav" = 1 ] && ! command -v lnav >/dev/null; then
  echo "lnav not installed (apt-get install lnav): its column is skipped" >&2
  lnav=0
fi

mkdir -p "$work"
echo "# fedtriage benchmark  $(date -u +%Y-%m-%dT%H:%M:%SZ)  cores=$(nproc)  seed=$seed" \
     " load=$(cut -d' ' -f1-3 /proc/loadavg)"
echo "# $(uname -srm)"

# run NAME OUTFILE CMD...: wall seconds and peak RSS (KB) of CMD, best of $repeat.
run() {
  local name=$1 out=$2; shift 2
  local best="" rss=0
  for _ in $(seq "$repeat"); do
    local t0 t1 tv="$work/time.$$"
    t0=$(date +%s.%N)
    /usr/bin/time -v -o "$tv" "$@" >"$out" 2>"$work/$name.stderr" || {
      # grep -c exits 1 when a file has no match; anything else is a failure.
      [ "$name" = grep ] || { echo "$name failed:" >&2; tail -5 "$work/$name.stderr" >&2; }
    }
    t1=$(date +%s.%N)
    local secs; secs=$(echo "$t1 - $t0" | bc -l)
    local r; r=$(awk -F: '/Maximum resident set size/ {gsub(/ /,"",$2); print $2}' "$tv")
    if [ -z "$best" ] || (( $(echo "$secs < $best" | bc -l) )); then best=$secs; rss=$r; fi
  done
  echo "$best $rss"
}

# measure_bundle PROFILE SIZE: measures one bundle; results in the associative array R.
declare -A R
measure_bundle() {
  local profile=$1 size=$2
  local dir="$work/$profile-$size" key="$1/$2"
  bench_bundle "$dir" "$profile" "$size" "$seed" "$failure_ratio"
  mapfile -t files < <(find "$dir/logs" -type f | LC_ALL=C sort)
  local bytes; bytes=$(cat "${files[@]}" | wc -c)
  R[$key.mb]=$(echo "$bytes / 1048576" | bc -l)
  R[$key.files]=${#files[@]}
  R[$key.lines]=$(cat "${files[@]}" | wc -l)
  R[$key.sip]=$(python3 -c "import json,sys; t=json.load(open(sys.argv[1])); print(sum(t['sip_messages'].values()))" "$dir/ground-truth.json")
  cat "${files[@]}" >/dev/null  # warm the page cache: every tool reads from memory

  read -r R[$key.grep.s] R[$key.grep.rss] < <(run grep "$work/grep.out" grep -c Call-ID "${files[@]}")
  if [ "$lnav" = 1 ]; then
    read -r R[$key.lnav.s] R[$key.lnav.rss] < <(run lnav "$work/lnav.out" env HOME="$work/lnav-home" \
      TERM=dumb lnav -n -c ';SELECT count(*) FROM all_logs' "${files[@]}")
  fi
  read -r R[$key.events.s] R[$key.events.rss] < <(run events /dev/null "$fedtriage" events "$dir/logs")
  read -r R[$key.nodb.s] R[$key.nodb.rss] < <(run nodb "$work/nodb.json" "$fedtriage" analyze \
    "$dir/logs" --no-db --format json)
  # A fresh database for every repetition: a second run would skip the stored content.
  read -r R[$key.db.s] R[$key.db.rss] < <(run analyze "$work/analyze.json" sh -c 'rm -f "$1"*; shift; exec "$@"' \
    sh "$work/analyze.db" "$fedtriage" analyze "$dir/logs" --db "$work/analyze.db" --format json)
  R[$key.dbsize]=$(stat -c %s "$work/analyze.db")
  R[$key.truth]=$(python3 "$here/check_ground_truth.py" "$dir/ground-truth.json" "$work/analyze.json" 2>&1 | tail -1)
  rm -f "$work/analyze.db"*

  if [ "$extras" = 1 ]; then
    # Compressed input: the same logs as one .tar.gz, against decompression alone (gzip -dc).
    local tgz="$work/$profile-$size.tar.gz"
    [ -f "$tgz" ] || tar -C "$dir" -czf "$tgz" logs
    read -r z_s _ < <(run gunzip "$work/gunzip.out" sh -c "gzip -dc '$tgz' | wc -c")
    read -r t_s t_rss < <(run events-tgz /dev/null "$fedtriage" events "$tgz")
    echo "$profile $size MB compressed: gzip -dc alone $(printf %.2f "$z_s") s; events on the" \
         ".tar.gz $(printf %.2f "$t_s") s ($(printf %.2f "$(echo "$z_s / $t_s" | bc -l)")x)," \
         "peak RSS $(( t_rss / 1024 )) MB"
    # One large file: split and parsed on every core; the same run pinned to one core.
    local big; big=$(ls -S "${files[@]}" | head -1)
    # Split (a lone large file is, by default, in 1 MiB pieces), pinned to one core, and not
    # split (parsed on one core, read and hashed on the other).
    read -r b_s _ < <(run events-big /dev/null env FEDTRIAGE_SPLIT_BYTES=1048576 "$fedtriage" events "$big")
    read -r c_s _ < <(run events-big-1core /dev/null taskset -c 0 env FEDTRIAGE_SPLIT_BYTES=1048576 "$fedtriage" events "$big")
    read -r n_s _ < <(run events-big-nosplit /dev/null env FEDTRIAGE_SPLIT_BYTES=0 "$fedtriage" events "$big")
    echo "$profile $size MB largest file ($(( $(stat -c %s "$big") / 1048576 )) MB): events" \
         "$(printf %.2f "$b_s") s split on all cores, $(printf %.2f "$c_s") s on one core" \
         "($(printf %.2f "$(echo "$c_s / $b_s" | bc -l)")x), $(printf %.2f "$n_s") s not split" \
         "($(printf %.2f "$(echo "$n_s / $b_s" | bc -l)")x)"
  fi
}

for size in $sizes; do
  for profile in $profiles; do measure_bundle "$profile" "$size"; done
  echo
  echo "## $size MB"
  printf "%-26s" ""
  for profile in $profiles; do printf " | %-46s" "$profile"; done
  echo
  printf "%-26s" "tool"
  for _ in $profiles; do printf " | %7s %7s %7s %7s %6s %7s" s MB/s "x grep" "x lnav" RSS "us/msg"; done
  echo
  for tool in grep lnav events nodb db; do
    case $tool in
      grep) label="grep -c Call-ID" ;;
      lnav) [ "$lnav" = 1 ] || continue; label="lnav count(*)" ;;
      events) label="fedtriage events" ;;
      nodb) label="fedtriage analyze --no-db" ;;
      db) label="fedtriage analyze --db" ;;
    esac
    printf "%-26s" "$label"
    for profile in $profiles; do
      k="$profile/$size"
      s=${R[$k.$tool.s]}
      xl="-"
      [ "$lnav" = 1 ] && xl=$(printf %.2f "$(echo "${R[$k.lnav.s]} / $s" | bc -l)")
      printf " | %7.2f %7.0f %7.3f %7s %6.0f %7.1f" "$s" "$(echo "${R[$k.mb]} / $s" | bc -l)" \
        "$(echo "${R[$k.grep.s]} / $s" | bc -l)" "$xl" "$(echo "${R[$k.$tool.rss]} / 1024" | bc -l)" \
        "$(echo "$s * 1000000 / ${R[$k.sip]}" | bc -l)"
    done
    echo
  done
  for profile in $profiles; do
    k="$profile/$size"
    printf "%s: %.0f MB in %d files, %d lines, %d SIP messages (%.0f per MB); database %.1f MB =" \
      "$profile" "${R[$k.mb]}" "${R[$k.files]}" "${R[$k.lines]}" "${R[$k.sip]}" \
      "$(echo "${R[$k.sip]} / ${R[$k.mb]}" | bc -l)" "$(echo "${R[$k.dbsize]} / 1048576" | bc -l)"
    printf " %.1f %% of the input; %s\n" \
      "$(echo "${R[$k.dbsize]} * 100 / (${R[$k.mb]} * 1048576)" | bc -l)" "${R[$k.truth]}"
  done
  echo "(x grep, x lnav: that tool's seconds over this one's, same run; us/msg: seconds per SIP"
  echo " message of the bundle, all files)"
done
