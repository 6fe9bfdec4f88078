"""The words and number formats drawn in charts, in French (default) and English."""

from __future__ import annotations

from typing import Any

LANGS = ("fr", "en")
# French typography groups thousands with a narrow no-break space (U+202F).
NARROW_NBSP = "\u202f"

LABELS: dict[str, dict[str, str]] = {
    "secret": {"fr": "secret statistique", "en": "statistical secret"},
    "no_value": {"fr": "non disponible", "en": "not available"},
    "shape": {"fr": "{nom} ({code}) : {valeur}", "en": "{nom} ({code}): {valeur}"},
    "rate": {
        "fr": "taux {taux} pour 100 000 habitants",
        "en": "rate {taux} per 100,000 inhabitants",
    },
    "inset_paris": {"fr": "Paris et petite couronne", "en": "Paris and inner ring"},
    "departement": {"fr": "Département", "en": "Département"},
    "code": {"fr": "Code", "en": "Code"},
    "valeur": {"fr": "Nombre de signalements", "en": "Number of reports"},
    "taux": {"fr": "Pour 100 000 habitants", "en": "Per 100,000 inhabitants"},
    "periode": {"fr": "Période", "en": "Period"},
    "source": {
        "fr": "Source : Observatoire ANEF, publication n° {id} ({date}). Licence Ouverte 2.0.",
        "en": "Source: ANEF Observatory, publication no. {id} ({date}). Licence Ouverte 2.0.",
    },
    "synthetic": {
        "fr": "Données fictives de démonstration.",
        "en": "Fictitious demonstration data.",
    },
    "map_title": {
        "fr": "{mesure}, {type}, {periode}",
        "en": "{mesure}, {type}, {periode}",
    },
    "map_desc": {
        "fr": "Carte des départements : {mesure}, {type}, {periode}, publication n° {id}. "
        "{hidden} départements sur {total} en secret statistique.",
        "en": "Map of départements: {mesure}, {type}, {periode}, publication no. {id}. "
        "{hidden} of {total} départements under statistical secrecy.",
    },
    "series_title": {
        "fr": "{mesure}, {type}, {territoire}",
        "en": "{mesure}, {type}, {territoire}",
    },
    "by_family": {
        "fr": "tous les incidents et chaque famille",
        "en": "all incidents and each family",
    },
    "by_type": {"fr": "{famille}, par type", "en": "{famille}, by type"},
    "series_desc": {
        "fr": "Série par {pas} : {mesure}, {type}, {territoire}, publication n° {id}. "
        "{hidden} périodes sur {total} en secret statistique.",
        "en": "Series by {pas}: {mesure}, {type}, {territoire}, publication no. {id}. "
        "{hidden} of {total} periods under statistical secrecy.",
    },
}

# d3-format locales, applied by Vega to legend labels and axis ticks.
NUMBER_LOCALES: dict[str, dict[str, Any]] = {
    "fr": {"decimal": ",", "thousands": NARROW_NBSP, "grouping": [3], "currency": ["", " €"]},
    "en": {"decimal": ".", "thousands": ",", "grouping": [3], "currency": ["€", ""]},
}


def label(key: str, lang: str = "fr", **values: object) -> str:
    """The chart word `key` in `lang` (French fallback), formatted with `values`."""
    entry = LABELS[key]
    text = entry.get(lang if lang in LANGS else "fr", entry["fr"])
    return text.format(**values) if values else text


def format_number(n: float | int | None, lang: str = "fr", decimals: int = 0) -> str:
    """`n` written the local way: `1 234,5` in French, `1,234.5` in English; None → `—`."""
    if n is None or n != n:
        return "—"
    text = f"{n:,.{decimals}f}"
    if lang != "en":
        text = text.replace(",", NARROW_NBSP).replace(".", ",")
    return text
