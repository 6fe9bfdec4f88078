"""Table builders: data in, display-ready table out (the accessible alternative to charts).

Numbers stay numeric, so that sorting by a column is numeric; they are displayed the local
way through a pandas Styler, and a hidden cell reads « secret statistique ».
"""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st
from pandas.io.formats.style import Styler

from dashboard.i18n import format_nombre, format_rate, t
from dashboard.state import page_link


def styled(table: pd.DataFrame, lang: str, counts: list[str] = (), rates: list[str] = ()) -> Styler:
    """`table` with counts as `1 234`, rates as `12,5`, and hidden cells as the secret label."""
    secret = t("secret", lang)
    style = table.style
    if counts:
        style = style.format(lambda n: format_nombre(n, lang), subset=list(counts), na_rep=secret)
    if rates:
        style = style.format(lambda x: format_rate(x, lang), subset=list(rates), na_rep=secret)
    return style


def departement_stats_table(frame: pd.DataFrame, lang: str = "fr") -> tuple[Styler, dict[str, Any]]:
    """Départements with count, rate and a link to their page, sorted by code."""
    count, rate, link = t("col.valeur", lang), t("col.taux", lang), t("col.fiche", lang)
    table = (
        frame.sort_values("code", key=lambda codes: codes.str.zfill(3))
        .assign(lien=lambda f: [page_link("prefecture", lang, dep=c) for c in f["code"]])
        .rename(
            columns={
                "code": t("col.code", lang),
                "nom": t("col.departement", lang),
                "valeur": count,
                "taux_100k": rate,
                "lien": link,
            }
        )[[t("col.code", lang), t("col.departement", lang), count, rate, link]]
        .astype({count: "Float64", rate: "Float64"})
        .reset_index(drop=True)
    )
    config = {link: st.column_config.LinkColumn(link, display_text=t("open", lang))}
    return styled(table, lang, [count], [rate]), config
