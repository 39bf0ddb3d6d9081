#!/usr/bin/env bash
# Floors: how fast `analyze --db` and `events` could be at best, measured part by part on the
# same bundles as run_bench.sh, against the targets of issue #14 (`analyze --db` 3x lnav on the
# dense profile, 10x lnav on the sparse one; `events` 0.4x `grep -c`).
#
# Each part is work that `analyze --db` cannot skip, timed alone (wall and CPU, page cache):
#   read     `fedtriage events --call-id <none>`: walk, parse, spool and order every event,
#            render none. `analyze` spools each event whole, this spools no text: a lower bound.
#   sha256   `openssl dgst -sha256` of every input, two files at a time (both cores). `analyze`
#            names every input by its SHA-256 (batch runs skip content already stored).
#   sqlite   the rows `analyze --db` wrote (a database made beforehand, not timed) copied by
#            SQLite alone into a fresh database with the same schema and settings:
#            `INSERT INTO t SELECT * FROM src.t` for every table, one transaction, then the WAL
#            checkpoint. No parsing, no binding, no compression: what the documented schema
#            costs SQLite itself. Also without the events' and links' secondary indexes.
# The bound on 2 cores: max(read wall, sqlite wall, (read + sha256 + sqlite CPU) / 2): even
# perfectly overlapped, with correlation, rules and compression free, `analyze --db` cannot be
# faster. Printed beside the target (lnav / 3 or lnav / 10) and beside `analyze --db` itself.
#
# Usage: bench/floors.sh [--build DIR] [--work DIR] [--sizes "1024"] [--profiles "sparse dense"]
#                        [--seed S] [--failure-ratio R] [--repeat N] [--no-lnav]
# --no-lnav (or lnav absent and not installable): the parts and the floor without a target.
# Every figure is the fastest of N runs (default 3): the machine may be noisy, and a floor is
# what the work takes when nothing else is in the way.
# The bundles are those of run_bench.sh (same --work, same seed): generated when missing.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
build="$here/../build/release"
work="${TMPDIR:-/tmp}/fedtriage-bench"
sizes="1024"
profiles="sparse dense"
seed=1
failure_ratio=0.1
repeat=3
lnav=1
while [ $# -gt 0 ]; do
  case "$1" in
    --build) build=$2; shift 2 ;;
    --work) work=$2; shift 2 ;;
    --sizes) sizes=$2; shift 2 ;;
    --profiles) profiles=$2; shift 2 ;;
    --seed) seed=$2; shift 2 ;;
    --failure-ratio) failure_ratio=$2; shift 2 ;;
    --repeat) repeat=$2; shift 2 ;;
    --no-lnav) lnav=0; shift ;;
    -h|--help) sed -n 2,26p "$0"; exit 0 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done

. "$here/bench_common.sh"
bench_binaries "$build"
# Public tools only, installed when missing (as root): time, sqlite3, openssl, lnav.
for pkg in time:/usr/bin/time sqlite3:sqlite3 openssl:openssl; do
  install_missing "${pkg%%:*}" "${pkg#*:}" || { echo "needs ${pkg%%:*} (apt-get install ${pkg%%:*})" >&2; exit 2; }
done
if [ "$lnav" = 1 ] && ! install_missing lnav lnav; then
  echo "lnav not installed (apt-get install lnav): no targets, only the floors" >&2
  lnav=0
fi

mkdir -p "$work"
echo "# fedtriage floors  $(date -u +%Y-%m-%dT%H:%M:%SZ)  cores=$(nproc)  seed=$seed" \
     " load=$(cut -d' ' -f1-3 /proc/loadavg)"

# timed NAME CMD...: prints "wall cpu" (seconds; cpu = user + sys) of the fastest of $repeat
# runs of CMD, output discarded.
timed() {
  local name=$1; shift
  local tv="$work/floors-time.$$"
  for _ in $(seq "$repeat"); do
    local t0 t1
    t0=$(date +%s.%N)  # wall to the ns: time(1) gives hundredths
    /usr/bin/time -f "%U %S" -o "$tv" "$@" >"$work/floors-$name.out" 2>"$work/floors-$name.err" || {
      [ "$name" = grep ] || { echo "$name failed:" >&2; tail -5 "$work/floors-$name.err" >&2; exit 1; }
    }
    t1=$(date +%s.%N)
    tail -1 "$tv" | awk -v w="$(echo "$t1 - $t0" | bc -l)" '{ printf "%.3f %.3f\n", w, $1 + $2 }'
  done | sort -g | head -1
}

# copy_script SRC INDEXES: the SQL with which SQLite alone writes SRC's rows into a fresh
# database with SRC's schema and fedtriage's settings (lib/store/sqlite/schema.cpp).
# INDEXES=no leaves out the secondary indexes of events and call_links.
copy_script() {
  local src=$1 indexes=$2
  {
    echo "PRAGMA page_size = 16384; PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;"
    echo "PRAGMA cache_size = -65536;"
    local schema
    schema=$(sqlite3 "$src" .schema | grep -v '^CREATE TABLE sqlite_')
    if [ "$indexes" = no ]; then
      schema=$(grep -v -e '^CREATE INDEX events_' -e '^CREATE INDEX call_links_event' <<<"$schema" |
        sed 's/^  UNIQUE (input_id, line, kind, seq)$/  CHECK (1)/')
      grep -q '^  CHECK (1)$' <<<"$schema" ||
        { echo "floors.sh: the events table's UNIQUE constraint has changed: update copy_script" >&2; exit 1; }
    fi
    echo "$schema"
    echo "PRAGMA foreign_keys = ON; ATTACH '$src' AS src; BEGIN;"
    # Every table, in the order the schema created them: parents before children (foreign keys
    # on, as fedtriage writes).
    local t
    for t in $(sqlite3 "$src" "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY rowid"); do
      echo "INSERT INTO main.$t SELECT * FROM src.$t;"
    done
    echo "COMMIT; PRAGMA wal_checkpoint(TRUNCATE);"
  }
}
# copy_rows DST SCRIPT: runs SCRIPT into a fresh DST.
copy_rows() { rm -f "$1" "$1-wal" "$1-shm"; sqlite3 -bail "$1" <"$2" >/dev/null; }
export -f copy_rows

