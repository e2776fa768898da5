"""The lab's routes, one module per resource: the replays (`/replays`), the scoring algorithm and
its changes (`/scoring/algorithms`), the walk-forward evidence (`/scoring/evidence`)."""
