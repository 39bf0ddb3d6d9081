check --cert testdata/certs/good.pem --cert testdata/certs/cn-only.pem --fqdn expe.a.test --ca-file testdata/certs/ca.pem
