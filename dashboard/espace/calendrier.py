"""« Calendrier »: month by month since the association's start, what was sent and what is
missing, and when its figures appear publicly (`GET /v1/completude`, `GET /v1/calendrier`)."""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st

from dashboard.espace import client
from dashboard.espace.client import EspaceError
from dashboard.i18n import format_date, format_nombre, format_period, t

MARKS = {"envoye": "✓", "manquant": "✗", "en_cours": "…"}


def status_label(status: str, lang: str) -> str:
    """`✓ envoyé`, `✗ manquant`, `… en cours`: said in words, not by colour."""
    return f"{MARKS.get(status, '')} {t('espace.completude.' + status, lang)}".strip()


def publication_text(publication: dict[str, Any] | None, lang: str) -> str:
    """« publication mensuelle du 5 novembre 2026 » (or already published)."""
    if not publication:
        return "—"
    kind = t(f"espace.pub.{publication.get('type')}", lang)
    when = format_date(publication["date"], lang) if publication.get("date") else "—"
    if publication.get("deja_publie"):
        return t("espace.completude.published", lang, pub=kind, date=when)
    return t("espace.completude.will_appear", lang, pub=kind, date=when)


def months_table(months: list[dict[str, Any]], lang: str) -> pd.DataFrame:
    """Newest month first: status, values sent, départements, when they appear publicly.

    One row per month (not a year × month grid) so that it reads on a phone and aloud.
    """
    months = sorted(months, key=lambda m: str(m["mois"]), reverse=True)
    return pd.DataFrame(
        {
            t("espace.col.mois", lang): [format_period(m["mois"], lang) for m in months],
            t("espace.col.statut", lang): [
                status_label(str(m.get("statut")), lang) for m in months
            ],
            t("espace.completude.cells", lang): [
                format_nombre(m.get("cellules"), lang) for m in months
            ],
            t("espace.completude.deps", lang): [
                format_nombre(m.get("departements"), lang) for m in months
            ],
            t("espace.completude.publication", lang): [
                publication_text(m.get("publication"), lang) for m in months
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
        st.markdown(t("espace.completude.since", lang, debut=format_period(report["debut"], lang)))
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
        st.table(months_table(months, lang).set_index(t("espace.col.mois", lang)))
    show_policy(lang)
