analyze --no-db --color never testdata/bundles/federation-failure.tar.gz
