analyze --no-db -q testdata/bundles/expressway-certificate.tar.gz
