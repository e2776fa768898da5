"""The runtime settings: their registry (defaults, meanings, bounds) and their values, read and
changed over the API with an audit row per change."""
