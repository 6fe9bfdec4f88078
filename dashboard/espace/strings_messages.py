"""Strings of the association space's messages: errors, completeness, coverage (FR, EN)."""

from __future__ import annotations

MESSAGE_PAIRS: dict[str, tuple[str, str]] = {
    "espace.error.cle": (
        "Clé refusée : elle est inconnue, révoquée ou expirée. Vérifiez-la (elle commence "
        "par obs_ et se colle en entier) ou demandez-en une nouvelle aux responsables de "
        "l'observatoire.",
        "Key refused: it is unknown, revoked or expired. Check it (it starts with obs_ and "
        "must be pasted whole) or ask the observatory's maintainers for a new one.",
    ),
    "espace.error.refus": ("Données refusées.", "Data refused."),
    "espace.error.trop_gros": (
        "Fichier trop volumineux pour l'observatoire : rien n'a été enregistré. Découpez-le "
        "(par exemple un fichier par trimestre) et envoyez les morceaux un par un.",
        "File too large for the observatory: nothing was stored. Split it (one file per "
        "quarter, for instance) and send the parts one by one.",
    ),
    "espace.error.trop_vite": (
        "Trop de demandes en peu de temps : attendez {retry} secondes, puis réessayez. Rien "
        "n'a été perdu.",
        "Too many requests in a short time: wait {retry} seconds, then try again. Nothing "
        "was lost.",
    ),
    "espace.error.en_cours": (
        "Cet envoi est encore en cours d'enregistrement : attendez quelques secondes, puis "
        "regardez « Mes envois ».",
        "This submission is still being stored: wait a few seconds, then look at « My "
        "submissions ».",
    ),
    "espace.error.introuvable": (
        "Introuvable : cet élément n'existe pas ou n'appartient pas à votre association.",
        "Not found: this item does not exist or does not belong to your association.",
    ),
    "espace.error.indisponible": (
        "Le service de l'observatoire ne répond pas pour le moment : rien n'a été envoyé ni "
        "enregistré. Réessayez dans quelques minutes ; si cela dure, prévenez les "
        "responsables de l'observatoire.",
        "The observatory's service is not answering right now: nothing was sent or stored. "
        "Try again in a few minutes; if it lasts, tell the observatory's maintainers.",
    ),
    "espace.error.inattendu": (
        "Réponse inattendue du service de l'observatoire ({status}).",
        "Unexpected answer from the observatory's service ({status}).",
    ),
    "espace.error.api_said": ("Le service précise :", "The service says:"),
    "espace.completude.envoye": ("envoyé", "sent"),
    "espace.completude.manquant": ("manquant", "missing"),
    "espace.completude.en_cours": ("en cours", "in progress"),
    "espace.completude.since": (
        "Depuis le début de votre participation : {debut}.",
        "Since your association started: {debut}.",
    ),
    "espace.completude.missing": (
        "{n} mois sans aucune valeur envoyée : {mois}.",
        "{n} month(s) with no value sent: {mois}.",
    ),
    "espace.completude.complete": (
        "Tous les mois terminés ont été envoyés.",
        "Every finished month has been sent.",
    ),
    "espace.completude.cells": ("Valeurs", "Values"),
    "espace.completude.deps": ("Départements", "Départements"),
    "espace.completude.publication": ("Parution publique", "Public release"),
    "espace.completude.will_appear": (
        "paraîtra dans la {pub} du {date}",
        "will appear in the {pub} of {date}",
    ),
    "espace.completude.published": ("publié ({pub} du {date})", "published ({pub} of {date})"),
    "espace.completude.policy": ("Calendrier de publication", "Publication calendar"),
    "couverture.heading": (
        "Associations déclarantes par mois",
        "Reporting associations per month",
    ),
    "couverture.lead": (
        "Une hausse des signalements peut venir d'une hausse du nombre d'associations qui "
        "déclarent : ce tableau donne, pour chaque mois publié, le nombre d'associations "
        "ayant envoyé au moins une valeur.",
        "A rise in reports may come from more associations reporting: this table gives, "
        "for each published month, the number of associations that sent at least one value.",
    ),
    "couverture.col.associations": ("Associations déclarantes", "Reporting associations"),
    "couverture.none": (
        "Aucun mois publié pour l'instant : le tableau apparaîtra avec la première publication.",
        "No month published yet: the table will appear with the first publication.",
    ),
    "couverture.policy": ("Calendrier de publication", "Publication calendar"),
    "couverture.unavailable": (
        "Le nombre d'associations déclarantes n'est pas disponible pour le moment.",
        "The number of reporting associations is not available right now.",
    ),
}
