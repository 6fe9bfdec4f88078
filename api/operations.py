"""Operations around the app: JSON logs with request ids (keys redacted, `api/logs.py`), one
access line per request, Prometheus metrics (`api/metrics.py`), security headers, CORS for
public reads only, and errors that never leak a traceback (database unavailable → 503 with
`Retry-After`)."""

from __future__ import annotations

import json
import logging
import re
from typing import Any

from asgi_correlation_id import CorrelationIdMiddleware, correlation_id
from fastapi import FastAPI
from sqlalchemy.exc import DBAPIError
from sqlalchemy.exc import TimeoutError as PoolTimeoutError
from starlette.middleware.cors import CORSMiddleware
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.logs import AccessLogMiddleware, configure_logging
from api.metrics import install_metrics
from api.problems import PROBLEM_MEDIA_TYPE, problem_body
from api.settings import ApiSettings

REQUEST_ID_HEADER = "X-Request-ID"
error_logger = logging.getLogger("observatoire.erreurs")
# The docs load their scripts from this server only (`api.docs`): no CDN is allowed.
DOCS_CSP = (
    "default-src 'none'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; font-src 'self' data:; connect-src 'self'; worker-src blob:; "
    "frame-ancestors 'none'; base-uri 'none'; form-action 'none'"
)
API_CSP = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"
DOCS_PATHS = ("/docs", "/redoc")
UNAVAILABLE_ERRORS = (DBAPIError, PoolTimeoutError)


class SecurityHeadersMiddleware:
    """Headers every answer carries; a looser CSP only on the interactive docs pages."""

    def __init__(self, app: ASGIApp, hsts_max_age_s: int) -> None:
        self.app = app
        self.headers = [
            (b"x-content-type-options", b"nosniff"),
            (b"x-frame-options", b"DENY"),
            (b"referrer-policy", b"no-referrer"),
            (b"cross-origin-opener-policy", b"same-origin"),
        ]
        if hsts_max_age_s:
            value = f"max-age={hsts_max_age_s}; includeSubDomains".encode()
            self.headers.append((b"strict-transport-security", value))

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        csp = DOCS_CSP if scope["path"].startswith(DOCS_PATHS) else API_CSP

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                present = {name.lower() for name, _ in message.get("headers", [])}
                extra = [(n, v) for n, v in self.headers if n not in present]
                if b"content-security-policy" not in present:
                    extra.append((b"content-security-policy", csp.encode()))
                message["headers"] = [*message.get("headers", []), *extra]
            await send(message)

        await self.app(scope, receive, send_with_headers)


class AllowHeaderMiddleware:
    """405 answers list every documented method of the path (Starlette names only those of
    the first route it matched)."""

    def __init__(self, app: ASGIApp, fastapi_app: FastAPI) -> None:
        self.app = app
        self.fastapi_app = fastapi_app
        self._paths: list[tuple[re.Pattern[str], set[str]]] | None = None

    def allowed(self, path: str) -> set[str]:
        """Methods the OpenAPI document lists for `path`."""
        if self._paths is None:
            self._paths = []
            for template, item in self.fastapi_app.openapi()["paths"].items():
                # An integer path parameter matches digits only, so that a fixed path beside
                # it (`/v1/soumissions/fichier` next to `/v1/soumissions/{id}`) keeps its own.
                integers = {
                    p["name"]
                    for op in item.values()
                    for p in op.get("parameters", [])
                    if p.get("in") == "path" and p.get("schema", {}).get("type") == "integer"
                }

                def part(match: re.Match[str], integers: set[str] = integers) -> str:
                    return "[0-9]+" if match.group(1) in integers else "[^/]+"

                pattern = re.sub(r"\\\{([^}]+)\\\}", part, re.escape(template))
                methods = {m.upper() for m in item}
                self._paths.append((re.compile(pattern + "$"), methods))
        found: set[str] = set()
        for pattern, methods in self._paths:
            if pattern.match(path):
                found |= methods
        return found | ({"HEAD"} if "GET" in found else set())

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_allow(message: Message) -> None:
            if message["type"] == "http.response.start" and message["status"] == 405:
                methods = self.allowed(scope["path"])
                if methods:
                    headers = [
                        (n, v) for n, v in message.get("headers", []) if n.lower() != b"allow"
                    ]
                    allow = ", ".join(sorted(methods)).encode()
                    message["headers"] = [*headers, (b"allow", allow)]
            await send(message)

        await self.app(scope, receive, send_with_allow)


