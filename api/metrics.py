"""Prometheus metrics of HTTP requests, served at `/metrics`.

The series are those of prometheus-fastapi-instrumentator's default set (same names, labels,
help and buckets), but created here: the instrumentator's middleware records the requests that
go through the full stack, and the replay layer (`api/replay.py`) records its own answers in
the very same series.
"""

from __future__ import annotations

from fastapi import FastAPI
from prometheus_client import CollectorRegistry, Counter, Histogram, Summary
from prometheus_fastapi_instrumentator import Instrumentator
from prometheus_fastapi_instrumentator.metrics import Info

LATENCY_HIGHR_BUCKETS = (
    0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 1.5, 2, 2.5, 3, 3.5, 4, 4.5, 5, 7.5, 10,
    30, 60, float("inf"),
)  # fmt: skip
LATENCY_LOWR_BUCKETS = (0.1, 0.5, 1, float("inf"))


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

    def observe(
        self,
        method: str,
        status: str,
        handler: str,
        request_bytes: int,
        response_bytes: int,
        duration_s: float,
    ) -> None:
        """Record one answered request (`status` grouped as `2xx`, `3xx`…)."""
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
        total.inc()
        request_size.observe(request_bytes)
        response_size.observe(response_bytes)
        self.latency_highr.observe(duration_s)
        latency.observe(duration_s)

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


def install_metrics(app: FastAPI) -> HttpMetrics:
    """Count every request and serve `/metrics` (one registry per app: tests build many)."""
    registry = CollectorRegistry()
    app.state.metrics_registry = registry
    metrics = HttpMetrics(registry)
    instrumentator = Instrumentator(excluded_handlers=["/metrics"], registry=registry)
    instrumentator.add(metrics.instrumentation).instrument(app).expose(app, include_in_schema=False)
    return metrics
