"""Market data: the contract universe, candles, snapshots and live prices."""
