"""Streamlit's floor for `bench/bench_dashboard.py`: a page holding only the map.

Served as the dashboard is (`st.App` with `dashboard/serving.py`'s middleware; its options:
`.streamlit` here links to the dashboard's), it draws the
dashboard's map spec (the JSON file named by `OBSERVATOIRE_FLOOR_SPEC`) with Streamlit's own
chart element, in the same column, and nothing else: no header, filters, sidebar or API
call. What it takes is what any Streamlit page drawing this map takes on this machine.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

import streamlit as st  # noqa: E402

from dashboard.serving import middleware  # noqa: E402

# Streamlit's own chart element only: without the dashboard's server-drawn first map.
app = st.App("page.py", middleware=middleware(map_first=False))
