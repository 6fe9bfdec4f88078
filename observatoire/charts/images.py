"""Views of one publication as Vega-Lite specs and as images (SVG, PNG) with their text.

`map_view` and `series_view` take published rows (hidden cells already `None`) and say in the
image what it shows, its source, publication and licence; `to_svg` adds a `<title>`, a
`<desc>` and an `aria-label` to vl-convert's SVG, so that the image carries its own text
alternative wherever it is used.
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd

from observatoire.charts.labels import format_number, label
from observatoire.charts.maps import choropleth

SVG_OPEN_RE = re.compile(r"<svg\b[^>]*>")
SOURCE_COLOUR = "#1a1a1a"
MAP_WIDTH = 600
# The characters of a chart's title line that fit a phone's width (~320 px at 15 px).
TITLE_CHARS = 40
LOADER_BASE = "https://vega.github.io/vega-datasets/"
# Okabe–Ito hues darkened for 3:1 on white (the dashboard's `chartCategoricalColors`).
LINE_COLOURS = ("#0b4f9c", "#c85a00", "#00796b", "#b0277a", "#5f4b8b", "#6b6b00")


@dataclass(frozen=True)
class Caption:
    """What an image says about itself: title, description, and source with licence."""

    title: str
    description: str
    source: str


@dataclass(frozen=True)
class Figure:
    """A row as charts read it: code, name, value (None when hidden), rate."""

    code: str
    nom: str
    valeur: int | None
    taux_100k: float | None


def source_line(pub_id: int, pub_date: str, synthetic: bool, lang: str) -> str:
    """« Source : Observatoire ANEF, publication n° 3 (2026-11-26). Licence Ouverte 2.0. »"""
    text = label("source", lang, id=pub_id, date=pub_date[:10])
    return f"{label('synthetic', lang)} {text}" if synthetic else text


def title_lines(text: str, width: int = TITLE_CHARS) -> str | list[str]:
    """`text`, cut after a comma into lines of at most `width` characters where it can be:
    Vega draws a title on one line and cuts what does not fit (on a phone, most of it)."""
    lines: list[str] = []
    for part in text.split(", "):
        if lines and len(lines[-1]) + 2 + len(part) <= width:
            lines[-1] += ", " + part
        else:
            if lines:
                lines[-1] += ","
            lines.append(part)
    return lines if len(lines) > 1 else text


def with_caption(spec: dict[str, Any], caption: Caption) -> dict[str, Any]:
    """`spec` titled, described, and with its source line drawn beneath the title."""
    title = {
        "text": title_lines(caption.title),
        # One sentence a line: the source stays whole on a phone's width.
        "subtitle": [
            part if part.endswith(".") else part + "." for part in caption.source.split(". ")
        ],  # fmt: skip
        "anchor": "start",
        "color": SOURCE_COLOUR,
        "subtitleColor": SOURCE_COLOUR,
        "fontSize": 15,
        "subtitleFontSize": 11,
    }
    return {**spec, "title": title, "description": caption.description}


def map_view(
    layout: Mapping[str, Any],
    topology: Mapping[str, Any],
    rows: Sequence[Figure],
    *,
    mesure: str,
    caption: Caption,
    lang: str,
    alerts: Sequence[str] = (),
    link: str = "./prefecture?dep={code}",
) -> dict[str, Any]:
    """The map of départements for one view, each département linking to `link`."""
    column = "taux_100k" if mesure == "taux" else "valeur"
    values = pd.DataFrame(
        {"code": [r.code for r in rows], "valeur": [getattr(r, column) for r in rows]}
    )
    flagged = set(alerts)
    extra = {
        r.code: {
            "secret": r.valeur is None,
            "alerte": r.code in flagged,
            "lien": link.format(code=r.code),
            "taux_texte": label("secret", lang)
            if r.valeur is None
            else format_number(r.taux_100k, lang, 1),
        }
        for r in rows
    }
    spec = choropleth(
        layout,
        values,
        value_title=label(mesure, lang),
        lang=lang,
        decimals=1 if mesure == "taux" else 0,
        extra=extra,
        tooltips=[] if mesure == "taux" else [("taux_texte", label("taux", lang))],
        topology=topology,
        description=caption.description,
    )
    # A fixed width for images; the dashboard's chart element stretches it to its column.
    return with_caption({**spec, "width": MAP_WIDTH}, caption)


def series_view(
    lines: Sequence[tuple[str, Sequence[Figure]]], *, mesure: str, caption: Caption, lang: str
) -> dict[str, Any]:
    """One territory over periods, one line per (name, rows): broken at hidden periods, points
    named for readers; several lines get a colour each and a legend beneath."""
    column = "taux_100k" if mesure == "taux" else "valeur"
    decimals = 1 if mesure == "taux" else 0
    several = len(lines) > 1
    values = []
    for name, rows in lines:
        prefix = f"{name}, " if several else ""
        values += [
            {
                "serie": name,
                "periode": r.code,
                "valeur": getattr(r, column),
                "aria": f"{prefix}{r.code} : {format_number(getattr(r, column), lang, decimals)}"
                if r.valeur is not None
                else f"{prefix}{r.code} : {label('secret', lang)}",
            }
            for r in rows
        ]
    x = {"field": "periode", "type": "ordinal", "title": label("periode", lang)}
    y = {"field": "valeur", "type": "quantitative", "title": label(mesure, lang)}
    colour: dict[str, Any] = {"color": {"value": LINE_COLOURS[0]}}
    if several:
        # One a line, within a phone's width (the longest names cut short there).
        legend = {"orient": "bottom", "columns": 1, "labelLimit": 260}
        colour = {"color": {"field": "serie", "type": "nominal", "title": None, "legend": legend,
                            "sort": [name for name, _ in lines],
                            "scale": {"range": list(LINE_COLOURS)}}}  # fmt: skip
    spec = {
        "$schema": "https://vega.github.io/schema/vega-lite/v5.json",
        "data": {"values": values},
        "width": 640,
        "height": 320,
        "layer": [
            {"mark": {"type": "line", "aria": False}, "encoding": {"x": x, "y": y, **colour}},
            {"mark": {"type": "point", "filled": True, "size": 50},
             "encoding": {"x": x, "y": y, **colour, "description": {"field": "aria"}}},
        ],
        "config": {"axis": {"labelColor": SOURCE_COLOUR, "titleColor": SOURCE_COLOUR},
                   "legend": {"labelColor": SOURCE_COLOUR}},
    }  # fmt: skip
    return with_caption(spec, caption)


def to_svg(spec: Mapping[str, Any], caption: Caption) -> bytes:
    """The chart as SVG with `<title>`, `<desc>` (text alternative and source) and a name."""
    import vl_convert as vlc

    # vl-convert resolves relative links against its data loader's base URL: kept relative.
    svg = vlc.vegalite_to_svg(dict(spec)).replace(f'href="{LOADER_BASE}', 'href="')
    opening = SVG_OPEN_RE.search(svg)
    if opening is None:
        return svg.encode()
    tag = opening.group(0)
    named = tag[:-1] + (
        f' role="img" aria-labelledby="titre desc" aria-label="{html.escape(caption.title)}">'
    )
    text = (
        f'<title id="titre">{html.escape(caption.title)}</title>'
        f'<desc id="desc">{html.escape(caption.description)} {html.escape(caption.source)}</desc>'
    )
    return (svg[: opening.start()] + named + text + svg[opening.end() :]).encode()


def to_png(spec: Mapping[str, Any], scale: float = 2.0) -> bytes:
    """The chart as PNG (its title and source line are drawn in the image)."""
    import vl_convert as vlc

    return vlc.vegalite_to_png(dict(spec), scale=scale)
