"""What the dashboard draws itself around charts: the map's placeholder and shared styling.

The map's spec is built by the API (`/v1/images/carte.json`, from `observatoire.charts`), so
that the dashboard, embedded views and the SVG/PNG images show the same map.
"""

from __future__ import annotations

from typing import Any

from dashboard.i18n import NARROW_NBSP

MAP_HEIGHT = 640
# Below this screen width (px) the page is one column (Streamlit's breakpoint, `head.css`):
# the map is as wide as the screen less the page's side padding (2 × 1 rem).
PHONE_MAX_WIDTH = 640
PHONE_PADDING = 32
# France, Corsica and the insets drawn `MAP_ASPECT` × as tall as wide (measured: 0.78 of the
# chart's width); the chart's height also holds its title (two lines on a phone), source and
# legend (`MAP_EXTRA`).
MAP_ASPECT = 0.74
MAP_EXTRA = 205
MIN_MAP_HEIGHT = 360
HIDDEN_FILL = "#bdbdbd"
TEXT_COLOUR = "#1a1a1a"
# d3-format locales, applied by Vega to legend labels and axis ticks.
NUMBER_LOCALES: dict[str, dict[str, Any]] = {
    "fr": {"decimal": ",", "thousands": NARROW_NBSP, "grouping": [3], "currency": ["", " €"]},
    "en": {"decimal": ".", "thousands": ",", "grouping": [3], "currency": ["€", ""]},
}


def map_height(screen_width: int | None) -> int:
    """The map's height: `MAP_HEIGHT`, or on a phone as tall as France is at its width, so
    that no empty bands lie above and below it."""
    if screen_width is None or screen_width > PHONE_MAX_WIDTH:
        return MAP_HEIGHT
    drawn = max(screen_width - PHONE_PADDING, 0) * MAP_ASPECT
    return max(MIN_MAP_HEIGHT, min(MAP_HEIGHT, round(drawn) + MAP_EXTRA))


def map_placeholder(message: str, height: int = MAP_HEIGHT) -> dict[str, Any]:
    """A map-sized Vega-Lite chart saying `message`, shown while the map's spec is prepared.

    Drawn before the map in a page's first run, it makes the browser load and start the
    chart code while the server builds and sends the map (see `views/carte.py`).
    """
    return {
        "data": {"values": [{"texte": message}]},
        "mark": {"type": "text", "fontSize": 14, "color": TEXT_COLOUR},
        "encoding": {"text": {"field": "texte", "type": "nominal"}},
        "height": height,
        "config": {"view": {"stroke": None}},
    }
