"""The configuration API over every domain's runtime settings (each declared beside
the rule that reads it), listed with their values in force and changed with an audit row per
change; last in the domains' order, since it gathers them all (router, schemas, registry,
service)."""
