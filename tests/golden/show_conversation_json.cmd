analyze -q --no-color --db @DB@ testdata/scenarios/b2bua-conversation
show --conversation cv-30de --format json --db @DB@
