"""Reading Prometheus text the way a scraper does (prometheus_client's own parser)."""

from __future__ import annotations

from prometheus_client import generate_latest
from prometheus_client.parser import text_string_to_metric_families

from app.platform.http.scrape import counted_registry


def sample(text: str, name: str, **labels: str) -> float | None:
    """The value of the sample `name` with exactly `labels` in `text`, or None when absent."""
    for family in text_string_to_metric_families(text):
        for each in family.samples:
            if each.name == name and each.labels == labels:
                return float(each.value)
    return None


def counted(name: str, **labels: str) -> float:
    """The sample's value in this process's counted families now (0 before it exists)."""
    return sample(generate_latest(counted_registry()).decode(), name, **labels) or 0.0
