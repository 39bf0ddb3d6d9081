analyze --no-db --no-color testdata/scenarios/ms-diag-1017
