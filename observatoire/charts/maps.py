"""The map of départements as a Vega-Lite spec: data in, spec out; no HTTP, no Streamlit."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import altair as alt
import pandas as pd

from observatoire.charts.labels import NUMBER_LOCALES, format_number, label
from observatoire.charts.topology import to_topology

MAP_HEIGHT = 640
SHAPES_DATASET = "departements"
FRAMES_DATASET = "encarts"
BORDER_COLOUR = "#ffffff"
FRAME_COLOUR = "#767676"
TEXT_COLOUR = "#1a1a1a"
# Colour-blind safe and ordered in lightness (dark = more); threshold classes.
SCHEME = {"name": "viridis", "extent": [1, 0.08]}
NO_VALUE_COLOUR = "#f0f0f0"
HIDDEN_FILL = "#bdbdbd"
HIDDEN_STRIPE = "#8a8a8a"
HIDDEN_STROKE = "#525252"
HIDDEN_STRIPES = 7
ALERT_COLOUR = "#d7301f"
# Points per side of an inset frame: straight lines in lon/lat are curves once projected.
FRAME_STEPS = 12
FRAME_DECIMALS = 4
# SVG, stated in the spec so that Streamlit and a plain vega-embed page draw the map alike:
# Vega's canvas renderer leaves the hatched gradient fill of hidden départements blank.
EMBED_OPTIONS = {"renderer": "svg"}


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


def map_topology(layout: Mapping[str, Any]) -> dict[str, Any]:
    """The layout's polygons as a quantised TopoJSON topology (object `departements`).

    Each shared border is stored once, on a grid: ~110 KB instead of ~350 KB of GeoJSON.
    Depends on the layout only, so callers compute it once and reuse it for every view.
    """
    return to_topology(layout["features"], SHAPES_DATASET, properties=("code", "nom", "encart"))


def merge_values(
    topology: Mapping[str, Any],
    values: Mapping[str, float | int | None],
    lang: str = "fr",
    extra: Mapping[str, Mapping[str, Any]] | None = None,
    decimals: int = 0,
) -> dict[str, Any]:
    """`topology` with `valeur` (and its text) and `extra` added to each geometry's properties.

    A département listed in `extra` with `secret: True` is labelled « secret statistique »,
    never with a bound. Arcs are shared, not copied: the chart spec carries each border once.
    """
    extra = extra or {}
    geometries = []
    for geometry in topology["objects"][SHAPES_DATASET]["geometries"]:
        props = geometry["properties"]
        value = values.get(props["code"])
        more = extra.get(props["code"], {})
        if more.get("secret"):
            text = label("secret", lang)
        elif value is None:
            text = label("no_value", lang)
        else:
            text = format_number(value, lang, decimals)
        name = label("shape", lang, nom=props["nom"], code=props["code"], valeur=text)
        if more.get("taux_texte") and not more.get("secret"):
            name += ", " + label("rate", lang, taux=more["taux_texte"])
        properties = {**props, "valeur": value, "valeur_texte": text, "aria": name, **more}
        geometries.append({**geometry, "properties": properties})
    collection = {"type": "GeometryCollection", "geometries": geometries}
    return {**topology, "objects": {SHAPES_DATASET: collection}}


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
                [
                    round(x0 + (x1 - x0) * i / FRAME_STEPS, FRAME_DECIMALS),
                    round(y0 + (y1 - y0) * i / FRAME_STEPS, FRAME_DECIMALS),
                ]
                for i in range(FRAME_STEPS)
            ]
        line.append(list(corners[-1]))
        nom = encart["nom"]
        text = label("inset_paris", lang) if nom == "paris" else names.get(nom, nom)
        frames.append(
            {
                "type": "Feature",
                "geometry": {"type": "LineString", "coordinates": line},
                "properties": {"encart": nom, "libelle": text, "x": minx, "y": maxy},
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
    scheme: Mapping[str, Any] | None = None,
    decimals: int = 0,
    description: str = "",
    extra: Mapping[str, Mapping[str, Any]] | None = None,
    tooltips: Sequence[tuple[str, str]] = (),
    topology: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """The Vega-Lite spec of a map of départements coloured by `values` (`code`, `valeur`).

    Départements without a value are light grey; those flagged `secret` in `extra` are grey
    with a dotted outline and their own legend entry (« secret statistique »); those flagged
    `alerte` get a red outline; a `lien` property makes a département a link. Colours use up
    to `classes` classes cut at rounded quantiles (`nice_breaks`), so that a few very large
    départements do not flatten the others and the legend reads easily. `topology` is
    `map_topology(layout)`, passed in when the caller keeps it between views.
    """
    breaks = nice_breaks([v for v in values["valeur"] if not pd.isna(v)], classes)
    by_code = {
        str(code): (None if pd.isna(v) else v)
        for code, v in zip(values["code"], values["valeur"], strict=True)
    }
    extra = extra or {}
    shapes_topology = merge_values(topology or map_topology(layout), by_code, lang, extra, decimals)
    projection = alt.Projection(**layout.get("projection", {"type": "conicConformal"}))
    has_value = "isValid(datum.properties.valeur)"
    tooltip = [
        alt.Tooltip("properties.nom:N", title=label("departement", lang)),
        alt.Tooltip("properties.code:N", title=label("code", lang)),
        alt.Tooltip("properties.valeur_texte:N", title=value_title),
        *(alt.Tooltip(f"properties.{field}:N", title=title) for field, title in tooltips),
    ]
    links = any("lien" in more for more in extra.values())
    link = {"href": alt.Href("properties.lien:N")} if links else {}
    shape_data = alt.NamedData(
        name=SHAPES_DATASET, format=alt.TopoDataFormat(type="topojson", feature=SHAPES_DATASET)
    )
    shapes = (
        alt.Chart(shape_data)
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
                        scheme={**(scheme or SCHEME), "count": len(breaks) + 1},
                    ),
                    legend=alt.Legend(
                        format=f",.{decimals}f",
                        orient="bottom",
                        direction="horizontal",
                        labelLimit=200,
                    ),
                ),
                alt.value(NO_VALUE_COLOUR),
            ),
            tooltip=tooltip,
            description=alt.Description("properties.aria:N"),
            **link,
        )
    )
    layers: list[alt.Chart] = [shapes]
    if any(more.get("secret") for more in extra.values()):
        secret = label("secret", lang)
        layers.append(
            alt.Chart(shape_data)
            .transform_filter("datum.properties.secret")
            .transform_calculate(statut=f"{secret!r}")
            .mark_geoshape(fill=hatching(), strokeWidth=0.8, strokeDash=[2, 2])
            .encode(
                stroke=alt.Stroke(
                    "statut:N",
                    title=None,
                    scale=alt.Scale(domain=[secret], range=[HIDDEN_STROKE]),
                    legend=alt.Legend(
                        orient="bottom", symbolType="square", symbolFillColor=HIDDEN_FILL
                    ),
                ),
                tooltip=tooltip,
                # Vega-Lite leaves départements without a value out of the first layer.
                description=alt.Description("properties.aria:N"),
                **link,
            )
        )
    if any(more.get("alerte") for more in extra.values()):
        layers.append(
            alt.Chart(shape_data)
            .transform_filter("datum.properties.alerte")
            .mark_geoshape(filled=False, stroke=ALERT_COLOUR, strokeWidth=2.2, aria=False)
            .encode(tooltip=tooltip, **link)
        )
    frames = inset_frames(layout, lang)
    datasets: dict[str, Any] = {SHAPES_DATASET: shapes_topology}
    if frames:
        datasets[FRAMES_DATASET] = frames
        frame_data = alt.NamedData(name=FRAMES_DATASET)
        layers.append(
            alt.Chart(frame_data)
            .mark_geoshape(filled=False, stroke=FRAME_COLOUR, strokeWidth=0.8, aria=False)
            .encode(tooltip=alt.value(None))
        )
        layers.append(
            alt.Chart(frame_data)
            .mark_text(
                align="left", baseline="top", dx=3, dy=3, fontSize=11, color=TEXT_COLOUR, aria=False
            )  # fmt: skip
            .encode(
                longitude="properties.x:Q",
                latitude="properties.y:Q",
                text="properties.libelle:N",
            )
        )
    chart = alt.LayerChart(
        layer=layers,
        projection=projection,
        height=MAP_HEIGHT,
        usermeta={"embedOptions": EMBED_OPTIONS},
        description=description or value_title,
        config=alt.Config(
            locale={"number": NUMBER_LOCALES.get(lang, NUMBER_LOCALES["fr"])},
            view={"stroke": None},
            legend={
                "labelColor": TEXT_COLOUR,
                "titleColor": TEXT_COLOUR,
                "labelFontSize": 12,
                "titleFontSize": 12,
            },  # fmt: skip
        ),
    )
    # The geometry joins the spec after Altair: its `to_dict` would walk (and validate) each
    # of the ~25,000 arc coordinates, about half a second per view.
    return {**chart.to_dict(), "datasets": datasets}
