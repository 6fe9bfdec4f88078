"""Replays of public reads: a GET answered before with the same inputs is answered again from
memory, before the middleware stack, routing and parameter validation.

Why: once a publication is in memory, a public read costs little to compute, but several
times that to go through the request id, access log, security headers, CORS, metrics and
error layers, then routing and validation (`bench/bench_public_api.py`).

How: this outermost layer records whole answers (status, headers, body) that the full stack
gave to allow-listed public GET paths, and replays them for requests with the same inputs:
path, query (parsed as Starlette parses it), the request headers an answer depends on
(`Accept-Encoding`, `Origin`, `If-None-Match`), and the version of the publication list. So
every header the stack sets (security, CORS, ETag, Cache-Control, Vary, encoding) comes back
as it was, and a conditional request gets the 304 the stack gave it. Only the request id is
new (taken from `X-Request-ID` or generated, as `CorrelationIdMiddleware` does); the access
line and the metrics are recorded as for any request. A new publication changes the version,
so no replay outlives it.
"""

from __future__ import annotations

import os
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import parse_qsl

from asgi_correlation_id import correlation_id
from asgi_correlation_id.middleware import FAILED_VALIDATION_MESSAGE, is_valid_uuid4
from asgi_correlation_id.middleware import logger as correlation_logger
from fastapi import FastAPI
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.logs import log_access
from api.metrics import HttpMetrics
from api.settings import ApiSettings

# Public reads whose answer depends on nothing but the inputs of the key.
REPLAY_PATHS = frozenset(
    {
        "/v1/statistiques",
        "/v1/statistiques/serie",
        "/v1/statistiques/types",
        "/v1/publications",
        "/v1/departements",
        "/v1/regions",
        "/v1/types-incident",
        "/v1/carte",
        "/v1/departements.geojson",
    }
)
REPLAY_PREFIXES = ("/v1/publications/",)
KEYED_HEADERS = frozenset({b"accept-encoding", b"origin", b"if-none-match"})
# A request with credentials or a body always takes the full stack.
FULL_STACK_HEADERS = frozenset(
    {b"authorization", b"cookie", b"content-length", b"transfer-encoding"}
)
REPLAYED_STATUSES = frozenset({200, 304})
MAX_REPLAY_BYTES = 4 * 1024 * 1024
REQUEST_ID = b"x-request-id"


@dataclass(frozen=True, slots=True)
class Replay:
    """An answer of the full stack, less its request id."""

    status: int
    headers: tuple[tuple[bytes, bytes], ...]
    body: bytes
    route: str
    status_group: str
    response_bytes: int


@lru_cache(maxsize=4096)
def query_key(query_string: bytes) -> tuple[tuple[str, str], ...]:
    """The query as the routes see it: Starlette's parse, names sorted (values of one name keep
    their order, as the last one wins)."""
    if not query_string:
        return ()
    pairs = parse_qsl(query_string.decode("latin-1"), keep_blank_values=True)
    return tuple(sorted(pairs, key=lambda pair: pair[0]))


# `uuid.UUID(bytes=os.urandom(16), version=4)`: the version and variant bits set, the rest random.
_UUID4_KEEP = ~(0xF000 << 64 | 0xC000 << 48) & ((1 << 128) - 1)
_UUID4_SET = 4 << 76 | 0x8000 << 48
_POOL_BYTES = 4096


class _RandomPool:
    """`os.urandom` read 4 KiB at a time rather than 16 bytes per request (one system call per
    256 ids); emptied in a forked child, so that no two processes hand out the same bytes."""

    def __init__(self) -> None:
        self.pool = b""
        self.offset = 0
        self.lock = threading.Lock()

    def take16(self) -> bytes:
        with self.lock:
            offset = self.offset
            if offset + 16 > len(self.pool):
                self.pool, offset = os.urandom(_POOL_BYTES), 0
            self.offset = offset + 16
            return self.pool[offset : offset + 16]

    def clear(self) -> None:
        self.pool, self.offset, self.lock = b"", 0, threading.Lock()


_random = _RandomPool()
os.register_at_fork(after_in_child=_random.clear)


def uuid4_hex() -> str:
    """`uuid4().hex` (the default id of `CorrelationIdMiddleware`), without the UUID object."""
    value = int.from_bytes(_random.take16(), "big") & _UUID4_KEEP | _UUID4_SET
    return "%032x" % value  # noqa: UP031 - the fastest here


