"""How the dashboard serves Streamlit's browser code (`dashboard/serving.py`), at the ASGI level."""

from __future__ import annotations

import ast
import asyncio
import re
from pathlib import Path
from typing import Any

import pytest

from dashboard import serving
from tests.support.live_servers import REPO_ROOT

PAGE = b"<html><head><title>x</title></head><body></body></html>"


class Inner:
    """A stand-in for Streamlit: answers every request with `body` of type `kind`."""

    def __init__(self, body: bytes = PAGE, kind: bytes = b"text/html; charset=utf-8") -> None:
        self.body, self.kind = body, kind
        self.scopes: list[dict] = []

    async def __call__(self, scope: dict, receive: Any, send: Any) -> None:
        self.scopes.append(scope)
        headers = [
            (b"content-type", self.kind),
            (b"content-length", str(len(self.body)).encode()),
            (b"etag", b'"streamlit"'),
        ]
        await send({"type": "http.response.start", "status": 200, "headers": headers})
        half = len(self.body) // 2
        await send({"type": "http.response.body", "body": self.body[:half], "more_body": True})
        await send({"type": "http.response.body", "body": self.body[half:]})


def call(
    app: Any, path: str, method: str = "GET", headers: Any = (), query: bytes = b""
) -> tuple[dict, bytes]:
    """Run one HTTP request through `app`; the response's headers and body."""
    sent: list[dict] = []
    scope = {
        "type": "http", "method": method, "path": path, "headers": list(headers),
        "query_string": query,
    }  # fmt: skip

    async def receive() -> dict:
        return {"type": "http.request", "body": b""}

    async def send(message: dict) -> None:
        sent.append(message)

    asyncio.run(app(scope, receive, send))
    start = next(m for m in sent if m["type"] == "http.response.start")
    body = b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")
    return {k.decode(): v.decode() for k, v in start["headers"]}, body


def test_the_installed_streamlit_has_the_chart_code_and_every_preloaded_file_exists() -> None:
    tags = serving.chart_preload_tags().decode()
    assert "ArrowVegaLiteChart." in tags
    names = re.findall(r'\./static/js/([\w.\-]+\.js)"', tags)
    assert len(names) > 5
    folder = serving.streamlit_static_folder() / "static" / "js"
    assert all((folder / name).is_file() for name in names)
    # The vega-embed build is the largest of them, and worth preloading.
    assert any(name.startswith("embed.") for name in names)


def test_module_graph_follows_static_imports_once(tmp_path: Path) -> None:
    (tmp_path / "a.1.js").write_text('import{x}from"./b.2.js";import"./c.3.js";')
    (tmp_path / "b.2.js").write_text('export{y}from"./c.3.js";import("./lazy.4.js")')
    (tmp_path / "c.3.js").write_text('import"./a.1.js";import"./missing.5.js"')
    assert serving.module_graph(tmp_path, "a.1.js") == ["a.1.js", "b.2.js", "c.3.js"]


def test_preload_tags_skip_what_the_page_preloads_and_import_the_entry() -> None:
    tags = serving.preload_tags(["chart.js", "shared.js", "vega.js"], already=["shared.js"])
    text = tags.decode()
    assert text.count("modulepreload") == 2 and "shared.js" not in text
    assert 'import("./static/js/chart.js")' in text
    assert serving.preload_tags([]) == b""


def test_html_pages_get_the_tags_before_the_head_ends() -> None:
    inner = Inner()
    app = serving.ChartCodePreload(inner, tags=b"<!--tags-->")
    headers, body = call(app, "/carte", headers=[(b"accept-encoding", b"gzip")])
    assert body.index(b"<!--tags-->") < body.index(b"</head>")
    assert body.count(b"<!--tags-->") == 1
    assert headers["content-length"] == str(len(body))
    assert "etag" not in headers  # Streamlit's tag names the unedited file
    # Asked for uncompressed, to be edited.
    assert all(k != b"accept-encoding" for k, _ in inner.scopes[0]["headers"])


@pytest.mark.parametrize(
    ("path", "method", "kind"),
    [
        ("/static/js/index.js", "GET", b"text/html"),
        ("/_stcore/host-config", "GET", b"text/html"),
        ("/", "POST", b"text/html"),
        ("/", "GET", b"application/json"),
    ],
)
def test_other_answers_pass_through_untouched(path: str, method: str, kind: bytes) -> None:
    app = serving.ChartCodePreload(Inner(kind=kind), tags=b"<!--tags-->")
    headers, body = call(app, path, method)
    assert body == PAGE and headers["etag"] == '"streamlit"'


def test_no_chart_tags_found_still_rewrites_the_page_for_its_address() -> None:
    headers, body = call(serving.ChartCodePreload(Inner(), tags=b""), "/")
    assert b"modulepreload" not in body and b'<html lang="fr">' in body
    assert headers["content-length"] == str(len(body)) and "etag" not in headers


