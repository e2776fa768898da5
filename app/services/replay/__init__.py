"""Replay use cases: history sources (CSV folders, the service's database, a KuCoin import) and
the runs the CLI and the API start."""
