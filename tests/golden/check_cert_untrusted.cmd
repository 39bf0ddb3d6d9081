check --cert testdata/certs/good.pem --fqdn expe.a.test
