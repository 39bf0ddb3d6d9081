analyze --no-db no/such/bundle.tar.gz
