"""The service's upkeep of its database: the migration step of the start command, and retention."""
