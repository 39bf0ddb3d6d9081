analyze --no-db testdata/scenarios/edge-pool-504
