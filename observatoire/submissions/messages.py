"""The submission messages in English, for `Accept-Language: en`.

Messages are written once, in French, where the rule lives; this table gives their English
form. A message without an entry stays in French (and a test lists the common ones).
"""

from __future__ import annotations

import re

# (French pattern, English template): groups are carried over as they are (values, codes).
_ENGLISH: tuple[tuple[str, str], ...] = (
    (r"le nombre ne peut pas être négatif", "the number cannot be negative"),
    (
        r"nombre négatif « (.*) » : un comptage est positif ou nul",
        r"negative number « \1 »: a count is zero or more",
    ),
    (
        r"le nombre doit être un entier \(ni décimal, ni texte, ni booléen\)",
        "the number must be a whole number (not a decimal, text or boolean)",
    ),
    (
        r"nombre décimal « (.*) » : un nombre entier est attendu",
        r"decimal « \1 »: a whole number is expected",
    ),
    (
        r"nombre illisible « (.*) » : un nombre entier est attendu",
        r"unreadable number « \1 »: a whole number is expected",
    ),
    (
        r"le nombre dépasse le maximum accepté \((\d+)\)",
        r"the number exceeds the maximum accepted (\1)",
    ),
    (r"(département|mois|nombre|type d'incident) manquant", r"missing \1"),
    (r"champ obligatoire manquant", "required field missing"),
    (r"champ inconnu", "unknown field"),
    (
        r"département inconnu « (.*?) »(?: \(vouliez-vous dire (.*) \?\))?",
        r"unknown département « \1 »",
    ),
    (
        r"code département inconnu \(code INSEE : 01 à 95, 2A, 2B, 971 à 974, 976\)",
        "unknown département code (INSEE code: 01 to 95, 2A, 2B, 971 to 974, 976)",
    ),
    (
        r"code département inconnu : écrire « (.*) » \(deux caractères\)",
        r"unknown département code: write « \1 » (two characters)",
    ),
    (
        r"département ambigu « (.*) » : peut désigner (.*) ; indiquez le code",
        r"ambiguous département « \1 »: may mean \2; give the code",
    ),
    (
        r"type d'incident inconnu(?: « (.*) »)? \(voir GET /v1/types-incident\)",
        r"unknown incident type \1 (see GET /v1/types-incident)",
    ),
    (
        r"mois invalide : format attendu AAAA-MM \(ex\. 2025-03\)",
        "invalid month: expected YYYY-MM (e.g. 2025-03)",
    ),
    (
        r"mois illisible « (.*) » : .*",
        r"unreadable month « \1 »: expected YYYY-MM (e.g. 2025-03), MM/YYYY or « March 2025 »",
    ),
    (
        r"mois antérieur au premier mois accepté \((.*)\)",
        r"month before the first accepted month (\1)",
    ),
    (
        r"mois dans le futur \(dernier mois accepté : (.*)\)",
        r"month in the future (last accepted month: \1): only months that have started can be sent",
    ),
    (
        r"le mois (.*) n'est pas terminé : .*",
        r"month \1 is not over: these figures are provisional, resend them when it is",
    ),
    (
        r"le mois (.*) précède le premier mois déclaré par votre association \((.*)\) : .*",
        r"month \1 is before your association's declared first month (\2): check the year",
    ),
    (
        r"ligne en double : même département, mois et type que la ligne (\d+)(.*?)(?: ; .*)?",
        r"duplicate row: same département, month and type as row \1: keep one row (or add them up)",
    ),
    (r"la ligne a (\d+) colonnes au lieu de (\d+)", r"the row has \1 columns instead of \2"),
    (r"le lot ne contient aucune ligne", "the batch holds no row"),
    (r"le fichier ne contient aucune valeur", "the file holds no value"),
    (r"fichier vide", "empty file"),
    (r"format non reconnu : CSV ou XLSX attendu", "unknown format: CSV or XLSX expected"),
    (
        r"ancien format Excel \(\.xls\) .*",
        "old Excel format (.xls) not supported: save as .xlsx or CSV",
    ),
    (
        r"en-tête introuvable .*",
        "header not found: expected departement, mois, type_incident, nombre",
    ),
    (r"fichier XLSX illisible.*", "unreadable XLSX file"),
    (r"encodage non reconnu.*", "unknown encoding: save the file as UTF-8 CSV"),
    (
        r"le (lot|fichier) contient (\d+) (lignes|valeurs), au plus (\d+) sont acceptées.*",
        r"the \1 holds \2 rows, at most \4 are accepted: split it",
    ),
)
_COMPILED = tuple((re.compile(f"^{pattern}$"), english) for pattern, english in _ENGLISH)
_WORDS = {
    "lot": "batch",
    "fichier": "file",
    "département": "département",
    "mois": "month",
    "nombre": "number",
    "type d'incident": "incident type",
}


def in_language(message: str, lang: str) -> str:
    """`message` (French) in `lang` (`fr` or `en`)."""
    if lang != "en":
        return message
    for pattern, english in _COMPILED:
        if match := pattern.match(message):
            text = match.expand(english)
            for french, word in _WORDS.items():
                text = text.replace(f"missing {french}", f"missing {word}")
                text = text.replace(f"the {french} holds", f"the {word} holds")
            return text
    return message


def language_of(accept_language: str | None) -> str:
    """`en` when the client prefers English, `fr` otherwise."""
    first = (accept_language or "").split(",", 1)[0].strip().lower()
    return "en" if first.startswith("en") else "fr"
