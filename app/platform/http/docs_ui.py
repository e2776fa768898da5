"""The OpenAPI document at `/openapi.json` and its pages, Swagger UI at `/docs` and ReDoc at
`/redoc`, with every file they load served by the service itself: FastAPI's own pages fetch them
from a CDN and Google Fonts, so on a desk's network that blocks those hosts they were blank. The
files are fastapi-offline's (Swagger UI and ReDoc, pinned in the lock files with the rest).

Every answer here is sent `nosniff` (read only as the type it is sent as), and the pages may be
framed by no page (`frame-ancestors 'none'`): Swagger's Authorize dialog takes an API key."""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

from fastapi import FastAPI
from fastapi.openapi.docs import get_redoc_html, get_swagger_ui_html
from fastapi.responses import HTMLResponse, JSONResponse

from app.platform.core.static_files import HeaderedFiles

OPENAPI = "/openapi.json"
DOCS = "/docs"
REDOC = "/redoc"
ASSETS = "/docs-assets"
ASSET_DIR = Path(str(files("fastapi_offline") / "static"))
SAME_ORIGIN_ONLY = (
    "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; font-src 'self' data:; worker-src 'self' blob:; connect-src 'self'; "
    "frame-ancestors 'none'"
)
"""The pages' Content-Security-Policy: nothing from another host (ReDoc's bundle names its
maker's logo on a CDN; the browser never asks for it, and ReDoc hides the image it could not
load). Inline scripts and styles are the two pages' own: their start-up and styled components.
No page may frame them, so none can overlay the Authorize dialog that takes an API key."""
NOSNIFF = {"X-Content-Type-Options": "nosniff"}
"""On the document, the pages and their files: a browser reads each only as its sent type."""
_NOSNIFF_RAW = (b"x-content-type-options", b"nosniff")


def install_docs(app: FastAPI) -> None:
    """Serve the document, `/docs` and `/redoc` (the app is built with `openapi_url=None,
    docs_url=None, redoc_url=None`) and the pages' files under `/docs-assets`."""
    title = app.title
    app.mount(
        ASSETS, HeaderedFiles(directory=ASSET_DIR, headers=[_NOSNIFF_RAW]), name="docs-assets"
    )

    @app.get(OPENAPI, include_in_schema=False)
    async def openapi_document() -> JSONResponse:
        return JSONResponse(app.openapi(), headers=NOSNIFF)

    @app.get(DOCS, include_in_schema=False)
    async def swagger_ui() -> HTMLResponse:
        return _same_origin(
            get_swagger_ui_html(
                openapi_url=OPENAPI,
                title=f"{title}: the API",
                swagger_js_url=f"{ASSETS}/swagger-ui-bundle.js",
                swagger_css_url=f"{ASSETS}/swagger-ui.css",
                swagger_favicon_url=f"{ASSETS}/favicon.png",
                swagger_ui_parameters=app.swagger_ui_parameters,
            )
        )

    @app.get(REDOC, include_in_schema=False)
    async def redoc() -> HTMLResponse:
        return _same_origin(
            get_redoc_html(
                openapi_url=OPENAPI,
                title=f"{title}: the API (ReDoc)",
                redoc_js_url=f"{ASSETS}/redoc.standalone.js",
                redoc_favicon_url=f"{ASSETS}/favicon.png",
                with_google_fonts=False,
            )
        )


def _same_origin(page: HTMLResponse) -> HTMLResponse:
    page.headers["Content-Security-Policy"] = SAME_ORIGIN_ONLY
    page.headers.update(NOSNIFF)
    return page
