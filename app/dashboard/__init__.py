"""The dashboard: hand-written static pages served beside the API, reading only the public API."""

from __future__ import annotations

import logging
from pathlib import Path

from fastapi import FastAPI
from fastapi.responses import RedirectResponse

from app.platform.core.static_files import HeaderedFiles

logger = logging.getLogger(__name__)

STATIC_DIR = Path(__file__).with_name("static")
MOUNT = "/dashboard"
# Same origin only: the page's own files and the API; no inline script, no third party.
POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; "
    "form-action 'self'"
)
HEADERS = [
    (b"content-security-policy", POLICY.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    # Revalidate every load (ETag / Last-Modified): an upgrade is seen at once.
    (b"cache-control", b"no-cache"),
]


def install_dashboard(app: FastAPI, directory: Path | None = None) -> bool:
    """Serve the dashboard at `/dashboard/` (`/dashboard` redirects there); the API does not
    need it, so without its files the service starts and answers as before. Whether it is
    served."""
    directory = directory or STATIC_DIR
    if not (directory / "index.html").is_file():
        logger.warning("dashboard: no %s; serving the API only", directory / "index.html")
        return False

    @app.get(MOUNT, include_in_schema=False)
    async def dashboard_root() -> RedirectResponse:
        return RedirectResponse(f"{MOUNT}/", status_code=308)

    app.mount(
        MOUNT, HeaderedFiles(directory=directory, headers=HEADERS, html=True), name="dashboard"
    )
    return True
