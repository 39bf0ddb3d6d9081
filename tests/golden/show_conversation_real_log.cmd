analyze -q --no-color --db @DB@ ../shared/reference-logs/expressway-e_mra_x8.11.txt
show --no-color --width 100 --conversation cv-ad31 --db @DB@
