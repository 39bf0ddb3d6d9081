analyze -q --db @DB@ --jobs 2 testdata/bundles/federation-failure.tar.gz testdata/scenarios/srv-record-missing testdata/scenarios/tls-failure testdata/scenarios/unexplained-504 testdata/scenarios/ms-diag-1034
calls --db @DB@ --rule srv-domain-mismatch --domain STEVEN.lab --status 504 --format csv
