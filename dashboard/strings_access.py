"""Interface strings for unknown addresses, the map's text equivalent and embedding."""

from __future__ import annotations

ACCESS_STRINGS: dict[str, dict[str, str]] = {
    "notfound.title": {"fr": "Page introuvable", "en": "Page not found"},
    "notfound.text": {
        "fr": "L'adresse « {path} » ne correspond à aucune page de l'Observatoire ANEF. "
        "Voici ses pages :",
        "en": "The address “{path}” is not a page of the ANEF Observatory. Its pages are:",
    },
    "notfound.nav": {"fr": "Pages de l'observatoire", "en": "Pages of the observatory"},
    "notfound.other_lang": {"fr": "Version française", "en": "English version"},
    "map.description": {
        "fr": "Carte des départements : {mesure}, {type}, {periode}, publication n° {id}. "
        "{hidden} départements sur {total} en secret statistique. La liste des départements, "
        "avec un lien vers la page de chacun, suit la carte.",
        "en": "Map of départements: {mesure}, {type}, {periode}, publication no. {id}. "
        "{hidden} of {total} départements under statistical secrecy. The list of départements, "
        "each linking to its page, follows the map.",
    },
    "map.shape_label": {"fr": "{nom} ({code}) : {valeur}", "en": "{nom} ({code}): {valeur}"},
    "map.rate_suffix": {
        "fr": "taux {taux} pour 100 000 habitants",
        "en": "rate {taux} per 100,000 inhabitants",
    },  # fmt: skip
    "carte.list_heading": {"fr": "Départements", "en": "Départements"},
    "carte.search": {"fr": "Rechercher un département", "en": "Find a département"},
    "carte.search_help": {
        "fr": "Nom ou numéro, par exemple « Rhône » ou « 69 ».",
        "en": "Name or number, for instance “Rhône” or “69”.",
    },
    "carte.search_none": {
        "fr": "Aucun département ne correspond.",
        "en": "No département matches.",
    },  # fmt: skip
    "embed.button": {"fr": "Intégrer", "en": "Embed"},
    "embed.help": {
        "fr": "Copiez ce code dans une page web pour y montrer cette vue exacte (carte ou "
        "graphique, avec sa source). Images du même graphique servies par l'API :",
        "en": "Paste this code into a web page to show this exact view (map or chart, with "
        "its source). Images of the same chart served by the API:",
    },
    "embed.iframe_title": {
        "fr": "{titre} — Observatoire ANEF",
        "en": "{titre} — ANEF Observatory",
    },  # fmt: skip
    "embed.source": {
        "fr": "Source : Observatoire ANEF, publication n° {id} du {date} (Licence Ouverte 2.0).",
        "en": "Source: ANEF Observatory, publication no. {id} of {date} (Licence Ouverte 2.0).",
    },
    "embed.open": {"fr": "Voir sur l'observatoire", "en": "Open in the observatory"},
}
