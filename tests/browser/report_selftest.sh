#!/usr/bin/env bash
# Browser test of the HTML report in real headless Chromium. The report, opened with
# #selftest=CALL-ID, runs its own checks (opens the call, counts ladder columns and arrows,
# clicks an arrow and reads the raw message panel, filters the list, checks that a hostile
# display name shows as text and its script never ran) and writes them into the page, which
# --dump-dom prints. Exit 77 (ctest SKIP) when no Chromium is installed.
# Usage: report_selftest.sh FEDTRIAGE_BINARY ARTIFACT_DIR   (run from the repository root)
set -u
bin=$1
artifacts=$2
browser=$(command -v chromium || command -v chromium-browser || command -v google-chrome || true)
if [ -z "$browser" ]; then
  echo "SKIP: no chromium installed (scripts/install-deps.sh installs it)"
  exit 77
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$artifacts"

"$bin" -q analyze --no-color --db "$work/t.db" testdata/bundles/federation-failure.tar.gz \
  testdata/report/hostile_display_name.log testdata/scenarios/b2bua-conversation >/dev/null
"$bin" -q report --db "$work/t.db" -o "$work/report.html" || { echo "report failed"; exit 1; }
cp "$work/report.html" "$artifacts/report.html"

run_browser() {
  timeout 120 "$browser" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
    --disable-background-networking --disable-component-update --disable-sync \
    --disable-dev-shm-usage --hide-scrollbars --user-data-dir="$work/profile-$RANDOM" \
    --virtual-time-budget=5000 "$@" 2>>"$work/browser.log"
}

status=0
# Expressway + Edge (one arrow logged at two hops), then client + Edge with ms-diagnostics.
# Then a leg of a conversation: its other leg is listed and opens.
for call in f1b3ad5d-183b-4632-b210-c2f9bec71960 d0bce97cce8a45fcbb8cc973ba0282da \
  9f8e7d6c-5b4a3928-17-0a01010a@10.1.1.10; do
  run_browser --window-size=1400,900 --dump-dom "file://$work/report.html#selftest=$call" >"$work/dom.html"
  result=$(sed -n '/id="selftest-result"/,/SELFTEST DONE/p' "$work/dom.html" |
    sed -e 's/<[^>]*>//g' -e 's/&lt;/</g' -e 's/&gt;/>/g' -e 's/&quot;/"/g' -e 's/&amp;/\&/g')
  echo "== selftest $call"
  echo "$result"
  if ! grep -q "SELFTEST DONE pass=[0-9]* fail=0" <<<"$result"; then
    echo "FAIL: selftest for $call did not pass"
    tail -n 20 "$work/browser.log"
    status=1
  fi
done

run_browser --window-size=1400,900 --screenshot="$artifacts/report.png" \
  "file://$work/report.html#selftest=d0bce97cce8a45fcbb8cc973ba0282da" >/dev/null
if [ -s "$artifacts/report.png" ]; then
  echo "screenshot: $artifacts/report.png"
else
  echo "FAIL: no screenshot"
  status=1
fi
exit $status
