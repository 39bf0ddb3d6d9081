analyze --no-db --format json testdata/bundles/federation-failure.tar.gz
