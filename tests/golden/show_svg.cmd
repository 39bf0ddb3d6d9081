analyze -q --no-color --db @DB@ testdata/bundles/federation-failure.tar.gz
show d0bce --format svg --db @DB@
