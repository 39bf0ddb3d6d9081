analyze --no-db --color never --jobs 2 testdata/scenarios/srv-record-missing testdata/scenarios/ms-diag-1034 testdata/scenarios/srv-record-missing
