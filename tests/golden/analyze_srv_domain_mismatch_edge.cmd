analyze --no-db --format json --case federation testdata/expressway/federation_504.log testdata/edge/sfvedge_federation.log
