"""Every failure of an API call, turned into a clear message in the reader's language."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard.espace.client import EspaceError
from dashboard.i18n import t

MAX_ISSUES_SHOWN = 200


def issues_table(issues: list[dict], lang: str) -> pd.DataFrame:
    """Faulty rows or warnings as a table: row, column, value, what is wrong, how to fix it."""
    return pd.DataFrame(
        {
            t("espace.col.ligne", lang): [
                "—" if i.get("ligne") is None else str(i["ligne"]) for i in issues
            ],
            t("espace.col.colonne", lang): [i.get("colonne") or "—" for i in issues],
            t("espace.col.valeur", lang): [
                "—" if i.get("valeur") is None else str(i["valeur"]) for i in issues
            ],
            t("espace.col.probleme", lang): [i.get("message") or "" for i in issues],
            t("espace.col.suggestion", lang): [i.get("suggestion") or "—" for i in issues],
        }
    )


def show_issues(issues: list[dict], lang: str) -> None:
    """A static HTML table (readable by screen readers and phones), the first rows only."""
    shown = issues[:MAX_ISSUES_SHOWN]
    st.table(issues_table(shown, lang).set_index(t("espace.col.ligne", lang)))
    if len(issues) > len(shown):
        st.markdown(t("espace.issues_more", lang, shown=len(shown), total=len(issues)))


def show_error(error: EspaceError, lang: str, *, stored_nothing: bool = True) -> None:
    """The message for `error`; a refusal lists every faulty row."""
    text = t(
        f"espace.error.{error.kind}",
        lang,
        status=error.status or "",
        retry=error.retry_after or "60",
        detail=error.detail,
    )
    if error.kind == "refus":
        rows = {e["ligne"] for e in error.erreurs if e.get("ligne") is not None}
        lead = t("espace.refus.lead", lang, n=len(rows)) if rows else t("espace.refus.whole", lang)
        note = t("espace.refus.nothing_stored", lang) if stored_nothing else ""
        st.error(f"**{lead}** {note}\n\n{error.detail}", icon=":material/error:")
        if error.erreurs:
            show_issues(error.erreurs, lang)
        return
    if error.detail and error.kind not in ("trop_vite",):
        text = f"{text}\n\n{t('espace.error.api_said', lang)} « {error.detail} »"
    st.error(text, icon=":material/error:")
