"""Trading signals: ingestion, agent votes and consensus, outcome calibration."""
