"""Prometheus metrics of HTTP requests, served at `/metrics`.

The series are those of prometheus-fastapi-instrumentator's default set (same names, labels,
help and buckets), but created here: the instrumentator's middleware records the requests that
go through the full stack, and the replay layer (`api/replay.py`) records its own answers in
the very same series.

A request is added to in-process sums (a count, byte and duration sums, bucket counts per
series), and the sums go to the Prometheus values (in multi-process mode, a write to an mmaped
file per value, ~10 per request) in one go: before this process serves `/metrics`, and every
`FLUSH_INTERVAL_S` from the app's lifespan (so that a scrape served by another worker lags by at
most that much), and when the app stops.
"""

from __future__ import annotations

from bisect import bisect_left

from fastapi import FastAPI
from prometheus_client import CollectorRegistry, Counter, Histogram, Summary
from prometheus_fastapi_instrumentator import Instrumentator
from prometheus_fastapi_instrumentator.metrics import Info
from starlette.types import ASGIApp, Receive, Scope, Send

LATENCY_HIGHR_BUCKETS = (
    0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 1.5, 2, 2.5, 3, 3.5, 4, 4.5, 5, 7.5, 10,
    30, 60, float("inf"),
)  # fmt: skip
LATENCY_LOWR_BUCKETS = (0.1, 0.5, 1, float("inf"))
FLUSH_INTERVAL_S = 1.0
METRICS_PATH = "/metrics"


class _Sums:
    """What the requests of one series added since the last flush."""

    __slots__ = ("count", "request_bytes", "response_bytes", "duration_s", "highr", "lowr")

    def __init__(self) -> None:
        self.count = 0
        self.request_bytes = 0
        self.response_bytes = 0
        self.duration_s = 0.0
        self.highr = [0] * len(LATENCY_HIGHR_BUCKETS)
        self.lowr = [0] * len(LATENCY_LOWR_BUCKETS)


class HttpMetrics:
    """Requests by method, status class and route template; sizes; latencies."""

    def __init__(self, registry: CollectorRegistry) -> None:
        self.total = Counter(
            "http_requests_total",
            "Total number of requests by method, status and handler.",
            ("method", "status", "handler"),
            registry=registry,
        )
        self.request_size = Summary(
            "http_request_size_bytes",
            "Content length of incoming requests by handler. Only value of header is respected. "
            "Otherwise ignored. No percentile calculated. ",
            ("handler",),
            registry=registry,
        )
        self.response_size = Summary(
            "http_response_size_bytes",
            "Content length of outgoing responses by handler. Only value of header is "
            "respected. Otherwise ignored. No percentile calculated. ",
            ("handler",),
            registry=registry,
        )
        self.latency_highr = Histogram(
            "http_request_duration_highr_seconds",
            "Latency with many buckets but no API specific labels. Made for more accurate "
            "percentile calculations. ",
            buckets=LATENCY_HIGHR_BUCKETS,
            registry=registry,
        )
        self.latency = Histogram(
            "http_request_duration_seconds",
            "Latency with only few buckets by handler. Made to be only used if aggregation by "
            "handler is important. ",
            ("method", "handler"),
            buckets=LATENCY_LOWR_BUCKETS,
            registry=registry,
        )
        # Labelled children, resolved once per series: `labels()` takes a lock and builds keys.
        self._series: dict[tuple[str, str, str], tuple] = {}  # type: ignore[type-arg]
        # Used from the event loop only (one per process), so no lock.
        self._pending: dict[tuple[str, str, str], _Sums] = {}

    def observe(
        self,
        method: str,
        status: str,
        handler: str,
        request_bytes: int,
        response_bytes: int,
        duration_s: float,
    ) -> None:
        """Record one answered request (`status` grouped as `2xx`, `3xx`…); it reaches the
        Prometheus values at the next `flush`."""
        sums = self._pending.get((method, status, handler))
        if sums is None:
            sums = self._pending[(method, status, handler)] = _Sums()
        sums.count += 1
        sums.request_bytes += request_bytes
        sums.response_bytes += response_bytes
        sums.duration_s += duration_s
        # The first bucket whose upper bound is >= the duration, as `Histogram.observe`.
        sums.highr[bisect_left(LATENCY_HIGHR_BUCKETS, duration_s)] += 1
        sums.lowr[bisect_left(LATENCY_LOWR_BUCKETS, duration_s)] += 1

    def flush(self) -> None:
        """Add the pending sums to the Prometheus values: what `observe` of prometheus_client
        would have added request by request (`Summary` and `Histogram` have no public way to
        add several observations at once, hence their `_count`, `_sum` and `_buckets`)."""
        pending, self._pending = self._pending, {}
        for (method, status, handler), sums in pending.items():
            series = self._series.get((method, status, handler))
            if series is None:
                series = (
                    self.total.labels(method, status, handler),
                    self.request_size.labels(handler),
                    self.response_size.labels(handler),
                    self.latency.labels(method, handler),
                )
                self._series[(method, status, handler)] = series
            total, request_size, response_size, latency = series
            total.inc(sums.count)
            for summary, amount in (
                (request_size, sums.request_bytes),
                (response_size, sums.response_bytes),
            ):
                summary._count.inc(sums.count)
                summary._sum.inc(amount)
            for histogram, buckets in ((self.latency_highr, sums.highr), (latency, sums.lowr)):
                histogram._sum.inc(sums.duration_s)
                for bucket, count in zip(histogram._buckets, buckets, strict=True):
                    if count:
                        bucket.inc(count)

    def instrumentation(self, info: Info) -> None:
        """The instrumentator's hook: the same record as its default metrics make."""
        response = info.response
        self.observe(
            info.method,
            info.modified_status,
            info.modified_handler,
            int(info.request.headers.get("Content-Length", 0)),
            int(response.headers.get("Content-Length", 0))
            if response is not None and hasattr(response, "headers")
            else 0,
            info.modified_duration,
        )


class FlushBeforeMetricsMiddleware:
    """Flushes the pending sums before `/metrics` is served, so that it counts every request
    this process answered until then."""

    def __init__(self, app: ASGIApp, metrics: HttpMetrics) -> None:
        self.app = app
        self.metrics = metrics

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["path"] == METRICS_PATH:
            self.metrics.flush()
        await self.app(scope, receive, send)


def install_metrics(app: FastAPI) -> HttpMetrics:
    """Count every request and serve `/metrics` (one registry per app: tests build many)."""
    registry = CollectorRegistry()
    app.state.metrics_registry = registry
    metrics = HttpMetrics(registry)
    instrumentator = Instrumentator(excluded_handlers=[METRICS_PATH], registry=registry)
    instrumentator.add(metrics.instrumentation).instrument(app)
    instrumentator.expose(app, endpoint=METRICS_PATH, include_in_schema=False)
    app.add_middleware(FlushBeforeMetricsMiddleware, metrics=metrics)
    return metrics
