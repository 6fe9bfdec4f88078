"""Page « Données et API »: the files behind every view, the API documentation, a curl example."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard import client, loaders
from dashboard.client import query_path
from dashboard.i18n import t
from dashboard.state import current_lang, url_choice
from dashboard.views.common import (
    downloads,
    incident_kind,
    period_filter,
    publication_header,
    step_filter,
    type_filter,
)
from dashboard.views.nouveautes import nouveautes_section

DATASETS = ("stats", "serie", "types", "alertes")


def donnees_page() -> None:
    """Pick a dataset and its parameters, preview it, download the API's CSV or GeoJSON."""
    lang = current_lang()
    st.title(t("donnees.heading", lang))
    pub = publication_header(lang)
    base = client.public_api_url().rstrip("/")
    st.markdown(t("donnees.intro", lang))
    st.markdown(t("donnees.docs", lang, url=f"{base}/docs"))
    if pub is None:
        return
    nouveautes_section(pub, lang)
    jeu = url_choice("jeu", t("donnees.view", lang), DATASETS, "stats",
                     lambda d: t(f"donnees.view_{d}", lang))  # fmt: skip
    # Selectors offer only what the plan publishes: départements for the map and alerts,
    # France for the series and the breakdown.
    territory = "departement" if jeu in ("stats", "alertes") else "france"
    left, middle, right = st.columns(3)
    with left:
        type_ = type_filter(lang, pub, territory)
    kind = incident_kind(type_)
    if jeu == "stats":
        with middle:
            periode = period_filter(pub, lang, territory, kind)
        path = query_path("/v1/statistiques", niveau="departement", type=type_, periode=periode,
                          publication=pub["id"])  # fmt: skip
        stem = f"observatoire-anef-{type_}-{periode}"
    elif jeu == "serie":
        with middle:
            pas = step_filter(pub, lang, territory, kind)
        path = query_path("/v1/statistiques/serie", territoire="FR", type=type_, pas=pas,
                          publication=pub["id"])  # fmt: skip
        stem = f"serie-france-{type_}-{pas}"
    elif jeu == "types":
        with middle:
            periode = period_filter(pub, lang, territory)
        path = query_path("/v1/statistiques/types", territoire="FR", periode=periode,
                          langue=lang, publication=pub["id"])  # fmt: skip
        stem = f"types-france-{periode}"
    else:
        pas = loaders.alert_step(pub, kind)
        if pas is None:
            st.info(t("plan.not_published", lang), icon=":material/info:")
            return
        path = query_path("/v1/alertes", type=type_, pas=pas, publication=pub["id"])
        stem = f"alertes-{type_}-{pas}"
    del right
    downloads(path, stem, lang, geojson=jeu == "stats", key="donnees")

    st.subheader(t("donnees.curl", lang))
    sep = "&" if "?" in path else "?"
    st.code(
        f'curl -s "{base}{path}"\ncurl -s -o {stem}.csv "{base}{path}{sep}format=csv"',
        language="bash",
        wrap_lines=True,
    )
    st.subheader(t("donnees.preview", lang))
    rows = client.fetch_json(path)["data"]
    preview = pd.DataFrame(rows).drop(columns=["historique"], errors="ignore")
    st.dataframe(preview, hide_index=True, width="stretch")
