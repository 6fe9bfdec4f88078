"""The French README shipped in every publication package: method, threshold, coverage, licence."""

from __future__ import annotations

from observatoire.domain.taxonomy import Taxonomy
from observatoire.opendata.tables import table_specs
from observatoire.publication.plan import describe
from observatoire.publication.snapshot import PublishedCube


def package_readme(cube: PublishedCube, taxonomy: Taxonomy) -> str:
    """README.md of a publication package (French)."""
    meta = cube.meta
    k = meta.seuil
    warning = (
        "\n> **Données fictives.** Cette publication a été produite à partir de données de "
        "démonstration générées au hasard : elle ne décrit aucune situation réelle.\n"
        if meta.synthetique
        else ""
    )
    families = ", ".join(f"`{f.code}` ({f.libelle_fr})" for f in taxonomy.families)
    files = "\n".join(f"- `{spec.name}.csv`" for spec in table_specs(cube.plan))
    tables = "\n".join(f"- {describe(t)}" for t in cube.plan.ordered_tables())
    return f"""# Observatoire ANEF — publication n° {meta.id}
{warning}
Signalements de défaillances de l'Administration numérique des étrangers en France (ANEF),
déclarés par des associations sous forme de comptages agrégés, par département, type
d'incident et mois.

## Couverture

- Publication n° {meta.id} ({meta.type_publication}), publiée le {meta.publiee_le}.
- Mois couverts : de {meta.premier_mois} à {meta.donnees_jusqu_a} ; trimestres et années
  seulement quand ils sont complets.
- {meta.associations} association(s), {meta.soumissions} soumission(s).
- Territoires : 101 départements (codes INSEE, chaînes de caractères : `2A`, `2B`, `971`…),
  18 régions et la France entière.
- Taxonomie des incidents version {meta.taxonomie_version} ; familles : {families}.
- Les nombres sont des **signalements** : une même personne peut relever de plusieurs types
  et être signalée par plusieurs associations.

## Méthode : le secret statistique

- **Seuil k = {k}.** Toute cellule (totaux compris) dont la valeur est comprise entre 1 et
  {k - 1} est masquée (secret primaire), ainsi que toute cellule où une seule association
  apporterait presque tout le total (règle de l'initié).
- **Secret secondaire audité** : d'autres cellules non nulles sont masquées pour qu'aucune
  cellule masquée ne puisse être recalculée par différence entre lignes, colonnes, niveaux,
  périodes ou publications ; un audit par programmation linéaire le vérifie.
- Les zéros sont toujours publiés. Toutes les cellules masquées sont publiées de la même
  façon : `valeur` vide et `secret` à `true`, quelle que soit la raison du masquage.
- {meta.cellules_secretes} cellules masquées sur {meta.cellules}
  ({meta.taux_secret:.1%}).
- Une valeur publiée ne change plus, sauf dans une publication consolidée, auditée avec les
  précédentes.

## Plan de publication

Plan « {cube.plan.label} » : {cube.plan.description}

Seuls ces tableaux (territoire × incidents × période) sont publiés ; les autres croisements ne
le sont pas (chaque croisement publié ajoute des cellules sensibles dont la protection coûte
des totaux) :

{tables}

## Fichiers

`datapackage.json` décrit le paquet (Frictionless Data) et donne le schéma (Table Schema) de
chaque fichier. Chaque CSV (UTF-8, virgule) a les colonnes `publication`, `code`, `nom`, le
type (`type_incident`) ou la famille (`famille`) sauf pour « tous », `periode`, `valeur`,
`secret` et `taux_100k` (signalements pour 100 000 habitants).

{files}

## Licence

Licence Ouverte / Open Licence version 2.0 (`etalab-2.0`) :
https://www.etalab.gouv.fr/licence-ouverte-open-licence/ — réutilisation libre, à condition
de mentionner la source (« Observatoire ANEF, publication n° {meta.id} ») et la date de
dernière mise à jour ({meta.publiee_le[:10]}).
"""
