"""Walk-forward calibration: every choice made on a training window, judged on the test window
that follows it (pure: no database, no network)."""
