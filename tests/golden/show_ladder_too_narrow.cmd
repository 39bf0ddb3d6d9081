analyze -q --no-color --db @DB@ testdata/bundles/federation-failure.tar.gz
show d0bce --no-color --width 50 --db @DB@
