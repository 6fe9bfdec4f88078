"""Cached views derived from API data: what pages display, built once per cache period."""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st

from dashboard import charts, client
from dashboard.i18n import format_rate, t
from dashboard.settings import get_dashboard_settings
from dashboard.state import page_link

TTL = get_dashboard_settings().cache_ttl_s


def statistics_frame(publication: int, type_: str, periode: str) -> pd.DataFrame:
    """Every département for one type and period: code, nom, valeur, secret, taux_100k."""
    payload = client.fetch_statistics(publication, "departement", type_, periode)
    frame = pd.DataFrame(payload["data"], columns=["code", "nom", "valeur", "secret", "taux_100k"])
    return frame.astype({"code": str, "secret": bool})


def alert_codes(publication: int, type_: str) -> dict[str, dict[str, Any]]:
    """Départements flagged by the API's alert rule (latest quarter, else month)."""
    pub = client.fetch_latest_publication() or {}
    pas = "trimestre" if pub.get("periodes", {}).get("trimestre") else "mois"
    payload = client.fetch_alerts(publication, type_, pas)
    return {row["code"]: row for row in payload["data"]}


@st.cache_resource(ttl=TTL, show_spinner=False, max_entries=2)
def map_geometry(api_url: str) -> dict[str, Any]:
    """The map layout (`/v1/carte`) and its polygons as a topology, computed once per API."""
    layout = client.fetch_map_layout()
    return {"layout": layout, "topology": charts.map_topology(layout)}


# A resource, not data: every session gets the same dict (never mutated), where
# `st.cache_data` would unpickle a copy of the ~150 KB spec on each run. `api_url` keys the
# cache to its API.
@st.cache_resource(ttl=TTL, show_spinner=False, max_entries=64)
def map_spec(
    api_url: str,
    publication: int,
    type_: str,
    periode: str,
    mesure: str,
    lang: str,
    alerts: tuple[str, ...] = (),
    description: str = "",
) -> dict[str, Any]:
    """The Vega-Lite spec of the map for one view, for `st.vega_lite_chart`."""
    geometry = map_geometry(api_url)
    frame = statistics_frame(publication, type_, periode)
    column = "taux_100k" if mesure == "taux" else "valeur"
    values = frame[["code", column]].rename(columns={column: "valeur"})
    flagged = set(alerts)
    extra = {
        row.code: {
            "secret": bool(row.secret),
            "alerte": row.code in flagged,
            "lien": page_link("prefecture", lang, dep=row.code),
            "taux_texte": t("secret", lang) if row.secret else format_rate(row.taux_100k, lang),
        }
        for row in frame.itertuples()
    }
    return charts.choropleth(
        geometry["layout"],
        values,
        value_title=t(f"mesure.{mesure}", lang),
        lang=lang,
        decimals=1 if mesure == "taux" else 0,
        extra=extra,
        tooltips=[] if mesure == "taux" else [("taux_texte", t("mesure.taux", lang))],
        topology=geometry["topology"],
        description=description,
    )
