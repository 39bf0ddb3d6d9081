events --call-id f1b3 testdata/expressway/seed_504_flattened.log testdata/edge/seed_flattened.log
