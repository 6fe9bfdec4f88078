"""Page « Préfecture »: one département (`?dep=93`): series, breakdown by type, rates, alert."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard import charts_series, client, loaders, plan
from dashboard.client import query_path
from dashboard.i18n import format_nombre, format_period, format_rate, t
from dashboard.series import series_frame, value_text
from dashboard.state import current_lang, url_choice, url_value
from dashboard.tables import styled
from dashboard.views.common import (
    chart_exports,
    downloads,
    incident_kind,
    period_filter,
    publication_header,
    step_filter,
    step_value,
    type_filter,
    type_labels,
    type_value,
)
from dashboard.views.embed import embed_section, embedded_chart, is_embedded

DEFAULT_DEP = "75"


def plan_step(periode: str) -> str:
    """`mois`, `trimestre` or `annee` of a period string."""
    return "trimestre" if "-T" in periode else "mois" if len(periode) == 7 else "annee"


def prefecture_page() -> None:
    """Everything the observatory publishes about one département."""
    lang = current_lang()
    departements = client.fetch_departements().set_index("code")
    names = {code: f"{code} — {row.nom}" for code, row in departements.iterrows()}
    if is_embedded():
        embedded_series(list(names), lang)
        return
    dep = url_choice("dep", t("prefecture.search", lang), list(names), DEFAULT_DEP,
                     names.__getitem__)  # fmt: skip
    info = departements.loc[dep]
    st.title(t("prefecture.heading", lang, nom=info.nom, code=dep))
    st.caption(
        t(
            "prefecture.competent",
            lang,
            prefecture=info.prefecture,
            region=info.region_nom,
            population=format_nombre(info.population, lang),
        )
    )
    pub = publication_header(lang)
    if pub is None:
        return
    # Only what the plan publishes for départements: e.g. « tous » monthly, families by
    # quarter and year (dashboard/plan.py).
    left, middle, right = st.columns(3)
    with left:
        type_ = type_filter(lang, pub, "departement")
    kind = incident_kind(type_)
    with middle:
        periode = period_filter(pub, lang, "departement", kind)
    with right:
        pas = step_filter(pub, lang, "departement", kind)

    breakdown = client.fetch_types(pub["id"], dep, periode, lang)["data"]
    mine = next(row for row in breakdown if row["code"] == type_)
    france = None
    if plan.planned(pub, "france", kind, plan_step(periode)):
        national = client.fetch_types(pub["id"], "FR", periode, lang)["data"]
        france = next((row for row in national if row["code"] == type_), None)
    shown = format_period(periode, lang)
    a, b, c = st.columns(3)
    a.metric(t("prefecture.reports", lang, periode=shown),
             value_text(mine["valeur"], mine["secret"], lang, rate=False))  # fmt: skip
    b.metric(t("prefecture.rate", lang),
             value_text(mine["taux_100k"], mine["secret"], lang, rate=True))  # fmt: skip
    if france is not None:
        c.metric(t("prefecture.national", lang),
                 value_text(france["taux_100k"], france["secret"], lang, rate=True))  # fmt: skip
    alert_status(pub, dep, type_, lang)

    st.subheader(t("prefecture.series", lang))
    labels = type_labels(lang)
    frame = series_frame(pub["id"], dep, {type_: labels[type_]}, pas, "valeur", lang)
    spec = charts_series.series_chart(frame, y_title=t("mesure.valeur", lang), lang=lang).to_dict()
    st.vega_lite_chart(spec, width="stretch")
    st.caption(t("tendances.gaps", lang))

    def image(fmt: str) -> str:
        return series_image_path(pub, dep, type_, pas, lang, fmt)

    chart_exports(image, f"prefecture-{dep}-{type_}-{pas}", lang)
    view = {"dep": dep, "type": type_, "pas": pas}
    embed_section("prefecture", view, lang, image, t("prefecture.heading", lang, nom=info.nom,
                                                      code=dep))  # fmt: skip
    path = query_path("/v1/statistiques/serie", territoire=dep, niveau="departement",
                      type=type_, pas=pas, publication=pub["id"])  # fmt: skip
    downloads(path, f"serie-{dep}-{type_}-{pas}", lang, key="serie")

    by_type = any(row["niveau_type"] == "type" for row in breakdown)
    heading = "prefecture.breakdown" if by_type else "prefecture.breakdown_families"
    st.subheader(t(heading, lang, periode=shown))
    breakdown_section(pub, dep, periode, breakdown, lang)


def series_image_path(pub: dict, dep: str, type_: str, pas: str, lang: str, fmt: str) -> str:
    """The API path of the département's series chart as `fmt` (svg, png, json)."""
    return query_path(f"/v1/images/serie.{fmt}", territoire=dep, type=type_, pas=pas,
                      publication=pub["id"], langue=lang)  # fmt: skip