def new_request_id(sent: bytes | None) -> str:
    """The request id `CorrelationIdMiddleware` would use: the valid one sent, or a new one."""
    if not sent:
        return uuid4_hex()
    value = sent.decode("latin-1")
    if is_valid_uuid4(value):
        return value
    value = uuid4_hex()
    correlation_logger.warning(FAILED_VALIDATION_MESSAGE, value)
    return value


class ReplayMiddleware:
    """Replays recorded answers of public GETs; records those that take the full stack."""

    def __init__(
        self, app: ASGIApp, fastapi_app: FastAPI, max_entries: int, metrics: HttpMetrics | None
    ) -> None:
        self.app = app
        self.fastapi_app = fastapi_app
        self.max_entries = max_entries
        self.metrics = metrics
        # Used from the event loop only (one per process), so no lock.
        self.replays: OrderedDict[tuple, Replay] = OrderedDict()  # type: ignore[type-arg]

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "GET":
            await self.app(scope, receive, send)
            return
        path = scope["path"]
        if path not in REPLAY_PATHS and not path.startswith(REPLAY_PREFIXES):
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        keyed = []
        sent_id = None
        for name, value in scope["headers"]:
            if name in KEYED_HEADERS:
                keyed.append((name, value))
            elif name == REQUEST_ID and sent_id is None:
                sent_id = value  # the first one, as Starlette's `Headers.get`
            elif name in FULL_STACK_HEADERS:
                await self.app(scope, receive, send)
                return
        version = self.fastapi_app.state.publications.version
        key = (path, query_key(scope["query_string"]), tuple(keyed), version)
        replay = self.replays.get(key)
        if replay is None:
            await self._record(key, scope, receive, send)
            return
        self.replays.move_to_end(key)
        request_id = new_request_id(sent_id)
        correlation_id.set(request_id)
        await send(
            {
                "type": "http.response.start",
                "status": replay.status,
                "headers": [*replay.headers, (REQUEST_ID, request_id.encode("latin-1"))],
            }
        )
        await send({"type": "http.response.body", "body": replay.body})
        if self.metrics is not None:
            self.metrics.observe(
                "GET",
                replay.status_group,
                replay.route,
                0,
                replay.response_bytes,
                max(time.perf_counter() - started, 0.0),
            )
        log_access("GET", replay.route, path, replay.status, started)

    async def _record(self, key: tuple, scope: Scope, receive: Receive, send: Send) -> None:  # type: ignore[type-arg]
        """Let the full stack answer, and keep its answer if it can be replayed."""
        start: Message | None = None
        chunks: list[bytes] = []
        complete = False

        async def recording_send(message: Message) -> None:
            nonlocal start, complete
            if message["type"] == "http.response.start":
                start = message
            elif message["type"] == "http.response.body":
                chunks.append(message.get("body", b""))
                complete = not message.get("more_body", False)
            await send(message)

        await self.app(scope, receive, recording_send)
        route = getattr(scope.get("route"), "path_format", None)
        if (
            start is None
            or not complete
            or start["status"] not in REPLAYED_STATUSES
            or route is None
            or self.fastapi_app.state.publications.version != key[-1]
        ):
            return
        headers = tuple((n, v) for n, v in start.get("headers", []) if n != REQUEST_ID)
        body = b"".join(chunks)
        if len(body) > MAX_REPLAY_BYTES or any(n == b"set-cookie" for n, _ in headers):
            return
        length = next((v for n, v in headers if n == b"content-length"), b"0")
        self.replays[key] = Replay(
            status=start["status"],
            headers=headers,
            body=body,
            route=route,
            status_group=f"{str(start['status'])[0]}xx",
            response_bytes=int(length),
        )
        while len(self.replays) > self.max_entries:
            self.replays.popitem(last=False)


def install_replay(app: FastAPI, settings: ApiSettings) -> None:
    """Put the replay layer outermost (call after `install_operations`), unless switched off."""
    if settings.api_replay_enabled:
        app.add_middleware(
            ReplayMiddleware,
            fastapi_app=app,
            max_entries=settings.response_cache_entries,
            metrics=app.state.http_metrics,
        )
