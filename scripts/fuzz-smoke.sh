#!/usr/bin/env bash
# Builds the libFuzzer targets (clang, `cmake --preset fuzz`) and runs each one over its seed
# corpus in tests/fuzz/corpus/<target>/ plus a fixed number of mutated inputs, two at a time. Fails when
# a target crashes, leaks, hits a sanitizer report or times out on one input; the input that
# did it is kept and named. Longer runs: FUZZ_SECONDS=600 bash scripts/fuzz-smoke.sh
set -euo pipefail
cd "$(dirname "$0")/.."
# CI runs a fixed number of inputs from a fixed seed, so that a run that passed here passes
# there too: a smoke test must not turn into a lottery that blocks a landing. Exploration is
# FUZZ_SECONDS=600 (time-bounded, random seed).
seconds=${FUZZ_SECONDS:-0}
runs=${FUZZ_RUNS:-3000}
parallel=${FUZZ_JOBS:-2}

if ! command -v clang++ >/dev/null; then
  echo "fuzz-smoke: clang++ not found (scripts/install-deps.sh installs it)" >&2
  exit 1
fi
cmake --preset fuzz >/dev/null
cmake --build --preset fuzz -j "$(nproc)"

bin=build/fuzz/tests/fuzz
work=$(mktemp -d "${TMPDIR:-/tmp}/fedtriage-fuzz.XXXXXX")
targets=()
for src in tests/fuzz/*_fuzz.cpp; do targets+=("$(basename "$src" .cpp)"); done

# One target: new corpus entries go to a scratch directory, the committed seeds are only read.
run_one() {
  local t=$1
  mkdir -p "$work/$t/corpus" "$work/$t/artifacts"
  local budget=(-seed=1 -runs="$runs")
  [ "$seconds" != 0 ] && budget=(-max_total_time="$seconds")
  local seeds=()
  [ -d "tests/fuzz/corpus/$t" ] && seeds=("tests/fuzz/corpus/$t")
  if "$bin/$t" "$work/$t/corpus" "${seeds[@]}" "${budget[@]}" -timeout=25 \
      -rss_limit_mb=2048 -print_final_stats=1 -artifact_prefix="$work/$t/artifacts/" \
      >"$work/$t/log" 2>&1; then
    echo "fuzz-smoke: $t ok ($(grep -m1 -o 'stat::number_of_executed_units: *[0-9]*' "$work/$t/log" |
      grep -o '[0-9]*$') executions)"
  else
    echo "fuzz-smoke: $t FAILED; last lines of its log:" >&2
    tail -n 40 "$work/$t/log" >&2
    echo "fuzz-smoke: input kept in $work/$t/artifacts/ (reproduce: $bin/$t <file>)" >&2
    return 1
  fi
}

status=0
pids=()
names=()
for t in "${targets[@]}"; do
  run_one "$t" &
  pids+=($!)
  names+=("$t")
  if [ ${#pids[@]} -ge "$parallel" ]; then
    wait "${pids[0]}" || status=1
    pids=("${pids[@]:1}")
    names=("${names[@]:1}")
  fi
done
for p in "${pids[@]}"; do wait "$p" || status=1; done

if [ $status -eq 0 ]; then
  rm -rf "$work"
  echo "fuzz-smoke: ${#targets[@]} targets, no crash"
fi
exit $status
