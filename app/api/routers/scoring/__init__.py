"""The routes under `/scoring`: the scores and their runs, the algorithm, the evidence."""

from __future__ import annotations

from app.api.routers.scoring import algorithms, evidence, scores

routers = (scores.router, algorithms.router, evidence.router)
"""In the order they are included (and documented)."""
