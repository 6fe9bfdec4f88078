"""Interface strings in French (default) and English, and number formatting."""

from __future__ import annotations

from datetime import date
from typing import Literal

from dashboard.espace.strings import ESPACE_STRINGS
from dashboard.strings import PAGE_STRINGS
from dashboard.strings_access import ACCESS_STRINGS
from dashboard.strings_methodo import METHODO_STRINGS

Lang = Literal["fr", "en"]
LANGS: tuple[Lang, ...] = ("fr", "en")
DEFAULT_LANG: Lang = "fr"
# French typography groups thousands with a narrow no-break space (U+202F).
NARROW_NBSP = "\u202f"

STRINGS: dict[str, dict[Lang, str]] = {
    "app.title": {"fr": "Observatoire ANEF", "en": "ANEF Observatory"},
    "app.tagline": {
        "fr": "Défaillances de l'Administration numérique des étrangers en France, "
        "déclarées par des associations.",
        "en": "Failures of France's online residence-permit platform (ANEF), "
        "reported by associations.",
    },
    "app.language": {"fr": "Langue", "en": "Language"},
    "page.carte": {"fr": "Carte", "en": "Map"},
    "page.methodologie": {"fr": "Méthodologie", "en": "Methodology"},
    "carte.insets": {
        "fr": "Les cinq départements d'outre-mer et Paris avec la petite couronne (75, 92, 93, "
        "94) sont dessinés en encarts, à gauche ; les échelles des encarts diffèrent.",
        "en": "The five overseas départements and Paris with its inner ring (75, 92, 93, 94) "
        "are drawn as insets on the left; inset scales differ.",
    },
    "carte.table_heading": {
        "fr": "Tableau des départements",
        "en": "Table of départements",
    },
    "carte.table_expander": {
        "fr": "Tableau des départements et téléchargements (CSV, GeoJSON)",
        "en": "Table of départements and downloads (CSV, GeoJSON)",
    },
    "carte.table_help": {
        "fr": "Les mêmes données que la carte ; cliquez sur un en-tête pour trier.",
        "en": "The same data as the map; click a header to sort.",
    },
    "carte.loading": {"fr": "Chargement de la carte…", "en": "Loading the map…"},
    "carte.inset_paris": {"fr": "Paris et petite couronne", "en": "Paris and inner ring"},
    "col.code": {"fr": "Code", "en": "Code"},
    "col.departement": {"fr": "Département", "en": "Département"},
    "col.region": {"fr": "Région", "en": "Region"},
    "col.prefecture": {"fr": "Préfecture", "en": "Prefecture"},
    "col.population": {"fr": "Population", "en": "Population"},
    "map.no_value": {"fr": "non disponible", "en": "not available"},
    "methodo.heading": {"fr": "Méthodologie et sources", "en": "Methodology and sources"},
    "methodo.taxonomy": {
        "fr": "Types d'incident (taxonomie, version {version})",
        "en": "Incident types (taxonomy, version {version})",
    },
    "col.famille": {"fr": "Famille", "en": "Family"},
    "col.type": {"fr": "Type d'incident", "en": "Incident type"},
    "col.description": {"fr": "Description", "en": "Description"},
    "error.title": {
        "fr": "Les données de l'observatoire sont momentanément indisponibles.",
        "en": "The observatory's data is temporarily unavailable.",
    },
    "error.connexion": {
        "fr": "Le service de données ({url}) ne répond pas.",
        "en": "The data service ({url}) does not answer.",
    },
    "error.delai": {
        "fr": "Le service de données ({url}) a mis trop de temps à répondre.",
        "en": "The data service ({url}) took too long to answer.",
    },
    "error.erreur_http": {
        "fr": "Le service de données ({url}) a répondu par une erreur ({detail}).",
        "en": "The data service ({url}) answered with an error ({detail}).",
    },
    "error.reponse_invalide": {
        "fr": "Le service de données ({url}) a envoyé une réponse inattendue ({detail}).",
        "en": "The data service ({url}) sent an unexpected answer ({detail}).",
    },
    "error.what_to_do": {
        "fr": "Réessayez dans quelques minutes. Si le problème persiste, signalez-le aux "
        "responsables de l'observatoire ; s'il s'agit de votre installation, vérifiez que l'API "
        "est démarrée et que la variable `OBSERVATOIRE_API_URL` pointe vers elle.",
        "en": "Please try again in a few minutes. If the problem persists, tell the "
        "observatory's maintainers; on your own installation, check that the API is running "
        "and that `OBSERVATOIRE_API_URL` points to it.",
    },
    "error.retry": {"fr": "Réessayer", "en": "Try again"},
}


