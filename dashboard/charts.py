"""What the dashboard draws itself around charts: the map's placeholder and shared styling.

The map's spec is built by the API (`/v1/images/carte.json`, from `observatoire.charts`), so
that the dashboard, embedded views and the SVG/PNG images show the same map.
"""

from __future__ import annotations

from typing import Any

from dashboard.i18n import NARROW_NBSP

MAP_HEIGHT = 640
HIDDEN_FILL = "#bdbdbd"
TEXT_COLOUR = "#1a1a1a"
# d3-format locales, applied by Vega to legend labels and axis ticks.
NUMBER_LOCALES: dict[str, dict[str, Any]] = {
    "fr": {"decimal": ",", "thousands": NARROW_NBSP, "grouping": [3], "currency": ["", " €"]},
    "en": {"decimal": ".", "thousands": ",", "grouping": [3], "currency": ["€", ""]},
}


def map_placeholder(message: str) -> dict[str, Any]:
    """A map-sized Vega-Lite chart saying `message`, shown while the map's spec is prepared.

    Drawn before the map in a page's first run, it makes the browser load and start the
    chart code while the server builds and sends the map (see `views/carte.py`).
    """
    return {
        "data": {"values": [{"texte": message}]},
        "mark": {"type": "text", "fontSize": 14, "color": TEXT_COLOUR},
        "encoding": {"text": {"field": "texte", "type": "nominal"}},
        "height": MAP_HEIGHT,
        "config": {"view": {"stroke": None}},
    }
