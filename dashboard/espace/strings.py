"""Strings of the association space, French then English; `dashboard.i18n.t` reads them."""

from __future__ import annotations

from dashboard.espace.strings_messages import MESSAGE_PAIRS

_PAIRS: dict[str, tuple[str, str]] = {
    "page.espace": ("Espace association", "Association space"),
    "espace.title": ("Espace association", "Association space"),
    "espace.intro": (
        "Votre association envoie ici ses comptages mensuels, les vérifie et les corrige. "
        "Connectez-vous avec la **clé d'API** remise par l'observatoire (elle commence par "
        "`obs_`). Elle reste sur le serveur le temps de votre visite : jamais dans l'adresse, "
        "un cookie ou votre navigateur.",
        "Your association sends, checks and corrects its monthly counts here. Sign in with the "
        "**API key** the observatory gave you (it starts with `obs_`). It stays on the server "
        "for your visit only: never in the address, a cookie or your browser.",
    ),
    "espace.signin.label": ("Clé d'API de l'association", "Association's API key"),
    "espace.signin.help": (
        "Collez la clé complète, par exemple obs_1a2b3c…. Elle n'est ni affichée ni enregistrée "
        "dans le navigateur.",
        "Paste the whole key, for example obs_1a2b3c…. It is neither shown nor stored in the "
        "browser.",
    ),
    "espace.signin.button": ("Se connecter", "Sign in"),
    "espace.signin.empty": ("Saisissez votre clé d'API.", "Type your API key."),
    "espace.signed_in": ("Connecté : **{nom}**", "Signed in: **{nom}**"),
    "espace.signout": ("Se déconnecter", "Sign out"),
    "espace.ended.deconnexion": (
        "Vous êtes déconnecté : la clé a été oubliée par le serveur.",
        "You are signed out: the server has forgotten the key.",
    ),
    "espace.ended.expiree": (
        "Votre session a expiré après une période d'inactivité : reconnectez-vous avec votre clé.",
        "Your session expired after a period of inactivity: sign in again with your key.",
    ),
    "espace.ended.cle_refusee": (
        "Votre clé n'est plus acceptée (révoquée ou expirée) : vous avez été déconnecté. "
        "Demandez une nouvelle clé aux responsables de l'observatoire.",
        "Your key is no longer accepted (revoked or expired): you have been signed out. Ask the "
        "observatory's maintainers for a new key.",
    ),
    "espace.guide.title": ("Guide de l'espace association", "Guide to the association space"),
    "espace.guide.link": (
        "Besoin d'aide ? Lisez le [guide des associations]({url}).",
        "Need help? Read the [associations' guide]({url}) (in French).",
    ),
    "espace.section.label": ("Rubrique", "Section"),
    "espace.section.envoi": ("Envoyer un fichier", "Send a file"),
    "espace.section.saisie": ("Saisir un mois", "Type a month"),
    "espace.section.envois": ("Mes envois", "My submissions"),
    "espace.section.valeurs": ("Mes valeurs", "My values"),
    "espace.section.calendrier": ("Calendrier", "Calendar"),
    "espace.templates.lead": (
        "Partez d'un modèle : une ligne par département, mois et type d'incident. Le modèle "
        "XLSX contient la liste des départements et des types, avec des listes déroulantes.",
        "Start from a template: one row per département, month and incident type. The XLSX "
        "template lists départements and types, with drop-down lists.",
    ),
    "espace.templates.csv": ("Modèle CSV", "CSV template"),
    "espace.templates.xlsx": ("Modèle XLSX (tableur)", "XLSX template (spreadsheet)"),
    "espace.upload.label": ("Fichier à envoyer (CSV ou XLSX)", "File to send (CSV or XLSX)"),
    "espace.upload.help": (
        "Tel que votre tableur l'enregistre : séparateur ; ou , ; noms ou codes de départements ; "
        "mois comme « septembre 2026 » ou 2026-09. Rien n'est enregistré avant « Envoyer ».",
        "As your spreadsheet saves it: ; or , separators; département names or codes; months "
        "such as « septembre 2026 » or 2026-09. Nothing is stored before « Send ».",
    ),
    "espace.preview.heading": (
        "Aperçu : rien n'est encore enregistré",
        "Preview: nothing stored yet",
    ),
    "espace.preview.file": (
        "Fichier « {nom} », lu ainsi : {notes}.",
        "File « {nom} », read as: {notes}.",
    ),
    "espace.preview.warnings": (
        "{n} avertissement(s) : l'envoi reste possible, vérifiez ces lignes.",
        "{n} warning(s): you can still send, but check these rows.",
    ),
    "espace.preview.changed": (
        "{n} valeur(s) modifiée(s) : ancienne et nouvelle valeur",
        "{n} changed value(s): old and new value",
    ),
    "espace.preview.rows": ("Lignes comprises ({n})", "Rows as understood ({n})"),
    "espace.preview.page": ("Page (sur {pages})", "Page (of {pages})"),
    "espace.issues_more": (
        "{shown} premières lignes affichées sur {total}.",
        "First {shown} rows shown out of {total}.",
    ),
    "espace.resume.lignes": ("Lignes", "Rows"),
    "espace.resume.nouvelles": ("Nouvelles", "New"),
    "espace.resume.modifiees": ("Modifiées", "Changed"),
    "espace.resume.inchangees": ("Inchangées", "Unchanged"),
    "espace.statut.nouvelle": ("nouvelle", "new"),
    "espace.statut.modifiee": ("modifiée", "changed"),
    "espace.statut.inchangee": ("inchangée", "unchanged"),
    "espace.col.ligne": ("Ligne", "Row"),
    "espace.col.colonne": ("Colonne", "Column"),
    "espace.col.valeur": ("Valeur lue", "Value read"),
    "espace.col.probleme": ("Problème", "Problem"),
    "espace.col.suggestion": ("Correction suggérée", "Suggested fix"),
    "espace.col.departement": ("Département", "Département"),
    "espace.col.mois": ("Mois", "Month"),
    "espace.col.type": ("Type d'incident", "Incident type"),
    "espace.col.nombre": ("Nombre", "Number"),
    "espace.col.ancien": ("Ancienne valeur", "Old value"),
    "espace.col.nouveau": ("Nouvelle valeur", "New value"),
    "espace.col.statut": ("Statut", "Status"),
    "espace.col.envoi": ("Envoi n°", "Submission no."),
    "espace.col.date": ("Date (UTC)", "Date (UTC)"),
    "espace.col.cle": ("Clé", "Key"),
    "espace.col.fichier": ("Fichier", "File"),
    "espace.col.motif": ("Motif", "Reason"),
    "espace.col.action": ("Action", "Action"),
    "espace.action.creation": ("création", "created"),
    "espace.action.modification": ("modification", "changed"),
    "espace.action.retrait": ("retrait", "withdrawn"),
    "espace.refus.lead": (
        "Fichier refusé : {n} ligne(s) à corriger.",
        "File refused: {n} row(s) to fix.",
    ),
    "espace.refus.whole": ("Fichier refusé.", "File refused."),
    "espace.refus.nothing_stored": (
        "Rien n'a été enregistré. Corrigez ces lignes dans votre fichier, puis déposez-le à "
        "nouveau.",
        "Nothing was stored. Fix these rows in your file, then drop it again.",
    ),
    "espace.send": ("Envoyer", "Send"),
    "espace.send_help": (
        "« Envoyer » enregistre tout le lot d'un coup (ou rien). Appuyer deux fois n'enregistre "
        "qu'un envoi.",
        "« Send » stores the whole batch at once (or nothing). Pressing twice stores one "
        "submission only.",
    ),
    "espace.nothing_to_send": (
        "Toutes ces valeurs sont déjà enregistrées à l'identique : rien à envoyer.",
        "Every one of these values is already stored as is: nothing to send.",
    ),
    "espace.sent": (
        "Envoi n° {id} enregistré : {nouvelles} nouvelle(s), {modifiees} modifiée(s), "
        "{inchangees} inchangée(s).",
        "Submission no. {id} stored: {nouvelles} new, {modifiees} changed, {inchangees} unchanged.",
    ),
    "espace.schedule_note": (
        "Vos chiffres paraîtront publiquement (après secret statistique) dans la prochaine "
        "publication qui les concerne :",
        "Your figures will appear publicly (after disclosure control) in the next publication "
        "that covers them:",
    ),
    "espace.pub.mensuelle": ("publication mensuelle", "monthly publication"),
    "espace.pub.consolidee": ("publication consolidée", "consolidated publication"),
    "espace.pub.None": ("publication", "publication"),
    "espace.entry.lead": (
        "Pour un seul département et un seul mois : tapez le nombre de signalements de chaque "
        "type (laissez vide un type sans chiffre), puis « Prévisualiser ».",
        "For one département and one month: type the number of reports of each type (leave a "
        "type blank when you have no figure), then « Preview ».",
    ),
    "espace.entry.number_help": (
        "Un entier positif ou nul.",
        "A whole number, zero or more.",
    ),
    "espace.entry.preview": ("Prévisualiser", "Preview"),
    "espace.envois.none": ("Aucun envoi pour l'instant.", "No submission yet."),
    "espace.envois.count": (
        "{n} envoi(s), les plus récents d'abord.",
        "{n} submission(s), newest first.",
    ),
    "espace.envoi.active": ("actif", "active"),
    "espace.envoi.retiree": ("retiré", "withdrawn"),
    "espace.withdraw.heading": ("Retirer un envoi", "Withdraw a submission"),
    "espace.withdraw.lead": (
        "Un envoi fait par erreur peut être retiré : chaque valeur qu'il a fixée revient à ce "
        "qu'elle était avant lui, ou redevient « non déclarée » (jamais zéro).",
        "A submission sent by mistake can be withdrawn: each value it set goes back to what it "
        "was before, or becomes « not reported » again (never zero).",
    ),
    "espace.withdraw.none": ("Aucun envoi actif à retirer.", "No active submission to withdraw."),
    "espace.withdraw.option": (
        "n° {id} du {date} — {lignes} ligne(s) — {fichier}",
        "no. {id} of {date} — {lignes} row(s) — {fichier}",
    ),
    "espace.withdraw.which": ("Envoi à retirer", "Submission to withdraw"),
    "espace.withdraw.motif": ("Motif du retrait (obligatoire)", "Reason for withdrawal (required)"),
    "espace.withdraw.confirm": (
        "Je confirme le retrait de cet envoi.",
        "I confirm the withdrawal of this submission.",
    ),
    "espace.withdraw.button": ("Retirer l'envoi", "Withdraw the submission"),
    "espace.withdraw.incomplete": (
        "Indiquez un motif et cochez la case de confirmation pour retirer l'envoi.",
        "Give a reason and tick the confirmation box to withdraw the submission.",
    ),
    "espace.withdraw.done": (
        "Envoi n° {id} retiré : {restaurees} valeur(s) revenue(s) à leur état antérieur, "
        "{effacees} redevenue(s) non déclarée(s), {conservees} gardée(s) (corrigée(s) depuis).",
        "Submission no. {id} withdrawn: {restaurees} value(s) restored, {effacees} back to "
        "not reported, {conservees} kept (corrected since).",
    ),
    "espace.filter.all": ("Tous", "All"),
    "espace.filter.mois": ("Mois (AAAA-MM)", "Month (YYYY-MM)"),
    "espace.filter.mois_help": ("Vide : tous les mois.", "Blank: every month."),
    "espace.values.count": ("{n} valeur(s) détenue(s).", "{n} value(s) held."),
    "espace.values.download": ("Télécharger ces valeurs (CSV)", "Download these values (CSV)"),
    "espace.history.heading": (
        "Historique et correction d'une valeur",
        "History and correction of a value",
    ),
    "espace.history.which": ("Valeur", "Value"),
    "espace.correct.number": ("Nouveau nombre", "New number"),
    "espace.correct.motif": (
        "Motif de la correction (obligatoire)",
        "Reason for the correction (required)",
    ),
    "espace.correct.button": ("Corriger", "Correct"),
    "espace.correct.no_motif": (
        "Indiquez le motif de la correction : il est gardé dans l'historique.",
        "Give the reason for the correction: it is kept in the history.",
    ),
    "espace.correct.done": (
        "Correction enregistrée : la valeur est maintenant {nombre}.",
        "Correction stored: the value is now {nombre}.",
    ),
}
_PAIRS.update(MESSAGE_PAIRS)

ESPACE_STRINGS: dict[str, dict[str, str]] = {
    key: {"fr": fr, "en": en} for key, (fr, en) in _PAIRS.items()
}
