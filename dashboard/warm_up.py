"""The dashboard server warms itself up when it starts, so that its first reader is not the
one paying for it (`bench/bench_dashboard.py`, « cold »).

In the background, once the server is starting: the API's SVG of the default map view, in
French then English, goes into `first_map`'s cache (the first HTML answer carries it; asked
again while the API is not up yet); then
the default page runs once in a throw-away session, as `/_stcore/script-health-check` does
(imports of pandas and Altair, the API calls and the map spec, all cached for readers).
The server answers meanwhile: a reader arriving during the warm-up shares what is ready.
Nothing here can stop the server: a failure only leaves the caches cold.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from dashboard import first_map

logger = logging.getLogger("observatoire.dashboard")
LANGS = ("fr", "en")
RETRY_S = 2.0
GIVE_UP_S = 120.0


async def warm_up(retry_s: float = RETRY_S, give_up_s: float = GIVE_UP_S) -> None:
    """The default map's SVG for each language, then one run of the default page.

    An API not up yet (started alongside, or still loading its publication) is asked again
    every `retry_s` seconds, for up to `give_up_s`.
    """
    deadline = time.monotonic() + give_up_s
    for lang in LANGS:
        while not await first_map.first_map(f"lang={lang}", wait_s=None):
            if time.monotonic() > deadline:
                break
            await asyncio.sleep(retry_s)
    from streamlit.runtime import Runtime

    if Runtime.exists():
        ok, message = await Runtime.instance().does_script_run_without_error()
        if not ok:
            logger.warning("warm-up run of the default page: %s", message)


@asynccontextmanager
async def lifespan(_app: Any) -> AsyncIterator[None]:
    """`st.App` lifespan: starts `warm_up` without waiting for it; cancels it at shutdown."""
    task = asyncio.ensure_future(warm_up())
    task.add_done_callback(_log_failure)
    yield
    task.cancel()


def _log_failure(task: asyncio.Future[None]) -> None:
    if not task.cancelled() and task.exception() is not None:
        logger.warning("dashboard warm-up failed", exc_info=task.exception())
