"""The records domain: the as-run record (the `track_record` job) and the forward record (the
`forward_record` job) marked hourly, both read as `GET /evidence/live`; the challengers and the
forward rule (pure: `app.records.keeping`)."""
