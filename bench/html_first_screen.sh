#!/usr/bin/env bash
# Time to the first screen of an HTML report in headless Chromium: a screenshot of the report
# (load, parse, script, layout, paint of the first 1400x900 pixels) against a screenshot of a
# one-line page in the same run, alternating, so that the browser's own start-up is visible as
# the baseline. Prints each run and the medians.
# Usage: bench/html_first_screen.sh REPORT.html [RUNS]
set -euo pipefail
report=$(readlink -f "$1")
runs=${2:-5}
browser=$(command -v chromium || command -v chromium-browser || command -v google-chrome || true)
[ -n "$browser" ] || { echo "no chromium installed (scripts/install-deps.sh installs it)" >&2; exit 2; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
echo '<!DOCTYPE html><html><body>x</body></html>' >"$work/blank.html"
shot() {
  local page=$1 start end
  rm -rf "$work/profile"
  start=$(date +%s.%N)
  "$browser" --headless --no-sandbox --disable-gpu --no-first-run --disable-background-networking \
    --disable-component-update --disable-sync --disable-dev-shm-usage --hide-scrollbars \
    --window-size=1400,900 --user-data-dir="$work/profile" --screenshot="$work/shot.png" \
    "file://$page" >/dev/null 2>&1
  end=$(date +%s.%N)
  echo "$end - $start" | bc
}
median() { sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }
: >"$work/blank.t"
: >"$work/report.t"
for _ in $(seq "$runs"); do
  shot "$work/blank.html" >>"$work/blank.t"
  shot "$report" >>"$work/report.t"
done
echo "report: $(du -h "$report" | cut -f1)  $report"
echo "blank page  s: $(tr '\n' ' ' <"$work/blank.t")  median $(median <"$work/blank.t")"
echo "report      s: $(tr '\n' ' ' <"$work/report.t")  median $(median <"$work/report.t")"
