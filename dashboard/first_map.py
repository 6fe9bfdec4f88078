"""The map drawn by the server into the map page's first HTML answer.

Streamlit's browser code runs for ~0.5 s before it even opens its websocket, so a map drawn
by its chart element cannot appear sooner (`bench/bench_dashboard.py`). The map page's HTML
therefore carries the API's own SVG of the same view (`/v1/images/carte.svg`, with its
links and each département's name), readable and followable at once; `assets/head.js`
removes it once Streamlit has drawn the interactive map. Nothing is shown when the API does
not answer quickly: the page then loads as before.
"""

from __future__ import annotations

import asyncio
import re
import time
from collections import OrderedDict
from urllib.parse import parse_qs

from dashboard.client import aget_bytes
from dashboard.page_head import query_lang
from dashboard.settings import get_dashboard_settings

VIEW_PARAMS = ("type", "periode", "mesure")
# The API draws a view's SVG once per publication (~0.3 s warm, a few seconds cold).
TIMEOUT_S = 15.0
WAIT_S = 0.6
# A view's SVG is kept this long: the latest publication can change (the API says which).
TTL_S = 60.0
MAX_ENTRIES = 32
ROOT_ROLE_RE = re.compile(rb'(<svg\b[^>]*?) role="img" aria-labelledby="[^"]*"')

_cache: OrderedDict[tuple, tuple[float, bytes]] = OrderedDict()
_pending: dict[tuple, asyncio.Future[bytes]] = {}


def view_query(query_string: bytes | str) -> dict[str, str]:
    """The map view asked for by the page's URL, as the API's image parameters."""
    if isinstance(query_string, bytes):
        query_string = query_string.decode("latin-1")
    asked = parse_qs(query_string)
    query = {k: asked[k][0] for k in VIEW_PARAMS if asked.get(k) and asked[k][0]}
    return {**query, "langue": query_lang(query_string), "liens": "relatifs"}


def framed(svg: bytes, lang: str) -> bytes:
    """The SVG in the block `head.js` removes later; its links stay reachable (no role=img)."""
    svg = ROOT_ROLE_RE.sub(rb"\1", svg, count=1)
    label = "Carte" if lang == "fr" else "Map"
    opening = f'<div id="premiere-carte" role="region" aria-label="{label}">'.encode()
    # When the map was parsed, for `bench/bench_dashboard.py` (it is painted with the page).
    marker = b"<script>window.__premiereCarte = performance.now()</script>"
    return opening + svg + b"</div>" + marker


async def first_map(query_string: bytes | str, wait_s: float | None = WAIT_S) -> bytes:
    """The framed SVG of the view in `query_string`, or b"" if the API cannot give it within
    `wait_s` seconds (None: however long it takes, up to `TIMEOUT_S`)."""
    query = view_query(query_string)
    key = tuple(sorted(query.items()))
    now = time.monotonic()
    cached = _cache.get(key)
    if cached is not None and now - cached[0] < TTL_S:
        return cached[1]
    task = _pending.get(key)
    if task is None:
        task = _pending[key] = asyncio.ensure_future(_fetch(key, query))
        task.add_done_callback(lambda _: _pending.pop(key, None))
    try:
        # Not waited for beyond WAIT_S: the page goes without it, the next reader gets it.
        return await asyncio.wait_for(asyncio.shield(task), wait_s)
    except TimeoutError:
        return b""


async def _fetch(key: tuple, query: dict[str, str]) -> bytes:
    svg = await aget_bytes(get_dashboard_settings().api_url, "/v1/images/carte.svg", query,
                           TIMEOUT_S)  # fmt: skip
    if not svg.lstrip().startswith(b"<svg"):
        return b""
    block = framed(svg, query["langue"])
    _cache[key] = (time.monotonic(), block)
    while len(_cache) > MAX_ENTRIES:
        _cache.popitem(last=False)
    return block


def add_after_body_start(html: bytes, block: bytes) -> bytes:
    """`html` with `block` right after `<body…>` (unchanged without a body tag or block)."""
    match = re.search(rb"<body[^>]*>", html)
    if not block or match is None:
        return html
    return html[: match.end()] + block + html[match.end() :]
