"""`GET /`, the service's front door: where its reference, its OpenAPI document, its dashboard and
its readiness are. A JSON document for a program (and whoever reads it with curl), with the same
links in a `Link` header under the relations RFC 8631 gives them (`service-doc`, `service-desc`,
`status`); a page of the same links for a browser, whose `Accept` prefers HTML. Like `/docs` and
the dashboard, it is no operation of the API: the OpenAPI document does not list it."""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response

from app.platform.core.paths import API_PREFIX, READINESS
from app.platform.http.accept import HTML, prefers
from app.platform.http.docs_ui import DOCS, NOSNIFF, OPENAPI, REDOC

ROOT = "/"
PAGE_POLICY = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"
"""The page's Content-Security-Policy: plain links, nothing to load or run, framed by no page."""


@dataclass(frozen=True)
class Link:
    name: str  # its key in the JSON document
    href: str
    media_type: str
    title: str
    relation: str | None = None  # its RFC 8631 relation, for the `Link` header


LINKS = (
    Link(
        "docs",
        DOCS,
        "text/html",
        "The API's reference, to read and try (Swagger UI)",
        "service-doc",
    ),
    Link("redoc", REDOC, "text/html", "The same reference on one page (ReDoc)"),
    Link(
        "openapi",
        OPENAPI,
        "application/json",
        "The OpenAPI document, for client generators and API tooling",
        "service-desc",
    ),
    Link(
        "status",
        READINESS,
        "application/json",
        "Readiness; with a read key, the checks behind it",
        "status",
    ),
)
DASHBOARD_TITLE = "The dashboard: portfolio, rankings, risk, evidence and operations"


def install_root(app: FastAPI, *, dashboard: str | None) -> None:
    """Serve `GET /` with `LINKS` (the app serves each: `install_docs` and the API) and the
    dashboard's, at `dashboard` (None: its files are missing, so it is not served)."""
    links = list(LINKS)
    if dashboard is not None:
        links.insert(3, Link("dashboard", dashboard, "text/html", DASHBOARD_TITLE))
    document = {
        "service": app.title,
        "version": app.version,
        "summary": app.summary,
        "api": API_PREFIX,
        "links": {
            link.name: {"href": link.href, "type": link.media_type, "title": link.title}
            for link in links
        },
    }
    header = ", ".join(
        f'<{link.href}>; rel="{link.relation}"; type="{link.media_type}"'
        for link in links
        if link.relation is not None
    )
    page = _page(app.title, app.version, links)

    @app.get(ROOT, include_in_schema=False)
    async def service_root(request: Request) -> Response:
        headers = {"Link": header, "Vary": "Accept", **NOSNIFF}
        if prefers(request.headers.getlist("accept"), HTML):
            return HTMLResponse(page, headers={**headers, "Content-Security-Policy": PAGE_POLICY})
        return JSONResponse(document, headers=headers)


def _page(title: str, version: str, links: list[Link]) -> str:
    items = "\n".join(
        f'<li><a href="{escape(link.href)}">{escape(link.href)}</a>: {escape(link.title)}</li>'
        for link in links
    )
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{escape(title)}</title>\n</head>\n<body>\n"
        f"<h1>{escape(title)} {escape(version)}</h1>\n<ul>\n{items}\n</ul>\n"
        f"<p>Every route of the API is under <code>{escape(API_PREFIX)}</code>.</p>\n"
        "</body>\n</html>\n"
    )
