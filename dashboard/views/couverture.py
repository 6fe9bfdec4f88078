"""Methodology: how many associations reported each month, and the publication calendar.

Readers can then tell a rise in reports from a rise in reporting (`GET /v1/couverture`,
`GET /v1/calendrier`). Public and cached like every other public answer.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard import client
from dashboard.client import ApiUnavailable
from dashboard.i18n import format_date, format_nombre, format_period, t


def coverage_table(rows: list[dict], lang: str) -> pd.DataFrame:
    """Newest month first: month, number of associations that reported."""
    rows = sorted(rows, key=lambda r: str(r["mois"]), reverse=True)
    return pd.DataFrame(
        {
            t("espace.col.mois", lang): [format_period(str(r["mois"]), lang) for r in rows],
            t("couverture.col.associations", lang): [
                format_nombre(r.get("associations"), lang) for r in rows
            ],
        }
    )


def coverage_section(lang: str) -> None:
    """Per month, the number of reporting associations; then the publication policy."""
    st.subheader(t("couverture.heading", lang))
    st.markdown(t("couverture.lead", lang))
    try:
        coverage = client.fetch_json("/v1/couverture")
        calendar = client.fetch_json("/v1/calendrier")
    except ApiUnavailable:
        st.markdown(t("couverture.unavailable", lang))
        return
    rows = coverage.get("data") or []
    if rows:
        st.dataframe(coverage_table(rows, lang), hide_index=True, width="content")
    else:
        st.markdown(t("couverture.none", lang))
    st.markdown(f"**{t('couverture.policy', lang)}**")
    if calendar.get("politique"):
        st.markdown(str(calendar["politique"]))
    for upcoming in (calendar.get("prochaines") or [])[:4]:
        kind = t(f"espace.pub.{upcoming.get('type')}", lang)
        st.markdown(f"- {format_date(upcoming['date'], lang)} : {kind}")
