"""Replay: the live decision policy run over point-in-time history, against simple baselines,
after costs (pure: standard library and numpy; sources that read files or the database live in
`app.services.replay`)."""
