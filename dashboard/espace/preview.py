"""The preview of a batch (a dry run): summary, changed cells, warnings, then the rows.

Drawn in the order a reader needs it and the browser can show it fast: the summary and the
changed cells first, the full list of rows last and one page at a time (a 5,000-row file
must be drawn within 3 s of its upload, `bench/bench_espace.py`).
"""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st

from dashboard.espace.client import normalize_issue
from dashboard.espace.messages import MAX_ISSUES_SHOWN, show_issues
from dashboard.i18n import format_nombre, format_period, t

ROWS_PAGE = 500
STATUS_KEYS = ("nouvelle", "modifiee", "inchangee")


def as_preview(result: dict[str, Any], sent: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    """The API's summary in the preview's shape, whichever submission route answered."""
    resume = result.get("resume")
    if isinstance(resume, dict) and isinstance(result.get("lignes"), list):
        return result
    lignes = result.get("lignes")
    rows = lignes if isinstance(lignes, list) else list(sent or [])
    return {
        **result,
        "lignes": rows,
        "resume": {
            "lignes": len(rows) if isinstance(lignes, list) else int(lignes or len(rows)),
            "nouvelles": int(result.get("nouvelles", result.get("creees", 0)) or 0),
            "modifiees": int(result.get("modifiees", 0) or 0),
            "inchangees": int(result.get("inchangees", 0) or 0),
        },
        "avertissements": result.get("avertissements") or [],
    }


def cell_label(row: dict[str, Any]) -> str:
    """`75 Paris`: the code and, when known, the name."""
    name = row.get("departement_nom")
    return f"{row.get('departement')} {name}" if name else str(row.get("departement"))


def type_label(row: dict[str, Any]) -> str:
    """The type's French label, or its code."""
    return str(row.get("type_libelle") or row.get("type_incident"))


def rows_table(rows: list[dict[str, Any]], lang: str, *, old: bool = False) -> pd.DataFrame:
    """Rows as understood: file row, département, month, type, number (and the old number)."""
    status = {k: t(f"espace.statut.{k}", lang) for k in STATUS_KEYS}
    table = {
        t("espace.col.ligne", lang): [str(r.get("ligne", "")) for r in rows],
        t("espace.col.departement", lang): [cell_label(r) for r in rows],
        t("espace.col.mois", lang): [format_period(str(r.get("mois")), lang) for r in rows],
        t("espace.col.type", lang): [type_label(r) for r in rows],
    }
    if old:
        table[t("espace.col.ancien", lang)] = [
            format_nombre(r.get("ancien_nombre"), lang) for r in rows
        ]
    table[t("espace.col.nombre", lang)] = [format_nombre(r.get("nombre"), lang) for r in rows]
    if not old:
        table[t("espace.col.statut", lang)] = [status.get(str(r.get("statut")), "—") for r in rows]
    return pd.DataFrame(table)


def show_summary(resume: dict[str, Any], lang: str) -> None:
    """Four figures: rows, new, changed, unchanged."""
    columns = st.columns(4)
    for column, name in zip(
        columns, ("lignes", "nouvelles", "modifiees", "inchangees"), strict=True
    ):
        column.metric(t(f"espace.resume.{name}", lang), format_nombre(resume.get(name, 0), lang))


def show_preview(preview: dict[str, Any], lang: str, key: str) -> None:
    """Everything the dry run found, most important first; `key` names the page selector."""
    rows: list[dict[str, Any]] = preview.get("lignes") or []
    st.subheader(t("espace.preview.heading", lang))
    if preview.get("fichier"):
        notes = " ; ".join(str(n) for n in preview.get("notes") or []) or "—"
        st.markdown(t("espace.preview.file", lang, nom=preview["fichier"], notes=notes))
    show_summary(preview.get("resume") or {}, lang)

    warnings = [normalize_issue(w) for w in preview.get("avertissements") or []]
    if warnings:
        st.warning(t("espace.preview.warnings", lang, n=len(warnings)), icon=":material/warning:")
        show_issues(warnings, lang)

    changed = [r for r in rows if r.get("statut") == "modifiee"]
    if changed:
        st.markdown(f"**{t('espace.preview.changed', lang, n=len(changed))}**")
        shown = changed[:MAX_ISSUES_SHOWN]
        st.table(rows_table(shown, lang, old=True).set_index(t("espace.col.ligne", lang)))
        if len(changed) > len(shown):
            st.markdown(t("espace.issues_more", lang, shown=len(shown), total=len(changed)))

    if not rows:
        return
    st.markdown(f"**{t('espace.preview.rows', lang, n=format_nombre(len(rows), lang))}**")
    pages = (len(rows) - 1) // ROWS_PAGE + 1
    page = 1
    if pages > 1:
        page = int(
            st.number_input(
                t("espace.preview.page", lang, pages=pages),
                min_value=1,
                max_value=pages,
                value=1,
                step=1,
                key=f"espace.page.{key}",
            )
        )
    chunk = rows[(page - 1) * ROWS_PAGE : page * ROWS_PAGE]
    st.dataframe(rows_table(chunk, lang), hide_index=True, width="stretch")