@pytest.fixture
def build(tmp_path: Path) -> Path:
    """A fake Streamlit build folder with one JS file, one font and a subfolder."""
    js = tmp_path / "static" / "js"
    js.mkdir(parents=True)
    (js / "index.abc.js").write_bytes(b"console.log(1)")
    (js / "nested").mkdir()
    (tmp_path / "static" / "media").mkdir()
    (tmp_path / "static" / "media" / "font.x.woff2").write_bytes(b"\x00woff")
    return tmp_path


def test_listed_static_files_come_from_memory_with_streamlit_headers(build: Path) -> None:
    inner = Inner(body=b"from streamlit")
    app = serving.StaticFilesFromMemory(inner, folder=build, prefix="")
    headers, body = call(app, "/static/js/index.abc.js")
    assert body == b"console.log(1)" and not inner.scopes
    assert headers["cache-control"] == "public, immutable, max-age=31536000"
    assert headers["content-length"] == "14"
    assert "javascript" in headers["content-type"]
    assert headers["etag"].startswith('"') and headers["last-modified"].endswith("GMT")
    # Read once: the file's later fate does not matter.
    (build / "static" / "js" / "index.abc.js").unlink()
    assert call(app, "/static/js/index.abc.js")[1] == b"console.log(1)"
    assert call(app, "/static/media/font.x.woff2")[0]["content-type"] == "font/woff2"


@pytest.mark.parametrize(
    ("path", "method", "headers"),
    [
        ("/static/js/unknown.js", "GET", ()),
        ("/static/js/../js/index.abc.js", "GET", ()),
        ("/static/js/nested", "GET", ()),
        ("/static/js/index.abc.js", "HEAD", ()),
        ("/static/js/index.abc.js", "GET", [(b"range", b"bytes=0-3")]),
        ("/static/js/index.abc.js", "GET", [(b"if-none-match", b'"x"')]),
        ("/other/static/js/index.abc.js", "GET", ()),
    ],
)
def test_anything_else_is_left_to_streamlit(
    build: Path, path: str, method: str, headers: Any
) -> None:
    inner = Inner(body=b"from streamlit")
    app = serving.StaticFilesFromMemory(inner, folder=build, prefix="")
    assert call(app, path, method, headers)[1] == b"from streamlit"


def test_a_base_url_path_prefixes_the_static_files(build: Path) -> None:
    app = serving.StaticFilesFromMemory(Inner(body=b"s"), folder=build, prefix="/obs")
    assert call(app, "/obs/static/js/index.abc.js")[1] == b"console.log(1)"
    assert call(app, "/static/js/index.abc.js")[1] == b"s"


def test_streamlit_run_finds_the_asgi_app_serving_the_script() -> None:
    from streamlit.web.server.app_discovery import discover_asgi_app

    entry = REPO_ROOT / "dashboard" / "app.py"
    assert discover_asgi_app(entry).is_asgi_app
    tree = ast.parse(entry.read_text(encoding="utf-8"))
    [call_node] = [n for n in ast.walk(tree) if isinstance(n, ast.Call) and n.args]
    script = call_node.args[0]
    assert isinstance(script, ast.Constant)
    assert (entry.parent / script.value).is_file()


@pytest.mark.parametrize(
    ("path", "query", "lang", "title"),
    [
        ("/", b"", "fr", "Carte · Observatoire ANEF"),
        ("/carte", b"type=acces", "fr", "Carte · Observatoire ANEF"),
        ("/tendances", b"lang=en", "en", "Trends · ANEF Observatory"),
        ("/methodologie/", b"lang=en&x=1", "en", "Methodology · ANEF Observatory"),
    ],
)
def test_each_page_gets_its_language_title_and_focus_styles(
    path: str, query: bytes, lang: str, title: str
) -> None:
    inner = Inner(b'<html lang="en"><head><title>Streamlit</title></head><body></body></html>')
    _, body = call(serving.ChartCodePreload(inner, tags=b""), path, query=query)
    text = body.decode()
    assert text.startswith(f'<html lang="{lang}">')
    assert f"<title>{title}</title>" in text
    assert ":focus-visible" in text and "documentElement.lang" in text


def test_an_unknown_address_gets_a_404_page_in_the_readers_language() -> None:
    inner = Inner()
    app = serving.ChartCodePreload(inner, tags=b"")
    sent: list[dict] = []
    scope = {"type": "http", "method": "GET", "path": "/cartes", "headers": [],
             "query_string": b"lang=en"}  # fmt: skip

    async def receive() -> dict:
        return {"type": "http.request", "body": b""}

    async def send(message: dict) -> None:
        sent.append(message)

    asyncio.run(app(scope, receive, send))
    assert sent[0]["status"] == 404
    page = sent[1]["body"].decode()
    assert '<html lang="en">' in page and "Page not found" in page and "/cartes" in page
    assert 'href="/carte?lang=en"' in page and 'href="/tendances?lang=en"' in page
    assert not inner.scopes  # Streamlit's page (and its dialog) never served
    _, french = call(app, "/nulle-part")
    assert "Page introuvable" in french.decode() and 'href="/carte"' in french.decode()
    # Files and Streamlit's routes are not pages: left to Streamlit.
    call(app, "/favicon.png")
    call(app, "/espace/depot")
    assert len(inner.scopes) == 2
