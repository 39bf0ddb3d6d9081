analyze -q --no-color --db @DB@ testdata/scenarios/b2bua-conversation
show --conversation a1b2 --format md --db @DB@
