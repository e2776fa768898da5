"""Alerts: the portfolio's conditions checked, deduplicated and resolved, listed and acknowledged
(the domain: router, schemas, service, models, and its conditions; the `alert` rows any domain
raises are written through `app.alerts.log`)."""
