events --call-id no-such-call-id testdata/expressway/seed_504_flattened.log testdata/edge/seed_flattened.log
