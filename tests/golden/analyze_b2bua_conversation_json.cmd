analyze --no-db --format json testdata/scenarios/b2bua-conversation
