# Shared by the bench scripts (sourced, not run): the binaries of a build, the generated
# bundles, and public tools installed when missing.

# bench_binaries BUILD: sets $fedtriage and $generate from a build made with
# -DFEDTRIAGE_BENCH=ON; exits 2 when one is missing.
bench_binaries() {
  fedtriage="$1/fedtriage"
  generate="$1/bench/fedtriage_generate"
  local b
  for b in "$fedtriage" "$generate"; do
    [ -x "$b" ] || { echo "missing $b: configure with -DFEDTRIAGE_BENCH=ON and build" >&2; exit 2; }
  done
}

# bench_bundle DIR PROFILE SIZE_MB SEED FAILURE_RATIO: generates DIR (DIR/logs,
# DIR/ground-truth.json) unless it already holds that bundle of that seed.
bench_bundle() {
  local dir=$1 profile=$2 size=$3 seed=$4 ratio=$5
  if [ ! -f "$dir/ground-truth.json" ] || ! grep -q "\"seed\": $seed," "$dir/ground-truth.json"; then
    "$generate" --out "$dir" --size-mb "$size" --seed "$seed" --failure-ratio "$ratio" \
      --profile "$profile" >&2
  fi
}

# install_missing PACKAGE COMMAND: true when COMMAND is there, after installing PACKAGE with apt
# when it was not and we are root.
install_missing() {
  local package=$1 command=$2
  command -v "$command" >/dev/null && return 0
  echo "installing: $package" >&2
  if [ "$(id -u)" = 0 ]; then apt-get install -y -qq "$package" >/dev/null || true; fi
  command -v "$command" >/dev/null
}
