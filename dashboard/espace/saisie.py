"""« Saisir un mois »: one département, one month, one row per incident type, typed in a grid.

The grid starts from what the association already holds for that cell set; « Prévisualiser »
is the same dry run as a file's, and « Envoyer » the same once-only send.
"""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import pandas as pd
import streamlit as st

from dashboard import client as public
from dashboard.espace import client, session
from dashboard.espace.client import EspaceError
from dashboard.espace.envoi import confirm_and_send
from dashboard.espace.messages import show_error
from dashboard.espace.preview import as_preview, show_preview
from dashboard.i18n import format_period, t

MONTHS_BACK = 36
MAX_NUMBER = 1_000_000
ROW_HEIGHT_PX = 35  # Streamlit's default grid row


def recent_months(today: date, count: int = MONTHS_BACK) -> list[str]:
    """`YYYY-MM` of this month and the `count - 1` before it, newest first."""
    index = today.year * 12 + today.month - 1
    return [f"{(index - i) // 12:04d}-{(index - i) % 12 + 1:02d}" for i in range(count)]


def held(key: str, lang: str, departement: str, mois: str) -> dict[str, int]:
    """What the association holds for one département and month, by type."""
    listing = client.values(key, lang, departement=departement, mois=mois)
    return {str(r["type_incident"]): int(r["nombre"]) for r in listing.get("data") or []}


def entry_section(key: str, lang: str) -> None:
    """Pick the département and month, type the numbers, preview, send."""
    st.subheader(t("espace.section.saisie", lang))
    st.markdown(t("espace.entry.lead", lang))
    departements = public.fetch_departements()
    names = dict(zip(departements["code"], departements["nom"], strict=True))
    taxonomy = public.fetch_incident_types()
    suffix = "en" if lang == "en" else "fr"
    left, right = st.columns(2)
    departement = left.selectbox(
        t("espace.col.departement", lang), list(names),
        format_func=lambda c: f"{c} {names[c]}", key="espace.saisie_dep",
    )  # fmt: skip
    # The last finished month first: the current one is still open (the API warns about it).
    mois = right.selectbox(
        t("espace.col.mois", lang), recent_months(date.today()), index=1,
        format_func=lambda m: format_period(m, lang), key="espace.saisie_mois",
    )  # fmt: skip
    current = held(key, lang, departement, mois)
    grid = pd.DataFrame(
        {
            "type_incident": [x["code"] for x in taxonomy["types"]],
            "libelle": [x[f"libelle_{suffix}"] for x in taxonomy["types"]],
            "nombre": pd.array([current.get(x["code"]) for x in taxonomy["types"]], dtype="Int64"),
        }
    )
    edited = st.data_editor(
        grid,
        hide_index=True,
        width="stretch",
        height=(len(grid) + 1) * ROW_HEIGHT_PX + 3,  # every type visible, no inner scroll
        placeholder="—",
        disabled=["type_incident", "libelle"],
        column_order=["libelle", "nombre"],
        column_config={
            "libelle": st.column_config.TextColumn(t("espace.col.type", lang)),
            "nombre": st.column_config.NumberColumn(
                t("espace.col.nombre", lang),
                min_value=0,
                max_value=MAX_NUMBER,
                step=1,
                format="%d",
                help=t("espace.entry.number_help", lang),
            ),
        },  # fmt: skip
        key=f"espace.grille.{departement}.{mois}",
    )
    rows = [
        {"departement": departement, "mois": mois, "type_incident": code, "nombre": int(n)}
        for code, n in zip(edited["type_incident"], edited["nombre"], strict=True)
        if not pd.isna(n)
    ]
    if st.button(t("espace.entry.preview", lang), key="espace.saisie_apercu", disabled=not rows):
        try:
            result = as_preview(client.send_rows(key, rows, lang, dry_run=True), rows)
            session.remember("saisie", {"rows": rows, "resultat": result, "erreur": None})
        except EspaceError as error:
            if error.kind == "cle":
                raise
            session.remember("saisie", {"rows": rows, "resultat": None, "erreur": error})
    state: dict[str, Any] | None = session.recall("saisie")
    if state is None or state["rows"] != rows:
        return  # nothing previewed yet, or the grid changed since
    if state["erreur"] is not None:
        show_error(state["erreur"], lang)
        return
    preview = state["resultat"]
    show_preview(preview, lang, key="saisie")
    organisation = session.current_organisation()
    idem = client.send_key(
        str(organisation.get("id") or organisation.get("slug") or ""),
        json.dumps(rows, sort_keys=True),
        client.fingerprint(preview),
    )
    confirm_and_send(
        preview,
        idem,
        lambda: client.send_rows(key, rows, lang, dry_run=False, idem=idem),
        lang,
        "saisie",
    )
