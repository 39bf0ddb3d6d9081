#!/usr/bin/env bash
# A throw-away PostgreSQL 15 server for the test suite and the benchmark.
#
#   eval "$(scripts/pg-test-server.sh start)"   # prints the export lines below
#   scripts/pg-test-server.sh stop "$FEDTRIAGE_TEST_PG_DIR"
#
# start: initdb in a new temporary folder (as the `postgres` user when run as root: initdb
# refuses root), listening on 127.0.0.1 at a free port with its socket in that folder;
# host connections need a password (scram-sha-256) so that a wrong password is really
# refused. Prints
#   export FEDTRIAGE_TEST_PG=postgresql://postgres:PASSWORD@127.0.0.1:PORT/postgres
#   export FEDTRIAGE_TEST_PG_DIR=FOLDER
# The password is a random throw-away one, the server lives only as long as the tests.
# stop: stops the server and removes the folder.
set -euo pipefail
bin=${FEDTRIAGE_PG_BIN:-/usr/lib/postgresql/15/bin}

as_owner() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

start() {
  if [ ! -x "$bin/initdb" ]; then
    echo "pg-test-server: $bin/initdb not found (apt-get install postgresql-15)" >&2
    exit 1
  fi
  local dir
  dir=$(mktemp -d "${TMPDIR:-/tmp}/fedtriage-pg.XXXXXX")
  chmod 755 "$dir"
  mkdir "$dir/data" "$dir/sock"
  local password
  password=$(od -An -N12 -tx1 /dev/urandom | tr -d ' \n')
  printf '%s\n' "$password" > "$dir/pwfile"
  if [ "$(id -u)" = 0 ]; then chown -R postgres:postgres "$dir"; fi
  as_owner "$bin/initdb" -D "$dir/data" -U postgres --auth-local=trust \
    --auth-host=scram-sha-256 --pwfile="$dir/pwfile" -E UTF8 --locale=C.UTF-8 \
    >"$dir/initdb.log" 2>&1 || { cat "$dir/initdb.log" >&2; exit 1; }
  rm -f "$dir/pwfile"
  local port ok=0
  for _ in 1 2 3 4 5 6 7 8; do
    port=$((20000 + RANDOM % 40000))
    # Taken when something answers there.
    if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then continue; fi
    if as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 30 \
      -o "-p $port -k $dir/sock -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200" \
      start >/dev/null; then
      ok=1
      break
    fi
  done
  if [ $ok != 1 ]; then
    echo "pg-test-server: could not start PostgreSQL (see $dir/server.log)" >&2
    exit 1
  fi
  echo "export FEDTRIAGE_TEST_PG=postgresql://postgres:$password@127.0.0.1:$port/postgres"
  echo "export FEDTRIAGE_TEST_PG_DIR=$dir"
}

stop() {
  local dir=${1:-${FEDTRIAGE_TEST_PG_DIR:-}}
  [ -n "$dir" ] && [ -d "$dir/data" ] || { echo "pg-test-server: no server folder given" >&2; exit 1; }
  as_owner "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null 2>&1 || true
  rm -rf "$dir"
}

case "${1:-}" in
  start) start ;;
  stop) stop "${2:-}" ;;
  *) echo "usage: $0 start | stop [FOLDER]" >&2; exit 2 ;;
esac
