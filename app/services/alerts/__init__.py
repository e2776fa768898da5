"""Alerts: the portfolio conditions checked, deduplicated and resolved."""
