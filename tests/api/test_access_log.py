"""The access line written directly (`api.logs.DirectAccessLine`) is, character for character,
the line the logging path writes; it is used only while that path would write to our handler
alone; uvicorn's own access logger costs nothing."""

from __future__ import annotations

import io
import json
import logging
import time
from collections.abc import Iterator
from contextlib import contextmanager
from unittest import mock

import pytest
from asgi_correlation_id import correlation_id
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from api import logs
from api.logs import configure_logging, log_access
from api.settings import ApiSettings

SETTINGS = ApiSettings(
    environment="test",
    database_url="sqlite://",
    api_log_level="INFO",
    api_log_format="json",
)
# Fragments that exercise redaction and JSON escaping (quotes, backslashes, controls, non-ASCII).
FRAGMENTS = st.sampled_from(
    [
        "/v1/statistiques",
        "authorization",
        "Authorization: ",
        "bearer ",
        "Bearer\t",
        "obs_0123456789ab_",
        "obs_",
        "x" * 16,
        '"',
        "\\",
        "\n",
        "\x08earer",
        "\x00",
        "é",
        "İ",
        "ſ",
        "\u2028",
        "\ud800",
        " ",
        "%s",
        "{}",
    ]
)
TEXT = st.lists(FRAGMENTS | st.text(max_size=5), max_size=8).map("".join)


@contextmanager
def captured(settings: ApiSettings = SETTINGS) -> Iterator[io.StringIO]:
    """Our logging set-up writing to a string, alone on the root logger as in production
    (without pytest's capturing handler); the set-up of the tests restored after."""
    root = logging.getLogger()
    saved = (root.handlers[:], root.level, logs._direct_access)
    stream = io.StringIO()
    root.handlers[:] = [configure_logging(settings, stream)]
    try:
        yield stream
    finally:
        root.handlers[:] = saved[0]
        root.setLevel(saved[1])
        logs._direct_access = saved[2]


def both_lines(
    method: str, route: str | None, path: str, status: int, duration_ms: float, request_id: str
) -> tuple[str, str]:
    """The line written directly, and the one the logging path writes, at the same instant."""
    clock = 1_767_225_600.123_456  # 2026-01-01, with milliseconds
    with (
        captured() as stream,
        mock.patch("time.time", return_value=clock),
        mock.patch("time.time_ns", return_value=int(clock * 1e9)),
        mock.patch("time.perf_counter", return_value=1000.0),
    ):
        token = correlation_id.set(request_id)
        try:
            direct = logs._direct_access
            assert direct is not None and direct.usable()
            log_access(method, route, path, status, 1000.0 - duration_ms / 1000)
            logs._direct_access = None  # the logging path only
            log_access(method, route, path, status, 1000.0 - duration_ms / 1000)
        finally:
            correlation_id.reset(token)
    lines = stream.getvalue().split("\n")
    assert len(lines) == 3 and lines[2] == "", lines
    first, second = lines[0] + "\n", lines[1] + "\n"
    return first, second


def test_the_direct_line_is_the_logging_line() -> None:
    direct, logged = both_lines(
        "GET", "/v1/statistiques", "/v1/statistiques", 200, 0.3, "0f9a3a3e6a0e4b7c9d5e2f1a0b3c4d5e"
    )
    assert direct == logged
    assert json.loads(direct) == {
        "time": time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(1_767_225_600)) + ",123",
        "level": "INFO",
        "logger": "observatoire.access",
        "message": "GET /v1/statistiques 200 0.3 ms",
        "request_id": "0f9a3a3e6a0e4b7c9d5e2f1a0b3c4d5e",
        "method": "GET",
        "route": "/v1/statistiques",
        "path": "/v1/statistiques",
        "status": 200,
        "duration_ms": 0.3,
    }


def test_unknown_routes_and_keys_in_paths() -> None:
    key = "obs_0123456789ab_" + "s3cr3t" * 4
    direct, logged = both_lines("POST", None, f"/v1/{key}/authorization", 404, 12.0, "")
    assert direct == logged
    assert "s3cr3t" not in direct
    record = json.loads(direct)
    assert record["route"] is None and record["request_id"] == "-"


@hypothesis_settings(max_examples=300, deadline=None)
@given(
    method=st.sampled_from(["GET", "POST", "HEAD"]) | TEXT,
    route=st.none() | TEXT,
    path=TEXT,
    status=st.integers(100, 599),
    duration_ms=st.floats(0, 1e6, allow_nan=False).map(lambda d: round(d, 1)),
    request_id=TEXT,
)
def test_the_direct_line_is_the_logging_line_for_any_request(
    method: str, route: str | None, path: str, status: int, duration_ms: float, request_id: str
) -> None:
    direct, logged = both_lines(method, route, path, status, duration_ms, request_id)
    assert direct == logged


def test_another_handler_or_level_takes_the_logging_path() -> None:
    with captured() as stream:
        direct = logs._direct_access
        assert direct is not None and direct.usable()
        other = io.StringIO()
        extra = logging.StreamHandler(other)
        logging.getLogger().addHandler(extra)  # as pytest's caplog does
        assert not direct.usable()
        log_access("GET", "/v1/regions", "/v1/regions", 200, time.perf_counter())
        assert '"/v1/regions"' in stream.getvalue() and "/v1/regions" in other.getvalue()
        logging.getLogger().removeHandler(extra)

        access = logging.getLogger("observatoire.access")
        access.setLevel(logging.WARNING)
        try:
            assert not direct.usable()
            log_access("GET", "/v1/carte", "/v1/carte", 200, time.perf_counter())
        finally:
            access.setLevel(logging.NOTSET)
        assert "/v1/carte" not in stream.getvalue()

        own = logging.StreamHandler(io.StringIO())
        access.addHandler(own)
        try:
            assert not direct.usable()
        finally:
            access.removeHandler(own)
        assert direct.usable()


def test_text_logs_take_the_logging_path() -> None:
    with captured(SETTINGS.model_copy(update={"api_log_format": "text"})) as stream:
        assert logs._direct_access is None
        log_access("GET", "/v1/regions", "/v1/regions", 200, time.perf_counter())
    assert "INFO [-] observatoire.access GET /v1/regions 200" in stream.getvalue()


def test_a_failed_direct_write_falls_back_to_the_logging_path() -> None:
    with captured() as stream:
        direct = logs._direct_access
        assert direct is not None
        with mock.patch.object(direct, "write", return_value=False) as write:
            log_access("GET", "/v1/regions", "/v1/regions", 200, time.perf_counter())
        write.assert_called_once()
    assert stream.getvalue().count("/v1/regions 200") == 1


@pytest.mark.parametrize("format_", ["json", "text"])
def test_uvicorn_builds_no_access_line_of_its_own(format_: str) -> None:
    """uvicorn formats its access line whenever `uvicorn.access` has a handler on its way,
    even when the level drops it; errors of uvicorn still reach our handler."""
    with captured(SETTINGS.model_copy(update={"api_log_format": format_})) as stream:
        assert not logging.getLogger("uvicorn.access").hasHandlers()
        logging.getLogger("uvicorn.access").info('127.0.0.1 - "GET / HTTP/1.1" 200')
        logging.getLogger("uvicorn.error").error("port déjà pris")
    assert "port déjà pris" in stream.getvalue()
    assert "GET / HTTP/1.1" not in stream.getvalue()
