analyze --no-db --format json testdata/scenarios/unexplained-504
