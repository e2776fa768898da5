"""The routes under `/scoring` still laid out by kind: the algorithm and the evidence (the scores
and their runs are the scoring domain's router, `app.scoring.router`)."""

from __future__ import annotations

from app.api.routers.scoring import algorithms, evidence

routers = (algorithms.router, evidence.router)
"""In the order they are included (and documented), after the scores'."""
