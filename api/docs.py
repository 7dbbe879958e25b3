"""/docs (Swagger UI) and /redoc with a Content-Security-Policy naming exactly what they load.

Both pages load their scripts from the jsDelivr CDN (FastAPI's defaults); the one inline script
of Swagger UI is allowed by its hash, so no other inline or foreign script can run.
"""

from __future__ import annotations

import base64
import hashlib
import re

from fastapi import FastAPI
from fastapi.openapi.docs import get_redoc_html, get_swagger_ui_html
from fastapi.responses import HTMLResponse

CDN = "https://cdn.jsdelivr.net"
FAVICON = "https://fastapi.tiangolo.com"
_INLINE_SCRIPT = re.compile(rb"<script>(.*?)</script>", re.S)


def _script_hashes(html: bytes) -> str:
    return " ".join(
        f"'sha256-{base64.b64encode(hashlib.sha256(body).digest()).decode()}'" for body in _INLINE_SCRIPT.findall(html)
    )


def _policy(*directives: str) -> str:
    return "; ".join(
        [*directives, "connect-src 'self'", "frame-ancestors 'none'", "base-uri 'none'", "form-action 'none'"]
    )


def install(app: FastAPI, title: str) -> None:
    """Adds the two pages; create the app with `docs_url=None, redoc_url=None`."""
    openapi_url = app.openapi_url or "/openapi.json"
    swagger = get_swagger_ui_html(openapi_url=openapi_url, title=f"{title} - Swagger UI")
    swagger_csp = _policy(
        "default-src 'none'",
        f"script-src {CDN} {_script_hashes(swagger.body)}",
        f"style-src {CDN} 'unsafe-inline'",
        f"img-src 'self' data: {CDN} {FAVICON}",
        f"font-src {CDN}",
    )
    redoc = get_redoc_html(openapi_url=openapi_url, title=f"{title} - ReDoc")
    redoc_csp = _policy(
        "default-src 'none'",
        f"script-src {CDN}",
        "style-src 'unsafe-inline' https://fonts.googleapis.com",
        "font-src https://fonts.gstatic.com",
        f"img-src 'self' data: {FAVICON}",
        "worker-src blob:",
    )

    @app.get("/docs", include_in_schema=False)
    async def docs() -> HTMLResponse:
        return HTMLResponse(swagger.body, headers={"Content-Security-Policy": swagger_csp})

    @app.get("/redoc", include_in_schema=False)
    async def redoc_page() -> HTMLResponse:
        return HTMLResponse(redoc.body, headers={"Content-Security-Policy": redoc_csp})
