"""The live track record: updated by its job, read as `GET /evidence/live`."""
