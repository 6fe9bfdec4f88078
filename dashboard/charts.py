"""Chart builders: data in, `alt.Chart` out (no HTTP, no Streamlit)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import altair as alt
import pandas as pd

from dashboard.i18n import NARROW_NBSP, format_nombre, t

MAP_HEIGHT = 640
SHAPES_DATASET = "departements"
FRAMES_DATASET = "encarts"
BORDER_COLOUR = "#ffffff"
FRAME_COLOUR = "#8c8c8c"
NO_VALUE_COLOUR = "#f0f0f0"
HIDDEN_FILL = "#bdbdbd"
HIDDEN_STRIPE = "#8a8a8a"
HIDDEN_STROKE = "#525252"
HIDDEN_STRIPES = 7
ALERT_COLOUR = "#d7301f"
# Points per side of an inset frame: straight lines in lon/lat are curves once projected.
FRAME_STEPS = 12

# d3-format locales, applied by Vega to legend labels and axis ticks.
NUMBER_LOCALES: dict[str, dict[str, Any]] = {
    "fr": {"decimal": ",", "thousands": NARROW_NBSP, "grouping": [3], "currency": ["", " €"]},
    "en": {"decimal": ".", "thousands": ",", "grouping": [3], "currency": ["€", ""]},
}


def nice_breaks(values: Sequence[float], classes: int = 5) -> list[float]:
    """Class limits at the quantiles of `values`, rounded to two significant digits."""
    if classes < 2 or not values:
        return []
    series = pd.Series(values, dtype="float64")
    breaks: list[float] = []
    for q in (i / classes for i in range(1, classes)):
        x = float(series.quantile(q))
        if x > 0:
            x = float(f"{x:.2g}")
        if not breaks or x > breaks[-1]:
            breaks.append(x)
    return breaks


def merge_values(
    layout: Mapping[str, Any],
    values: Mapping[str, float | int | None],
    lang: str = "fr",
    extra: Mapping[str, Mapping[str, Any]] | None = None,
    decimals: int = 0,
) -> list[dict[str, Any]]:
    """The layout's features with `valeur` (and its text) and `extra` added to their properties.

    A département listed in `extra` with `secret: True` is labelled « secret statistique »,
    never with a bound. Geometries are shared, not copied: the chart spec carries each once.
    """
    extra = extra or {}
    features = []
    for feature in layout["features"]:
        props = feature["properties"]
        value = values.get(props["code"])
        more = extra.get(props["code"], {})
        if more.get("secret"):
            text = t("secret", lang)
        elif value is None:
            text = t("map.no_value", lang)
        else:
            text = format_nombre(value, lang, decimals)
        features.append(
            {
                "type": "Feature",
                "geometry": feature["geometry"],
                "properties": {**props, "valeur": value, "valeur_texte": text, **more},
            }
        )
    return features


def inset_frames(layout: Mapping[str, Any], lang: str = "fr") -> list[dict[str, Any]]:
    """One closed line per inset box (`encarts`), densified to follow parallels."""
    names = {
        f["properties"]["encart"]: f["properties"]["nom"]
        for f in layout["features"]
        if f["properties"].get("encart")
    }
    frames = []
    for encart in layout.get("encarts", []):
        minx, miny, maxx, maxy = encart["bbox"]
        corners = [(minx, maxy), (maxx, maxy), (maxx, miny), (minx, miny), (minx, maxy)]
        line = []
        for (x0, y0), (x1, y1) in zip(corners, corners[1:], strict=False):
            line += [
                [x0 + (x1 - x0) * i / FRAME_STEPS, y0 + (y1 - y0) * i / FRAME_STEPS]
                for i in range(FRAME_STEPS)
            ]
        line.append(list(corners[-1]))
        nom = encart["nom"]
        label = t("carte.inset_paris", lang) if nom == "paris" else names.get(nom, nom)
        frames.append(
            {
                "type": "Feature",
                "geometry": {"type": "LineString", "coordinates": line},
                "properties": {"encart": nom, "libelle": label, "x": minx, "y": maxy},
            }
        )
    return frames


def hatching(stripes: int = HIDDEN_STRIPES) -> dict[str, Any]:
    """A diagonal striped fill (a Vega gradient with hard stops): hidden cells look hatched."""
    stops = []
    for i in range(2 * stripes):
        colour = HIDDEN_FILL if i % 2 == 0 else HIDDEN_STRIPE
        stops += [
            {"offset": i / (2 * stripes), "color": colour},
            {"offset": (i + 1) / (2 * stripes), "color": colour},
        ]
    return {"gradient": "linear", "x1": 0, "y1": 0, "x2": 1, "y2": 1, "stops": stops}


def choropleth(
    layout: Mapping[str, Any],
    values: pd.DataFrame,
    *,
    value_title: str,
    lang: str = "fr",
    classes: int = 5,
    scheme: str = "blues",
    decimals: int = 0,
    extra: Mapping[str, Mapping[str, Any]] | None = None,
    tooltips: Sequence[tuple[str, str]] = (),
) -> alt.LayerChart:
    """A map of départements coloured by `values` (columns `code`, `valeur`).

    Départements without a value are light grey; those flagged `secret` in `extra` are grey
    with a dotted outline and their own legend entry (« secret statistique »); those flagged
    `alerte` get a red outline; a `lien` property makes a département a link. Colours use up
    to `classes` classes cut at rounded quantiles (`nice_breaks`), so that a few very large
    départements do not flatten the others and the legend reads easily.
    """
    breaks = nice_breaks([v for v in values["valeur"] if not pd.isna(v)], classes)
    by_code = {
        str(code): (None if pd.isna(v) else v)
        for code, v in zip(values["code"], values["valeur"], strict=True)
    }
    extra = extra or {}
    features = merge_values(layout, by_code, lang, extra, decimals)
    projection = alt.Projection(**layout.get("projection", {"type": "conicConformal"}))
    has_value = "isValid(datum.properties.valeur)"
    tooltip = [
        alt.Tooltip("properties.nom:N", title=t("col.departement", lang)),
        alt.Tooltip("properties.code:N", title=t("col.code", lang)),
        alt.Tooltip("properties.valeur_texte:N", title=value_title),
        *(alt.Tooltip(f"properties.{field}:N", title=title) for field, title in tooltips),
    ]
    links = any("lien" in more for more in extra.values())
    link = {"href": alt.Href("properties.lien:N")} if links else {}
    shapes = (
        alt.Chart(alt.NamedData(name=SHAPES_DATASET))
        .mark_geoshape(stroke=BORDER_COLOUR, strokeWidth=0.5, cursor="pointer" if links else "auto")
        .encode(
            color=alt.condition(
                has_value,
                alt.Color(
                    "properties.valeur:Q",
                    title=value_title,
                    scale=alt.Scale(
                        type="threshold",
                        domain=breaks,
                        scheme={"name": scheme, "count": len(breaks) + 1},
                    ),
                    legend=alt.Legend(format=f",.{decimals}f", orient="right", labelLimit=200),
                ),
                alt.value(NO_VALUE_COLOUR),
            ),
            tooltip=tooltip,
            **link,
        )
    )
    layers: list[alt.Chart] = [shapes]
    shape_data = alt.NamedData(name=SHAPES_DATASET)
    if any(more.get("secret") for more in extra.values()):
        label = t("secret", lang)
        layers.append(
            alt.Chart(shape_data)
            .transform_filter("datum.properties.secret")
            .transform_calculate(statut=f"{label!r}")
            .mark_geoshape(fill=hatching(), strokeWidth=0.8, strokeDash=[2, 2])
            .encode(
                stroke=alt.Stroke(
                    "statut:N",
                    title=None,
                    scale=alt.Scale(domain=[label], range=[HIDDEN_STROKE]),
                    legend=alt.Legend(
                        orient="right", symbolType="square", symbolFillColor=HIDDEN_FILL
                    ),
                ),
                tooltip=tooltip,
                **link,
            )
        )
    if any(more.get("alerte") for more in extra.values()):
        layers.append(
            alt.Chart(shape_data)
            .transform_filter("datum.properties.alerte")
            .mark_geoshape(filled=False, stroke=ALERT_COLOUR, strokeWidth=2.2)
            .encode(tooltip=tooltip, **link)
        )
    frames = inset_frames(layout, lang)
    datasets: dict[str, list[dict[str, Any]]] = {SHAPES_DATASET: features}
    if frames:
        datasets[FRAMES_DATASET] = frames
        frame_data = alt.NamedData(name=FRAMES_DATASET)
        layers.append(
            alt.Chart(frame_data)
            .mark_geoshape(filled=False, stroke=FRAME_COLOUR, strokeWidth=0.8)
            .encode(tooltip=alt.value(None))
        )
        layers.append(
            alt.Chart(frame_data)
            .mark_text(align="left", baseline="top", dx=3, dy=3, fontSize=10, color="#555555")
            .encode(
                longitude="properties.x:Q",
                latitude="properties.y:Q",
                text="properties.libelle:N",
            )
        )
    # Built in one step with the geometries as named datasets: each chained Altair call
    # would deep-copy the ~100,000 coordinates.
    return alt.LayerChart(
        layer=layers,
        datasets=datasets,
        projection=projection,
        height=MAP_HEIGHT,
        config=alt.Config(
            locale={"number": NUMBER_LOCALES.get(lang, NUMBER_LOCALES["fr"])},
            view={"stroke": None},
        ),
    )
