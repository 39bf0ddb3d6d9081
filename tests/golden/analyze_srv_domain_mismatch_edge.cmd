analyze --no-db --format json testdata/expressway/federation_504.log testdata/edge/sfvedge_federation.log
