#!/usr/bin/env bash
# End-to-end benchmark: generates bundles, then times on the same files, in one run:
#   grep -c Call-ID           the floor (reads every byte, parses nothing)
#   fedtriage events          parse only, JSON Lines to /dev/null
#   fedtriage analyze --db    everything: parse, correlate, rules, SQLite, JSON report
#   lnav -n -c 'SELECT ...'   the tool a support engineer has today
# and prints MB/s, the ratio to grep's MB/s and peak RSS (/usr/bin/time -v), then checks the
# findings of analyze against the generator's ground truth.
#
# Usage: bench/run_bench.sh [--build DIR] [--work DIR] [--sizes "100 1024"] [--with-4g]
#                           [--seed S] [--failure-ratio R] [--repeat N] [--no-lnav]
# The machine may be noisy: compare ratios measured in the same run, not MB/s across runs.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
build="$here/../build/release"
work="${TMPDIR:-/tmp}/fedtriage-bench"
sizes="100 1024"
seed=1
failure_ratio=0.1
repeat=1
lnav=1
while [ $# -gt 0 ]; do
  case "$1" in
    --build) build=$2; shift 2 ;;
    --work) work=$2; shift 2 ;;
    --sizes) sizes=$2; shift 2 ;;
    --with-4g) sizes="$sizes 4096"; shift ;;
    --seed) seed=$2; shift 2 ;;
    --failure-ratio) failure_ratio=$2; shift 2 ;;
    --repeat) repeat=$2; shift 2 ;;
    --no-lnav) lnav=0; shift ;;
    -h|--help) sed -n 2,13p "$0"; exit 0 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done

fedtriage="$build/fedtriage"
generate="$build/bench/fedtriage_generate"
for b in "$fedtriage" "$generate"; do
  [ -x "$b" ] || { echo "missing $b: configure with -DFEDTRIAGE_BENCH=ON and build" >&2; exit 2; }
done

# Public tools only; install what is missing (Debian packages `time`, `lnav`).
need=()
[ -x /usr/bin/time ] || need+=(time)
if [ "$lnav" = 1 ] && ! command -v lnav >/dev/null; then need+=(lnav); fi
if [ ${#need[@]} -gt 0 ]; then
  echo "installing: ${need[*]}" >&2
  if [ "$(id -u)" = 0 ]; then
    apt-get install -y -qq "${need[@]}" >/dev/null || apt-get update -qq && apt-get install -y -qq "${need[@]}" >/dev/null || true
  else
    sudo apt-get install -y -qq "${need[@]}" >/dev/null || true
  fi
fi
if [ "$lnav" = 1 ] && ! command -v lnav >/dev/null; then
  echo "lnav not available: skipped" >&2
  lnav=0
fi

mkdir -p "$work"
nproc_used=$(nproc)
echo "# fedtriage benchmark  $(date -u +%Y-%m-%dT%H:%M:%SZ)  cores=$nproc_used  seed=$seed"
echo "# $(uname -srm)"

# run NAME OUTFILE CMD...: wall seconds and peak RSS of CMD, best of $repeat.
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

for size in $sizes; do
  dir="$work/bundle-$size"
  if [ ! -f "$dir/ground-truth.json" ] || [ "$(grep -o '"seed": [0-9]*' "$dir/ground-truth.json" | grep -o '[0-9]*$')" != "$seed" ]; then
    "$generate" --out "$dir" --size-mb "$size" --seed "$seed" --failure-ratio "$failure_ratio"
  fi
  mapfile -t files < <(find "$dir/logs" -type f | LC_ALL=C sort)
  bytes=$(cat "${files[@]}" | wc -c)
  mb=$(echo "$bytes / 1048576" | bc -l)
  cat "${files[@]}" >/dev/null  # warm the page cache: every tool reads from memory

  read -r g_s g_rss < <(run grep "$work/grep.out" grep -c Call-ID "${files[@]}")
  read -r e_s e_rss < <(run events /dev/null "$fedtriage" events "$dir/logs")
  # A fresh database for every repetition: a second run would skip the stored content.
  read -r a_s a_rss < <(run analyze "$work/analyze.json" sh -c 'rm -f "$1"*; shift; exec "$@"' \
                          sh "$work/analyze.db" "$fedtriage" analyze "$dir/logs" \
                          --db "$work/analyze.db" --format json)
  rm -f "$work/analyze.db"*
  if [ "$lnav" = 1 ]; then
    # lnav only counts what its formats recognise: say how many lines it saw.
    read -r l_s l_rss < <(run lnav "$work/lnav.out" env HOME="$work/lnav-home" TERM=dumb \
                            lnav -n -c ';SELECT count(*) FROM all_logs' "${files[@]}")
    lnav_count=$(grep -Eo '[0-9]+' "$work/lnav.out" | tail -1 || true)
  fi

  rate() { echo "$mb / $1" | bc -l; }
  g_rate=$(rate "$g_s")
  echo
  printf "## %s MB (%d files)\n" "$(printf %.0f "$mb")" "${#files[@]}"
  printf "%-22s %9s %10s %12s %12s\n" tool seconds MB/s "x grep" "peak RSS MB"
  line() {
    local r; r=$(rate "$2")
    printf "%-22s %9.2f %10.1f %12.3f %12.1f\n" "$1" "$2" "$r" "$(echo "$r / $g_rate" | bc -l)" \
      "$(echo "$3 / 1024" | bc -l)"
  }
  line "grep -c Call-ID" "$g_s" "$g_rss"
  line "fedtriage events" "$e_s" "$e_rss"
  line "fedtriage analyze" "$a_s" "$a_rss"
  if [ "$lnav" = 1 ]; then
    line "lnav all_logs count" "$l_s" "$l_rss"
    lines=$(cat "${files[@]}" | wc -l)
    echo "lnav counted ${lnav_count:-?} log messages of $lines lines (formats it does not know are"
    echo "read as plain text, one message per line)"
    printf "analyze vs lnav: %.1fx\n" "$(echo "$l_s / $a_s" | bc -l)"
  fi
  python3 "$here/check_ground_truth.py" "$dir/ground-truth.json" "$work/analyze.json"

  # Compressed input: the same logs as one .tar.gz, against decompression alone (gzip -dc).
  tgz="$work/bundle-$size.tar.gz"
  [ -f "$tgz" ] || tar -C "$dir" -czf "$tgz" logs
  read -r z_s z_rss < <(run gunzip "$work/gunzip.out" sh -c "gzip -dc '$tgz' | wc -c")
  read -r t_s t_rss < <(run events-tgz /dev/null "$fedtriage" events "$tgz")
  echo "compressed: gzip -dc alone $(printf %.2f "$z_s") s; fedtriage events on the .tar.gz" \
       "$(printf %.2f "$t_s") s ($(printf %.2f "$(echo "$z_s / $t_s" | bc -l)")x the speed of" \
       "decompression alone), peak RSS $(( t_rss / 1024 )) MB"

  # One large file: reading is pipelined with parsing; the same run pinned to one core.
  big=$(ls -S "${files[@]}" | head -1)
  read -r b_s b_rss < <(run events-big /dev/null "$fedtriage" events "$big")
  read -r c_s c_rss < <(run events-big-1core /dev/null taskset -c 0 "$fedtriage" events "$big")
  echo "largest file ($(( $(stat -c %s "$big") / 1048576 )) MB): events $(printf %.2f "$b_s") s on" \
       "all cores, $(printf %.2f "$c_s") s on one core ($(printf %.2f "$(echo "$c_s / $b_s" | bc -l)")x)"
done
