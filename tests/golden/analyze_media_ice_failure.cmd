analyze --no-db --no-color testdata/scenarios/media-ice-failure
