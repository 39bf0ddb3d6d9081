#!/usr/bin/env bash
# Fails when a source file includes a header of a layer above its own (docs/architecture.md).
# The CMake layer targets catch calls into a higher layer at link time; this catches the
# #include itself, including header-only uses that would link anyway.
set -u
cd "$(dirname "$0")/.."

# layer folder -> the folders it may include (besides itself)
declare -A allowed=(
  [lib/base]=""
  [lib/sip]="lib/base"
  [lib/core]="lib/base lib/sip"
  [lib/input]="lib/base lib/sip lib/core"
  [parsers]="lib/base lib/sip lib/core parsers"
  [lib/spool]="lib/base lib/sip lib/core"
  [lib/correlate]="lib/base lib/sip lib/core"
  [lib/ingest]="lib/base lib/sip lib/core lib/input parsers lib/spool lib/correlate"
  [lib/rules]="lib/base lib/sip lib/core lib/correlate"
  [lib/preflight]="lib/base lib/sip lib/core lib/correlate lib/rules"
  [lib/analysis]="lib/base lib/sip lib/core lib/input parsers lib/spool lib/correlate lib/ingest lib/rules lib/preflight"
  [lib/store]="lib/base lib/sip lib/core lib/correlate lib/rules"
  [lib/store/sqlite]="lib/base lib/sip lib/core lib/correlate lib/rules lib/store"
  [lib/store/postgresql]="lib/base lib/sip lib/core lib/correlate lib/rules lib/store"
  # lib/report/* (ladder, html, summary) is one layer with lib/report
  [lib/report]="lib/base lib/sip lib/core lib/input parsers lib/spool lib/correlate lib/ingest lib/rules lib/preflight lib/analysis lib/store"
  [lib/redact]="lib/base lib/sip lib/core lib/input parsers"
  [lib/batch]="lib/base lib/sip lib/core lib/input parsers lib/spool lib/correlate lib/ingest lib/rules lib/preflight lib/analysis lib/report lib/store lib/store/sqlite lib/store/postgresql"
)
# The factory that opens a store from --db is the one file above the back ends.
exempt="lib/store/open_store.cpp"

status=0
while IFS= read -r file; do
  [ "$file" = "$exempt" ] && continue
  dir=$(dirname "$file")
  layer=""
  for candidate in "${!allowed[@]}"; do
    if [ "$dir" = "$candidate" ] || { [[ "$dir" == "$candidate"/* ]] && { [ "$candidate" = parsers ] || [ "$candidate" = lib/report ]; }; }; then
      [ ${#candidate} -gt ${#layer} ] && layer=$candidate
    fi
  done
  if [ -z "$layer" ]; then
    echo "$file: folder $dir is in no layer (add it to tests/check_layers.sh and CMakeLists.txt)"
    status=1
    continue
  fi
  while IFS= read -r inc; do
    inc_dir=$(dirname "$inc")
    [[ "$inc_dir" == parsers/* ]] && inc_dir=parsers
    [[ "$inc_dir" == lib/report/* ]] && inc_dir=lib/report
    [ "$inc_dir" = "$layer" ] && continue
    ok=0
    for a in ${allowed[$layer]}; do [ "$inc_dir" = "$a" ] && ok=1; done
    if [ $ok = 0 ]; then
      echo "$file includes $inc: $layer may not use $inc_dir"
      status=1
    fi
  done < <(grep -o '^#include "\(lib\|parsers\)/[^"]*"' "$file" | sed 's/#include "//; s/"$//')
done < <(find lib parsers -name '*.cpp' -o -name '*.h' | sort)
[ $status = 0 ] && echo "layers: every include points down"
exit $status
