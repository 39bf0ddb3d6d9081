analyze --no-db no/such/bundle.tar.gz testdata/scenarios/srv-record-missing
