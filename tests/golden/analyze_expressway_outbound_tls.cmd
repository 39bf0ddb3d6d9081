analyze --no-db --all-calls testdata/scenarios/expressway-outbound-tls
