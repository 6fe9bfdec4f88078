"""Page « Méthodologie »: what is counted, disclosure control, sources, licence, contributing."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard import client, plan
from dashboard.i18n import format_nombre, format_share, t
from dashboard.state import current_lang
from dashboard.strings_methodo import PLAN_LEVELS
from dashboard.views.common import publication_fields, publication_header
from dashboard.views.couverture import coverage_section

DEFAULT_K = 11


def methodologie_page() -> None:
    """Methodology, read partly from the API (taxonomy, threshold, coverage)."""
    lang = current_lang()
    st.title(t("methodo.heading", lang))
    pub = publication_header(lang)
    st.markdown(t("methodo.counts", lang))
    st.markdown(t("methodo.disclosure", lang, k=pub["seuil"] if pub else DEFAULT_K))
    if pub is not None:
        plan_section(pub, lang)
    st.markdown(t("methodo.alerts", lang))
    if pub is not None:
        st.markdown(
            t(
                "methodo.coverage",
                lang,
                **publication_fields(pub, lang),
                cellules=format_nombre(pub["cellules"], lang),
                secretes=format_nombre(pub["cellules_secretes"], lang),
                taux=format_share(pub["taux_secret"], lang),
            )
        )

    coverage_section(lang)  # issue #17: reporting associations per month, publication calendar

    taxonomy = client.fetch_incident_types()
    suffix = "en" if lang == "en" else "fr"
    families = {f["code"]: f[f"libelle_{suffix}"] for f in taxonomy["familles"]}
    st.subheader(t("methodo.taxonomy", lang, version=taxonomy["version"]))
    types = pd.DataFrame(
        {
            t("col.famille", lang): [
                families.get(x["famille"], x["famille"]) for x in taxonomy["types"]
            ],
            t("col.type", lang): [x[f"libelle_{suffix}"] for x in taxonomy["types"]],
            t("col.description", lang): [x[f"description_{suffix}"] for x in taxonomy["types"]],
            t("col.code", lang): [x["code"] for x in taxonomy["types"]],
        }
    )
    st.dataframe(types, hide_index=True, width="stretch")
    st.markdown(t("methodo.sources", lang))
    st.markdown(t("methodo.licence", lang, api_url=client.public_api_url().rstrip("/")))


def plan_section(pub: dict, lang: str) -> None:
    """The publication plan: why, the setting, and the tables this publication publishes (read
    from the API), one line per territory level and incident level."""
    tables = plan.tables(pub)
    if tables is None:  # an API that names no plan: every table is published
        return
    label = f"{pub['plan']['nom']}/{pub['plan']['version']}"
    st.markdown(t("methodo.plan", lang, id=pub["id"], plan=label, n=len(tables)))

    def word(level: str) -> str:
        return PLAN_LEVELS[level][lang if lang == "en" else "fr"]

    lines = [
        (
            territory,
            kind,
            [s for s in ("mois", "trimestre", "annee") if (territory, kind, s) in tables],
        )
        for territory in ("departement", "region", "france")
        for kind in ("tous", "famille", "type")
    ]
    frame = pd.DataFrame(
        {
            t("methodo.plan_territory", lang): [word(x) for x, _k, steps in lines if steps],
            t("methodo.plan_incidents", lang): [word(k) for _x, k, steps in lines if steps],
            t("methodo.plan_periods", lang): [
                ", ".join(word(s) for s in steps) for _x, _k, steps in lines if steps
            ],
        }
    )
    st.dataframe(frame, hide_index=True, width="stretch")
    st.markdown(t("methodo.plan_figures", lang))
