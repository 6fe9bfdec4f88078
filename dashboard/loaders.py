"""Cached views derived from API data: what pages display, built once per cache period."""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st

from dashboard import client, plan
from dashboard.settings import get_dashboard_settings

TTL = get_dashboard_settings().cache_ttl_s


def statistics_frame(publication: int, type_: str, periode: str) -> pd.DataFrame:
    """Every département for one type and period: code, nom, valeur, secret, taux_100k."""
    payload = client.fetch_statistics(publication, "departement", type_, periode)
    frame = pd.DataFrame(payload["data"], columns=["code", "nom", "valeur", "secret", "taux_100k"])
    return frame.astype({"code": str, "secret": bool})


def alert_step(pub: dict[str, Any], kind: str) -> str | None:
    """The step alerts are read at: the latest quarter, else month, among those the plan
    publishes for départements and this incident level (None: neither)."""
    steps = [s for s in ("trimestre", "mois") if pub.get("periodes", {}).get(s)]
    planned = [s for s in steps if plan.planned(pub, "departement", kind, s)]
    return planned[0] if planned else None


def alert_codes(pub: dict[str, Any], type_: str, kind: str) -> dict[str, dict[str, Any]]:
    """Départements flagged by the API's alert rule (latest quarter, else month)."""
    pas = alert_step(pub, kind)
    if pas is None:
        return {}
    payload = client.fetch_alerts(pub["id"], type_, pas)
    return {row["code"]: row for row in payload["data"]}


# A resource, not data: every session gets the same dict (never mutated), where
# `st.cache_data` would unpickle a copy of the ~150 KB spec on each run. `api_url` keys the
# cache to its API.
@st.cache_resource(ttl=TTL, show_spinner=False, max_entries=64)
def map_spec(
    api_url: str, publication: int, type_: str, periode: str, mesure: str, lang: str
) -> dict[str, Any]:
    """The Vega-Lite spec of the map for one view, built by the API (`/v1/images/carte.json`).

    The same spec as the API's SVG and PNG images and embedded views; its départements link
    to `./prefecture?dep=…`.
    """
    return client.fetch_json(map_image_path(publication, type_, periode, mesure, lang, "json"))


def map_image_path(
    publication: int, type_: str, periode: str, mesure: str, lang: str, fmt: str
) -> str:
    """The API path of the map of one view as `fmt` (svg, png, json)."""
    return client.query_path(
        f"/v1/images/carte.{fmt}", type=type_, periode=periode, mesure=mesure,
        publication=publication, langue=lang,
    )  # fmt: skip
