"""The DCAT-AP catalogue of the observatory as JSON-LD (plain dicts): one dataset, one
distribution per publication, as data.gouv.fr harvests it."""

from __future__ import annotations

import calendar
from typing import Any

from observatoire.opendata import links
from observatoire.opendata.package import LICENCE
from observatoire.publication.snapshot import PublicationMeta

EU = "http://publications.europa.eu/resource/authority"
CONTEXT = {
    "dcat": "http://www.w3.org/ns/dcat#",
    "dct": "http://purl.org/dc/terms/",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "obs": "urn:observatoire-anef:dcat:",  # our terms: synthetique, granularite, planPublication
}
DATASET_TITLE = "Défaillances de l'ANEF signalées par des associations"
DATASET_DESCRIPTION = (
    "Nombre de signalements de défaillances de l'Administration numérique des étrangers en "
    "France (ANEF) déclarés par des associations, par département, région et France entière, "
    "par type et famille d'incident, par mois, trimestre et année. Chaque publication mensuelle "
    "est figée et protégée par le secret statistique (cellules de 1 à k − 1 masquées, masquage "
    "secondaire audité) ; elle se télécharge en un paquet de données Frictionless (CSV, Table "
    "Schema, README)."
)
KEYWORDS = ["ANEF", "titres de séjour", "étrangers", "administration numérique", "préfectures",
            "signalements", "secret statistique"]  # fmt: skip
GRANULARITY = "fr:departement"


def _date(value: str) -> dict[str, str]:
    return {"@value": value, "@type": "xsd:date"}


def _period(first_month: str, last_month: str) -> dict[str, Any]:
    year, month = int(last_month[:4]), int(last_month[5:])
    last_day = calendar.monthrange(year, month)[1]
    return {
        "@type": "dct:PeriodOfTime",
        "dcat:startDate": _date(f"{first_month}-01"),
        "dcat:endDate": _date(f"{last_month}-{last_day:02d}"),
    }


def _licence() -> dict[str, Any]:
    return {
        "@id": LICENCE["path"],
        "@type": "dct:LicenseDocument",
        "dct:identifier": LICENCE["name"],
        "dct:title": LICENCE["title"],
    }


def distribution(meta: PublicationMeta, base_url: str) -> dict[str, Any]:
    """One publication as a distribution: its package, its schema, its coverage."""
    title = f"Publication n° {meta.id} ({meta.type_publication}) : données de {meta.premier_mois} "
    title += f"à {meta.donnees_jusqu_a}"
    description = (
        f"Paquet de données complet de la publication n° {meta.id} : {meta.cellules} cellules, "
        f"dont {meta.cellules_secretes} masquées par le secret statistique (seuil k = "
        f"{meta.seuil}) ; {meta.associations} association(s) ; plan de publication "
        f"{meta.plan_publication} (les tableaux publiés : voir le datapackage.json)."
    )
    if meta.synthetique:
        title = f"[Données fictives] {title}"
        description = "Données fictives de démonstration, sans valeur réelle. " + description
    package = links.package_url(base_url, meta.id)
    return {
        "@id": f"{links.publication_url(base_url, meta.id)}#paquet",
        "@type": "dcat:Distribution",
        "dct:identifier": str(meta.id),
        "dct:title": {"@value": title, "@language": "fr"},
        "dct:description": {"@value": description, "@language": "fr"},
        "dcat:accessURL": {"@id": package},
        "dcat:downloadURL": {"@id": package},
        "dct:format": {"@id": f"{EU}/file-type/ZIP", "@type": "dct:MediaTypeOrExtent"},
        "dcat:mediaType": {
            "@id": "https://www.iana.org/assignments/media-types/application/zip",
            "@type": "dct:MediaType",
        },
        "dct:license": _licence(),
        "dct:conformsTo": {
            "@id": links.descriptor_url(base_url, meta.id),
            "@type": "dct:Standard",
            "dct:title": "Table Schema des fichiers du paquet (datapackage.json)",
        },
        "dct:issued": {"@value": meta.publiee_le, "@type": "xsd:dateTime"},
        "dct:temporal": _period(meta.premier_mois, meta.donnees_jusqu_a),
        "obs:synthetique": meta.synthetique,
        "obs:planPublication": meta.plan_publication,
    }


def catalogue(metas: list[PublicationMeta], *, base_url: str, publisher: str) -> dict[str, Any]:
    """The whole catalogue as a JSON-LD document (publications newest first)."""
    agent = {"@id": f"{links.api_root(base_url)}/#editeur", "@type": "foaf:Agent",
             "foaf:name": publisher}  # fmt: skip
    dataset: dict[str, Any] = {
        "@id": f"{links.catalogue_url(base_url)}#observatoire-anef",
        "@type": "dcat:Dataset",
        "dct:identifier": "observatoire-anef",
        "dct:title": {"@value": DATASET_TITLE, "@language": "fr"},
        "dct:description": {"@value": DATASET_DESCRIPTION, "@language": "fr"},
        "dcat:keyword": [{"@value": k, "@language": "fr"} for k in KEYWORDS],
        "dct:publisher": agent,
        "dct:license": _licence(),
        "dct:accrualPeriodicity": {"@id": f"{EU}/frequency/MONTHLY", "@type": "dct:Frequency"},
        "dct:spatial": {"@id": f"{EU}/country/FRA", "@type": "dct:Location"},
        "obs:granularite": GRANULARITY,
        "dct:language": {"@id": f"{EU}/language/FRA", "@type": "dct:LinguisticSystem"},
        "dcat:distribution": [distribution(m, base_url) for m in metas],
    }
    if metas:
        dataset["dct:temporal"] = _period(
            min(m.premier_mois for m in metas), max(m.donnees_jusqu_a for m in metas)
        )
        dataset["dct:modified"] = {"@value": metas[0].publiee_le, "@type": "xsd:dateTime"}
        dataset["obs:synthetique"] = any(m.synthetique for m in metas)
        if dataset["obs:synthetique"]:
            dataset["dcat:keyword"].append({"@value": "données fictives", "@language": "fr"})
    return {
        "@context": CONTEXT,
        "@id": links.catalogue_url(base_url),
        "@type": "dcat:Catalog",
        "dct:title": {"@value": "Catalogue de l'Observatoire ANEF", "@language": "fr"},
        "dct:description": {
            "@value": "Données ouvertes de l'Observatoire ANEF (DCAT-AP).",
            "@language": "fr",
        },
        "dct:publisher": agent,
        "dct:language": {"@id": f"{EU}/language/FRA", "@type": "dct:LinguisticSystem"},
        "dct:license": _licence(),
        "foaf:homepage": {"@id": links.api_root(base_url) + "/", "@type": "foaf:Document"},
        "dcat:dataset": dataset,
    }


def to_turtle(document: dict[str, Any]) -> bytes:
    """The same catalogue in Turtle (the context is inline: rdflib fetches nothing)."""
    import json

    from rdflib import Graph

    graph = Graph().parse(data=json.dumps(document), format="json-ld")
    return graph.serialize(format="turtle").encode()
