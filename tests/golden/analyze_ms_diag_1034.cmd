analyze --no-db --format json testdata/scenarios/ms-diag-1034