for size in $sizes; do
  for profile in $profiles; do
    dir="$work/$profile-$size"
    bench_bundle "$dir" "$profile" "$size" "$seed" "$failure_ratio"
    mapfile -t files < <(find "$dir/logs" -type f | LC_ALL=C sort)
    cat "${files[@]}" >/dev/null  # page cache
    db="$work/floors-$profile-$size.db"
    rm -f "$db" "$db-wal" "$db-shm"

    read -r grep_w _ < <(timed grep grep -c Call-ID "${files[@]}")
    lnav_w=""
    if [ "$lnav" = 1 ]; then
      read -r lnav_w _ < <(timed lnav env HOME="$work/lnav-home" TERM=dumb \
        lnav -n -c ';SELECT count(*) FROM all_logs' "${files[@]}")
    fi
    # A fresh database each run (a second run would skip the stored content); the last one is
    # the source of the rows copied below.
    read -r db_w db_c < <(timed analyze sh -c 'rm -f "$1" "$1-wal" "$1-shm"; shift; exec "$@"' \
      sh "$db" "$fedtriage" analyze "$dir/logs" --db "$db")
    read -r ev_w ev_c < <(timed events "$fedtriage" events "$dir/logs")
    # A Call-ID that no event has: everything is read, nothing rendered, exit status 1.
    read -r rd_w rd_c < <(timed read sh -c '"$@"; [ $? = 1 ]' sh "$fedtriage" events \
      --call-id floors-no-such-call "$dir/logs")
    read -r sha_w sha_c < <(timed sha256 sh -c 'printf "%s\0" "$@" | xargs -0 -n 1 -P 2 openssl dgst -sha256' \
      sh "${files[@]}")
    copy_script "$db" yes >"$work/floors-copy.sql"
    copy_script "$db" no >"$work/floors-copy-noindex.sql"
    read -r sq_w sq_c < <(timed sqlite bash -c 'copy_rows "$@"' sh "$db.copy" "$work/floors-copy.sql")
    read -r sn_w sn_c < <(timed sqlite-noindex bash -c 'copy_rows "$@"' sh "$db.copy" \
      "$work/floors-copy-noindex.sql")
    rm -f "$db"* "$db.copy"*
    for v in "$grep_w" "$db_w" "$ev_w" "$rd_w" "$sha_w" "$sq_w" "$sn_w"; do
      [ -n "$v" ] || { echo "a part failed: see $work/floors-*.err" >&2; exit 1; }
    done

    if [ "$profile" = dense ]; then factor=3; else factor=10; fi
    bound=$(printf '%s\n' "$rd_w" "$sq_w" "$(echo "($rd_c + $sha_c + $sq_c) / 2" | bc -l)" | sort -g | tail -1)
    bound_nohash=$(printf '%s\n' "$rd_w" "$sq_w" "$(echo "($rd_c + $sq_c) / 2" | bc -l)" | sort -g | tail -1)
    ev_target=$(echo "$grep_w / 0.4" | bc -l)
    echo
    echo "## $profile $size MB"
    printf "%-52s %8s %8s\n" "" "wall s" "CPU s"
    printf "%-52s %8.2f\n" "grep -c Call-ID" "$grep_w"
    [ -n "$lnav_w" ] && printf "%-52s %8.2f\n" "lnav count(*)" "$lnav_w"
    printf "%-52s %8.2f %8.2f\n" "fedtriage analyze --db" "$db_w" "$db_c"
    printf "%-52s %8.2f %8.2f\n" "fedtriage events" "$ev_w" "$ev_c"
    printf "%-52s %8.2f %8.2f\n" "part: read (events, nothing rendered)" "$rd_w" "$rd_c"
    printf "%-52s %8.2f %8.2f\n" "part: sha256 of the inputs (openssl, 2 at a time)" "$sha_w" "$sha_c"
    printf "%-52s %8.2f %8.2f\n" "part: sqlite rows, schema as documented" "$sq_w" "$sq_c"
    printf "%-52s %8.2f %8.2f\n" "part: sqlite rows, no secondary index on events" "$sn_w" "$sn_c"
    printf "analyze --db: floor %.2f s (%.2f s without sha256), analyze --db is %.1fx its floor" \
      "$bound" "$bound_nohash" "$(echo "$db_w / $bound" | bc -l)"
    if [ -n "$lnav_w" ]; then
      target=$(echo "$lnav_w / $factor" | bc -l)
      printf "; target %.2f s (lnav / %d): the floor is %.1fx the target\n" "$target" "$factor" \
        "$(echo "$bound / $target" | bc -l)"
    else
      printf "; no target without lnav\n"
    fi
    printf "events: target %.2f s (grep / 0.4); read alone %.2f s (%.1fx the target);" \
      "$ev_target" "$rd_w" "$(echo "$rd_w / $ev_target" | bc -l)"
    printf " events %.2f s (%.1fx the target)\n" "$ev_w" "$(echo "$ev_w / $ev_target" | bc -l)"
  done
done
