"""The routes under `/portfolio`: the members and their changes, the allocation, the analytics."""

from __future__ import annotations

from app.api.routers.portfolio import allocation, analytics, members

routers = (members.router, allocation.router, analytics.router)
"""In the order they are included (and documented)."""
