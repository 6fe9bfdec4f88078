"""The map's text and keyboard equivalent: its description, a search and a list of links.

Every département of the map is also a link here, named as on the map (name, code, value or
« secret statistique », rate), so that a keyboard or screen-reader user reaches the same
pages as a mouse user clicking the map.
"""

from __future__ import annotations

import unicodedata

import pandas as pd
import streamlit as st

from dashboard.i18n import format_nombre, format_period, format_rate, t
from dashboard.state import page_link
from dashboard.views.common import type_labels

SEARCH_KEY = "carte.search"


def map_description(
    frame: pd.DataFrame, pub: dict, type_: str, periode: str, mesure: str, lang: str
) -> str:
    """What the map shows: measure, type, period, publication, hidden départements."""
    return t(
        "map.description",
        lang,
        mesure=t(f"mesure.{mesure}", lang).lower(),
        type=type_labels(lang)[type_].strip(),
        periode=format_period(periode, lang),
        id=pub["id"],
        hidden=int(frame["secret"].sum()),
        total=len(frame),
    )


def link_text(row: pd.Series, lang: str) -> str:
    """« Ain (01) : 123, taux 4,5 pour 100 000 habitants » or « … : secret statistique »."""
    value = t("secret", lang) if row["secret"] else format_nombre(row["valeur"], lang)
    text = t("map.shape_label", lang, nom=row["nom"], code=row["code"], valeur=value)
    if not row["secret"] and not pd.isna(row["taux_100k"]):
        text += ", " + t("map.rate_suffix", lang, taux=format_rate(row["taux_100k"], lang))
    return text


def link_lines(frame: pd.DataFrame, lang: str) -> str:
    """A Markdown list of départements, each a link to its page, in code order."""
    ordered = frame.sort_values("code", key=lambda codes: codes.str.zfill(3))
    return "\n".join(
        f"- [{link_text(row, lang)}]({page_link('prefecture', lang, dep=row['code'])})"
        for _, row in ordered.iterrows()
    )


def folded(text: str) -> str:
    """`text` lower-cased without accents, for matching « rhone » to « Rhône »."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def matching(frame: pd.DataFrame, query: str) -> pd.DataFrame:
    """Départements whose code starts with, or whose name contains, `query`."""
    wanted = folded(query.strip())
    if not wanted:
        return frame.iloc[0:0]
    names = frame["nom"].map(folded)
    return frame[frame["code"].str.lower().str.startswith(wanted) | names.str.contains(wanted)]


def departement_search(frame: pd.DataFrame, lang: str) -> None:
    """A search box; the matching départements appear beneath it as links."""
    query = st.text_input(
        t("carte.search", lang), key=SEARCH_KEY, help=t("carte.search_help", lang),
        placeholder=t("carte.search_help", lang),
    )  # fmt: skip
    if not query:
        return
    found = matching(frame, query)
    if found.empty:
        st.caption(t("carte.search_none", lang))
    else:
        st.markdown(link_lines(found.head(12), lang))


def departement_list(frame: pd.DataFrame, lang: str) -> None:
    """Every département as a link, in a section that the keyboard opens with Enter."""
    with st.expander(t("carte.list_heading", lang) + f" ({len(frame)})"):
        st.markdown(link_lines(frame, lang))
