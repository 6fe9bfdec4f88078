"""Metrics summed in process then flushed (`api.metrics.HttpMetrics`): the Prometheus series
hold what recording request by request would hold, `/metrics` counts every request answered
before it, and in multi-process mode the sums reach the shared files on a timer and at exit."""

from __future__ import annotations

import json
import math
import os
import subprocess
import sys
import textwrap
from pathlib import Path

from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from prometheus_client import CollectorRegistry

from api.metrics import LATENCY_HIGHR_BUCKETS, LATENCY_LOWR_BUCKETS, HttpMetrics
from api.settings import ApiSettings
from tests.support.factories import make_client

ROOT = Path(__file__).resolve().parents[2]
DURATIONS = st.sampled_from([0.0, *LATENCY_HIGHR_BUCKETS[:-1], *LATENCY_LOWR_BUCKETS[:-1]]) | (
    st.floats(0, 100, allow_nan=False)
)
OBSERVATION = st.tuples(
    st.sampled_from(["GET", "POST"]),
    st.sampled_from(["2xx", "3xx", "4xx"]),
    st.sampled_from(["/v1/statistiques", "/v1/regions", "none"]),
    st.integers(0, 10_000),
    st.integers(0, 5_000_000),
    DURATIONS,
)


def record_one_by_one(metrics: HttpMetrics, observation: tuple) -> None:  # type: ignore[type-arg]
    """What prometheus-fastapi-instrumentator's default metrics record for one request."""
    method, status, handler, request_bytes, response_bytes, duration_s = observation
    metrics.total.labels(method, status, handler).inc()
    metrics.request_size.labels(handler).observe(request_bytes)
    metrics.response_size.labels(handler).observe(response_bytes)
    metrics.latency_highr.observe(duration_s)
    metrics.latency.labels(method, handler).observe(duration_s)


def samples(registry: CollectorRegistry) -> dict[tuple, float]:  # type: ignore[type-arg]
    return {
        (s.name, tuple(sorted(s.labels.items()))): s.value
        for family in registry.collect()
        for s in family.samples
        if not s.name.endswith("_created")
    }


@hypothesis_settings(max_examples=100, deadline=None)
@given(st.lists(OBSERVATION, max_size=60), st.integers(0, 60))
def test_flushed_sums_are_the_one_by_one_record(observations: list, flush_at: int) -> None:  # type: ignore[type-arg]
    reference = HttpMetrics(reference_registry := CollectorRegistry())
    batched = HttpMetrics(batched_registry := CollectorRegistry())
    for i, observation in enumerate(observations):
        record_one_by_one(reference, observation)
        batched.observe(*observation)
        if i == flush_at:
            batched.flush()
    batched.flush()
    expected, got = samples(reference_registry), samples(batched_registry)
    assert expected.keys() == got.keys()
    for key, value in expected.items():
        if key[0].endswith("_sum"):  # float sums, added in another order
            assert math.isclose(got[key], value, rel_tol=1e-9, abs_tol=1e-9), key
        else:
            assert got[key] == value, key


def test_nothing_reaches_prometheus_before_a_flush_and_nothing_twice() -> None:
    metrics = HttpMetrics(registry := CollectorRegistry())
    metrics.observe("GET", "2xx", "/v1/regions", 0, 10, 0.001)
    labels = (("handler", "/v1/regions"), ("method", "GET"), ("status", "2xx"))
    total = ("http_requests_total", labels)
    assert total not in samples(registry)
    metrics.flush()
    metrics.flush()
    assert samples(registry)[total] == 1.0


def test_metrics_endpoint_counts_every_request_before_it(settings: ApiSettings) -> None:
    with make_client(settings) as client:
        for i in range(1, 4):
            client.get("/v1/departements")
            text = client.get("/metrics").text
            line = 'http_requests_total{handler="/v1/departements",method="GET",status="2xx"}'
            assert f"{line} {i}.0" in text


MULTIPROCESS_SCRIPT = textwrap.dedent(
    """
    import json, os, time
    from fastapi.testclient import TestClient
    from prometheus_client import CollectorRegistry, multiprocess
    from api.main import create_app
    from api.metrics import FLUSH_INTERVAL_S
    from api.settings import ApiSettings

    def shared():
        # What a scrape served by another worker reads: the files only.
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
        labels = {"handler": "/v1/departements", "method": "GET", "status": "2xx"}
        return {
            "total": registry.get_sample_value("http_requests_total", labels),
            "sizes": registry.get_sample_value(
                "http_response_size_bytes_count", {"handler": "/v1/departements"}
            ),
            "latency": registry.get_sample_value(
                "http_request_duration_seconds_count",
                {"handler": "/v1/departements", "method": "GET"},
            ),
        }

    out = {}
    settings = ApiSettings(environment="test", database_url=os.environ["DATABASE_URL"])
    with TestClient(create_app(settings)) as client:
        client.get("/v1/departements")
        client.get("/v1/departements")
        out["endpoint"] = client.get("/metrics").text
        client.get("/v1/departements")
        time.sleep(FLUSH_INTERVAL_S * 2.5)
        out["after_interval"] = shared()
        client.get("/v1/departements")
    out["after_exit"] = shared()
    print(json.dumps(out))
    """
)


def test_multiprocess_files_get_the_sums_on_a_timer_and_at_exit(
    sqlite_factory, tmp_path: Path
) -> None:
    directory = tmp_path / "prometheus"
    directory.mkdir()
    env = {
        **os.environ,
        "PROMETHEUS_MULTIPROC_DIR": str(directory),
        "DATABASE_URL": sqlite_factory.new(),
        "ENVIRONMENT": "test",
        "API_LOG_LEVEL": "WARNING",
    }
    done = subprocess.run(  # noqa: S603 - fixed argv
        [sys.executable, "-c", MULTIPROCESS_SCRIPT],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    out = json.loads(done.stdout.strip().splitlines()[-1])
    line = 'http_requests_total{handler="/v1/departements",method="GET",status="2xx"}'
    assert f"{line} 2.0" in out["endpoint"]
    assert out["after_interval"] == {"total": 3.0, "sizes": 3.0, "latency": 3.0}
    assert out["after_exit"] == {"total": 4.0, "sizes": 4.0, "latency": 4.0}
