check --cert testdata/certs/server-only.pem --cert testdata/certs/wrong-san.pem --fqdn expe.a.test --ca-file testdata/certs/ca.pem --format json
