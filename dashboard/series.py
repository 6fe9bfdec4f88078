"""Shaping API answers into frames for charts and tables (never re-deriving a count)."""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from dashboard import client
from dashboard.i18n import format_nombre, format_period, format_rate, t


def value_text(value: float | None, secret: bool, lang: str, rate: bool) -> str:
    """A published value the local way, or « secret statistique »."""
    if secret or value is None:
        return t("secret", lang)
    return format_rate(value, lang) if rate else format_nombre(value, lang)


def series_frame(
    publication: int,
    territoire: str,
    selectors: Mapping[str, str],
    pas: str,
    mesure: str,
    lang: str,
) -> pd.DataFrame:
    """One row per (selector, period): periode, libelle, serie, valeur (None if hidden)."""
    column = "taux_100k" if mesure == "taux" else "valeur"
    rows = []
    for code, label in selectors.items():
        payload = client.fetch_series(publication, territoire, code, pas)
        for item in payload["data"]:
            value = item[column]
            rows.append(
                {
                    "periode": item["periode"],
                    "libelle": format_period(item["periode"], lang),
                    "serie": label.strip(),
                    "code": code,
                    "valeur": None if item["secret"] else value,
                    "valeur_texte": value_text(value, item["secret"], lang, mesure == "taux"),
                }
            )
    frame = pd.DataFrame(
        rows, columns=["periode", "libelle", "serie", "code", "valeur", "valeur_texte"]
    )
    return frame.astype({"valeur": "Float64"}).astype({"valeur": "float64"})


def change(previous: int | None, latest: int | None) -> float | None:
    """Relative change between two published values; None (secret) when either is hidden.

    Zero before and something after has no relative change: also None.
    """
    if previous is None or latest is None or previous == 0:
        return None
    return (latest - previous) / previous


def yoy_table(
    before: pd.DataFrame, after: pd.DataFrame, years: tuple[str, str], lang: str
) -> pd.DataFrame:
    """Two yearly slices side by side (columns `code`, `nom`, `valeur`) with their change."""
    merged = before[["code", "nom", "valeur"]].merge(
        after[["code", "valeur"]], on="code", suffixes=("_avant", "_apres")
    )
    changes = [
        change(
            None if pd.isna(a) else int(a),
            None if pd.isna(b) else int(b),
        )
        for a, b in zip(merged["valeur_avant"], merged["valeur_apres"], strict=True)
    ]
    return pd.DataFrame(
        {
            t("col.code", lang): merged["code"],
            t("col.departement", lang): merged["nom"],
            years[0]: merged["valeur_avant"].astype("Float64"),
            years[1]: merged["valeur_apres"].astype("Float64"),
            t("col.evolution", lang): pd.array(changes, dtype="Float64"),
        }
    )
