#!/usr/bin/env bash
# Regenerates the certificates of testdata/certs/ (see README.md). Run from this folder.
# Fixed dates far in the past or future, so that the golden outputs never drift. Private keys
# are thrown away: the tests only read the certificates.
set -euo pipefail
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cat > "$work/ca.cnf" <<'CNF'
[ca]
default_ca = testca
[testca]
database = index.txt
new_certs_dir = .
certificate = ca.pem
private_key = ca.key
default_md = sha256
policy = any
serial = serial
unique_subject = no
[any]
organizationName = optional
commonName = optional
[good]
subjectAltName = DNS:expe.a.test, DNS:www.a.test
extendedKeyUsage = serverAuth, clientAuth
[wrong_san]
subjectAltName = DNS:vcse.a.test, DNS:www.a.test
extendedKeyUsage = serverAuth, clientAuth
[cn_only]
extendedKeyUsage = serverAuth, clientAuth
[server_only]
subjectAltName = DNS:expe.a.test
extendedKeyUsage = serverAuth
[bundle_server]
subjectAltName = DNS:vcse.steven.lab
extendedKeyUsage = serverAuth
CNF
here=$PWD
cd "$work"
touch index.txt
echo 1000 > serial
key() { openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$1" 2>/dev/null; }
key ca.key
# The CA from 2000 to 2126 (openssl 3.0 req has no fixed start date: sign it with ca too).
openssl req -new -key ca.key -subj "/O=fedtriage test/CN=fedtriage test CA" -out ca.csr
openssl req -x509 -key ca.key -in ca.csr -days 36500 -out ca.pem \
  -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign"
openssl ca -batch -config ca.cnf -selfsign -keyfile ca.key -in ca.csr -out ca.pem -notext \
  -startdate 20000101000000Z -enddate 21260101000000Z -extfile <(printf 'basicConstraints=critical,CA:TRUE\nkeyUsage=critical,keyCertSign,cRLSign\n') 2>/dev/null
leaf() {  # name CN section start end
  key "$1.key"
  openssl req -new -key "$1.key" -subj "/O=fedtriage test/CN=$2" -out "$1.csr"
  openssl ca -batch -config ca.cnf -in "$1.csr" -out "$1.pem" -notext -extensions "$3" \
    -startdate "$4" -enddate "$5" 2>/dev/null
}
leaf good expe.a.test good 20000101000000Z 20991231235959Z
leaf wrong-san expe.a.test wrong_san 20000101000000Z 20991231235959Z
leaf cn-only expe.a.test cn_only 20000101000000Z 20991231235959Z
leaf server-only expe.a.test server_only 20000101000000Z 20991231235959Z
leaf expired expe.a.test good 20000101000000Z 20010101000000Z
leaf not-yet-valid expe.a.test good 20990101000000Z 20991231235959Z
leaf bundle-server vcse.steven.lab bundle_server 20000101000000Z 20991231235959Z
cp ca.pem good.pem wrong-san.pem cn-only.pem server-only.pem expired.pem not-yet-valid.pem "$here/"
# The Expressway's certificate and CA list as its diagnostic bundle names them.
scenario=$here/../scenarios/expressway-bundle-certificate
mkdir -p "$scenario"
cp bundle-server.pem "$scenario/server_vcse_20170302_071046.pem"
cp ca.pem "$scenario/ca_vcse_20170302_071046.pem"
# The same scenario as a bundle (tests/golden/analyze_bundle_certificate_targz).
cd "$here/.."
tar --sort=name --mtime=2017-03-02 --owner=0 --group=0 -czf bundles/expressway-certificate.tar.gz \
  -C scenarios expressway-bundle-certificate
