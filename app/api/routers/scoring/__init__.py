"""The routes under `/scoring` the scoring domain serves: the scores and their runs (the
algorithm and the evidence are the lab's: `app.lab.routers`)."""

from __future__ import annotations

from app.api.routers.scoring import scores

routers = (scores.router,)
"""In the order they are included (and documented)."""
