"""Page « Espace association »: sign in with the key, then send, check and correct figures.

Signed out, the page offers the sign-in form, the guide and the templates. Signed in, one
section at a time (each calls only the API routes it needs). A key the API refuses at any
moment (revoked meanwhile) signs the session out with a message.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import streamlit as st

from dashboard.client import ApiUnavailable
from dashboard.espace import client, session
from dashboard.espace.calendrier import calendar_section
from dashboard.espace.client import EspaceError
from dashboard.espace.envoi import show_templates, upload_section
from dashboard.espace.envois import submissions_section
from dashboard.espace.messages import show_error
from dashboard.espace.saisie import entry_section
from dashboard.espace.valeurs import values_section
from dashboard.i18n import t
from dashboard.settings import get_dashboard_settings
from dashboard.state import current_lang

GUIDE = Path(__file__).resolve().parents[2] / "docs" / "guide-associations.md"
SECTIONS: dict[str, Callable[[str, str], None]] = {
    "envoi": upload_section,
    "saisie": entry_section,
    "envois": submissions_section,
    "valeurs": values_section,
    "calendrier": calendar_section,
}


def show_guide(lang: str) -> None:
    """A link to the guide when its address is set, else its text (images left out)."""
    url = get_dashboard_settings().espace_guide_url
    if url:
        st.markdown(t("espace.guide.link", lang, url=url))
        return
    if not GUIDE.is_file():
        return
    with st.expander(t("espace.guide.title", lang), icon=":material/help:"):
        lines = GUIDE.read_text(encoding="utf-8").splitlines()
        st.markdown("\n".join(line for line in lines if not line.lstrip().startswith("![")))


def sign_in_form(lang: str) -> None:
    """The key in a password field; nothing typed survives the submit."""
    with st.form("espace_connexion", clear_on_submit=True, enter_to_submit=True):
        typed = st.text_input(
            t("espace.signin.label", lang),
            type="password",
            help=t("espace.signin.help", lang),
            autocomplete="off",
            max_chars=200,
            key="espace_saisie_cle",
        )
        pressed = st.form_submit_button(t("espace.signin.button", lang), type="primary")
    if not pressed:
        return
    typed = typed.strip()
    if not typed:
        st.error(t("espace.signin.empty", lang), icon=":material/key_off:")
        return
    try:
        organisation = client.organisation(typed, lang)
    except EspaceError as error:
        show_error(error, lang)
        return
    session.sign_in(typed, organisation)
    st.rerun()


def show_ended(reason: str, lang: str) -> None:
    """Why the previous session ended, once."""
    if reason in ("expiree", "cle_refusee"):
        st.warning(t(f"espace.ended.{reason}", lang), icon=":material/lock_clock:")
    elif reason == "deconnexion":
        st.success(t("espace.ended.deconnexion", lang), icon=":material/logout:")


def signed_in_header(lang: str) -> None:
    """Who is signed in, and « Se déconnecter »."""
    organisation = session.current_organisation()
    name = organisation.get("nom") or organisation.get("slug") or "—"
    left, right = st.columns([3, 1], vertical_alignment="center")
    left.markdown(t("espace.signed_in", lang, nom=name))
    right.button(
        t("espace.signout", lang),
        icon=":material/logout:",
        on_click=session.sign_out,
        key="espace.deconnexion",
    )


def espace_page() -> None:
    """The association space."""
    lang = current_lang()
    st.title(t("espace.title", lang))
    key = session.current_key()
    if key is None:
        show_ended(session.take_ended(), lang)
        st.markdown(t("espace.intro", lang))
        sign_in_form(lang)
        show_guide(lang)
        show_templates(lang)
        return
    signed_in_header(lang)
    section = st.radio(
        t("espace.section.label", lang),
        list(SECTIONS),
        format_func=lambda name: t(f"espace.section.{name}", lang),
        horizontal=True,
        key="espace.rubrique",
    )
    try:
        SECTIONS[section](key, lang)
    except ApiUnavailable as error:  # a public lookup (départements, types) failed
        show_error(EspaceError("indisponible", None, error.reason), lang)
    except EspaceError as error:
        if error.kind != "cle":
            show_error(error, lang)
            return
        session.forget("cle_refusee")
        st.rerun()
    show_guide(lang)
