"""Logs: JSON lines with the request id, API keys masked, one access line per request."""

from __future__ import annotations

import logging
import re
import sys
import time
from json.encoder import encode_basestring
from typing import TextIO

from asgi_correlation_id import correlation_id
from pythonjsonlogger.json import JsonFormatter
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.settings import ApiSettings

MASK = "[masqué]"
access_logger = logging.getLogger("observatoire.access")

# An API key is `obs_<public prefix>_<secret>`: keep the prefix (it identifies the key in
# `observatoire cle lister`), drop the secret. Malformed keys are masked whole.
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
    for name in ("uvicorn", "uvicorn.error"):
        logging.getLogger(name).handlers.clear()
        logging.getLogger(name).propagate = True
    # uvicorn builds its access line whenever this logger `hasHandlers()`, before the level
    # drops it: no handler and no propagation, so that it does not even build it.
    uvicorn_access = logging.getLogger("uvicorn.access")
    uvicorn_access.handlers.clear()
    uvicorn_access.propagate = False
    uvicorn_access.setLevel(logging.WARNING)
    global _direct_access
    _direct_access = DirectAccessLine(handler, root) if settings.api_log_format == "json" else None
    return handler


class DirectAccessLine:
    """Writes the access line straight to our JSON handler, with the very characters the
    logging path (record, filters, `RedactingJsonFormatter`, `StreamHandler`) would write, at a
    fraction of its cost (`tests/api/test_access_log.py` compares both).

    Used only while the logging set-up is the one `configure_logging` made: access logger
    enabled for INFO, no other handler on the way (`caplog`, a handler added later…), our
    handler's level, filters and formatter unchanged. Otherwise, the logging path."""

    def __init__(self, handler: logging.StreamHandler, root: logging.Logger) -> None:  # type: ignore[type-arg]
        self.handler = handler
        self.root = root
        self.handlers = [handler]
        self.filters = list(handler.filters)
        formatter = handler.formatter
        if not isinstance(formatter, RedactingJsonFormatter) or formatter.datefmt is not None:
            raise TypeError("the access line is written directly only by our JSON formatter")
        if formatter.default_msec_format is None:
            raise TypeError("the formatter's time has milliseconds")
        self.formatter = formatter
        self.converter = formatter.converter
        self.time_format = formatter.default_time_format
        self.msec_format = formatter.default_msec_format
        self.second = -1
        self.second_text = ""
        self.logger = encode_basestring(access_logger.name)

    def usable(self) -> bool:
        """Whether the logging path would send an access line to our handler, and only there."""
        handler = self.handler
        if (
            not access_logger.isEnabledFor(logging.INFO)
            or self.root.handlers != self.handlers
            or handler.level > logging.INFO
            or handler.filters != self.filters
            or handler.formatter is not self.formatter
        ):
            return False
        logger: logging.Logger | None = access_logger
        while logger is not None and logger is not self.root:
            if logger.handlers or not logger.propagate:
                return False
            logger = logger.parent
        return logger is self.root

    def line(
        self,
        method: str,
        route: str | None,
        path: str,
        status: int,
        duration_ms: float,
        created: float,
        msecs: int,
    ) -> str:
        """The JSON line the formatter would make of the access record made at `created`
        (`record.created` and `record.msecs`): fields of its format renamed, then extras."""
        second = int(created)
        if second != self.second:
            self.second_text = time.strftime(self.time_format, self.converter(created))
            self.second = second
        asctime = self.msec_format % (self.second_text, msecs)
        message = redact("%s %s %s %.1f ms" % (method, route or path, status, duration_ms))  # noqa: UP031 - the logging path's format
        route_json = "null" if route is None else encode_basestring(route)
        return redact(
            f'{{"time": {encode_basestring(asctime)}, "level": "INFO", "logger": {self.logger}, '
            f'"message": {encode_basestring(message)}, '
            f'"request_id": {encode_basestring(correlation_id.get() or "-")}, '
            f'"method": {encode_basestring(method)}, "route": {route_json}, '
            f'"path": {encode_basestring(path)}, "status": {int.__repr__(status)}, '
            f'"duration_ms": {float.__repr__(duration_ms)}}}'
        )

    def write(self, line: str) -> bool:
        """`StreamHandler.emit` of an already formatted line, under the handler's lock; False if
        it failed (the caller then takes the logging path, which reports failures its own way)."""
        handler = self.handler
        handler.acquire()
        try:
            handler.stream.write(line + handler.terminator)
            handler.flush()
        except Exception:  # noqa: BLE001 - see above
            return False
        finally:
            handler.release()
        return True


_direct_access: DirectAccessLine | None = None

if sys.version_info >= (3, 13):

    def _record_time() -> tuple[float, int]:
        """`record.created` and `record.msecs` of a record made now (as `LogRecord` does)."""
        now = time.time_ns()
        return now / 1e9, (now % 1_000_000_000) // 1_000_000

else:

    def _record_time() -> tuple[float, int]:
        """`record.created` and `record.msecs` of a record made now (as `LogRecord` does)."""
        now = time.time()
        return now, int((now - int(now)) * 1000)


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
            route = getattr(scope.get("route"), "path_format", None)
            log_access(scope["method"], route, scope["path"], status, started)


def log_access(method: str, route: str | None, path: str, status: int, started: float) -> None:
    """The access line of a request answered `status`, begun at `perf_counter()` `started`."""
    duration_ms = round((time.perf_counter() - started) * 1000, 1)
    direct = _direct_access
    if (
        direct is not None
        and type(status) is int
        and type(method) is str
        and type(path) is str
        and (route is None or type(route) is str)
        and direct.usable()
        and direct.write(direct.line(method, route, path, status, duration_ms, *_record_time()))
    ):
        return
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
