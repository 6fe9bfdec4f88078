"""Suggestions and English messages: one set of messages for every path."""

from __future__ import annotations

import pytest

from observatoire.domain.taxonomy import load_taxonomy
from observatoire.domain.territories import load_territories
from observatoire.submissions.messages import in_language, language_of
from observatoire.submissions.suggestions import suggest

TERRITORIES, TAXONOMY = load_territories(), load_taxonomy()


@pytest.mark.parametrize(
    ("field", "value", "expected"),
    [
        ("departement", "Paris", "75"),
        ("departement", "Pari", "75"),
        ("departement", "seine saint denis", "93"),
        ("departement", "1", "01"),
        ("departement", "Atlantide", None),
        ("departement", "93", None),  # already right: nothing to suggest
        ("type_incident", "rdv indisponibles", "rdv_indisponible"),
        ("type_incident", "Rendez-vous indisponible", "rdv_indisponible"),
        ("type_incident", "xyz", None),
        ("mois", "septembre 2025", "2025-09"),
        ("mois", "2025-09", None),
        ("nombre", "1 234", "1234"),
        ("nombre", True, None),
    ],
)
def test_suggestions(field, value, expected):
    assert suggest(field, value, TERRITORIES, TAXONOMY) == expected


@pytest.mark.parametrize(
    ("french", "english"),
    [
        ("le nombre ne peut pas être négatif", "the number cannot be negative"),
        ("nombre négatif « -3 » : un comptage est positif ou nul", "negative number « -3 »"),
        ("mois dans le futur (dernier mois accepté : 2026-11)", "month in the future"),
        ("code département inconnu (code INSEE : 01 à 95, 2A, 2B, 971 à 974, 976)", "unknown"),
        ("type d'incident inconnu (voir GET /v1/types-incident)", "unknown incident type"),
        ("département inconnu « Pari » (vouliez-vous dire 75 Paris ?)", "unknown département"),
        ("département manquant", "missing département"),
        ("ligne en double : même département, mois et type que la ligne 3 ; gardez", "row 3"),
        ("le mois 2026-12 n'est pas terminé : ces chiffres sont provisoires", "not over"),
    ],
)
def test_common_messages_have_an_english_form(french, english):
    assert english in in_language(french, "en")
    assert in_language(french, "fr") == french


def test_language_of_the_accept_language_header():
    assert language_of("en-GB,en;q=0.9") == "en"
    assert language_of("fr-FR,fr;q=0.9,en;q=0.5") == "fr"
    assert language_of(None) == "fr"
