"""Section « Nouveau dans cette publication » of the « Données et API » page, and the open-data
links (package, changes, catalogue, feed). The sentences are the API's own: nothing recomputed."""

from __future__ import annotations

from typing import Any

import streamlit as st

from dashboard import client

STRINGS: dict[str, dict[str, str]] = {
    "heading": {"fr": "Nouveau dans cette publication", "en": "New in this publication"},
    "french_only": {
        "fr": "",
        "en": "Summary written by the API in French, ready to quote.",
    },
    "unavailable": {
        "fr": "Le résumé des changements n'est pas disponible pour le moment.",
        "en": "The summary of changes is not available right now.",
    },
    "links_heading": {"fr": "Données ouvertes", "en": "Open data"},
    "package": {
        "fr": "Télécharger toute la publication n° {id} (zip : CSV, schémas, README)",
        "en": "Download the whole publication no. {id} (zip: CSV, schemas, README)",
    },
    "changes_csv": {
        "fr": "Cellules modifiées depuis la publication précédente (CSV)",
        "en": "Cells changed since the previous publication (CSV)",
    },
    "catalogue": {
        "fr": "Catalogue DCAT moissonnable (JSON-LD)",
        "en": "Harvestable DCAT catalogue (JSON-LD)",
    },
    "catalogue_turtle": {
        "fr": "Le même catalogue en Turtle",
        "en": "The same catalogue in Turtle",
    },
    "feed": {
        "fr": "Flux Atom des publications (être averti de chaque nouvelle)",
        "en": "Atom feed of publications (to hear of each new one)",
    },
}


def _t(key: str, lang: str, **values: Any) -> str:
    text = STRINGS[key].get(lang) or STRINGS[key]["fr"]
    return text.format(**values)


def nouveautes_section(pub: dict[str, Any], lang: str) -> None:
    """What this publication changed, in quotable sentences, then the open-data links."""
    st.header(_t("heading", lang))
    try:
        changes = client.fetch_json(f"/v1/publications/{pub['id']}/changements?limite=0")
        sentences = [str(s) for s in changes["resume"]]
    except (client.ApiUnavailable, KeyError, TypeError):
        st.info(_t("unavailable", lang), icon=":material/info:")
        sentences = []
    if sentences:
        if _t("french_only", lang):
            st.caption(_t("french_only", lang))
        st.markdown("\n".join(f"- {_escape(s)}" for s in sentences))
    base = client.public_api_url().rstrip("/")
    pub_url = f"{base}/v1/publications/{pub['id']}"
    links = [
        (_t("package", lang, id=pub["id"]), f"{pub_url}/paquet.zip"),
        (_t("changes_csv", lang), f"{pub_url}/changements?format=csv"),
        (_t("catalogue", lang), f"{base}/v1/catalogue"),
        (_t("catalogue_turtle", lang), f"{base}/v1/catalogue?format=turtle"),
        (_t("feed", lang), f"{base}/v1/publications.atom"),
    ]
    st.subheader(_t("links_heading", lang))
    st.markdown("\n".join(f"- [{label}]({url})" for label, url in links))


def _escape(text: str) -> str:
    """Plain text inside Markdown: no sentence from the API is read as markup."""
    for char in "\\`*_[]<>#|":
        text = text.replace(char, "\\" + char)
    return text
