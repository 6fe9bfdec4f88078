"""« Mes valeurs »: what the association holds now, filtered and downloadable; the history of
one cell and its correction with a reason."""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st

from dashboard import client as public
from dashboard.espace import client, session
from dashboard.espace.client import EspaceError
from dashboard.espace.envois import MOTIF_MAX, submission_date
from dashboard.espace.messages import show_error
from dashboard.espace.preview import cell_label, type_label
from dashboard.i18n import format_nombre, format_period, t

ALL = ""
MAX_NUMBER = 1_000_000
ACTIONS = ("creation", "modification", "retrait")


def filters(lang: str) -> dict[str, str | None]:
    """Month, département and type pickers; empty choices mean « all »."""
    departements = public.fetch_departements()
    names = dict(zip(departements["code"], departements["nom"], strict=True))
    taxonomy = public.fetch_incident_types()
    suffix = "en" if lang == "en" else "fr"
    types = {x["code"]: x[f"libelle_{suffix}"] for x in taxonomy["types"]}
    everything = t("espace.filter.all", lang)
    month_col, dep_col, type_col = st.columns(3)
    mois = month_col.text_input(
        t("espace.filter.mois", lang),
        max_chars=7,
        key="espace.filtre_mois",
        help=t("espace.filter.mois_help", lang),
    )
    departement = dep_col.selectbox(
        t("espace.col.departement", lang),
        [ALL, *names],
        format_func=lambda c: everything if c == ALL else f"{c} {names[c]}",
        key="espace.filtre_dep",
    )
    type_incident = type_col.selectbox(
        t("espace.col.type", lang),
        [ALL, *types],
        format_func=lambda c: everything if c == ALL else types[c],
        key="espace.filtre_type",
    )
    return {
        "mois": mois.strip() or None,
        "departement": departement or None,
        "type_incident": type_incident or None,
    }


def values_table(rows: list[dict[str, Any]], lang: str) -> pd.DataFrame:
    """One line per held cell."""
    return pd.DataFrame(
        {
            t("espace.col.departement", lang): [cell_label(r) for r in rows],
            t("espace.col.mois", lang): [format_period(str(r["mois"]), lang) for r in rows],
            t("espace.col.type", lang): [type_label(r) for r in rows],
            t("espace.col.nombre", lang): [format_nombre(r.get("nombre"), lang) for r in rows],
            t("espace.col.envoi", lang): [str(r.get("soumission_id") or "—") for r in rows],
        }
    )


def history_table(changes: list[dict[str, Any]], lang: str) -> pd.DataFrame:
    """Old → new, when, which key, why."""
    return pd.DataFrame(
        {
            t("espace.col.date", lang): [
                submission_date({"date": c.get("le")}, lang) for c in changes
            ],
            t("espace.col.action", lang): [
                t(f"espace.action.{c.get('action')}", lang) if c.get("action") in ACTIONS else "—"
                for c in changes
            ],
            t("espace.col.ancien", lang): [
                format_nombre(c.get("ancien_nombre"), lang) for c in changes
            ],
            t("espace.col.nouveau", lang): [
                format_nombre(c.get("nouveau_nombre"), lang) for c in changes
            ],
            t("espace.col.cle", lang): [c.get("cle") or "—" for c in changes],
            t("espace.col.envoi", lang): [str(c.get("soumission_id") or "—") for c in changes],
            t("espace.col.motif", lang): [c.get("motif") or "—" for c in changes],
        }
    )


def cell_of(row: dict[str, Any]) -> tuple[str, str, str]:
    """(département, month, type) of a held value."""
    return str(row["departement"]), str(row["mois"]), str(row["type_incident"])


def correct_form(row: dict[str, Any], key: str, lang: str) -> None:
    """A new number and a reason; stored as a one-row batch carrying the reason."""
    departement, mois, type_incident = cell_of(row)
    # Keyed by the cell and its value: another cell, or the same after a change, starts afresh.
    cell = f"{departement}.{mois}.{type_incident}.{row.get('nombre')}"
    with st.form(f"espace_form_correction.{cell}", clear_on_submit=True):
        number = st.number_input(
            t("espace.correct.number", lang),
            min_value=0,
            max_value=MAX_NUMBER,
            value=int(row.get("nombre") or 0),
            step=1,
            key=f"espace.correction_nombre.{cell}",
        )
        motif = st.text_input(
            t("espace.correct.motif", lang),
            max_chars=MOTIF_MAX,
            key=f"espace.correction_motif.{cell}",
        )
        pressed = st.form_submit_button(t("espace.correct.button", lang), type="primary")
    if not pressed:
        return
    if not motif.strip():
        st.error(t("espace.correct.no_motif", lang), icon=":material/error:")
        return
    line = {
        "departement": departement,
        "mois": mois,
        "type_incident": type_incident,
        "nombre": int(number),
    }
    organisation = session.current_organisation()
    idem = client.send_key(
        str(organisation.get("id") or organisation.get("slug") or ""),
        departement, mois, type_incident, str(int(number)), motif.strip(),
        str(row.get("nombre")), str(row.get("soumission_id")),
    )  # fmt: skip
    try:
        client.send_rows(key, [line], lang, dry_run=False, motif=motif.strip(), idem=idem)
    except EspaceError as error:
        if error.kind == "cle":
            raise
        show_error(error, lang)
        return
    session.remember("correction", line)
    st.rerun()


def cell_details(rows: list[dict[str, Any]], key: str, lang: str) -> None:
    """Pick a cell: its history, then the correction form."""
    st.subheader(t("espace.history.heading", lang))
    # Options are the cells themselves, not positions: a rerun that reorders the values
    # keeps the same cell chosen.
    by_cell = {"|".join(cell_of(r)): r for r in rows}
    labels = {
        cell: f"{cell_label(r)} · {format_period(str(r['mois']), lang)} · {type_label(r)} : "
        f"{format_nombre(r.get('nombre'), lang)}"
        for cell, r in by_cell.items()
    }
    chosen = st.selectbox(
        t("espace.history.which", lang), list(labels), format_func=labels.__getitem__,
        key="espace.cellule",
    )  # fmt: skip
    row = by_cell[str(chosen)]
    changes = client.history(key, lang, *cell_of(row)).get("data") or []
    if changes:
        st.table(history_table(changes, lang))
    correct_form(row, key, lang)


def values_section(key: str, lang: str) -> None:
    """Filters, table, CSV download, then one cell's history and correction."""
    done = session.recall("correction")
    if done:
        session.drop("correction")
        st.success(
            t("espace.correct.done", lang, nombre=format_nombre(done["nombre"], lang)),
            icon=":material/check_circle:",
        )
    st.subheader(t("espace.section.valeurs", lang))
    chosen = filters(lang)
    listing = client.values(key, lang, **chosen)
    rows: list[dict[str, Any]] = listing.get("data") or []
    st.markdown(
        t("espace.values.count", lang, n=format_nombre(listing.get("count", len(rows)), lang))
    )
    if not rows:
        return
    st.dataframe(values_table(rows, lang), hide_index=True, width="stretch")
    st.download_button(
        t("espace.values.download", lang),
        data=lambda: client.values_csv(key, lang, **chosen),
        file_name="mes-valeurs.csv",
        mime="text/csv",
        icon=":material/download:",
        on_click="ignore",
        key="espace.export",
    )
    cell_details(rows, key, lang)
