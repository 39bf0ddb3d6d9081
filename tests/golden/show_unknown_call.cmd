analyze -q --no-color --db @DB@ testdata/bundles/federation-failure.tar.gz
show no-such-call --no-color --db @DB@
