analyze --no-db --format json ../shared/reference-logs/expressway-e_mra_x8.11.txt
