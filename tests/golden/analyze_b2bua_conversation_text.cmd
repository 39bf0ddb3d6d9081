analyze --no-db --no-color testdata/scenarios/b2bua-conversation
