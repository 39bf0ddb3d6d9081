analyze --no-db testdata/scenarios/expressway-bundle-certificate
