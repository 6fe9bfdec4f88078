"""Page « Alertes »: départements flagged by the API's documented rule."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard import client, plan
from dashboard.client import query_path
from dashboard.i18n import format_nombre, format_period, t
from dashboard.state import current_lang, page_link, url_choice
from dashboard.tables import styled
from dashboard.views.common import downloads, incident_kind, publication_header, type_filter


def alertes_page() -> None:
    """The alert list with the rule that produced it; each line links to the département."""
    lang = current_lang()
    st.title(t("alertes.heading", lang))
    pub = publication_header(lang)
    if pub is None:
        return
    steps = [s for s in ("trimestre", "mois") if pub["periodes"].get(s)]
    left, right = st.columns(2)
    with left:  # the levels the plan publishes for départements by quarter or month
        type_ = type_filter(lang, pub, "departement", tuple(steps))
    kind = incident_kind(type_)
    steps = [s for s in steps if plan.planned(pub, "departement", kind, s)]
    if not steps:
        st.info(t("plan.not_published", lang), icon=":material/info:")
        return
    with right:
        pas = url_choice(
            "pas", t("filter.pas", lang), steps, steps[0],
            lambda s: t(f"pas.{s}", lang), widget="segmented",
        )  # fmt: skip
    payload = client.fetch_alerts(pub["id"], type_, pas)
    st.markdown(
        t(
            "alertes.rule",
            lang,
            window=payload["regle"]["fenetre"],
            evaluees=format_nombre(payload["evaluees"], lang),
            non_evaluables=format_nombre(payload["non_evaluables"], lang),
        )
    )
    st.caption(t("alertes.caveat", lang))
    if payload["requete"]["periode"] is None or payload["evaluees"] == 0:
        st.info(t("alertes.too_short", lang))
        return
    rows = payload["data"]
    if not rows:
        st.success(t("alertes.none", lang))
        return
    count, median = t("col.valeur", lang), t("col.mediane", lang)
    table = pd.DataFrame(
        {
            t("col.code", lang): [r["code"] for r in rows],
            t("col.departement", lang): [r["nom"] for r in rows],
            t("col.periode", lang): [format_period(r["periode"], lang) for r in rows],
            count: pd.array([r["valeur"] for r in rows], dtype="Float64"),
            median: pd.array([r["mediane"] for r in rows], dtype="Float64"),
            t("col.ratio", lang): [r["ratio"] for r in rows],
            t("col.fiche", lang): [page_link("prefecture", lang, dep=r["code"]) for r in rows],
        }
    )
    fiche = t("col.fiche", lang)
    st.dataframe(
        styled(table, lang, [count], [median, t("col.ratio", lang)]),
        hide_index=True,
        width="stretch",
        column_config={fiche: st.column_config.LinkColumn(fiche, display_text=t("open", lang))},
    )
    path = query_path("/v1/alertes", type=type_, pas=pas, publication=pub["id"])
    downloads(path, f"alertes-{type_}-{pas}", lang, key="alertes")
