#!/usr/bin/env bash
# Runs one golden case: tests/golden/NAME.cmd holds the fedtriage arguments (one command per
# line, run from the repository root in order; only the last one's stdout and exit status are
# checked, the earlier ones must not fail with 1 or 2), NAME.out the expected stdout. `@DB@` is
# one temporary database shared by the lines. Set FEDTRIAGE_UPDATE_GOLDEN=1 to rewrite the
# expected output after a deliberate change. A case that names material outside the repository
# (an argument starting with ../, e.g. ../shared/reference-logs/) is skipped with exit status 77
# (ctest SKIP_RETURN_CODE) when that material is absent, as in a fresh clone.
set -u
bin=$1
case_file=$2
expected=${case_file%.cmd}.out
status_file=${case_file%.cmd}.status
actual=$(mktemp)
trap 'rm -f "$actual" "$actual.db" "$actual.db-wal" "$actual.db-shm"' EXIT
mapfile -t lines < <(grep -v '^[[:space:]]*$' "$case_file")
last=$((${#lines[@]} - 1))
for line in "${lines[@]}"; do
  for word in $line; do
    case $word in
      ../*)
        if [ ! -e "$word" ]; then
          echo "SKIP: $word not found (material outside the repository, absent in a fresh clone)"
          exit 77
        fi
        ;;
    esac
  done
done
for i in "${!lines[@]}"; do
  # Databases go to a temporary file so that runs never share state.
  args=${lines[$i]//@DB@/$actual.db}
  eval "\"$bin\" $args" >"$actual" 2>/dev/null
  status=$?
  if [ "$i" != "$last" ] && { [ "$status" = 1 ] || [ "$status" = 2 ]; }; then
    echo "exit status $status in step $((i + 1)): fedtriage $args"
    exit 1
  fi
done
want_status=0
[ -f "$status_file" ] && want_status=$(cat "$status_file")
if [ "${FEDTRIAGE_UPDATE_GOLDEN:-0}" = 1 ]; then
  cp "$actual" "$expected"
  echo "$status" >"$status_file"
  echo "updated $expected (exit $status)"
  exit 0
fi
if [ "$status" != "$want_status" ]; then
  echo "exit status $status, expected $want_status: fedtriage $args"
  exit 1
fi
if ! diff -u "$expected" "$actual"; then
  echo "output differs from $expected (FEDTRIAGE_UPDATE_GOLDEN=1 to accept a deliberate change)"
  exit 1
fi
