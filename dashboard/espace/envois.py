"""« Mes envois »: the association's submissions, and withdrawing a batch sent by mistake."""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st

from dashboard.espace import client, session
from dashboard.espace.client import EspaceError
from dashboard.espace.messages import show_error
from dashboard.i18n import format_date, format_nombre, t

MOTIF_MAX = 500


def submission_date(record: dict[str, Any], lang: str) -> str:
    """`6 décembre 2026 04:31` (UTC) from the API's timestamp."""
    stamp = str(record.get("recue_le") or record.get("date") or "")
    if not stamp:
        return "—"
    return f"{format_date(stamp, lang)} {stamp[11:16]}".strip()


def is_active(record: dict[str, Any]) -> bool:
    """Not withdrawn."""
    return (record.get("statut") or "active") == "active"


def submissions_table(records: list[dict[str, Any]], lang: str) -> pd.DataFrame:
    """One line per submission, newest first."""
    return pd.DataFrame(
        {
            t("espace.col.envoi", lang): [str(r.get("id")) for r in records],
            t("espace.col.date", lang): [submission_date(r, lang) for r in records],
            t("espace.col.cle", lang): [r.get("cle") or "—" for r in records],
            t("espace.col.fichier", lang): [r.get("fichier") or "—" for r in records],
            t("espace.resume.lignes", lang): [
                format_nombre(r.get("lignes"), lang) for r in records
            ],
            t("espace.resume.nouvelles", lang): [
                format_nombre(r.get("nouvelles", r.get("creees")), lang) for r in records
            ],
            t("espace.resume.modifiees", lang): [
                format_nombre(r.get("modifiees"), lang) for r in records
            ],
            t("espace.resume.inchangees", lang): [
                format_nombre(r.get("inchangees"), lang) for r in records
            ],
            t("espace.col.statut", lang): [
                t(f"espace.envoi.{'active' if is_active(r) else 'retiree'}", lang) for r in records
            ],
        }
    )


def withdraw_form(records: list[dict[str, Any]], key: str, lang: str) -> None:
    """Pick an active batch, give a reason, confirm, withdraw."""
    active = [r for r in records if is_active(r)]
    st.subheader(t("espace.withdraw.heading", lang))
    st.markdown(t("espace.withdraw.lead", lang))
    if not active:
        st.markdown(t("espace.withdraw.none", lang))
        return
    labels = {
        int(r["id"]): t(
            "espace.withdraw.option",
            lang,
            id=r["id"],
            date=submission_date(r, lang),
            lignes=format_nombre(r.get("lignes"), lang),
            fichier=r.get("fichier") or "—",
        )
        for r in active
    }
    with st.form("espace_form_retrait", clear_on_submit=True):
        chosen = st.selectbox(
            t("espace.withdraw.which", lang), list(labels), format_func=labels.__getitem__
        )
        motif = st.text_input(
            t("espace.withdraw.motif", lang), max_chars=MOTIF_MAX, key="espace.retrait_motif"
        )
        confirmed = st.checkbox(t("espace.withdraw.confirm", lang), key="espace.retrait_ok")
        pressed = st.form_submit_button(t("espace.withdraw.button", lang), type="primary")
    if not pressed:
        return
    if not confirmed or not motif.strip():
        st.error(t("espace.withdraw.incomplete", lang), icon=":material/error:")
        return
    try:
        result = client.withdraw(key, int(chosen), motif.strip(), lang)
    except EspaceError as error:
        if error.kind == "cle":
            raise
        show_error(error, lang, stored_nothing=False)
        return
    session.remember("retrait", {"id": chosen, "resultat": result})
    st.rerun()


def submissions_section(key: str, lang: str) -> None:
    """The list, then the withdrawal form."""
    done = session.recall("retrait")
    if done:
        session.drop("retrait")
        result = done["resultat"]
        st.success(
            t(
                "espace.withdraw.done",
                lang,
                id=done["id"],
                restaurees=format_nombre(result.get("restaurees", 0), lang),
                effacees=format_nombre(result.get("effacees", 0), lang),
                conservees=format_nombre(result.get("conservees", 0), lang),
            ),
            icon=":material/undo:",
        )
    listing = client.submissions(key, lang)
    records = listing.get("data") or []
    st.subheader(t("espace.section.envois", lang))
    if not records:
        st.info(t("espace.envois.none", lang), icon=":material/inbox:")
        return
    st.markdown(t("espace.envois.count", lang, n=format_nombre(listing.get("count"), lang)))
    st.dataframe(submissions_table(records, lang), hide_index=True, width="stretch")
    withdraw_form(records, key, lang)
