analyze -q --no-color --db @DB@ testdata/bundles/federation-failure.tar.gz testdata/scenarios/tls-failure
show 9 --db @DB@
