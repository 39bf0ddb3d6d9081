analyze -q --no-color --db @DB@ testdata/bundles/federation-failure.tar.gz
show f1b3ad5d-183b-4632-b210-c2f9bec71960 --no-color --db @DB@
