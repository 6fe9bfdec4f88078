"""Page « Tendances »: national series by family and type, top départements, yearly change."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard import charts_series, client, loaders, plan
from dashboard.client import query_path
from dashboard.i18n import format_change, format_period, t
from dashboard.series import series_frame, value_text, yoy_table
from dashboard.state import current_lang, url_choice, url_value
from dashboard.tables import styled
from dashboard.views.common import (
    chart_exports,
    downloads,
    family_codes,
    incident_kind,
    measure_filter,
    measure_value,
    period_filter,
    publication_header,
    step_filter,
    step_value,
    type_filter,
    type_labels,
)
from dashboard.views.embed import embed_section, embedded_chart, is_embedded

TOP_N = 10
ALL = "tous"
# Which chart an embedded view shows (`?graphique=`): the families, or one family's types.
CHART_PARAM = "graphique"
CHARTS = ("familles", "types")


def tendances_page() -> None:
    """National lines (hidden points are gaps), top départements by rate, yearly change."""
    lang = current_lang()
    if is_embedded():
        embedded_series(lang)
        return
    st.title(t("tendances.heading", lang))
    pub = publication_header(lang)
    if pub is None:
        return
    labels = type_labels(lang)
    families = family_codes()
    left, middle, right = st.columns(3)
    with left:
        pas = step_filter(pub, lang, "france", None)
    with middle:
        mesure = measure_filter(lang)
    with right:
        famille = url_choice(
            "famille", t("filter.famille", lang), families, families[0], labels.__getitem__
        )
    decimals = 1 if mesure == "taux" else 0
    y_title = t(f"mesure.{mesure}", lang)

    st.subheader(t("tendances.by_family", lang))
    selectors = {
        code: labels[code]
        for code in ["tous", *families]
        if plan.planned(pub, "france", plan.kind_of(code, families), pas)
    }
    frame = series_frame(pub["id"], "FR", selectors, pas, mesure, lang)
    spec = charts_series.series_chart(
        frame, y_title=y_title, lang=lang, decimals=decimals
    ).to_dict()
    st.vega_lite_chart(spec, width="stretch")
    st.caption(t("tendances.gaps", lang))

    def families_image(fmt: str) -> str:
        return series_image_path(pub, "familles", ALL, pas, mesure, lang, fmt)

    chart_exports(families_image, f"tendances-familles-{pas}-{mesure}", lang)
    embed_section("tendances", {"pas": pas, "mesure": mesure}, lang, families_image,
                  t("tendances.by_family", lang))  # fmt: skip
    path = query_path("/v1/statistiques/serie", territoire="FR", type="tous", pas=pas,
                      publication=pub["id"])  # fmt: skip
    downloads(path, f"serie-france-tous-{pas}", lang, key="serie-tous")

    family_name = labels[famille].split(":", 1)[-1].strip()
    heading = t("tendances.by_type", lang, nom=family_name)
    st.subheader(heading)
    if not plan.planned(pub, "france", "type", pas):
        st.info(t("plan.not_published", lang), icon=":material/info:")
        top_and_change(pub, lang)
        return
    types = {c: lbl for c, lbl in labels.items() if c in type_codes_of(famille)}
    frame = series_frame(pub["id"], "FR", types, pas, mesure, lang)
    st.vega_lite_chart(
        charts_series.series_chart(frame, y_title=y_title, lang=lang, decimals=decimals).to_dict(),
        width="stretch",
    )

    def types_image(fmt: str) -> str:
        return series_image_path(pub, "types", famille, pas, mesure, lang, fmt)

    chart_exports(types_image, f"tendances-{famille}-{pas}-{mesure}", lang)
    view = {"pas": pas, "mesure": mesure, "famille": famille, CHART_PARAM: "types"}
    embed_section("tendances", view, lang, types_image, heading)
    with st.expander(t("carte.table_heading", lang)):
        wide = frame.pivot_table(
            index="libelle", columns="serie", values="valeur", sort=False, dropna=False
        ).reset_index(names=t("col.periode", lang))
        numeric = [c for c in wide.columns if c != t("col.periode", lang)]
        rates = numeric if mesure == "taux" else []
        st.dataframe(styled(wide, lang, [] if rates else numeric, rates), hide_index=True)

    top_and_change(pub, lang)


def series_image_path(
    pub: dict, lignes: str, type_: str, pas: str, mesure: str, lang: str, fmt: str
) -> str:
    """The API path of a national chart as `fmt`: « tous » and each family (`lignes=familles`),
    or each type of the family `type_` (`lignes=types`)."""
    return query_path(f"/v1/images/serie.{fmt}", territoire="FR", type=type_, lignes=lignes,
                      pas=pas, mesure=mesure, publication=pub["id"], langue=lang)  # fmt: skip


def embedded_series(lang: str) -> None:
    """The embedded view (`?integre=1`): one national chart only, with its source: the families
    (default), or the types of `?famille=` with `?graphique=types`."""
    pub = client.fetch_latest_publication()
    if pub is None:
        st.info(t("pub.none", lang), icon=":material/hourglass_empty:")
        return
    pas, mesure = step_value(pub), measure_value()
    view = {"pas": pas, "mesure": mesure}
    lignes, type_ = "familles", ALL
    if url_value(CHART_PARAM, CHARTS, CHARTS[0]) == "types":
        families = family_codes()
        type_ = url_value("famille", families, families[0])
        lignes = "types"
        view = {**view, "famille": type_, CHART_PARAM: "types"}

    def image(fmt: str) -> str:
        return series_image_path(pub, lignes, type_, pas, mesure, lang, fmt)

    embedded_chart("tendances", view, pub, image, lang)


def type_codes_of(famille: str) -> set[str]:
    """The type codes of one family."""
    return {x["code"] for x in client.fetch_incident_types()["types"] if x["famille"] == famille}


def top_and_change(pub: dict, lang: str) -> None:
    """Top départements by rate for a period, and the year-over-year change by département."""
    left, right = st.columns(2)
    with left:
        type_ = type_filter(lang, pub, "departement")
    kind = incident_kind(type_)
    with right:
        periode = period_filter(pub, lang, "departement", kind)
    frame = loaders.statistics_frame(pub["id"], type_, periode)
    published = frame[~frame["secret"]].dropna(subset=["taux_100k"])
    top = published.nlargest(TOP_N, "taux_100k")
    st.subheader(t("tendances.top", lang, periode=format_period(periode, lang)))
    st.caption(t("tendances.top_help", lang))
    bars = pd.DataFrame(
        {
            "libelle": [f"{n} ({c})" for n, c in zip(top["nom"], top["code"], strict=True)],
            "valeur": top["taux_100k"],
            "valeur_texte": [value_text(x, False, lang, True) for x in top["taux_100k"]],
        }
    )
    title = t("mesure.taux", lang)
    st.vega_lite_chart(
        charts_series.bar_chart(bars, x_title=title, lang=lang, decimals=1).to_dict(),
        width="stretch",
    )

    years = pub["periodes"].get("annee", [])
    if not plan.planned(pub, "departement", kind, "annee"):
        years = []
    if len(years) < 2:
        st.info(t("tendances.no_year", lang))
        return
    before, after = years[-2], years[-1]
    st.subheader(t("tendances.yoy", lang, previous=before, latest=after))
    st.caption(t("tendances.yoy_help", lang))
    table = yoy_table(
        loaders.statistics_frame(pub["id"], type_, before),
        loaders.statistics_frame(pub["id"], type_, after),
        (before, after),
        lang,
    )
    evolution = t("col.evolution", lang)
    style = styled(table, lang, [before, after]).format(
        lambda x: format_change(x, lang), subset=[evolution], na_rep=t("secret", lang)
    )
    st.dataframe(style, hide_index=True, width="stretch")
