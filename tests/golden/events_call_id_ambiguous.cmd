events --call-id 9 testdata/bundles/federation-failure.tar.gz testdata/scenarios/tls-failure
