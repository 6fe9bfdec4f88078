"""`dashboard/warm_up.py`: the server fills its caches as it starts, and never fails for it."""

from __future__ import annotations

import asyncio

import pytest

from dashboard import first_map, warm_up


def test_each_languages_first_map_is_asked_for_until_the_api_answers(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    asked: list[tuple[str, float | None]] = []

    async def fake(query: str, wait_s: float | None = None) -> bytes:
        asked.append((query, wait_s))
        return b"" if len(asked) == 1 else b"<div>"  # the API was not up yet the first time

    monkeypatch.setattr(first_map, "first_map", fake)
    asyncio.run(warm_up.warm_up(retry_s=0.01))
    assert asked == [("lang=fr", None), ("lang=fr", None), ("lang=en", None)]


def test_an_api_that_never_answers_is_given_up(monkeypatch: pytest.MonkeyPatch) -> None:
    async def down(*_: object, **__: object) -> bytes:
        return b""

    monkeypatch.setattr(first_map, "first_map", down)
    asyncio.run(warm_up.warm_up(retry_s=0.01, give_up_s=0.05))  # returns


def test_a_failed_warm_up_leaves_the_server_running(monkeypatch: pytest.MonkeyPatch) -> None:
    async def broken(*_: object, **__: object) -> bytes:
        raise RuntimeError("API down")

    monkeypatch.setattr(first_map, "first_map", broken)

    async def serve() -> str:
        async with warm_up.lifespan(None):
            await asyncio.sleep(0.05)  # the warm-up fails meanwhile
            return "served"

    assert asyncio.run(serve()) == "served"
