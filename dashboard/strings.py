"""Interface strings of the pages (French, English); `i18n.t` reads them."""

from __future__ import annotations

PAGE_STRINGS: dict[str, dict[str, str]] = {
    "page.tendances": {"fr": "Tendances", "en": "Trends"},
    "page.prefecture": {"fr": "Préfecture", "en": "Prefecture"},
    "page.alertes": {"fr": "Alertes", "en": "Alerts"},
    "page.donnees": {"fr": "Données et API", "en": "Data and API"},
    "pub.caption": {
        "fr": "Publication n° {id} du {date} · données de {first} à {last} · "
        "{associations} associations, {soumissions} envois · seuil du secret k = {k}",
        "en": "Publication no. {id} of {date} · data from {first} to {last} · "
        "{associations} associations, {soumissions} submissions · disclosure threshold k = {k}",
    },
    "pub.synthetic": {
        "fr": "**Données fictives de démonstration.** Ces chiffres sont générés pour montrer "
        "le fonctionnement de l'observatoire ; ils ne décrivent aucune situation réelle.",
        "en": "**Fictional demonstration data** (« Données fictives de démonstration »). These "
        "figures are generated to show how the observatory works; they describe no real case.",
    },
    "pub.none": {
        "fr": "Aucune publication n'a encore été produite : les statistiques apparaîtront ici "
        "dès la première publication mensuelle. La méthodologie et la taxonomie sont déjà "
        "consultables.",
        "en": "Nothing has been published yet: statistics will appear here with the first "
        "monthly publication. The methodology and the taxonomy can already be read.",
    },
    "secret": {"fr": "secret statistique", "en": "statistical secret"},
    "filter.type": {"fr": "Type d'incident", "en": "Incident type"},
    "filter.periode": {"fr": "Période", "en": "Period"},
    "filter.pas": {"fr": "Pas de temps", "en": "Time step"},
    "filter.mesure": {"fr": "Mesure", "en": "Measure"},
    "filter.famille": {"fr": "Famille", "en": "Family"},
    "pas.annee": {"fr": "Année", "en": "Year"},
    "pas.trimestre": {"fr": "Trimestre", "en": "Quarter"},
    "pas.mois": {"fr": "Mois", "en": "Month"},
    "mesure.valeur": {"fr": "Nombre de signalements", "en": "Number of reports"},
    "mesure.taux": {"fr": "Pour 100 000 habitants", "en": "Per 100,000 inhabitants"},
    "type.tous": {"fr": "Tous les incidents", "en": "All incidents"},
    "type.famille": {"fr": "Famille : {nom}", "en": "Family: {nom}"},
    "col.valeur": {"fr": "Signalements", "en": "Reports"},
    "col.taux": {"fr": "Pour 100 000 hab.", "en": "Per 100,000 inh."},
    "col.periode": {"fr": "Période", "en": "Period"},
    "col.fiche": {"fr": "Fiche", "en": "Page"},
    "col.evolution": {"fr": "Évolution sur un an", "en": "Year-over-year change"},
    "col.serie": {"fr": "Série", "en": "Series"},
    "col.mediane": {"fr": "Médiane des périodes précédentes", "en": "Median of previous periods"},
    "col.ratio": {"fr": "Rapport à la médiane", "en": "Ratio to the median"},
    "open": {"fr": "ouvrir", "en": "open"},
    "carte.heading": {"fr": "Signalements par département", "en": "Reports by département"},
    "carte.intro": {
        "fr": "Nombre de signalements d'incidents ANEF déclarés par les associations, ou ce "
        "nombre rapporté à la population. Un clic sur un département ouvre sa fiche.",
        "en": "Number of ANEF incident reports filed by associations, or that number relative "
        "to the population. Click a département to open its page.",
    },
    "carte.share_hidden": {
        "fr": "Secret statistique : {n} départements sur {total} ({share}) dans cette vue. "
        "Ils sont grisés et hachurés, quelle que soit leur valeur réelle.",
        "en": "Statistical secret: {n} of {total} départements ({share}) in this view. They are "
        "greyed out and hatched, whatever their true value.",
    },
    "carte.alerts_heading": {"fr": "Alertes ({periode})", "en": "Alerts ({periode})"},
    "carte.alerts_none": {
        "fr": "Aucune alerte pour ce type à la dernière période.",
        "en": "No alert for this type at the latest period.",
    },
    "carte.alerts_outline": {
        "fr": "Contour rouge sur la carte : département en alerte.",
        "en": "Red outline on the map: département with an alert.",
    },
    "tendances.heading": {"fr": "Tendances nationales", "en": "National trends"},
    "tendances.by_family": {"fr": "Par famille d'incident", "en": "By incident family"},
    "tendances.by_type": {"fr": "Par type, famille « {nom} »", "en": "By type, family “{nom}”"},
    "tendances.gaps": {
        "fr": "Un point absent (trait interrompu) est un secret statistique, pas un zéro.",
        "en": "A missing point (broken line) is a statistical secret, not a zero.",
    },
    "tendances.top": {
        "fr": "Départements au taux le plus élevé ({periode})",
        "en": "Départements with the highest rate ({periode})",
    },
    "tendances.top_help": {
        "fr": "Seules les valeurs publiées sont classées ; les départements sous secret "
        "statistique n'apparaissent pas.",
        "en": "Only published values are ranked; départements under statistical secret are "
        "left out.",
    },
    "tendances.yoy": {
        "fr": "Évolution {previous} → {latest}",
        "en": "Change {previous} → {latest}",
    },
    "tendances.yoy_help": {
        "fr": "Calculée uniquement à partir de deux valeurs publiées ; si l'une est secrète, "
        "l'évolution l'est aussi.",
        "en": "Computed only from two published values; when either is secret, so is the change.",
    },
    "tendances.no_year": {
        "fr": "Il faut deux années complètes publiées pour calculer une évolution annuelle.",
        "en": "Two complete published years are needed for a year-over-year change.",
    },
    "prefecture.heading": {"fr": "{nom} ({code})", "en": "{nom} ({code})"},
    "prefecture.search": {
        "fr": "Rechercher un département (nom ou code)",
        "en": "Search a département (name or code)",
    },
    "prefecture.competent": {
        "fr": "Préfecture compétente : {prefecture} · région {region} · {population} habitants",
        "en": "Competent prefecture: {prefecture} · region {region} · {population} inhabitants",
    },
    "prefecture.rate": {"fr": "Taux du département", "en": "Département rate"},
    "prefecture.national": {"fr": "Taux national", "en": "National rate"},
    "prefecture.reports": {"fr": "Signalements ({periode})", "en": "Reports ({periode})"},
    "prefecture.series": {"fr": "Évolution", "en": "Over time"},
    "prefecture.breakdown": {"fr": "Répartition par type ({periode})", "en": "By type ({periode})"},
    "prefecture.breakdown_families": {
        "fr": "Répartition par famille ({periode})",
        "en": "By family ({periode})",
    },
    "prefecture.alert": {
        "fr": "**Alerte** : {valeur} signalements en {periode}, soit {ratio} fois la médiane "
        "des périodes précédentes ({mediane}).",
        "en": "**Alert**: {valeur} reports in {periode}, {ratio} times the median of the "
        "previous periods ({mediane}).",
    },
    "prefecture.no_types": {
        "fr": "Le détail par type d'incident n'est pas publié au niveau du département (plan de "
        "publication, voir la page Méthodologie) : il l'est pour la France et les régions.",
        "en": "The breakdown by incident type is not published at département level "
        "(publication plan, see the Methodology page): it is for France and the régions.",
    },
    "plan.not_published": {
        "fr": "Cette vue n'est pas publiée à ce niveau de détail (plan de publication, voir la "
        "page Méthodologie).",
        "en": "This view is not published at this level of detail (publication plan, see the "
        "Methodology page).",
    },
    "prefecture.no_alert": {
        "fr": "Pas d'alerte pour ce département à la dernière période.",
        "en": "No alert for this département at the latest period.",
    },
    "alertes.heading": {"fr": "Alertes", "en": "Alerts"},
    "alertes.rule": {
        "fr": "**Règle**, calculée par l'API sur les seules cellules publiées : la dernière "
        "période est au moins 1,5 fois la médiane des {window} périodes précédentes **et** "
        "dépasse cette médiane d'au moins 2 écarts absolus médians. Un département n'est "
        "examiné que si toutes ces cellules sont publiées. {evaluees} départements examinés, "
        "{non_evaluables} non évaluables (secret statistique ou historique nul).",
        "en": "**Rule**, computed by the API from published cells only: the latest period is "
        "at least 1.5 times the median of the {window} previous periods **and** exceeds that "
        "median by at least 2 median absolute deviations. A département is examined only when "
        "all these cells are published. {evaluees} départements examined, {non_evaluables} "
        "not assessable (statistical secret or zero history).",
    },
    "alertes.caveat": {
        "fr": "Une alerte signale une hausse des signalements, qui peut aussi venir d'une "
        "association nouvellement active dans le département.",
        "en": "An alert flags a rise in reports, which may also come from an association newly "
        "active in the département.",
    },
    "alertes.none": {"fr": "Aucune alerte.", "en": "No alert."},
    "alertes.too_short": {
        "fr": "La publication ne contient pas encore assez de périodes pour appliquer la règle.",
        "en": "The publication does not yet hold enough periods to apply the rule.",
    },
    "download.heading": {"fr": "Télécharger ces données", "en": "Download this data"},
    "download.csv": {"fr": "CSV", "en": "CSV"},
    "download.geojson": {"fr": "GeoJSON", "en": "GeoJSON"},
    "download.png": {"fr": "Image PNG", "en": "PNG image"},
    "download.svg": {"fr": "Image SVG", "en": "SVG image"},
    "download.source": {
        "fr": "Fichiers produits par l'API : {url}",
        "en": "Files produced by the API: {url}",
    },
    "donnees.heading": {"fr": "Données et API", "en": "Data and API"},
    "donnees.intro": {
        "fr": "Toutes les données du tableau de bord viennent de l'API publique, sous Licence "
        "Ouverte 2.0. Chaque réponse cite sa publication (en-tête `X-Publication-Id`).",
        "en": "Every figure of the dashboard comes from the public API, under Licence Ouverte "
        "2.0. Each response names its publication (`X-Publication-Id` header).",
    },
    "donnees.docs": {
        "fr": "Documentation interactive (OpenAPI) : {url}",
        "en": "Interactive documentation (OpenAPI): {url}",
    },
    "donnees.curl": {"fr": "Exemple avec `curl`", "en": "Example with `curl`"},
    "donnees.view": {"fr": "Jeu de données", "en": "Dataset"},
    "donnees.view_stats": {"fr": "Carte : tous les départements", "en": "Map: all départements"},
    "donnees.view_serie": {"fr": "Série nationale", "en": "National series"},
    "donnees.view_types": {"fr": "Répartition nationale par type", "en": "National breakdown"},
    "donnees.view_alertes": {"fr": "Alertes", "en": "Alerts"},
    "donnees.preview": {"fr": "Aperçu", "en": "Preview"},
}
