"""Logs: JSON lines with the request id, API keys masked, one access line per request."""

from __future__ import annotations

import logging
import re
import sys
import time
from typing import TextIO

from asgi_correlation_id import correlation_id
from pythonjsonlogger.json import JsonFormatter
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.settings import ApiSettings

MASK = "[masqué]"
access_logger = logging.getLogger("observatoire.access")

# An API key is `obs_<public prefix>_<secret>`: keep the prefix (it identifies the key in
# `observatoire key list`), drop the secret. Malformed keys are masked whole.
_KEY = re.compile(r"\b(obs_[0-9a-f]{12}_)[A-Za-z0-9_\-]+|\bobs_[A-Za-z0-9_\-]{16,}")
_AUTHORIZATION = re.compile(
    r"(?i)(authorization[^A-Za-z0-9]{0,8}(?:b['\"])?)(?:(?:bearer|basic|token)\s+)?[^\s'\",;)}\]]+"
)
_BEARER = re.compile(r"(?i)\b(bearer\s+)[^\s'\",;)}\]]+")


def redact(text: str) -> str:
    """`text` with API key secrets and `Authorization` values masked."""
    # Every log line passes here, twice: skip the case-insensitive scans when their ASCII
    # anchors are absent (`author…` and `bearer` have no letter that IGNORECASE folds from
    # outside ASCII, unlike i, k and s).
    lowered = text.lower()
    if "author" in lowered:
        text = _AUTHORIZATION.sub(lambda m: m.group(1) + MASK, text)
    if "bearer" in lowered:
        text = _BEARER.sub(lambda m: m.group(1) + MASK, text)
    if "obs_" in text:
        text = _KEY.sub(lambda m: (m.group(1) or "obs_") + MASK, text)
    return text


class RedactingFilter(logging.Filter):
    """Masks keys in the message, its arguments and the exception text of every record."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # noqa: BLE001 - a malformed record is still logged, as its format
            message = str(record.msg)
        record.msg, record.args = redact(message), None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        return True


class RequestIdFilter(logging.Filter):
    """Adds `request_id` (the `X-Request-ID` of the request being served, or `-`)."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = correlation_id.get() or "-"
        return True


class RedactingJsonFormatter(JsonFormatter):
    """JSON lines, masked once more as a whole (extra fields included)."""

    def format(self, record: logging.LogRecord) -> str:
        return redact(super().format(record))


def configure_logging(settings: ApiSettings, stream: TextIO | None = None) -> logging.Handler:
    """One handler on the root logger (replacing ours from an earlier app); uvicorn's loggers
    propagate to it, and its own access log is silenced in favour of ours."""
    root = logging.getLogger()
    for old in [h for h in root.handlers if getattr(h, "observatoire", False)]:
        root.removeHandler(old)
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.observatoire = True  # type: ignore[attr-defined]
    handler.addFilter(RequestIdFilter())
    handler.addFilter(RedactingFilter())
    if settings.api_log_format == "json":
        handler.setFormatter(
            RedactingJsonFormatter(
                "%(asctime)s %(levelname)s %(name)s %(message)s %(request_id)s",
                rename_fields={"asctime": "time", "levelname": "level", "name": "logger"},
                json_ensure_ascii=False,
            )
        )
    else:
        handler.setFormatter(
            logging.Formatter("%(asctime)s %(levelname)s [%(request_id)s] %(name)s %(message)s")
        )
    root.addHandler(handler)
    root.setLevel(settings.api_log_level)
    for name in ("uvicorn", "uvicorn.error", "uvicorn.access"):
        logging.getLogger(name).handlers.clear()
        logging.getLogger(name).propagate = True
    logging.getLogger("uvicorn.access").setLevel(logging.WARNING)
    return handler


class AccessLogMiddleware:
    """One line per request: method, route template, status, duration, request id."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 500

        async def tracking_send(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, tracking_send)
        finally:
            route = getattr(scope.get("route"), "path", None)
            log_access(scope["method"], route, scope["path"], status, started)


def log_access(method: str, route: str | None, path: str, status: int, started: float) -> None:
    """The access line of a request answered `status`, begun at `perf_counter()` `started`."""
    duration_ms = round((time.perf_counter() - started) * 1000, 1)
    access_logger.info(
        "%s %s %s %.1f ms",
        method,
        route or path,
        status,
        duration_ms,
        extra={
            "method": method,
            "route": route,
            "path": path,
            "status": status,
            "duration_ms": duration_ms,
        },
    )
