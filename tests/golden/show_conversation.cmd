analyze -q --no-color --db @DB@ testdata/scenarios/b2bua-conversation
show --no-color --conversation 9f8e7d6c --db @DB@
