#!/usr/bin/env bash
# Installs the Debian 12 packages fedtriage needs to build and test (run as root).
# Only what is missing is installed.
set -euo pipefail
packages=(
  build-essential cmake ninja-build pkg-config git
  libre2-dev libboost-program-options-dev libspdlog-dev libfmt-dev libsqlite3-dev
  libgtest-dev libgmock-dev libarchive-dev nlohmann-json3-dev libyaml-cpp-dev libssl-dev
  libbenchmark-dev sqlite3 clang
  libc-ares-dev dnsmasq-base openssl  # fedtriage check (DNS SRV, TLS); its tests run dnsmasq
  libpq-dev postgresql-15  # PostgreSQL store (libpq) and the server its tests start
  libzstd-dev zstd  # compressed raw text in the store; the zstd tool reads it by hand
  chromium  # browser test of the HTML report (tests/browser/)
)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
