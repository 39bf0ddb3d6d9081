analyze --no-db --format json testdata/scenarios/srv-record-missing
