"""Page state kept in the URL (`st.query_params`), so that a view can be shared by link."""

from __future__ import annotations

from collections.abc import Collection

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
