analyze -q --no-color --db @DB@ testdata/scenarios/b2bua-conversation
show --conversation nothing-like-this --db @DB@
