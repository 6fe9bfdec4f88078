"""The floor page's script (see app.py): the map spec, drawn as the dashboard draws it."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import streamlit as st


@st.cache_resource
def map_spec(path: str) -> dict[str, Any]:
    """The spec, read once (a resource, as the dashboard caches its map spec)."""
    return json.loads(Path(path).read_text(encoding="utf-8"))


st.set_page_config(page_title="Observatoire ANEF", layout="wide")
column, _ = st.columns([3, 1])
column.vega_lite_chart(map_spec(os.environ["OBSERVATOIRE_FLOOR_SPEC"]), width="stretch")
