"""Page state kept in the URL (`st.query_params`), so that a view can be shared by link."""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from typing import Any
from urllib.parse import urlencode

import streamlit as st

from dashboard.i18n import DEFAULT_LANG, LANGS, Lang, normalize_lang

LANG_PARAM = "lang"
LANG_WIDGET_KEY = "state.lang"
# The language also lives in the session: st.navigation drops URL parameters on page change.
LANG_SESSION_KEY = "state.lang_choice"


def read_param(name: str, default: str | None = None, allowed: Collection[str] = ()) -> str | None:
    """The URL parameter `name`, or `default` when absent or not among `allowed`."""
    value = st.query_params.get(name)
    if value is None or (allowed and value not in allowed):
        return default
    return value


def write_param(name: str, value: str | None, default: str | None = None) -> None:
    """Set `name` in the URL; remove it when it equals `default` (keeps links short)."""
    if value is None or value == default:
        if name in st.query_params:
            del st.query_params[name]
    elif st.query_params.get(name) != value:
        st.query_params[name] = value


def current_lang() -> Lang:
    """The interface language: the URL's `?lang=`, else this session's choice, else French.

    A choice other than French is written back to the URL, so the link stays shareable
    after moving to another page.
    """
    in_url = read_param(LANG_PARAM, None, LANGS)
    if in_url is not None:
        lang = normalize_lang(in_url)
        st.session_state[LANG_SESSION_KEY] = lang
        return lang
    lang = normalize_lang(st.session_state.get(LANG_SESSION_KEY))
    write_param(LANG_PARAM, lang, DEFAULT_LANG)
    return lang


def _lang_changed() -> None:
    lang = normalize_lang(st.session_state[LANG_WIDGET_KEY])
    st.session_state[LANG_SESSION_KEY] = lang
    write_param(LANG_PARAM, lang, DEFAULT_LANG)


def language_selector(label: str) -> Lang:
    """A FR/EN switch bound to the `lang` URL parameter; returns the chosen language."""
    lang = current_lang()
    # Keep the widget in step with the URL (a shared link or the back button changes it).
    st.session_state[LANG_WIDGET_KEY] = lang
    st.segmented_control(
        label,
        options=list(LANGS),
        format_func=str.upper,
        key=LANG_WIDGET_KEY,
        on_change=_lang_changed,
        selection_mode="single",
    )
    return lang


def url_value(param: str, options: Collection[str], default: str) -> str:
    """The value `url_choice(param, ...)` will show, read from the URL before drawing it."""
    return read_param(param, default, options) or default


def url_choice(
    param: str,
    label: str,
    options: Sequence[str],
    default: str,
    format_func: Callable[[str], str] = str,
    *,
    widget: str = "selectbox",
    **kwargs: Any,
) -> str:
    """A selectbox (or segmented control) bound to the URL parameter `param`; returns the value.

    The URL is the source of truth: a shared link opens the same view, and a value that is not
    among `options` (an old link) falls back to `default`.
    """
    value = url_value(param, options, default)
    key = f"url.{param}"
    st.session_state[key] = value

    def changed() -> None:
        chosen = st.session_state.get(key)
        write_param(param, chosen if chosen in options else default, default)

    if widget == "segmented":
        st.segmented_control(
            label,
            options=list(options),
            format_func=format_func,
            key=key,
            on_change=changed,
            selection_mode="single",
            **kwargs,
        )
    else:
        st.selectbox(
            label, list(options), format_func=format_func, key=key, on_change=changed, **kwargs
        )
    return value


def page_link(page: str, lang: str, **params: str) -> str:
    """A relative link to a page of the dashboard with its URL parameters (for tables, maps)."""
    query = {**params, **({LANG_PARAM: lang} if lang != DEFAULT_LANG else {})}
    return f"./{page}?{urlencode(query)}" if query else f"./{page}"


def screen_width() -> int | None:
    """The reader's screen width in CSS pixels (`largeur` cookie, `assets/head.js`), if known."""
    value = str(st.context.cookies.get("largeur") or "")
    return int(value) if value.isdigit() and 0 < int(value) < 100_000 else None
