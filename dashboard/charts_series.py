"""Line and bar charts: data in, `alt.Chart` out (no HTTP, no Streamlit)."""

from __future__ import annotations

import altair as alt
import pandas as pd

from dashboard.charts import HIDDEN_FILL, NUMBER_LOCALES
from dashboard.i18n import t

LINE_HEIGHT = 320
BAR_ROW_PX = 22


def _config(lang: str) -> alt.Config:
    return alt.Config(locale={"number": NUMBER_LOCALES.get(lang, NUMBER_LOCALES["fr"])})


def series_chart(
    frame: pd.DataFrame, *, y_title: str, lang: str = "fr", decimals: int = 0
) -> alt.LayerChart:
    """Lines over periods (columns `periode`, `libelle`, `serie`, `valeur`, `valeur_texte`).

    A hidden value (`valeur` null) breaks the line: it is a gap, never a zero. With a single
    series, hidden periods are also shaded, with a « secret statistique » legend entry.
    """
    order = list(dict.fromkeys(frame.sort_values("periode")["libelle"]))
    x = alt.X(
        "libelle:N", sort=order, title=None, axis=alt.Axis(labelAngle=-45 if len(order) > 8 else 0)
    )
    tooltip = [
        alt.Tooltip("serie:N", title=t("col.serie", lang)),
        alt.Tooltip("libelle:N", title=t("col.periode", lang)),
        alt.Tooltip("valeur_texte:N", title=y_title),
    ]
    several = frame["serie"].nunique() > 1
    colour = (
        {"color": alt.Color("serie:N", title=None, legend=alt.Legend(orient="bottom", columns=2))}
        if several
        else {}
    )
    base = alt.Chart(frame)
    line = base.mark_line(point=True, invalid="break-paths-show-domains").encode(
        x=x,
        y=alt.Y("valeur:Q", title=y_title, axis=alt.Axis(format=f",.{decimals}f")),
        tooltip=tooltip,
        **colour,
    )
    layers = [line]
    hidden = frame[frame["valeur"].isna()]
    if not several and not hidden.empty:
        label = t("secret", lang)
        layers.insert(
            0,
            alt.Chart(hidden.assign(statut=label))
            .mark_bar(opacity=0.6)
            .encode(
                x=x,
                y=alt.value(0),
                y2=alt.value(LINE_HEIGHT),
                fill=alt.Fill(
                    "statut:N",
                    title=None,
                    scale=alt.Scale(domain=[label], range=[HIDDEN_FILL]),
                    legend=alt.Legend(orient="bottom"),
                ),
                tooltip=[alt.Tooltip("libelle:N", title=t("col.periode", lang)), "statut:N"],
            ),
        )
    return alt.LayerChart(layer=layers, height=LINE_HEIGHT, config=_config(lang))


def bar_chart(
    frame: pd.DataFrame, *, x_title: str, lang: str = "fr", decimals: int = 0
) -> alt.Chart:
    """Horizontal bars, largest first (columns `libelle`, `valeur`, `valeur_texte`)."""
    return (
        alt.Chart(frame, config=_config(lang))
        .mark_bar(color="#3182bd")
        .encode(
            y=alt.Y("libelle:N", sort="-x", title=None, axis=alt.Axis(labelLimit=260)),
            x=alt.X("valeur:Q", title=x_title, axis=alt.Axis(format=f",.{decimals}f")),
            tooltip=[
                alt.Tooltip("libelle:N", title=" "),
                alt.Tooltip("valeur_texte:N", title=x_title),
            ],
        )
        .properties(height=max(120, BAR_ROW_PX * len(frame)))
    )
