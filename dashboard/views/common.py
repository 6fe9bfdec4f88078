"""Pieces shared by pages: the publication header, filters, downloads and chart exports."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import streamlit as st

from dashboard import client
from dashboard.i18n import format_date, format_nombre, format_period, t
from dashboard.settings import get_dashboard_settings
from dashboard.state import url_choice, url_value

STEPS = ("annee", "trimestre", "mois")
MEASURES = ("valeur", "taux")


def publication_header(lang: str) -> dict[str, Any] | None:
    """Name the publication shown (and flag demo data); None, with a message, if none exists."""
    pub = client.fetch_latest_publication()
    if pub is None:
        st.info(t("pub.none", lang), icon=":material/hourglass_empty:")
        return None
    if pub.get("synthetique"):
        st.warning(t("pub.synthetic", lang), icon=":material/science:")
    st.caption(t("pub.caption", lang, **publication_fields(pub, lang), k=pub["seuil"]))
    return pub


def publication_fields(pub: dict[str, Any], lang: str) -> dict[str, str]:
    """A publication's identity and coverage, formatted for the page's language."""
    return {
        "id": str(pub["id"]),
        "date": format_date(pub["publiee_le"], lang),
        "first": format_period(pub["premier_mois"], lang),
        "last": format_period(pub["donnees_jusqu_a"], lang),
        "associations": format_nombre(pub["associations"], lang),
        "soumissions": format_nombre(pub["soumissions"], lang),
    }


def type_labels(lang: str) -> dict[str, str]:
    """Incident selectors in display order (`tous`, each family then its types) → labels."""
    taxonomy = client.fetch_incident_types()
    suffix = "en" if lang == "en" else "fr"
    labels = {"tous": t("type.tous", lang)}
    for family in taxonomy["familles"]:
        labels[family["code"]] = t("type.famille", lang, nom=family[f"libelle_{suffix}"])
        for kind in taxonomy["types"]:
            if kind["famille"] == family["code"]:
                labels[kind["code"]] = "\u2003" + kind[f"libelle_{suffix}"]
    return labels


def family_codes() -> list[str]:
    """The family codes of the taxonomy, in order."""
    return [f["code"] for f in client.fetch_incident_types()["familles"]]


def type_value(lang: str) -> str:
    """The incident type or family `type_filter` will show (`?type=`), without drawing it."""
    return url_value("type", list(type_labels(lang)), "tous")


def type_filter(lang: str) -> str:
    """The incident type or family selectbox (`?type=`)."""
    labels = type_labels(lang)
    return url_choice("type", t("filter.type", lang), list(labels), "tous", labels.__getitem__)


def default_period(pub: dict[str, Any]) -> str:
    """The latest complete year, else quarter, else month of the publication."""
    for step in STEPS:
        if pub["periodes"].get(step):
            return pub["periodes"][step][-1]
    return pub["donnees_jusqu_a"]


def period_options(pub: dict[str, Any]) -> list[str]:
    """The publication's periods: years, then quarters, then months, latest first."""
    return [p for step in STEPS for p in reversed(pub["periodes"].get(step, []))]


def period_value(pub: dict[str, Any]) -> str:
    """The period `period_filter` will show (`?periode=`), without drawing it."""
    return url_value("periode", period_options(pub), default_period(pub))


def period_filter(pub: dict[str, Any], lang: str) -> str:
    """The period selectbox (`?periode=`): years, then quarters, then months, latest first."""
    return url_choice(
        "periode",
        t("filter.periode", lang),
        period_options(pub),
        default_period(pub),
        lambda p: format_period(p, lang),
    )


def step_options(pub: dict[str, Any]) -> tuple[list[str], str]:
    """The time steps the publication has, and the default one (quarters when there are)."""
    steps = [s for s in STEPS if pub["periodes"].get(s)] or ["mois"]
    return steps, "trimestre" if "trimestre" in steps else steps[0]


def step_value(pub: dict[str, Any]) -> str:
    """The time step `step_filter` will show (`?pas=`), without drawing it."""
    steps, default = step_options(pub)
    return url_value("pas", steps, default)


def step_filter(pub: dict[str, Any], lang: str) -> str:
    """The time step control (`?pas=`), offering only steps the publication has."""
    steps, default = step_options(pub)
    return url_choice(
        "pas",
        t("filter.pas", lang),
        steps,
        default,
        lambda s: t(f"pas.{s}", lang),
        widget="segmented",
    )


def measure_value() -> str:
    """The measure `measure_filter` will show (`?mesure=`), without drawing it."""
    return url_value("mesure", MEASURES, "valeur")


def measure_filter(lang: str) -> str:
    """Count or rate per 100,000 (`?mesure=`)."""
    return url_choice(
        "mesure",
        t("filter.mesure", lang),
        list(MEASURES),
        "valeur",
        lambda m: t("col.valeur" if m == "valeur" else "col.taux", lang),
        widget="segmented",
    )


def _deferred(path: str) -> Callable[[], bytes]:
    settings = get_dashboard_settings()

    def fetch() -> bytes:
        # Runs on click, in another thread: plain HTTP, no Streamlit cache.
        return client.get_bytes(
            settings.api_url, path, settings.request_timeout_s, settings.connect_timeout_s
        )

    return fetch


def downloads(path: str, stem: str, lang: str, *, geojson: bool = False, key: str = "") -> None:
    """CSV (and GeoJSON) download buttons serving the API's own bytes for `path`."""
    sep = "&" if "?" in path else "?"
    columns = st.columns([1, 1, 4])
    columns[0].download_button(
        t("download.csv", lang),
        data=_deferred(f"{path}{sep}format=csv"),
        file_name=f"{stem}.csv",
        mime="text/csv",
        icon=":material/download:",
        key=f"csv-{key or stem}",
        on_click="ignore",
    )
    if geojson:
        columns[1].download_button(
            t("download.geojson", lang),
            data=_deferred(f"{path}{sep}format=geojson"),
            file_name=f"{stem}.geojson",
            mime="application/geo+json",
            icon=":material/download:",
            key=f"geojson-{key or stem}",
            on_click="ignore",
        )
    columns[2].caption(t("download.source", lang, url=f"{client.public_api_url()}{path}"))


def chart_exports(image_path: Callable[[str], str], stem: str, lang: str) -> None:
    """PNG and SVG downloads of a chart: the API's own server-rendered images of it (the ones
    embedded views and articles use), `image_path(fmt)` for `svg` and `png`, fetched when
    clicked."""
    left, right, _ = st.columns([1, 1, 4])
    left.download_button(
        t("download.png", lang), data=_deferred(image_path("png")), file_name=f"{stem}.png",
        mime="image/png", icon=":material/image:", key=f"png-{stem}", on_click="ignore",
    )  # fmt: skip
    right.download_button(
        t("download.svg", lang), data=_deferred(image_path("svg")), file_name=f"{stem}.svg",
        mime="image/svg+xml", icon=":material/image:", key=f"svg-{stem}", on_click="ignore",
    )  # fmt: skip
