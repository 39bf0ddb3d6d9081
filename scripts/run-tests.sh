#!/usr/bin/env bash
# Builds fedtriage and runs the whole test suite under AddressSanitizer +
# UndefinedBehaviorSanitizer: every unit, golden and browser test, and the bench scripts' smoke
# tests (generated bundles against their ground truth, bench/floors.sh). Then a short run of
# every fuzz target (clang). Exits non-zero when anything fails. A PostgreSQL 15 server is started for the
# PostgreSQL store's tests (scripts/pg-test-server.sh) and stopped at the end.
# FEDTRIAGE_RELEASE_TESTS=1 also runs the suite on an optimised build; FEDTRIAGE_SKIP_FUZZ=1
# skips the fuzz runs.
set -euo pipefail
cd "$(dirname "$0")/.."
jobs=$(nproc)

# A throw-away PostgreSQL server for the PostgreSQL store's tests (FEDTRIAGE_TEST_PG), stopped
# on exit; without postgresql-15 those tests skip.
if [ -z "${FEDTRIAGE_TEST_PG:-}" ] && [ -x /usr/lib/postgresql/15/bin/initdb ]; then
  eval "$(bash scripts/pg-test-server.sh start)"
  trap 'bash scripts/pg-test-server.sh stop "$FEDTRIAGE_TEST_PG_DIR"' EXIT
fi

cmake --preset asan >/dev/null
cmake --build --preset asan -j "$jobs"
ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 ctest --preset asan -j "$jobs"

if [ "${FEDTRIAGE_RELEASE_TESTS:-0}" = 1 ]; then
  cmake --preset release >/dev/null
  cmake --build --preset release -j "$jobs"
  ctest --preset release -j "$jobs"
fi

if [ "${FEDTRIAGE_SKIP_FUZZ:-0}" != 1 ] && [ -f tests/fuzz/CMakeLists.txt ]; then
  bash scripts/fuzz-smoke.sh
fi
