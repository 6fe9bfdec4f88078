"""Cached views derived from API data: what pages display, built once per cache period."""

from __future__ import annotations

from typing import Any

import streamlit as st

from dashboard import charts, client
from dashboard.settings import get_dashboard_settings


# Serialising the map (~100,000 coordinates) takes about a second: do it once per language
# and cache period, not on every rerun. `api_url` keys the cache to the API it came from.
@st.cache_data(ttl=get_dashboard_settings().cache_ttl_s, show_spinner=False, max_entries=8)
def population_map_spec(api_url: str, lang: str) -> dict[str, Any]:
    """The Vega-Lite spec of the population map, for `st.vega_lite_chart`."""
    layout = client.fetch_map_layout()
    departements = client.fetch_departements()
    return charts.population_map(layout, departements, lang).to_dict()