STRINGS.update(PAGE_STRINGS)  # type: ignore[arg-type]
STRINGS.update(METHODO_STRINGS)  # type: ignore[arg-type]
STRINGS.update(ACCESS_STRINGS)  # type: ignore[arg-type]
STRINGS.update(ESPACE_STRINGS)  # type: ignore[arg-type]

MONTHS: dict[Lang, tuple[str, ...]] = {
    "fr": (
        "janvier", "février", "mars", "avril", "mai", "juin",
        "juillet", "août", "septembre", "octobre", "novembre", "décembre",
    ),
    "en": (
        "January", "February", "March", "April", "May", "June",
        "July", "August", "September", "October", "November", "December",
    ),
}  # fmt: skip


def normalize_lang(value: str | None) -> Lang:
    """A supported language code for `value` (French when missing or unknown)."""
    value = (value or "").strip().lower()[:2]
    return value if value in LANGS else DEFAULT_LANG  # type: ignore[return-value]


def t(key: str, lang: str = DEFAULT_LANG, **values: object) -> str:
    """The string `key` in `lang` (French fallback), formatted with `values`.

    An unknown key raises `KeyError`: a typo must fail in tests, not show a blank.
    """
    entry = STRINGS[key]
    text = entry.get(normalize_lang(lang)) or entry[DEFAULT_LANG]
    return text.format(**values) if values else text


def format_nombre(n: float | int | None, lang: str = DEFAULT_LANG, decimals: int = 0) -> str:
    """`n` written the local way: `1 234 567,5` in French, `1,234,567.5` in English."""
    if n is None or n != n:  # None or NaN
        return "—"
    text = f"{n:,.{decimals}f}"
    if normalize_lang(lang) == "fr":
        text = text.replace(",", NARROW_NBSP).replace(".", ",")
    return text


def format_rate(x: float | None, lang: str = DEFAULT_LANG) -> str:
    """A rate per 100,000 with one decimal: `12,5` in French, `12.5` in English."""
    return format_nombre(x, lang, decimals=1)


def format_share(x: float, lang: str = DEFAULT_LANG) -> str:
    """A share in [0, 1] as a percentage: `58 %` in French (no-break space), `58%` in English."""
    text = format_nombre(100 * x, lang, decimals=0)
    return f"{text}\u00a0%" if normalize_lang(lang) == "fr" else f"{text}%"


def format_date(value: str | date, lang: str = DEFAULT_LANG) -> str:
    """`26 novembre 2026` in French, `26 November 2026` in English (ISO date or datetime in)."""
    day = value if isinstance(value, date) else date.fromisoformat(str(value)[:10])
    month = MONTHS[normalize_lang(lang)][day.month - 1]
    return f"{day.day} {month} {day.year}"


def format_period(period: str, lang: str = DEFAULT_LANG) -> str:
    """`2024`, `T3 2024` / `Q3 2024`, `mars 2024` / `March 2024`."""
    lang = normalize_lang(lang)
    if len(period) == 4:
        return period
    year, rest = period.split("-", 1)
    if rest.startswith("T"):
        return f"T{rest[1:]} {year}" if lang == "fr" else f"Q{rest[1:]} {year}"
    return f"{MONTHS[lang][int(rest) - 1]} {year}"


def format_change(x: float | None, lang: str = DEFAULT_LANG) -> str:
    """A relative change with its sign: `+12,5 %`, `−3,0 %` (None: the secret label)."""
    if x is None:
        return t("secret", lang)
    sign = "+" if x >= 0 else "\u2212"
    text = format_nombre(abs(100 * x), lang, decimals=1)
    return f"{sign}{text}\u00a0%" if normalize_lang(lang) == "fr" else f"{sign}{text}%"
