"""Two bulk stores racing: both plan before either writes, as on a busy PostgreSQL server."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import pytest

from observatoire.submissions import bulk


def plans_meet(monkeypatch: pytest.MonkeyPatch, parties: int = 2) -> list[Any]:
    """Make the first plan of each of `parties` concurrent bulk stores wait for the others.

    Each then finds the cells as they were before any of them wrote. Returns the list the
    first plans are appended to (retried attempts plan again without waiting).
    """
    meet = threading.Barrier(parties, timeout=30)
    plan, first_plans = bulk._plan, []

    def plan_together(*args: Any, **kwargs: Any) -> Any:
        result = plan(*args, **kwargs)
        if len(first_plans) < parties:  # only the first attempt of each waits for the others
            first_plans.append(result)
            meet.wait()
        return result

    monkeypatch.setattr(bulk, "_plan", plan_together)
    return first_plans


def run_together(work: Callable[[], Any], parties: int = 2) -> list[Any]:
    """`work()` in `parties` threads at once: each one's result, or the exception it raised."""
    results: list[Any] = []

    def run() -> None:
        try:
            results.append(work())
        except Exception as exc:  # noqa: BLE001 - returned to the test, which asserts on it
            results.append(exc)

    threads = [threading.Thread(target=run) for _ in range(parties)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results
