"""Who is signed in to the association space: the key, kept in the server-side session only.

Streamlit's `st.session_state` lives in the server process, one per browser tab's websocket
session: the key never reaches a URL, a cookie or the browser's storage. Every name this
module and the space's pages store starts with `PREFIX`, so that signing out (or an idle
session expiring) forgets all of it at once.
"""

from __future__ import annotations

import time
from typing import Any

import streamlit as st

from dashboard.settings import get_dashboard_settings

PREFIX = "espace."
KEY = PREFIX + "cle"
ORGANISATION = PREFIX + "organisation"
LAST_SEEN = PREFIX + "vu"
# Why the last session ended ("expiree", "deconnexion", "cle_refusee"); kept after sign-out.
ENDED = "espace_fin"


def forget(reason: str) -> None:
    """Drop the key and everything the space stored; remember why, for one message."""
    for name in [k for k in st.session_state if str(k).startswith(PREFIX)]:
        del st.session_state[name]
    st.session_state[ENDED] = reason


def sign_in(key: str, organisation: dict[str, Any]) -> None:
    """Keep the key and its organisation for this session."""
    forget("")
    st.session_state[KEY] = key
    st.session_state[ORGANISATION] = organisation
    st.session_state[LAST_SEEN] = time.monotonic()


def sign_out() -> None:
    """« Se déconnecter »: forget the key now."""
    forget("deconnexion")


def current_key() -> str | None:
    """The signed-in key, or None; an idle session past the setting's limit is forgotten."""
    key = st.session_state.get(KEY)
    if key is None:
        return None
    idle = time.monotonic() - float(st.session_state.get(LAST_SEEN, 0.0))
    if idle > get_dashboard_settings().espace_idle_timeout_s:
        forget("expiree")
        return None
    st.session_state[LAST_SEEN] = time.monotonic()
    return str(key)


def current_organisation() -> dict[str, Any]:
    """What `GET /v1/organisation` said at sign-in."""
    return dict(st.session_state.get(ORGANISATION) or {})


def take_ended() -> str:
    """Why the previous session ended (once), or ""."""
    return str(st.session_state.pop(ENDED, "") or "")


def remember(name: str, value: Any) -> None:
    """Keep a value for the space's pages until sign-out."""
    st.session_state[PREFIX + name] = value


def recall(name: str, default: Any = None) -> Any:
    """A value kept with `remember`, or `default`."""
    return st.session_state.get(PREFIX + name, default)


def drop(name: str) -> None:
    """Forget one kept value."""
    st.session_state.pop(PREFIX + name, None)
