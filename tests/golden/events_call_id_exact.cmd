events --call-id e144704c-1dd0-4ea7-929f-77e7e071c24c testdata/expressway/seed_504_flattened.log testdata/edge/seed_flattened.log
