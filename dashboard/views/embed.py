"""« Intégrer »: an iframe snippet of the exact view and the API's images of it; embed mode.

A view's permalink with `integre=1` (and Streamlit's own `embed=true`, which hides its
toolbar and which Streamlit keeps out of `st.query_params`) is the embeddable page: no
navigation nor sidebar (`main.py`), and pages draw only the fictive-data notice (when the
data is fictive), the chart with its text equivalent, and a source line linking back.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any
from urllib.parse import urlencode, urlsplit

import streamlit as st

from dashboard import client
from dashboard.i18n import DEFAULT_LANG, format_date, t

EMBED_PARAM = "integre"
IFRAME_HEIGHT = {"carte": 820, "prefecture": 680, "tendances": 880}


def is_embedded() -> bool:
    """True when the page is shown as an embedded view (`?embed=true`)."""
    return st.query_params.get(EMBED_PARAM) == "1"


def dashboard_base() -> str:
    """This dashboard's address as the reader reached it (scheme, host, base path)."""
    url = str(getattr(st.context, "url", "") or "")
    parts = urlsplit(url)
    if not parts.scheme:
        return ""
    path = parts.path.rstrip("/")
    last = path.rsplit("/", 1)[-1]
    base = path[: -len(last) - 1] if last and "." not in last else path
    return f"{parts.scheme}://{parts.netloc}{base}"


def view_url(page: str, params: Mapping[str, str], lang: str, *, embed: bool) -> str:
    """The permalink of a page's view, as an embeddable page or not."""
    query = dict(params)
    if lang != DEFAULT_LANG:
        query["lang"] = lang
    if embed:
        query[EMBED_PARAM] = "1"
        query["embed"] = "true"
    return f"{dashboard_base()}/{page}?{urlencode(query)}"


def iframe_snippet(src: str, title: str, height: int) -> str:
    """The HTML to paste in an article: a titled, lazily loaded iframe at full width."""
    return (
        f'<iframe src="{src}" title="{title}" width="100%" height="{height}" '
        'style="border:0;max-width:100%" loading="lazy"></iframe>'
    )


def embed_section(
    page: str,
    params: Mapping[str, str],
    lang: str,
    image_path: Callable[[str], str],
    title: str = "",
) -> None:
    """« Intégrer »: the iframe snippet of this view and the URLs of its SVG and PNG images."""
    if is_embedded():
        return
    with st.expander(t("embed.button", lang), icon=":material/code:"):
        src = view_url(page, params, lang, embed=True)
        name = t("embed.iframe_title", lang, titre=title or t(f"page.{page}", lang))
        st.code(iframe_snippet(src, name, IFRAME_HEIGHT.get(page, 600)), language="html",
                wrap_lines=True)  # fmt: skip
        st.markdown(t("embed.help", lang))
        api = client.public_api_url().rstrip("/")
        st.markdown(
            "\n".join(f"- [{fmt.upper()}]({api}{image_path(fmt)})" for fmt in ("svg", "png"))
        )


def embed_source(page: str, params: Mapping[str, str], pub: Mapping[str, Any], lang: str) -> None:
    """The source line of an embedded view, with a link back to the full view."""
    source = t("embed.source", lang, id=pub["id"], date=format_date(pub["publiee_le"], lang))
    back = view_url(page, params, lang, embed=False)
    st.markdown(f"{source} [{t('embed.open', lang)}]({back})")


def embedded_chart(
    page: str,
    params: Mapping[str, str],
    pub: Mapping[str, Any],
    image_path: Callable[[str], str],
    lang: str,
) -> None:
    """An embedded view of a chart: the fictive-data notice (when the data is fictive), the
    API's own chart of the view (`image_path("json")`: its title and source drawn in it, the
    same as its SVG and PNG), and the source line linking back."""
    if pub.get("synthetique"):
        st.warning(t("pub.synthetic", lang), icon=":material/science:")
    spec = client.fetch_json(image_path("json"))
    # As wide as the frame; the height is the plot's, its title and legend added (Streamlit's
    # default, "fit", would squeeze them into it).
    fitted = {**spec, "autosize": {"type": "fit-x", "contains": "padding"}}
    st.vega_lite_chart(fitted, width="stretch")
    embed_source(page, params, pub, lang)