def embedded_series(codes: list[str], lang: str) -> None:
    """The embedded view (`?integre=1`): the département's series chart only, with its source."""
    pub = client.fetch_latest_publication()
    if pub is None:
        st.info(t("pub.none", lang), icon=":material/hourglass_empty:")
        return
    dep = url_value("dep", codes, DEFAULT_DEP)
    type_, pas = type_value(lang), step_value(pub)
    view = {"dep": dep, "type": type_, "pas": pas}

    def image(fmt: str) -> str:
        return series_image_path(pub, dep, type_, pas, lang, fmt)

    embedded_chart("prefecture", view, pub, image, lang)


def alert_status(pub: dict, dep: str, type_: str, lang: str) -> None:
    """Whether the API's alert rule flags this département for this type."""
    pas = loaders.alert_step(pub, incident_kind(type_))
    if pas is None:  # the plan publishes no quarterly or monthly série to read alerts from
        return
    flagged = {r["code"]: r for r in client.fetch_alerts(pub["id"], type_, pas)["data"]}
    row = flagged.get(dep)
    if row is None:
        st.caption(t("prefecture.no_alert", lang))
        return
    st.warning(
        t(
            "prefecture.alert",
            lang,
            valeur=format_nombre(row["valeur"], lang),
            periode=format_period(row["periode"], lang),
            ratio=format_rate(row["ratio"], lang),
            mediane=format_nombre(row["mediane"], lang),
        ),
        icon=":material/notifications_active:",
    )


def breakdown_section(pub: dict, dep: str, periode: str, rows: list[dict], lang: str) -> None:
    """Families and types of one département: published bars, and the full table."""
    published = [r for r in rows if r["niveau_type"] == "type" and not r["secret"]]
    if not any(r["niveau_type"] == "type" for r in rows):
        st.caption(t("prefecture.no_types", lang))
    bars = pd.DataFrame(
        {
            "libelle": [r["nom"] for r in published],
            "valeur": [r["valeur"] for r in published],
            "valeur_texte": [format_nombre(r["valeur"], lang) for r in published],
        }
    )
    if not bars.empty:
        spec = charts_series.bar_chart(bars, x_title=t("mesure.valeur", lang), lang=lang)
        st.vega_lite_chart(spec.to_dict(), width="stretch")
    count, rate = t("col.valeur", lang), t("col.taux", lang)
    table = pd.DataFrame(
        {
            t("col.type", lang): [
                r["nom"] if r["niveau_type"] != "type" else "\u2003" + r["nom"] for r in rows
            ],
            count: pd.array([r["valeur"] for r in rows], dtype="Float64"),
            rate: pd.array([r["taux_100k"] for r in rows], dtype="Float64"),
        }
    )
    st.dataframe(styled(table, lang, [count], [rate]), hide_index=True, width="stretch")
    path = query_path("/v1/statistiques/types", territoire=dep, niveau="departement",
                      periode=periode, langue=lang, publication=pub["id"])  # fmt: skip
    downloads(path, f"types-{dep}-{periode}", lang, key="types")
