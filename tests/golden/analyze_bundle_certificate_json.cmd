analyze --no-db --format json --fail-on error testdata/scenarios/expressway-bundle-certificate
