"""How the browser gets the dashboard's code: two ASGI middlewares for the dashboard's `st.App`.

Measured with `bench/bench_dashboard.py` (time from navigation to a drawn map, fresh browser):

- `StaticFilesFromMemory` answers requests for Streamlit's own browser files (~3.3 MB in ~90
  content-hashed files for the map page) from memory. Streamlit serves each through its
  middleware stack and Starlette's `FileResponse`, which stats, opens and reads the file in
  64 KB chunks, each in a worker thread: ~210 ms of the server's CPU per first visit, in the
  process that also runs the page script, against ~70 ms now. A reverse proxy or CDN in
  front of the dashboard would do the same.
- `ChartCodePreload` adds `<link rel="modulepreload">` tags for the Vega-Lite chart code
  (~1 MB in ~25 files) to the HTML page, and a module script importing it: Streamlit's
  browser code otherwise fetches it only once a chart's element has arrived over the
  websocket, after the page script has run (it was loaded ~1.1 s after navigation, it now
  is ~0.3 s, before the websocket opens). The inline script needs `script-src` to allow
  inline scripts if a Content-Security-Policy is ever set; the tags alone do not.

Nothing installed is modified: both read Streamlit's static folder when the server starts.
Files that are not there, another Streamlit build without the expected chart chunk, range or
conditional requests, and every other route are left to Streamlit, unchanged.
"""

from __future__ import annotations

import hashlib
import mimetypes
import os
import re
from collections.abc import Iterable, Sequence
from email.utils import formatdate
from functools import lru_cache
from pathlib import Path
from typing import Any

from dashboard import first_map, page_head, routes

STATIC_PREFIX = "./static/js/"
CHART_CHUNK = "ArrowVegaLiteChart.*.js"
# Static imports in Streamlit's minified chunks: `from"./name.hash.js"` and `import"./x.js"`.
IMPORT_RE = re.compile(r"""(?:from|import)\s*["']\./([\w.\-]+\.js)["']""")
STATIC_SUBFOLDERS = ("js", "css", "media")
# What Streamlit sends for its content-hashed files (`STATIC_ASSET_CACHE_MAX_AGE_SECONDS`).
IMMUTABLE = b"public, immutable, max-age=31536000"
# Headers with which a request is left to Streamlit (partial or conditional answers).
PASS_THROUGH_HEADERS = (b"range", b"if-none-match", b"if-modified-since")


def streamlit_static_folder() -> Path:
    """Streamlit's browser build: `index.html` and `static/{js,css,media}`."""
    import streamlit

    return Path(streamlit.__file__).parent / "static"


def base_path() -> str:
    """`server.baseUrlPath` as a path prefix: "" or "/prefix"."""
    from streamlit import config

    base = (config.get_option("server.baseUrlPath") or "").strip("/")
    return f"/{base}" if base else ""


def module_graph(folder: Path, entry: str) -> list[str]:
    """`entry` and every chunk it imports statically, transitively, entry first."""
    seen: list[str] = []
    pending = [entry]
    while pending:
        name = pending.pop(0)
        if name in seen or not (folder / name).is_file():
            continue
        seen.append(name)
        text = (folder / name).read_text(encoding="utf-8", errors="replace")
        pending += [found for found in IMPORT_RE.findall(text) if found not in seen]
    return seen


def preload_tags(chunks: Sequence[str], already: Iterable[str] = ()) -> bytes:
    """Tags preloading `chunks` (but those `already` preloaded), then importing the first."""
    if not chunks:
        return b""
    skip = set(already)
    links = "".join(
        f'<link rel="modulepreload" crossorigin href="{STATIC_PREFIX}{name}">'
        for name in chunks
        if name not in skip
    )
    # A module script runs after the page's own entry module (document order): the chart
    # code is evaluated while the page connects, not when the first chart arrives.
    importer = (
        '<script type="module" crossorigin>'
        f'import("{STATIC_PREFIX}{chunks[0]}").catch(() => {{}})</script>'
    )
    return (links + importer).encode()


@lru_cache(maxsize=1)
def chart_preload_tags() -> bytes:
    """The tags for this Streamlit build's Vega-Lite chart code; empty if it is not found."""
    static = streamlit_static_folder()
    folder = static / "static" / "js"
    matches = sorted(folder.glob(CHART_CHUNK))
    if len(matches) != 1:
        return b""
    index = static / "index.html"
    page = index.read_text(encoding="utf-8") if index.is_file() else ""
    already = re.findall(r'static/js/([\w.\-]+\.js)"', page)
    return preload_tags(module_graph(folder, matches[0].name), already)


def add_before_head_end(html: bytes, tags: bytes) -> bytes:
    """`html` with `tags` inserted before `</head>` (unchanged when there is none)."""
    position = html.find(b"</head>")
    if not tags or position < 0:
        return html
    return html[:position] + tags + html[position:]


def header(headers: Iterable[tuple[bytes, bytes]], name: bytes) -> bytes | None:
    """The first value of header `name` (lower case) in ASGI `headers`, or None."""
    return next((v for k, v in headers if k.lower() == name), None)


async def send_not_found(send: Any, page: bytes) -> None:
    """Answer 404 with `page` (HTML)."""
    headers = [
        (b"content-type", b"text/html; charset=utf-8"),
        (b"content-length", str(len(page)).encode()),
        (b"cache-control", b"no-cache"),
    ]
    await send({"type": "http.response.start", "status": 404, "headers": headers})
    await send({"type": "http.response.body", "body": page})


