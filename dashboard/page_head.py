"""What the dashboard's first HTML answer says before Streamlit's code runs.

Streamlit serves the same `index.html` for every address, with `<html lang="en">` and the
title « Streamlit ». `rewrite` gives it the reader's language (`?lang=`), the page's own
title, the dashboard's focus and contrast styles and the script that keeps `lang` in step
and translates Streamlit's own labels (`assets/head.css`, `assets/head.js`). `not_found`
answers an unknown address with a page in the reader's language, with links back.
"""

from __future__ import annotations

import html
import re
from functools import lru_cache
from pathlib import Path
from urllib.parse import parse_qs

from dashboard.i18n import Lang, normalize_lang, t
from dashboard.routes import PUBLIC_PAGES, page_title, route_for

ASSETS = Path(__file__).parent / "assets"
HTML_TAG_RE = re.compile(rb"<html[^>]*>")
TITLE_RE = re.compile(rb"<title>.*?</title>", re.S)


@lru_cache(maxsize=1)
def head_tags() -> bytes:
    """The inline style and script added to every page (read once)."""
    css = (ASSETS / "head.css").read_text(encoding="utf-8")
    js = (ASSETS / "head.js").read_text(encoding="utf-8")
    return f"<style>{css}</style><script>{js}</script>".encode()


def query_lang(query_string: bytes | str) -> Lang:
    """The language asked for by a URL's query string (`lang=en`), French by default."""
    if isinstance(query_string, bytes):
        query_string = query_string.decode("latin-1")
    return normalize_lang(parse_qs(query_string).get("lang", [""])[0])


def rewrite(page: bytes, path: str, lang: Lang) -> bytes:
    """Streamlit's `index.html` with `lang`, the page's title and the dashboard's head tags."""
    page = HTML_TAG_RE.sub(f'<html lang="{lang}">'.encode(), page, count=1)
    route = route_for(path)
    title = page_title(t(route.title_key, lang), lang) if route else t("app.title", lang)
    page = TITLE_RE.sub(f"<title>{html.escape(title)}</title>".encode(), page, count=1)
    position = page.find(b"</head>")
    if position < 0:
        return page
    return page[:position] + head_tags() + page[position:]


def not_found(path: str, lang: Lang, base: str = "") -> bytes:
    """A plain page for an unknown address: what happened, and a link to every page."""
    suffix = "?lang=en" if lang == "en" else ""
    links = "".join(
        f'<li><a href="{base}/{route.path}{suffix}">{html.escape(t(route.title_key, lang))}'
        "</a></li>"
        for route in PUBLIC_PAGES
    )
    title = page_title(t("notfound.title", lang), lang)
    other = "fr" if lang == "en" else "en"
    other_href = f"{base}/{'' if other == 'fr' else '?lang=en'}"
    body = (
        f"<main><h1>{html.escape(t('notfound.title', lang))}</h1>"
        f"<p>{html.escape(t('notfound.text', lang, path=path))}</p>"
        f'<nav aria-label="{html.escape(t("notfound.nav", lang))}"><ul>{links}</ul></nav>'
        f'<p><a href="{other_href}" lang="{other}" hreflang="{other}">'
        f"{html.escape(t('notfound.other_lang', other))}</a></p></main>"
    )
    style = (
        "body{font-family:sans-serif;max-width:40rem;margin:2rem auto;padding:0 1rem;"
        "color:#1a1a1a;line-height:1.5}a{color:#0b4f9c}a:focus-visible{outline:3px solid "
        "#0b4f9c;outline-offset:2px}li a{display:inline-block;min-height:44px;line-height:44px}"
    )
    return (
        f'<!doctype html><html lang="{lang}"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{html.escape(title)}</title><style>{style}</style></head>"
        f"<body>{body}</body></html>"
    ).encode()
