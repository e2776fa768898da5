"""The forward record: updated by the track-record job, read as part of `GET /evidence/live`."""
