"""« Calendrier »: month by month since the association's start, what was sent and what is
missing, and when its figures appear publicly (`GET /v1/completude`, `GET /v1/calendrier`)."""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st

from dashboard.espace import client
from dashboard.espace.client import EspaceError
from dashboard.i18n import MONTHS, format_date, format_nombre, format_period, normalize_lang, t

MARKS = {"envoye": "✓", "manquant": "✗", "en_cours": "…"}


def month_grid(months: list[dict[str, Any]], lang: str) -> pd.DataFrame:
    """Years down, months across; each cell says sent, missing or in progress (not by colour)."""
    names = MONTHS[normalize_lang(lang)]
    years = sorted({m["mois"][:4] for m in months}, reverse=True)
    grid = pd.DataFrame("", index=years, columns=list(names))
    for entry in months:
        status = str(entry.get("statut"))
        label = f"{MARKS.get(status, '')} {t('espace.completude.' + status, lang)}".strip()
        grid.loc[entry["mois"][:4], names[int(entry["mois"][5:7]) - 1]] = label
    grid.index.name = t("espace.completude.year", lang)
    return grid


def publication_text(publication: dict[str, Any] | None, lang: str) -> str:
    """« publication mensuelle du 5 novembre 2026 » (or already published)."""
    if not publication:
        return "—"
    kind = t(f"espace.pub.{publication.get('type')}", lang)
    when = format_date(publication["date"], lang) if publication.get("date") else "—"
    if publication.get("deja_publie"):
        return t("espace.completude.published", lang, pub=kind, date=when)
    return t("espace.completude.will_appear", lang, pub=kind, date=when)


def sent_table(months: list[dict[str, Any]], lang: str) -> pd.DataFrame:
    """The months sent: cells, départements, when they appear publicly."""
    sent = [m for m in months if m.get("statut") == "envoye"]
    return pd.DataFrame(
        {
            t("espace.col.mois", lang): [format_period(m["mois"], lang) for m in sent],
            t("espace.completude.cells", lang): [
                format_nombre(m.get("cellules"), lang) for m in sent
            ],
            t("espace.completude.deps", lang): [
                format_nombre(m.get("departements"), lang) for m in sent
            ],
            t("espace.completude.publication", lang): [
                publication_text(m.get("publication"), lang) for m in sent
            ],
        }
    )


def show_policy(lang: str) -> None:
    """The publication policy and the next dates."""
    try:
        calendar = client.calendar(lang)
    except EspaceError:
        return
    st.subheader(t("espace.completude.policy", lang))
    if calendar.get("politique"):
        st.markdown(str(calendar["politique"]))
    for upcoming in (calendar.get("prochaines") or [])[:4]:
        st.markdown(
            f"- **{format_date(upcoming['date'], lang)}** : "
            f"{t('espace.pub.' + str(upcoming.get('type')), lang)} — "
            f"{upcoming.get('description') or ''}"
        )


def calendar_section(key: str, lang: str) -> None:
    """The completeness calendar, the missing months, the publication dates."""
    st.subheader(t("espace.section.calendrier", lang))
    report = client.completeness(key, lang)
    months: list[dict[str, Any]] = report.get("mois") or []
    if report.get("debut"):
        st.caption(t("espace.completude.since", lang, debut=format_period(report["debut"], lang)))
    missing = list(report.get("manquants") or [])
    if missing:
        st.warning(
            t(
                "espace.completude.missing",
                lang,
                n=len(missing),
                mois=", ".join(format_period(m, lang) for m in missing),
            ),
            icon=":material/event_busy:",
        )
    elif months:
        st.success(t("espace.completude.complete", lang), icon=":material/event_available:")
    if report.get("message"):
        st.info(str(report["message"]), icon=":material/campaign:")
    if months:
        st.table(month_grid(months, lang))
        sent = sent_table(months, lang)
        if not sent.empty:
            st.table(sent.set_index(t("espace.col.mois", lang)))
    show_policy(lang)