class ChartCodePreload:
    """ASGI middleware: the HTML pages Streamlit serves, with the chart code preloaded.

    Adds `chart_preload_tags()` and rewrites the page for its address (`page_head.rewrite`:
    language, title, focus styles); an address that is no page of the dashboard gets
    `page_head.not_found` (404) instead of Streamlit's page and its English dialog. Only GET
    requests outside Streamlit's own routes are looked at, and only answers of type
    text/html are changed; everything else, websockets included, passes through untouched.
    """

    SKIP = ("/static/", "/_stcore/", "/media/", "/component/", "/app/static/")

    def __init__(
        self, app: Any, tags: bytes | None = None, prefix: str | None = None, map_first: bool = True
    ) -> None:
        self.app = app
        self.first_map = map_first
        self.tags = chart_preload_tags() if tags is None else tags
        self.prefix = base_path() if prefix is None else prefix

    async def __call__(self, scope: dict, receive: Any, send: Any) -> None:
        path = scope.get("path", "")
        if (
            scope["type"] != "http"
            or scope.get("method") != "GET"
            or any(part in path for part in self.SKIP)
            or "." in path.rsplit("/", 1)[-1]  # files (favicon.png, manifest.json…)
        ):
            await self.app(scope, receive, send)
            return
        lang = page_head.query_lang(scope.get("query_string", b""))
        if not routes.is_known(path[len(self.prefix) :]):
            await send_not_found(send, page_head.not_found(path, lang, self.prefix))
            return
        map_block = b""
        if self.first_map and routes.route_for(path[len(self.prefix) :]) is routes.HOME:
            map_block = await first_map.first_map(scope.get("query_string", b""))
        # The page is ~5 KB: asked for uncompressed, so that it can be edited.
        headers = [(k, v) for k, v in scope.get("headers", []) if k.lower() != b"accept-encoding"]
        scope = {**scope, "headers": headers}
        start: dict | None = None
        body: list[bytes] = []

        async def edit(message: dict) -> None:
            nonlocal start
            if message["type"] == "http.response.start":
                kind = header(message.get("headers", []), b"content-type") or b""
                if message.get("status") == 200 and kind.startswith(b"text/html"):
                    start = message  # held back until the body is complete
                    return
            elif message["type"] == "http.response.body" and start is not None:
                body.append(message.get("body", b""))
                if message.get("more_body"):
                    return
                html = add_before_head_end(b"".join(body), self.tags)
                html = page_head.rewrite(html, path[len(self.prefix) :], lang)
                html = first_map.add_after_body_start(html, map_block)
                kept = [
                    (k, v)
                    for k, v in start.get("headers", [])
                    if k.lower() not in (b"content-length", b"etag")
                ]
                kept.append((b"content-length", str(len(html)).encode()))
                await send({**start, "headers": kept})
                await send({"type": "http.response.body", "body": html})
                return
            await send(message)

        await self.app(scope, receive, edit)


class StaticFilesFromMemory:
    """ASGI middleware: Streamlit's browser files (`/static/{js,css,media}/…`) from memory.

    The files are listed when the server starts; a request names one of them or is left to
    Streamlit (so a path never reaches the file system). Each file is read once, when first
    asked for, and sent with the headers Streamlit gives it (type, length, `immutable`
    caching, `etag` and `last-modified` as Starlette computes them, so that a conditional
    request, left to Streamlit, gets a consistent answer). The build holds ~30 MB, of which
    a reader's pages use ~4 MB.
    """

    def __init__(self, app: Any, folder: Path | None = None, prefix: str | None = None) -> None:
        self.app = app
        static = (folder or streamlit_static_folder()) / "static"
        self.prefix = base_path() if prefix is None else prefix
        self.files: dict[str, Path] = {}
        for sub in STATIC_SUBFOLDERS:
            if (static / sub).is_dir():
                for entry in os.scandir(static / sub):
                    if entry.is_file():
                        self.files[f"{self.prefix}/static/{sub}/{entry.name}"] = Path(entry.path)
        self.cache: dict[str, tuple[list[tuple[bytes, bytes]], bytes]] = {}

    def response(self, path: str) -> tuple[list[tuple[bytes, bytes]], bytes]:
        """Headers and body for the listed file at URL `path`, read on first use."""
        cached = self.cache.get(path)
        if cached is None:
            file = self.files[path]
            body = file.read_bytes()
            stat = file.stat()
            kind = mimetypes.guess_type(file.name)[0] or "application/octet-stream"
            if kind.startswith("text/"):
                kind += "; charset=utf-8"
            tag = hashlib.md5(f"{stat.st_mtime}-{stat.st_size}".encode(), usedforsecurity=False)
            headers = [
                (b"content-type", kind.encode()),
                (b"content-length", str(len(body)).encode()),
                (b"last-modified", formatdate(stat.st_mtime, usegmt=True).encode()),
                (b"etag", f'"{tag.hexdigest()}"'.encode()),
                (b"cache-control", IMMUTABLE),
            ]
            cached = self.cache[path] = (headers, body)
        return cached

    async def __call__(self, scope: dict, receive: Any, send: Any) -> None:
        path = scope.get("path", "")
        if (
            scope["type"] != "http"
            or scope.get("method") != "GET"
            or path not in self.files
            or any(header(scope.get("headers", []), name) for name in PASS_THROUGH_HEADERS)
        ):
            await self.app(scope, receive, send)
            return
        headers, body = self.response(path)
        await send({"type": "http.response.start", "status": 200, "headers": headers})
        await send({"type": "http.response.body", "body": body})


def middleware(map_first: bool = True) -> list[Any]:
    """The dashboard's middleware for `st.App`, outermost first (`map_first`: the map page's
    HTML carries the server-drawn map, `first_map.py`)."""
    from starlette.middleware import Middleware

    return [Middleware(StaticFilesFromMemory), Middleware(ChartCodePreload, map_first=map_first)]
