"""Page « Carte »: the map of départements and the same data as a table."""

from __future__ import annotations

import streamlit as st

from dashboard import client, loaders
from dashboard.i18n import t
from dashboard.state import current_lang
from dashboard.tables import departement_table


def carte_page() -> None:
    """The map of départements, coloured by population until statistics are published."""
    lang = current_lang()
    st.title(t("carte.heading", lang))
    st.markdown(t("carte.intro", lang))
    with st.spinner(t("carte.loading", lang)):
        spec = loaders.population_map_spec(client.api_url(), lang)
        departements = client.fetch_departements()
    st.vega_lite_chart(spec, width="stretch")
    st.caption(t("carte.insets", lang))

    st.subheader(t("carte.table_heading", lang))
    st.caption(t("carte.table_help", lang))
    st.dataframe(departement_table(departements, lang), hide_index=True, width="stretch")
