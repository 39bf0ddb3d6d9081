#!/usr/bin/env bash
# CI smoke test: generate a small bundle (plain and tar.gz), analyze it, check the findings
# against the ground truth. Usage: smoke_test.sh GENERATOR FEDTRIAGE WORKDIR
set -euo pipefail
gen=$1 fedtriage=$2 work=$3
here=$(cd "$(dirname "$0")" && pwd)
rm -rf "$work" && mkdir -p "$work"
"$gen" --out "$work/plain" --size-mb 5 --seed 11 --failure-ratio 0.5
"$fedtriage" analyze "$work/plain/logs" --no-db --format json >"$work/plain.json"
python3 "$here/check_ground_truth.py" "$work/plain/ground-truth.json" "$work/plain.json"
"$gen" --out "$work/tgz" --size-mb 5 --seed 11 --failure-ratio 0.5 --tar-gz
"$fedtriage" analyze "$work/tgz/bundle.tar.gz" --db "$work/tgz.db" --format json >"$work/tgz.json"
python3 "$here/check_ground_truth.py" "$work/tgz/ground-truth.json" "$work/tgz.json"
"$gen" --out "$work/dense" --size-mb 5 --seed 11 --failure-ratio 0.5 --profile dense
"$fedtriage" analyze "$work/dense/logs" --db "$work/dense.db" --format json >"$work/dense.json"
python3 "$here/check_ground_truth.py" "$work/dense/ground-truth.json" "$work/dense.json"
