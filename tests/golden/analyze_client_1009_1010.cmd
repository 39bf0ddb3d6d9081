analyze --no-db --format json --client-utc-offset +01:00 testdata/client/Lync-UccApi-0.UccApiLog
