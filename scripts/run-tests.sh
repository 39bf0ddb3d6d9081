#!/usr/bin/env bash
# Builds fedtriage and runs the whole test suite: every unit, golden and browser test under
# AddressSanitizer + UndefinedBehaviorSanitizer, then a short run of every fuzz target
# (clang). Exits non-zero when anything fails. FEDTRIAGE_RELEASE_TESTS=1 also runs the suite
# on an optimised build; FEDTRIAGE_SKIP_FUZZ=1 skips the fuzz runs.
set -euo pipefail
cd "$(dirname "$0")/.."
jobs=$(nproc)

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
