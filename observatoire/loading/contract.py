"""The submission data contract (`contract/schema.json`), generated from the reference data.

Table Schema following schema.data.gouv.fr conventions. `python -m observatoire.loading.contract`
rewrites the committed file; a test fails when it differs from what this module generates.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from observatoire.domain.taxonomy import Taxonomy, load_taxonomy
from observatoire.domain.territories import Territories, load_territories
from observatoire.settings import REPO_ROOT, Settings

CONTRACT_DIR = REPO_ROOT / "contract"
SCHEMA_FILE = CONTRACT_DIR / "schema.json"
SCHEMA_VERSION = "1.0.0"
CREATED = "2026-11-26"
LAST_MODIFIED = "2026-11-26"
HOMEPAGE = "https://github.com/observatoire-anef/observatoire-anef"
MONTH_PATTERN = r"^\d{4}-(0[1-9]|1[0-2])$"


def reference_to_schema(
    territories: Territories, taxonomy: Taxonomy, settings: Settings
) -> dict[str, Any]:
    """The Table Schema of a submission: enums from the reference data, limits from settings."""
    return {
        "$schema": "https://frictionlessdata.io/schemas/table-schema.json",
        "name": "observatoire-anef-soumissions",
        "title": "Signalements de défaillances de l'ANEF par département, mois et type",
        "description": (
            "Comptages agrégés, déclarés par une association, des défaillances de "
            "l'Administration numérique des étrangers en France (ANEF) : une ligne par "
            "département, mois et type d'incident. Les comptages sont des signalements : une "
            "personne peut apparaître sous plusieurs types. Un nouvel envoi pour la même "
            "cellule corrige la valeur précédente ; l'historique est conservé."
        ),
        "countryCode": "FR",
        "homepage": HOMEPAGE,
        "path": f"{HOMEPAGE}/raw/main/contract/schema.json",
        "resources": [
            {
                "title": "Exemple de fichier valide",
                "path": f"{HOMEPAGE}/raw/main/contract/exemple-valide.csv",
            }
        ],
        "created": CREATED,
        "lastModified": LAST_MODIFIED,
        "version": SCHEMA_VERSION,
        "contributors": [
            {"title": "Observatoire ANEF", "role": "author"},
        ],
        "licenses": [
            {
                "title": "Licence Ouverte / Open Licence version 2.0",
                "path": "https://www.etalab.gouv.fr/licence-ouverte-open-licence",
            }
        ],
        "fields": _fields(territories, taxonomy, settings),
        "primaryKey": ["departement", "mois", "type_incident"],
        "missingValues": [""],
    }


def _fields(territories: Territories, taxonomy: Taxonomy, settings: Settings) -> list[dict]:
    return [
        {
            "name": "departement",
            "title": "Département",
            "description": (
                "Code officiel géographique (INSEE) du département, toujours sur deux ou trois "
                "caractères : 01 à 95 (sans 20), 2A, 2B, 971 à 974, 976."
            ),
            "example": "93",
            "type": "string",
            "format": "default",
            "constraints": {
                "required": True,
                "enum": [d.code for d in territories.departements],
            },
        },
        {
            "name": "mois",
            "title": "Mois",
            "description": (
                "Mois des signalements, au format AAAA-MM. Accepté à partir de "
                f"{settings.submission_start_month} et jusqu'au mois en cours."
            ),
            "example": "2025-03",
            "type": "string",
            "format": "default",
            "constraints": {"required": True, "pattern": MONTH_PATTERN},
        },
        {
            "name": "type_incident",
            "title": "Type d'incident",
            "description": (
                f"Code du type d'incident (taxonomie version {taxonomy.version}, voir "
                "GET /v1/types-incident) : "
                + " ; ".join(f"{t.code} ({t.libelle_fr})" for t in taxonomy.types)
                + "."
            ),
            "example": taxonomy.types[0].code,
            "type": "string",
            "format": "default",
            "constraints": {"required": True, "enum": list(taxonomy.type_codes)},
        },
        {
            "name": "nombre",
            "title": "Nombre de signalements",
            "description": "Nombre entier de signalements, positif ou nul.",
            "example": 12,
            "type": "integer",
            "format": "default",
            "constraints": {
                "required": True,
                "minimum": 0,
                "maximum": settings.submission_max_count,
            },
        },
    ]


def schema_to_text(schema: dict[str, Any]) -> str:
    """The committed form: UTF-8 JSON, two-space indent, trailing newline."""
    return json.dumps(schema, ensure_ascii=False, indent=2) + "\n"


def write_schema(path: Path = SCHEMA_FILE, settings: Settings | None = None) -> Path:
    """Regenerate `contract/schema.json` from the reference data and default settings."""
    settings = settings or Settings()
    schema = reference_to_schema(load_territories(settings.geodata_dir), load_taxonomy(), settings)
    path.write_text(schema_to_text(schema), encoding="utf-8")
    return path


if __name__ == "__main__":
    print(write_schema())
