check --cert testdata/certs/no-such-file.pem --fqdn expe.a.test