class ErrorShieldMiddleware:
    """Unhandled errors become problem details: 503 + `Retry-After` when the database is
    unavailable, else a generic 500 naming the request id; the traceback goes to the log only."""

    def __init__(self, app: ASGIApp, retry_after_s: int) -> None:
        self.app = app
        self.retry_after_s = retry_after_s

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        response_started = False

        async def tracking_send(message: Message) -> None:
            nonlocal response_started
            if message["type"] == "http.response.start":
                response_started = True
            await send(message)

        try:
            await self.app(scope, receive, tracking_send)
        except Exception as exc:
            if response_started:
                raise
            status, body, headers = self.describe(exc)
            payload = json.dumps(body, ensure_ascii=False).encode()
            await send(
                {
                    "type": "http.response.start",
                    "status": status,
                    "headers": [
                        (b"content-type", PROBLEM_MEDIA_TYPE.encode()),
                        (b"content-length", str(len(payload)).encode()),
                        *headers,
                    ],
                }
            )
            await send({"type": "http.response.body", "body": payload})

    def describe(self, exc: Exception) -> tuple[int, dict[str, Any], list[tuple[bytes, bytes]]]:
        """Status, body and headers answering `exc` (and log it)."""
        request_id = correlation_id.get() or "-"
        if isinstance(exc, UNAVAILABLE_ERRORS):
            error_logger.error("base de données indisponible : %s", type(exc).__name__)
            error_logger.debug("détail de l'erreur de base", exc_info=exc)
            body = unavailable_body(
                "La base de données est momentanément indisponible : réessayer dans "
                f"{self.retry_after_s} s.",
                "base-indisponible",
            )
            return 503, body, [(b"retry-after", str(self.retry_after_s).encode())]
        error_logger.error("erreur non gérée", exc_info=exc)
        body = problem_body(
            500,
            f"Erreur interne : elle est journalisée sous l'identifiant {request_id}.",
            slug="erreur-interne",
        )
        body["identifiant_requete"] = request_id
        return 500, body, []


def unavailable_body(detail: str, slug: str, **extra: Any) -> dict[str, Any]:
    """Problem details of a 503."""
    body = problem_body(503, detail, slug=slug)
    body["title"] = "Service indisponible"
    body.update(extra)
    return body


def document_problem_responses(app: FastAPI) -> None:
    """Make the OpenAPI document say what validation errors really are: problem details."""
    build = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is not None:
            return app.openapi_schema
        schema = build()
        problem = (
            {"$ref": "#/components/schemas/ProblemDetails"}
            if "ProblemDetails" in schema.get("components", {}).get("schemas", {})
            else {"type": "object"}
        )
        for operation in (op for item in schema["paths"].values() for op in item.values()):
            response = operation.get("responses", {}).get("422")
            if response is not None:
                response["content"] = {PROBLEM_MEDIA_TYPE: {"schema": problem}}
        app.openapi_schema = schema
        return schema

    app.openapi = openapi  # type: ignore[method-assign]


def install_operations(app: FastAPI, settings: ApiSettings) -> None:
    """Wire logs, metrics, headers, CORS and the error shield (call last in `create_app`)."""
    configure_logging(settings)
    document_problem_responses(app)
    # Added innermost first: the request id wraps everything, the shield sits next to routes.
    app.add_middleware(AllowHeaderMiddleware, fastapi_app=app)
    app.add_middleware(ErrorShieldMiddleware, retry_after_s=settings.api_retry_after_s)
    app.state.http_metrics = install_metrics(app) if settings.api_metrics_enabled else None
    app.add_middleware(
        CORSMiddleware,
        allow_origins=settings.api_cors_origins,
        allow_methods=["GET", "HEAD", "OPTIONS"],
        allow_headers=["Accept", "Accept-Language", "If-None-Match"],
        allow_credentials=False,
        expose_headers=[
            "ETag",
            "X-Publication-Id",
            "X-Donnees-Fictives",
            REQUEST_ID_HEADER,
            "Retry-After",
        ],
        max_age=600,
    )
    app.add_middleware(SecurityHeadersMiddleware, hsts_max_age_s=settings.api_hsts_max_age_s)
    app.add_middleware(AccessLogMiddleware)
    app.add_middleware(CorrelationIdMiddleware, header_name=REQUEST_ID_HEADER)
