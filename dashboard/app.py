"""Entry point of the Observatoire ANEF dashboard: `streamlit run dashboard/app.py`.

Serves the Streamlit script `dashboard/main.py` as an `st.App` (Streamlit's ASGI
application) with two middlewares that only change how the browser gets Streamlit's code:
from memory, and the map's drawing code along with the page (`dashboard/serving.py`); and
warms itself up as it starts (`dashboard/warm_up.py`).
Streamlit options still come from `dashboard/.streamlit/config.toml` and the command line.
"""

from __future__ import annotations

import streamlit as st

from dashboard.serving import middleware
from dashboard.warm_up import lifespan

app = st.App("main.py", middleware=middleware(), lifespan=lifespan)
