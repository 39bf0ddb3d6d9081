#!/usr/bin/env bash
# CI smoke test of bench/floors.sh: 5 MB bundles of both profiles, one run each, no lnav; the
# script must time every part and print a floor per profile. Usage: floors_smoke.sh BUILD WORK
set -euo pipefail
build=$1 work=$2
here=$(cd "$(dirname "$0")" && pwd)
for tool in sqlite3 openssl bc /usr/bin/time; do
  if ! command -v "$tool" >/dev/null; then
    echo "SKIP: $tool not installed (scripts/install-deps.sh installs it)"
    exit 77
  fi
done
rm -rf "$work" && mkdir -p "$work"
"$here/floors.sh" --build "$build" --work "$work" --sizes 5 --repeat 1 --no-lnav >"$work/out.txt"
cat "$work/out.txt"
for profile in sparse dense; do
  grep -q "^## $profile 5 MB" "$work/out.txt"
done
[ "$(grep -c '^analyze --db: floor [0-9.]* s' "$work/out.txt")" = 2 ]
[ "$(grep -c '^part: sqlite rows, schema as documented  *[0-9.]* *[0-9.]*$' "$work/out.txt")" = 2 ]
