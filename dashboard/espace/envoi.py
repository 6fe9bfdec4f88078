"""« Envoyer un fichier »: templates, upload, preview (a dry run), then « Envoyer » once.

The preview uses no idempotency key (a dry run writes nothing). « Envoyer » sends the same
bytes with a key derived from the organisation, the file's content and what the preview found
already held: pressing it twice, or again after a reload, stores the batch once.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable
from typing import Any

import streamlit as st

from dashboard.espace import client, session
from dashboard.espace.client import EspaceError
from dashboard.espace.messages import show_error
from dashboard.espace.preview import as_preview, show_preview
from dashboard.i18n import format_date, format_nombre, t

ACCEPTED_TYPES = ["csv", "txt", "xlsx"]
# A second press while the first send is still being stored gets 409: wait for it.
BUSY_RETRIES = 6
BUSY_WAIT_S = 0.5


def send_once(action: Callable[[], dict[str, Any]]) -> dict[str, Any]:
    """Run a send; while the API says the same key is still being stored, wait and replay."""
    for _ in range(BUSY_RETRIES):
        try:
            return action()
        except EspaceError as error:
            if error.kind != "en_cours":
                raise
            time.sleep(BUSY_WAIT_S)
    return action()


def show_templates(lang: str) -> None:
    """Download buttons for the CSV and XLSX templates (fetched from the API when pressed)."""
    st.markdown(t("espace.templates.lead", lang))
    row = st.container(horizontal=True)
    row.download_button(
        t("espace.templates.csv", lang),
        data=lambda: client.template("csv", lang),
        file_name="modele-soumission.csv",
        mime="text/csv",
        icon=":material/download:",
        on_click="ignore",
        key="espace.modele_csv",
    )
    row.download_button(
        t("espace.templates.xlsx", lang),
        data=lambda: client.template("xlsx", lang),
        file_name="modele-soumission.xlsx",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        icon=":material/download:",
        on_click="ignore",
        key="espace.modele_xlsx",
    )


def show_sent(result: dict[str, Any], lang: str) -> None:
    """What was stored, and when it will appear publicly."""
    resume = as_preview(result).get("resume") or {}
    number = result.get("soumission_id")
    st.success(
        t(
            "espace.sent",
            lang,
            id=number if number is not None else "—",
            nouvelles=format_nombre(resume.get("nouvelles", 0), lang),
            modifiees=format_nombre(resume.get("modifiees", 0), lang),
            inchangees=format_nombre(resume.get("inchangees", 0), lang),
        ),
        icon=":material/check_circle:",
    )
    show_schedule_note(lang)


def show_schedule_note(lang: str) -> None:
    """When the figures will appear publicly: the next publications, from `GET /v1/calendrier`."""
    try:
        upcoming = client.calendar(lang).get("prochaines") or []
    except EspaceError:
        return  # the note is a courtesy; the send itself succeeded
    if upcoming:
        st.info(
            t("espace.schedule_note", lang) + "\n\n" + "\n".join(
                f"- {format_date(p['date'], lang)} : {t('espace.pub.' + p['type'], lang)}"
                for p in upcoming[:2]
            ),
            icon=":material/event:",
        )  # fmt: skip


def confirm_and_send(
    preview: dict[str, Any], idem: str, send: Callable[[], dict[str, Any]], lang: str, name: str
) -> None:
    """« Envoyer » under a preview: disabled when refused or nothing changes; sends once."""
    sent: dict[str, Any] = session.recall("envois", {})
    if idem in sent:
        show_sent(sent[idem], lang)
        return
    resume = preview.get("resume") or {}
    if not (resume.get("nouvelles") or resume.get("modifiees")):
        st.info(t("espace.nothing_to_send", lang), icon=":material/info:")
        return
    st.markdown(t("espace.send_help", lang))
    if st.button(t("espace.send", lang), type="primary", key=f"espace.envoyer.{name}"):
        try:
            result = send_once(send)
        except EspaceError as error:
            if error.kind == "cle":
                raise
            show_error(error, lang)
            return
        session.remember("envois", {**sent, idem: result})
        show_sent(result, lang)


def upload_section(key: str, lang: str) -> None:
    """Templates, the file picker, the preview and « Envoyer »."""
    show_templates(lang)
    uploaded = st.file_uploader(
        t("espace.upload.label", lang),
        type=ACCEPTED_TYPES,
        help=t("espace.upload.help", lang),
        key="espace.fichier",
    )
    if uploaded is None:
        session.drop("apercu")
        return
    content = uploaded.getvalue()
    digest = hashlib.sha256(content).hexdigest()
    state = session.recall("apercu")
    if state is None or state["digest"] != digest or state["nom"] != uploaded.name:
        state = {"digest": digest, "nom": uploaded.name, "resultat": None, "erreur": None}
        try:
            state["resultat"] = as_preview(client.preview_file(key, uploaded.name, content, lang))
        except EspaceError as error:
            if error.kind == "cle":
                raise
            state["erreur"] = error
        session.remember("apercu", state)
    if state["erreur"] is not None:
        show_error(state["erreur"], lang)
        return
    preview = state["resultat"]
    show_preview(preview, lang, key="fichier")
    organisation = session.current_organisation()
    idem = client.send_key(
        str(organisation.get("id") or organisation.get("slug") or ""),
        digest,
        client.fingerprint(preview),
    )
    confirm_and_send(
        preview,
        idem,
        lambda: client.send_file(key, uploaded.name, content, idem, lang),
        lang,
        "fichier",
    )
