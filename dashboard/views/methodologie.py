"""Page « Méthodologie »: what is counted, disclosure control, sources and licence."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard import client
from dashboard.i18n import t
from dashboard.state import current_lang


def methodologie_page() -> None:
    """Sources, licence and the incident taxonomy, read from the API."""
    lang = current_lang()
    st.title(t("methodo.heading", lang))
    st.markdown(t("methodo.body", lang, api_url=client.public_api_url()))

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
