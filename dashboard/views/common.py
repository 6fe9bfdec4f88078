"""Pieces shared by pages: the publication header, filters, downloads and chart exports."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import streamlit as st

from dashboard import client, plan
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


def type_options(
    lang: str,
    pub: dict[str, Any] | None = None,
    territory: str | None = None,
    steps: tuple[str, ...] = STEPS,
) -> dict[str, str]:
    """`type_labels` kept to the incident levels the publication's plan publishes for
    `territory` at one of `steps` (every selector without `pub` or `territory`)."""
    labels = type_labels(lang)
    if pub is None or territory is None:
        return labels
    kinds = plan.kinds_for(pub, territory, steps) or ["tous"]
    families = family_codes()
    return {c: label for c, label in labels.items() if plan.kind_of(c, families) in kinds}


def incident_kind(code: str) -> str:
    """`tous`, `famille` or `type`: the incident level of a selector."""
    return plan.kind_of(code, family_codes())


def type_value(lang: str, pub: dict[str, Any] | None = None, territory: str | None = None) -> str:
    """The incident type or family `type_filter` will show (`?type=`), without drawing it."""
    return url_value("type", list(type_options(lang, pub, territory)), "tous")


def type_filter(
    lang: str,
    pub: dict[str, Any] | None = None,
    territory: str | None = None,
    steps: tuple[str, ...] = STEPS,
) -> str:
    """The incident type or family selectbox (`?type=`): with `pub` and `territory`, only the
    levels its plan publishes there (e.g. families and « tous » for départements)."""
    labels = type_options(lang, pub, territory, steps)
    return url_choice("type", t("filter.type", lang), list(labels), "tous", labels.__getitem__)


def default_period(
    pub: dict[str, Any], territory: str | None = None, kind: str | None = None
) -> str:
    """The latest complete year, else quarter, else month of the publication (among the steps
    its plan publishes for `territory` and `kind`, when given)."""
    options = period_options(pub, territory, kind)
    for step in STEPS:
        found = [p for p in pub["periodes"].get(step, []) if p in options]
        if found:
            return found[-1]
    return options[0] if options else pub["donnees_jusqu_a"]


def period_options(
    pub: dict[str, Any], territory: str | None = None, kind: str | None = None
) -> list[str]:
    """The publication's periods: years, then quarters, then months, latest first; with
    `territory`, only the steps its plan publishes for it (and for the incident level `kind`)."""
    steps = STEPS if territory is None else plan.steps_for(pub, territory, kind)
    return [p for step in steps for p in reversed(pub["periodes"].get(step, []))]


def period_value(pub: dict[str, Any], territory: str | None = None, kind: str | None = None) -> str:
    """The period `period_filter` will show (`?periode=`), without drawing it."""
    options = period_options(pub, territory, kind)
    return url_value("periode", options, default_period(pub, territory, kind))


def period_filter(
    pub: dict[str, Any], lang: str, territory: str | None = None, kind: str | None = None
) -> str:
    """The period selectbox (`?periode=`): years, then quarters, then months, latest first;
    with `territory` (and `kind`), only the steps the plan publishes there."""
    return url_choice(
        "periode",
        t("filter.periode", lang),
        period_options(pub, territory, kind) or [default_period(pub)],
        default_period(pub, territory, kind),
        lambda p: format_period(p, lang),
    )


def step_options(
    pub: dict[str, Any], territory: str | None = None, kind: str | None = None
) -> tuple[list[str], str]:
    """The time steps the publication has (and, with `territory`, that its plan publishes
    there for the incident level `kind`), and the default one (quarters when there are)."""
    if territory is None:
        steps = [s for s in STEPS if pub["periodes"].get(s)] or ["mois"]
    else:
        steps = plan.steps_for(pub, territory, kind) or ["mois"]
    return steps, "trimestre" if "trimestre" in steps else steps[0]


def step_value(pub: dict[str, Any], territory: str | None = None, kind: str | None = None) -> str:
    """The time step `step_filter` will show (`?pas=`), without drawing it."""
    steps, default = step_options(pub, territory, kind)
    return url_value("pas", steps, default)


def step_filter(
    pub: dict[str, Any], lang: str, territory: str | None = None, kind: str | None = None
) -> str:
    """The time step control (`?pas=`), offering only steps the publication has (and, with
    `territory`, that its plan publishes there for the incident level `kind`)."""
    steps, default = step_options(pub, territory, kind)
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
