"""A whole publication as one Frictionless data package (zip): CSV tables, schemas, README."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from typing import Any

from observatoire.domain.taxonomy import Taxonomy
from observatoire.domain.territories import Territories
from observatoire.opendata.readme import package_readme
from observatoire.opendata.tables import KIND_COLUMNS, TableSpec, table_rows, table_specs
from observatoire.publication.snapshot import PublishedCube

LICENCE = {
    "name": "etalab-2.0",
    "title": "Licence Ouverte / Open Licence version 2.0",
    "path": "https://www.etalab.gouv.fr/licence-ouverte-open-licence/",
}
# A fixed timestamp for every member: the same publication always gives the same bytes.
ZIP_DATE = (2020, 1, 1, 0, 0, 0)
CODE_PATTERNS = {
    "departement": "^(0[1-9]|1[0-9]|2[1-9AB]|[3-8][0-9]|9[0-5]|97[1-6])$",
    "region": "^[0-9]{2}$",
    "france": "^FR$",
}
PERIOD_PATTERNS = {
    "mois": "^[0-9]{4}-(0[1-9]|1[0-2])$",
    "trimestre": "^[0-9]{4}-T[1-4]$",
    "annee": "^[0-9]{4}$",
}
LEVEL_NAMES = {"departement": "département", "region": "région", "france": "France entière"}
KIND_NAMES = {"type": "type d'incident", "famille": "famille d'incidents", "tous": "tous incidents"}
STEP_NAMES = {"mois": "mois", "trimestre": "trimestre complet", "annee": "année complète"}


def package_name(pub_id: int) -> str:
    """Name of the package and stem of its zip file."""
    return f"observatoire-anef-publication-{pub_id}"


def table_schema(spec: TableSpec, taxonomy: Taxonomy) -> dict[str, Any]:
    """Table Schema of one resource."""
    fields: list[dict[str, Any]] = [
        {"name": "publication", "type": "integer", "title": "Numéro de publication",
         "constraints": {"required": True, "minimum": 1}},
        {"name": "code", "type": "string", "title": f"Code INSEE ({LEVEL_NAMES[spec.level]})",
         "constraints": {"required": True, "pattern": CODE_PATTERNS[spec.level]}},
        {"name": "nom", "type": "string", "title": "Nom du territoire",
         "constraints": {"required": True}},
    ]  # fmt: skip
    selector = KIND_COLUMNS[spec.kind]
    if selector:
        codes = taxonomy.type_codes if spec.kind == "type" else taxonomy.family_codes
        fields.append(
            {"name": selector, "type": "string", "title": KIND_NAMES[spec.kind].capitalize(),
             "constraints": {"required": True, "enum": list(codes)}}
        )  # fmt: skip
    fields += [
        {"name": "periode", "type": "string", "title": "Période",
         "description": "AAAA-MM (mois), AAAA-Tn (trimestre) ou AAAA (année).",
         "constraints": {"required": True, "pattern": PERIOD_PATTERNS[spec.step]}},
        {"name": "valeur", "type": "integer", "title": "Nombre de signalements",
         "description": "Vide quand la cellule est masquée par le secret statistique.",
         "constraints": {"minimum": 0}},
        {"name": "secret", "type": "boolean", "title": "Cellule masquée",
         "trueValues": ["true"], "falseValues": ["false"], "constraints": {"required": True}},
        {"name": "taux_100k", "type": "number", "title": "Signalements pour 100 000 habitants",
         "description": "Vide quand la cellule est masquée.", "constraints": {"minimum": 0}},
    ]  # fmt: skip
    key = ["code", *([selector] if selector else []), "periode"]
    return {"fields": fields, "primaryKey": key, "missingValues": [""]}


def descriptor(cube: PublishedCube, taxonomy: Taxonomy) -> dict[str, Any]:
    """`datapackage.json`: the package, its licence and one Table Schema per resource."""
    meta = cube.meta
    title = f"Observatoire ANEF — publication n° {meta.id}"
    if meta.synthetique:
        title += " (données fictives)"
    resources = []
    for spec in table_specs(cube.plan):
        resources.append(
            {
                "name": spec.name,
                "path": f"{spec.name}.csv",
                "title": f"Par {LEVEL_NAMES[spec.level]}, {KIND_NAMES[spec.kind]}, "
                f"{STEP_NAMES[spec.step]}",
                "profile": "tabular-data-resource",
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "dialect": {"delimiter": ",", "header": True},
                "schema": table_schema(spec, taxonomy),
            }
        )
    return {
        "profile": "tabular-data-package",
        "name": package_name(meta.id),
        "title": title,
        "description": (
            "Signalements de défaillances de l'ANEF déclarés par des associations, agrégés et "
            f"protégés par le secret statistique (seuil k = {meta.seuil}), données de "
            f"{meta.premier_mois} à {meta.donnees_jusqu_a}. Voir README.md."
        ),
        "version": str(meta.id),
        "created": meta.publiee_le,
        "licenses": [LICENCE],
        "keywords": ["ANEF", "titres de séjour", "étrangers", "administration numérique"],
        "synthetique": meta.synthetique,
        "temporal": {"start": meta.premier_mois, "end": meta.donnees_jusqu_a},
        "plan_publication": cube.plan.label,
        "resources": resources,
    }


def _csv_bytes(rows: Any, header: list[str]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow([_cell(v) for v in row])
    return out.getvalue().encode()


def _cell(value: object) -> object:
    """CSV text of a value: hidden and missing values empty, booleans `true`/`false`."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return value


def build_package(cube: PublishedCube, territories: Territories, taxonomy: Taxonomy) -> bytes:
    """The zip of a whole publication (deterministic: same publication, same bytes)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:

        def add(name: str, data: bytes) -> None:
            info = zipfile.ZipInfo(name, date_time=ZIP_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, data)

        spec_descriptor = descriptor(cube, taxonomy)
        add("datapackage.json", json.dumps(spec_descriptor, ensure_ascii=False, indent=2).encode())
        add("README.md", package_readme(cube, taxonomy).encode())
        for spec in table_specs(cube.plan):
            rows = table_rows(cube, territories, taxonomy, spec)
            add(f"{spec.name}.csv", _csv_bytes(rows, spec.columns))
    return buffer.getvalue()
