#!/usr/bin/env bash
# Rebuilds testdata/bundles/federation-failure.tar.gz, the sample customer bundle of the
# README's Quick start, from the per-format fixtures: an Expressway-E diagnostic log, a Skype
# Edge CLS trace and a gzipped client UccApiLog, laid out as a support engineer receives them.
# Deterministic (fixed mtimes, owners and gzip header), so the committed file only changes
# when a fixture does.
set -euo pipefail
cd "$(dirname "$0")/.."
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/bundle/expressway-e" "$work/bundle/skype-edge" "$work/bundle/client-pc"
cp testdata/expressway/federation_504.log \
  "$work/bundle/expressway-e/loggingsnapshot_vcse_2017-03-02_07-12-00.txt"
cp testdata/edge/sfvedge_federation.log "$work/bundle/skype-edge/sfvedge_SIPStack_trace.log"
cp testdata/edge/sfvedge_client_call.log "$work/bundle/skype-edge/sfvedge_SIPStack_trace_client_calls.log"
gzip -n -c testdata/client/Lync-UccApi-0.UccApiLog >"$work/bundle/client-pc/Lync-UccApi-0.UccApiLog.gz"
echo "Collected 2017-03-02 for ticket 123456" >"$work/bundle/README.txt"
mkdir -p testdata/bundles
tar --sort=name --mtime='2017-03-02 08:00:00Z' --owner=0 --group=0 --numeric-owner \
  -C "$work" -cf - bundle | gzip -n -9 >testdata/bundles/federation-failure.tar.gz
echo "wrote testdata/bundles/federation-failure.tar.gz"
