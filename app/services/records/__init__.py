"""The live records: the as-run record (the `track_record` job) and the forward record (the
`forward_record` job) marked hourly, both read as `GET /evidence/live`."""
