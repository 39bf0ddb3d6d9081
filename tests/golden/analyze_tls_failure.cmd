analyze --no-db --format json testdata/scenarios/tls-failure
