"""Settings: the runtime settings' registry (defaults, meanings, bounds), their stored values,
read by every service and changed over the API with an audit row per change (the domain: router,
schemas, service, repository, models; its pure part, `typed`, the field metadata that pure
packages read their settings through)."""
