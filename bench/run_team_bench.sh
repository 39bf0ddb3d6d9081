#!/usr/bin/env bash
# Team database benchmark: 1, 2 and 4 `fedtriage analyze` workers (processes) writing into one
# PostgreSQL database, beside the same into one SQLite file, on the same corpus of bundles.
#
#   bench/run_team_bench.sh [--build DIR] [--work DIR] [--bundles N] [--size-mb M] [--pg URL]
#
# The corpus is N generated bundles of M MB (fedtriage_generate --tar-gz, seeds 1..N), one case
# each. Workers share the bundles round robin (as a team splitting a queue), each with
# --jobs 1; one more row gives 4 workers the same full list (overlapping: every case is claimed
# once, the others skip or wait). Without --pg a throw-away server is started with
# scripts/pg-test-server.sh (as root: postgresql-15 installed) and stopped at the end.
# Prints wall seconds, MB/s (log bytes read, decompressed), events/s stored, and the ratio of
# each row's time to SQLite with 1 worker measured in the same run: on a shared, noisy machine
# compare ratios, not MB/s across runs.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
build="$here/../build/release"
work="${TMPDIR:-/tmp}/fedtriage-team-bench"
bundles=8
size_mb=25
pg_url=""
while [ $# -gt 0 ]; do
  case "$1" in
    --build) build=$2; shift 2 ;;
    --work) work=$2; shift 2 ;;
    --bundles) bundles=$2; shift 2 ;;
    --size-mb) size_mb=$2; shift 2 ;;
    --pg) pg_url=$2; shift 2 ;;
    -h|--help) sed -n 2,15p "$0"; exit 0 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
. "$here/bench_common.sh"
bench_binaries "$build"
command -v psql >/dev/null || { echo "psql missing (postgresql-client-15)" >&2; exit 2; }

mkdir -p "$work"
if [ -z "$pg_url" ]; then
  eval "$(bash "$here/../scripts/pg-test-server.sh" start)"
  trap 'bash "$here/../scripts/pg-test-server.sh" stop "$FEDTRIAGE_TEST_PG_DIR"' EXIT
  pg_url=$FEDTRIAGE_TEST_PG
fi
admin=$pg_url
bench_db="${admin%/*}/fedtriage_bench"

corpus=()
for i in $(seq "$bundles"); do
  dir="$work/bundle-$size_mb-$i"
  [ -f "$dir/bundle.tar.gz" ] || "$generate" --out "$dir" --size-mb "$size_mb" --seed "$i" --tar-gz >/dev/null
  # One case per bundle, named after it.
  ln -sf "$dir/bundle.tar.gz" "$work/customer-$size_mb-$i.tar.gz"
  corpus+=("$work/customer-$size_mb-$i.tar.gz")
done
cat "${corpus[@]}" >/dev/null  # page cache

echo "# fedtriage team database benchmark  $(date -u +%Y-%m-%dT%H:%M:%SZ)  cores=$(nproc)"
echo "# $bundles bundles of $size_mb MB (tar.gz), one case each; $(psql "$admin" -Atc 'SHOW server_version')"

# run_workers DB W MODE: W processes; MODE share (round robin) or same (all of them each).
run_workers() {
  local db=$1 w=$2 mode=$3 pids=() k
  local t0; t0=$(date +%s.%N)
  for k in $(seq 0 $((w - 1))); do
    local mine=()
    for j in "${!corpus[@]}"; do
      if [ "$mode" = same ] || [ $((j % w)) = "$k" ]; then mine+=("${corpus[$j]}"); fi
    done
    "$fedtriage" analyze -q --jobs 1 --db "$db" --format json "${mine[@]}" >/dev/null \
      2>"$work/worker-$k.err" &
    pids+=($!)
  done
  local failed=0
  for p in "${pids[@]}"; do wait "$p" || failed=1; done
  local t1; t1=$(date +%s.%N)
  [ $failed = 0 ] || { echo "a worker failed:" >&2; cat "$work"/worker-*.err >&2; exit 1; }
  echo "$t1 - $t0" | bc -l
}

fresh_pg() {
  psql "$admin" -qc "DROP DATABASE IF EXISTS fedtriage_bench WITH (FORCE)" -c "CREATE DATABASE fedtriage_bench"
}

counts_pg() { psql "$bench_db" -Atc "SELECT (SELECT sum(bytes) FROM inputs), (SELECT count(*) FROM events), (SELECT count(*) FROM cases)"; }
counts_lite() { sqlite3 "$1" "SELECT (SELECT sum(bytes) FROM inputs), (SELECT count(*) FROM events), (SELECT count(*) FROM cases)" | tr '|' ' '; }

printf "%-34s %8s %8s %10s %8s %6s\n" "store, workers" seconds MB/s events/s "x base" cases
base=""
row() {
  local name=$1 secs=$2 bytes=$3 events=$4 cases=$5
  [ -n "$base" ] || base=$secs
  printf "%-34s %8.2f %8.1f %10.0f %8.2f %6s\n" "$name" "$secs" \
    "$(echo "$bytes / 1048576 / $secs" | bc -l)" "$(echo "$events / $secs" | bc -l)" \
    "$(echo "$secs / $base" | bc -l)" "$cases"
}
for w in 1 2 4; do
  lite="$work/team.db"
  rm -f "$lite"*
  s=$(run_workers "$lite" "$w" share)
  read -r bytes events cases < <(counts_lite "$lite" | tr '|' ' ')
  row "SQLite, $w worker(s)" "$s" "$bytes" "$events" "$cases"
  fresh_pg
  s=$(run_workers "$bench_db" "$w" share)
  read -r bytes events cases < <(counts_pg | tr '|' ' ')
  row "PostgreSQL, $w worker(s)" "$s" "$bytes" "$events" "$cases"
done
fresh_pg
s=$(run_workers "$bench_db" 4 same)
read -r bytes events cases < <(counts_pg | tr '|' ' ')
row "PostgreSQL, 4 workers, same list" "$s" "$bytes" "$events" "$cases"
rm -f "$work/team.db"*
